//! The descent loop that every iterative method shares.
//!
//! A method supplies only its step ([`Stepper`]): evaluate at θₖ and propose θₖ₊₁. The loop
//! owns everything else, in this order each iteration: check the iteration limit, step,
//! record the iterate, check divergence, check the stopping rules.

use crate::error::{Error, Result, check_finite, check_len};
use crate::objective::Objective;
use crate::optim::observer::{Attached, ObserverMode};
use crate::optim::solution::{Evaluations, Iterate, Solution, Termination, Trace};
use crate::optim::stopping::StoppingRules;

/// What one step reports about the point it started from.
pub(crate) struct StepOutcome {
    /// Objective (or mini-batch loss) at θₖ.
    pub loss: f64,
    /// Norm of the gradient used at θₖ.
    pub gradient_norm: f64,
    /// Learning rate of the step from θₖ.
    pub learning_rate: f64,
}

/// One iteration of a method: evaluate at θₖ and write θₖ₊₁.
pub(crate) trait Stepper {
    fn step(
        &mut self,
        iteration: usize,
        theta: &[f64],
        next: &mut [f64],
        evaluations: &mut Evaluations,
    ) -> Result<StepOutcome>;
}

/// Settings of the loop that do not depend on the method.
pub(crate) struct LoopSettings<'s, 'a> {
    pub stopping: StoppingRules,
    pub observers: &'s mut [Attached<'a>],
    pub record_trace: bool,
}

impl LoopSettings<'_, '_> {
    pub(crate) fn check(&self) -> Result<()> {
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

        diverged_if_non_finite(iteration, "loss", outcome.loss, &last_finite)?;
        diverged_if_non_finite(iteration, "gradient", outcome.gradient_norm, &last_finite)?;
        last_finite.copy_from_slice(&theta);

        if let Some(reason) =
            settings
                .stopping
                .at_point(outcome.gradient_norm, outcome.loss, previous_loss)
        {
            // The point just evaluated is the answer; no further evaluation is needed.
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

        if let Some(&bad) = next.iter().find(|v| !v.is_finite()) {
            diverged_if_non_finite(iteration + 1, "parameters", bad, &last_finite)?;
        }
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
    diverged_if_non_finite(iteration, "loss", loss, &last_finite)?;
    diverged_if_non_finite(iteration, "gradient", gradient_norm, &last_finite)?;

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

fn diverged_if_non_finite(
    iteration: usize,
    quantity: &'static str,
    value: f64,
    last_theta: &[f64],
) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(Error::Diverged {
            iteration,
            quantity,
            value,
            last_theta: last_theta.to_vec(),
        })
    }
}

/// Euclidean norm.
pub(crate) fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}
