//! Full-batch gradient descent.

use crate::error::Result;
use crate::objective::Objective;
use crate::optim::descent::{self, DivergencePolicy, LoopSettings, StepOutcome, Stepper, norm};
use crate::optim::line_search::Armijo;
use crate::optim::observer::Attached;
use crate::optim::schedule::LearningRate;
use crate::optim::solution::{Evaluations, Solution};
use crate::optim::stopping::StoppingRules;
use crate::optim::update::{UpdateRule, UpdateState};

/// Full-batch gradient descent with exact gradients: θₖ₊₁ = θₖ + Δₖ, where the update rule
/// turns ∇f(θₖ) and the learning rate αₖ into the step Δₖ (plain: Δₖ = −αₖ ∇f(θₖ)).
///
/// The textbook's run, which stops when |θₖ₊₁ − θₖ| < 0.001 and returns θₖ₊₁:
///
/// ```
/// use dualopt::prelude::*;
///
/// let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2])?;
/// let mse = EmpiricalRisk::new(Constant, SquaredError, &data)?;
/// let solution = GradientDescent::new()
///     .learning_rate(0.2)
///     .step_tolerance(0.001)
///     .minimize(&mse, &[0.0])?;
/// assert_eq!(solution.theta, vec![14.658511131035242]);
/// assert_eq!(solution.iterations, 18);
/// # Ok::<(), dualopt::Error>(())
/// ```
pub struct GradientDescent<'a> {
    learning_rate: LearningRate,
    update: UpdateRule,
    line_search: Option<Armijo>,
    stopping: StoppingRules,
    divergence: DivergencePolicy,
    observers: Vec<Attached<'a>>,
    record_trace: bool,
}

impl Default for GradientDescent<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> GradientDescent<'a> {
    /// Plain gradient descent with learning rate 0.1, no line search and the default
    /// [`StoppingRules`].
    pub fn new() -> Self {
        Self {
            learning_rate: LearningRate::Constant(0.1),
            update: UpdateRule::Plain,
            line_search: None,
            stopping: StoppingRules::default(),
            divergence: DivergencePolicy::Fail,
            observers: Vec::new(),
            record_trace: false,
        }
    }

    first_order_setters!();

    /// Shortens each step by Armijo backtracking; `None` turns the search off.
    #[must_use]
    pub fn line_search(mut self, search: impl Into<Option<Armijo>>) -> Self {
        self.line_search = search.into();
        self
    }

    stopping_setters!();

    run_setters!();

    /// Minimizes `objective` from `theta0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) for an invalid learning
    /// rate, schedule, update rule, line search or stopping rule;
    /// [`Error::DimensionMismatch`](crate::Error::DimensionMismatch) or
    /// [`Error::NonFinite`](crate::Error::NonFinite) for a bad `theta0`;
    /// [`Error::Diverged`](crate::Error::Diverged) when a loss, gradient or parameter
    /// becomes NaN or infinite, carrying the iteration and the last finite parameters.
    pub fn minimize<O: Objective>(&mut self, objective: &O, theta0: &[f64]) -> Result<Solution> {
        self.learning_rate.check()?;
        self.update.check()?;
        if let Some(search) = &self.line_search {
            search.check()?;
        }
        let d = objective.dim();
        let mut stepper = FirstOrder {
            objective,
            schedule: self.learning_rate.clone(),
            scale: 1.0,
            update: UpdateState::new(self.update, d),
            line_search: self.line_search,
            gradient: vec![0.0; d],
            step: vec![0.0; d],
            trial: vec![0.0; d],
        };
        let settings = LoopSettings {
            stopping: self.stopping,
            observers: &mut self.observers,
            record_trace: self.record_trace,
            divergence: self.divergence,
        };
        descent::run(objective, theta0, &mut stepper, settings)
    }
}

/// One full-batch step: gradient, update rule, optional line search.
struct FirstOrder<'o, O> {
    objective: &'o O,
    schedule: LearningRate,
    scale: f64,
    update: UpdateState,
    line_search: Option<Armijo>,
    gradient: Vec<f64>,
    step: Vec<f64>,
    trial: Vec<f64>,
}

impl<O: Objective> Stepper for FirstOrder<'_, O> {
    fn step(
        &mut self,
        iteration: usize,
        theta: &[f64],
        next: &mut [f64],
        evaluations: &mut Evaluations,
    ) -> Result<StepOutcome> {
        let loss = self
            .objective
            .value_and_gradient(theta, &mut self.gradient)?;
        evaluations.gradient += 1;

        let alpha = self.schedule.at(iteration)? * self.scale;
        self.update.step(&self.gradient, alpha, &mut self.step);
        let mut effective_rate = alpha;
        if let Some(search) = &self.line_search
            && loss.is_finite()
        {
            let slope: f64 = self
                .gradient
                .iter()
                .zip(&self.step)
                .map(|(g, p)| g * p)
                .sum();
            if slope >= 0.0 || slope.is_nan() {
                // Not a descent direction (momentum can overshoot): search along −α∇f.
                for (p, &g) in self.step.iter_mut().zip(&self.gradient) {
                    *p = -alpha * g;
                }
            }
            let (t, values) = search.search(
                self.objective,
                theta,
                loss,
                &self.gradient,
                &mut self.step,
                &mut self.trial,
            );
            evaluations.value += values;
            effective_rate = alpha * t;
        }

        for ((n, &t), &p) in next.iter_mut().zip(theta).zip(&self.step) {
            *n = t + p;
        }
        Ok(StepOutcome {
            loss,
            gradient_norm: norm(&self.gradient),
            learning_rate: effective_rate,
        })
    }

    fn restart(&mut self, factor: f64) {
        self.scale *= factor;
        self.update.reset();
    }
}
