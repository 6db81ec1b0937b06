//! Newton's method with the exact Hessian from dual numbers.

use crate::autodiff;
use crate::error::Result;
use crate::objective::Objective;
use crate::optim::descent::{self, DivergencePolicy, LoopSettings, StepOutcome, Stepper, norm};
use crate::optim::line_search::Armijo;
use crate::optim::observer::Attached;
use crate::optim::solution::{Evaluations, Solution};
use crate::optim::stopping::StoppingRules;
use nalgebra::{DMatrix, DVector};

/// Newton's method: solve (∇²f(θₖ) + μI) p = −∇f(θₖ), then step θₖ₊₁ = θₖ + t p with an
/// Armijo line search.
///
/// μ = 0 when the Hessian is positive definite. Otherwise the Hessian is damped: μ starts
/// at 1e-8 · max(1, max |Hᵢᵢ|) and grows tenfold until the Cholesky factorization
/// succeeds, so p is always a descent direction (Levenberg–Marquardt damping).
pub struct Newton<'a> {
    line_search: Armijo,
    stopping: StoppingRules,
    divergence: DivergencePolicy,
    observers: Vec<Attached<'a>>,
    record_trace: bool,
}

impl Default for Newton<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Newton<'a> {
    /// Newton's method with the default [`Armijo`] search, stopping when the gradient norm
    /// is at most 1e-10 or after 100 iterations.
    pub fn new() -> Self {
        Self {
            line_search: Armijo::default(),
            stopping: StoppingRules {
                gradient_tolerance: Some(1e-10),
                max_iterations: 100,
                ..StoppingRules::default()
            },
            divergence: DivergencePolicy::Fail,
            observers: Vec::new(),
            record_trace: false,
        }
    }

    /// Sets the line search.
    #[must_use]
    pub fn line_search(mut self, search: Armijo) -> Self {
        self.line_search = search;
        self
    }

    stopping_setters!();

    run_setters!();

    /// Minimizes `objective` from `theta0`.
    ///
    /// # Errors
    ///
    /// As [`GradientDescent::minimize`](crate::GradientDescent::minimize).
    pub fn minimize<O: Objective>(&mut self, objective: &O, theta0: &[f64]) -> Result<Solution> {
        self.line_search.check()?;
        let d = objective.dim();
        let mut stepper = NewtonStep {
            objective,
            line_search: self.line_search,
            scale: 1.0,
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

struct NewtonStep<'o, O> {
    objective: &'o O,
    line_search: Armijo,
    scale: f64,
    step: Vec<f64>,
    trial: Vec<f64>,
}

impl<O: Objective> Stepper for NewtonStep<'_, O> {
    fn step(
        &mut self,
        _iteration: usize,
        theta: &[f64],
        next: &mut [f64],
        evaluations: &mut Evaluations,
    ) -> Result<StepOutcome> {
        let (loss, gradient, hessian) = autodiff::hessian(self.objective, theta)?;
        evaluations.hessian += 1;
        let gradient_norm = norm(&gradient);

        if !(loss.is_finite() && gradient_norm.is_finite()) {
            // The loop reports the divergence; no step can be computed from here.
            next.copy_from_slice(theta);
            return Ok(StepOutcome {
                loss,
                gradient_norm,
                learning_rate: f64::NAN,
            });
        }

        if hessian.iter().all(|h| h.is_finite()) {
            damped_newton_direction(&hessian, &gradient, &mut self.step);
        } else {
            // An overflowing Hessian leaves the steepest-descent direction.
            for (p, &g) in self.step.iter_mut().zip(&gradient) {
                *p = -g;
            }
        }
        for p in &mut self.step {
            *p *= self.scale;
        }
        let (t, values) = self.line_search.search(
            self.objective,
            theta,
            loss,
            &gradient,
            &mut self.step,
            &mut self.trial,
        );
        evaluations.value += values;
        for ((n, &x), &p) in next.iter_mut().zip(theta).zip(&self.step) {
            *n = x + p;
        }
        Ok(StepOutcome {
            loss,
            gradient_norm,
            learning_rate: t * self.scale,
        })
    }

    fn restart(&mut self, factor: f64) {
        self.scale *= factor;
    }
}

/// Writes p solving (H + μI) p = −g into `step`, with the smallest μ on the damping ladder
/// that makes H + μI positive definite.
fn damped_newton_direction(hessian: &ndarray::Array2<f64>, gradient: &[f64], step: &mut [f64]) {
    let d = gradient.len();
    let h = DMatrix::from_fn(d, d, |i, j| hessian[(i, j)]);
    let rhs = DVector::from_iterator(d, gradient.iter().map(|g| -g));
    let diagonal_scale = (0..d).map(|i| h[(i, i)].abs()).fold(1.0, f64::max);

    let mut mu = 0.0;
    for _ in 0..80 {
        let mut damped = h.clone();
        for i in 0..d {
            damped[(i, i)] += mu;
        }
        if let Some(cholesky) = damped.cholesky() {
            let p = cholesky.solve(&rhs);
            step.copy_from_slice(p.as_slice());
            return;
        }
        mu = if mu == 0.0 {
            1e-8 * diagonal_scale
        } else {
            mu * 10.0
        };
    }
    // A Hessian no damping can fix (μ reached about 1e63 times its diagonal) leaves the
    // steepest-descent direction, scaled to the Hessian's size.
    for (p, &g) in step.iter_mut().zip(gradient) {
        *p = -g / diagonal_scale;
    }
}
