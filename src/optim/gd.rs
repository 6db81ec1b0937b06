//! Full-batch gradient descent.

use crate::error::{Error, Result};
use crate::objective::Objective;
use crate::optim::descent::{self, LoopSettings, StepOutcome, Stepper, norm};
use crate::optim::observer::{Attached, Observer, ObserverMode};
use crate::optim::solution::{Evaluations, Solution};
use crate::optim::stopping::StoppingRules;

/// Full-batch gradient descent, θₖ₊₁ = θₖ − α ∇f(θₖ), with exact gradients.
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
    learning_rate: f64,
    stopping: StoppingRules,
    observers: Vec<Attached<'a>>,
    record_trace: bool,
}

impl Default for GradientDescent<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> GradientDescent<'a> {
    /// Gradient descent with learning rate 0.1 and the default [`StoppingRules`].
    pub fn new() -> Self {
        Self {
            learning_rate: 0.1,
            stopping: StoppingRules::default(),
            observers: Vec::new(),
            record_trace: false,
        }
    }

    /// Sets the learning rate α (finite and > 0; checked when the run starts).
    #[must_use]
    pub fn learning_rate(mut self, alpha: f64) -> Self {
        self.learning_rate = alpha;
        self
    }

    /// Stops when a step's max-norm falls below `tolerance`; `None` turns the rule off.
    #[must_use]
    pub fn step_tolerance(mut self, tolerance: impl Into<Option<f64>>) -> Self {
        self.stopping.step_tolerance = tolerance.into();
        self
    }

    /// Stops when the gradient norm is at most `tolerance`; `None` turns the rule off.
    #[must_use]
    pub fn gradient_tolerance(mut self, tolerance: impl Into<Option<f64>>) -> Self {
        self.stopping.gradient_tolerance = tolerance.into();
        self
    }

    /// Stops when the relative loss change is at most `tolerance`; `None` turns it off.
    #[must_use]
    pub fn loss_change_tolerance(mut self, tolerance: impl Into<Option<f64>>) -> Self {
        self.stopping.loss_change_tolerance = tolerance.into();
        self
    }

    /// Stops after `max_iterations` steps (at least 1).
    #[must_use]
    pub fn max_iterations(mut self, max_iterations: usize) -> Self {
        self.stopping.max_iterations = max_iterations;
        self
    }

    /// Replaces all stopping rules at once.
    #[must_use]
    pub fn stopping(mut self, rules: StoppingRules) -> Self {
        self.stopping = rules;
        self
    }

    /// Attaches an observer that sees the iterates `mode` selects.
    #[must_use]
    pub fn observer(mut self, observer: impl Observer + 'a, mode: ObserverMode) -> Self {
        self.observers.push(Attached::new(observer, mode));
        self
    }

    /// Records every iterate in [`Solution::trace`].
    #[must_use]
    pub fn record_trace(mut self, record: bool) -> Self {
        self.record_trace = record;
        self
    }

    /// Minimizes `objective` from `theta0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a learning rate that is not finite and > 0 or a bad
    /// stopping rule; [`Error::DimensionMismatch`] or [`Error::NonFinite`] for a bad
    /// `theta0`; [`Error::Diverged`] when a loss, gradient or parameter becomes NaN or
    /// infinite, carrying the iteration and the last finite parameters.
    pub fn minimize<O: Objective>(&mut self, objective: &O, theta0: &[f64]) -> Result<Solution> {
        check_learning_rate(self.learning_rate)?;
        let mut stepper = FixedStep {
            objective,
            learning_rate: self.learning_rate,
            gradient: vec![0.0; objective.dim()],
        };
        let settings = LoopSettings {
            stopping: self.stopping,
            observers: &mut self.observers,
            record_trace: self.record_trace,
        };
        descent::run(objective, theta0, &mut stepper, settings)
    }
}

pub(crate) fn check_learning_rate(alpha: f64) -> Result<()> {
    if alpha.is_finite() && alpha > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "learning_rate",
            value: alpha,
            expected: "must be finite and > 0",
        })
    }
}

struct FixedStep<'o, O> {
    objective: &'o O,
    learning_rate: f64,
    gradient: Vec<f64>,
}

impl<O: Objective> Stepper for FixedStep<'_, O> {
    fn step(
        &mut self,
        _iteration: usize,
        theta: &[f64],
        next: &mut [f64],
        evaluations: &mut Evaluations,
    ) -> Result<StepOutcome> {
        let loss = self
            .objective
            .value_and_gradient(theta, &mut self.gradient)?;
        evaluations.gradient += 1;
        for ((n, &t), &g) in next.iter_mut().zip(theta).zip(&self.gradient) {
            *n = t - self.learning_rate * g;
        }
        Ok(StepOutcome {
            loss,
            gradient_norm: norm(&self.gradient),
            learning_rate: self.learning_rate,
        })
    }
}
