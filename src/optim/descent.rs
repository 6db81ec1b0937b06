//! The descent loop that every iterative method shares.
//!
//! A method supplies only its step ([`Stepper`]): evaluate at θₖ and propose θₖ₊₁. The loop
//! owns everything else, in this order each iteration: check the stopping rules that need
//! no evaluation, step (the stepper counts its evaluations), record the iterate, check
//! divergence, then check the rules that look at the new point.

use crate::error::{Error, Result, check_finite, check_len};
use crate::objective::Objective;
use crate::optim::observer::{Attached, ObserverMode};
use crate::optim::solution::{Evaluations, Iterate, Solution, Termination, Trace};
use crate::optim::stopping::StoppingRules;

/// The response of a run to a loss, gradient or parameter that becomes NaN or infinite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DivergencePolicy {
    /// Stop with [`Error::Diverged`].
    #[default]
    Fail,
    /// Restart from the parameters with the lowest loss seen so far, with half the learning
    /// rate and fresh update-rule state. After `max_retries` restarts the run fails.
    HalveStep {
        /// How many restarts are allowed.
        max_retries: usize,
    },
}

/// A step's report about the point it started from.
pub(crate) struct StepOutcome {
    /// Objective (or mini-batch loss) at θₖ.
    pub loss: f64,
    /// Norm of the gradient used at θₖ.
    pub gradient_norm: f64,
    /// Learning rate of the step from θₖ.
    pub learning_rate: f64,
}

/// One method's iteration: evaluate at θₖ and write θₖ₊₁.
pub(crate) trait Stepper {
    /// Evaluates at `theta` and writes the next parameters into `next`.
    fn step(
        &mut self,
        iteration: usize,
        theta: &[f64],
        next: &mut [f64],
        evaluations: &mut Evaluations,
    ) -> Result<StepOutcome>;

    /// Checks rules the method owns (epochs, for example) after the step to `theta`.
    fn after_step(
        &mut self,
        _iteration: usize,
        _theta: &[f64],
        _evaluations: &mut Evaluations,
    ) -> Result<Option<Termination>> {
        Ok(None)
    }

    /// Multiplies every future learning rate by `factor` and clears update-rule state.
    fn restart(&mut self, factor: f64);
}

/// Settings of the loop that do not depend on the method.
pub(crate) struct LoopSettings<'s, 'a> {
    pub stopping: StoppingRules,
    pub observers: &'s mut [Attached<'a>],
    pub record_trace: bool,
    pub divergence: DivergencePolicy,
}

impl LoopSettings<'_, '_> {
    fn check(&self) -> Result<()> {
        self.stopping.check()?;
        for attached in self.observers.iter() {
            if attached.mode() == ObserverMode::Every(0) {
                return Err(Error::InvalidParameter {
                    name: "ObserverMode::Every",
                    value: 0.0,
                    expected: "must be at least 1",
                });
            }
        }
        Ok(())
    }
}

/// The non-finite quantity that stops a run at the current iterate.
struct NonFinite {
    iteration: usize,
    quantity: &'static str,
    value: f64,
}

impl NonFinite {
    /// Converts the problem into an error: a bad start when no point so far was finite,
    /// otherwise a divergence carrying the last finite point.
    fn into_error(self, any_finite: bool, last_finite: Vec<f64>) -> Error {
        if any_finite {
            Error::Diverged {
                iteration: self.iteration,
                quantity: self.quantity,
                value: self.value,
                last_theta: last_finite,
            }
        } else {
            Error::NonFiniteStart {
                quantity: self.quantity,
                value: self.value,
                theta0: last_finite,
            }
        }
    }
}

/// Runs `stepper` from `theta0` until a stopping rule fires, and evaluates `objective` at
/// the returned point.
pub(crate) fn run<O: Objective, St: Stepper>(
    objective: &O,
    theta0: &[f64],
    stepper: &mut St,
    settings: LoopSettings<'_, '_>,
) -> Result<Solution> {
    settings.check()?;
    check_len("theta0", objective.dim(), theta0.len())?;
    check_finite("theta0", theta0)?;

    let d = theta0.len();
    let mut theta = theta0.to_vec();
    let mut next = vec![0.0; d];
    let mut last_finite = theta0.to_vec();
    let mut any_finite = false;
    let mut best_theta = theta0.to_vec();
    let mut best_loss = f64::INFINITY;
    let mut retries = 0;
    let mut evaluations = Evaluations::default();
    let mut trace = settings.record_trace.then(|| Trace::new(d));
    let mut previous_loss = None;
    let mut iteration = 0;

    let termination = loop {
        if iteration == settings.stopping.max_iterations {
            break Termination::MaxIterations {
                max_iterations: iteration,
            };
        }

        let outcome = stepper.step(iteration, &theta, &mut next, &mut evaluations)?;

        let iterate = Iterate {
            iteration,
            theta: &theta,
            loss: outcome.loss,
            gradient_norm: outcome.gradient_norm,
            learning_rate: outcome.learning_rate,
        };
        for attached in settings.observers.iter_mut() {
            attached.offer(&iterate);
        }
        if let Some(trace) = trace.as_mut() {
            trace.push(&iterate);
        }

        // θₖ becomes the last finite point before θₖ₊₁ is examined, so a step that
        // overflows reports the point it started from.
        if outcome.loss.is_finite() && outcome.gradient_norm.is_finite() {
            last_finite.copy_from_slice(&theta);
            any_finite = true;
        }
        if let Some(problem) = first_non_finite(iteration, &outcome, &next) {
            match settings.divergence {
                DivergencePolicy::HalveStep { max_retries }
                    if retries < max_retries && any_finite =>
                {
                    retries += 1;
                    theta.copy_from_slice(&best_theta);
                    stepper.restart(0.5);
                    previous_loss = None;
                    iteration += 1;
                    continue;
                }
                _ => return Err(problem.into_error(any_finite, last_finite)),
            }
        }
        if outcome.loss < best_loss {
            best_loss = outcome.loss;
            best_theta.copy_from_slice(&theta);
        }

        if let Some(reason) =
            settings
                .stopping
                .at_point(outcome.gradient_norm, outcome.loss, previous_loss)
        {
            // The point just evaluated is the result, so no further evaluation is needed.
            return Ok(Solution {
                theta,
                loss: outcome.loss,
                gradient_norm: outcome.gradient_norm,
                iterations: iteration,
                evaluations,
                termination: reason,
                trace,
            });
        }
        previous_loss = Some(outcome.loss);

        let step = theta
            .iter()
            .zip(&next)
            .map(|(a, b)| (b - a).abs())
            .fold(0.0, f64::max);
        std::mem::swap(&mut theta, &mut next);
        iteration += 1;

        if let Some(reason) = settings.stopping.at_step(step) {
            break reason;
        }
        if let Some(reason) = stepper.after_step(iteration, &theta, &mut evaluations)? {
            break reason;
        }
    };

    let mut gradient = vec![0.0; d];
    let loss = objective.value_and_gradient(&theta, &mut gradient)?;
    evaluations.gradient += 1;
    let gradient_norm = norm(&gradient);
    if let Some(trace) = trace.as_mut() {
        trace.push(&Iterate {
            iteration,
            theta: &theta,
            loss,
            gradient_norm,
            learning_rate: f64::NAN,
        });
    }
    if !(loss.is_finite() && gradient_norm.is_finite()) {
        let (quantity, value) = if loss.is_finite() {
            ("gradient", gradient_norm)
        } else {
            ("loss", loss)
        };
        let problem = NonFinite {
            iteration,
            quantity,
            value,
        };
        return Err(problem.into_error(any_finite, last_finite));
    }

    Ok(Solution {
        theta,
        loss,
        gradient_norm,
        iterations: iteration,
        evaluations,
        termination,
        trace,
    })
}

/// Returns the first non-finite quantity of a step, in the order loss, gradient, new
/// parameters.
fn first_non_finite(iteration: usize, outcome: &StepOutcome, next: &[f64]) -> Option<NonFinite> {
    if !outcome.loss.is_finite() {
        return Some(NonFinite {
            iteration,
            quantity: "loss",
            value: outcome.loss,
        });
    }
    if !outcome.gradient_norm.is_finite() {
        return Some(NonFinite {
            iteration,
            quantity: "gradient",
            value: outcome.gradient_norm,
        });
    }
    next.iter()
        .find(|v| !v.is_finite())
        .map(|&value| NonFinite {
            iteration: iteration + 1,
            quantity: "parameters",
            value,
        })
}

/// Euclidean norm, scaled by the largest entry so that finite vectors never overflow.
///
/// NaN anywhere gives NaN, and an infinite entry gives +∞.
pub(crate) fn norm(v: &[f64]) -> f64 {
    if v.iter().any(|x| x.is_nan()) {
        return f64::NAN;
    }
    let largest = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if largest == 0.0 || largest.is_infinite() {
        return largest;
    }
    largest * v.iter().map(|x| (x / largest).powi(2)).sum::<f64>().sqrt()
}
