//! Stopping rules shared by the iterative methods.

use crate::error::{Error, Result};
use crate::optim::solution::Termination;

/// When an iterative run stops. Any rule that fires ends the run.
///
/// * step: ‖θₖ₊₁ − θₖ‖∞ < `step_tolerance`; the new θ is returned, as in the textbook's
///   `if abs(new_theta - theta) < tol: return new_theta`;
/// * gradient: ‖∇f(θₖ)‖₂ ≤ `gradient_tolerance`; θₖ is returned;
/// * loss change: |fₖ − fₖ₋₁| ≤ `loss_change_tolerance` · max(|fₖ|, |fₖ₋₁|); θₖ is returned;
/// * iterations: after `max_iterations` steps, with [`Termination::MaxIterations`], which
///   does not count as converged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoppingRules {
    /// Tolerance on the max-norm of a step; `None` turns the rule off.
    pub step_tolerance: Option<f64>,
    /// Tolerance on the Euclidean norm of the gradient; `None` turns the rule off.
    pub gradient_tolerance: Option<f64>,
    /// Tolerance on the relative change of the loss; `None` turns the rule off.
    pub loss_change_tolerance: Option<f64>,
    /// Maximum number of steps; at least 1.
    pub max_iterations: usize,
}

impl Default for StoppingRules {
    /// Gradient norm at most 1e-8 or 10 000 steps, whichever comes first.
    fn default() -> Self {
        Self {
            step_tolerance: None,
            gradient_tolerance: Some(1e-8),
            loss_change_tolerance: None,
            max_iterations: 10_000,
        }
    }
}

impl StoppingRules {
    /// Checks every tolerance (finite and > 0) and the iteration limit (≥ 1).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the first bad setting.
    pub fn check(&self) -> Result<()> {
        let tolerances = [
            ("step_tolerance", self.step_tolerance),
            ("gradient_tolerance", self.gradient_tolerance),
            ("loss_change_tolerance", self.loss_change_tolerance),
        ];
        for (name, tolerance) in tolerances {
            if let Some(value) = tolerance
                && !(value.is_finite() && value > 0.0)
            {
                return Err(Error::InvalidParameter {
                    name,
                    value,
                    expected: "must be finite and > 0, or None to turn the rule off",
                });
            }
        }
        if self.max_iterations == 0 {
            return Err(Error::InvalidParameter {
                name: "max_iterations",
                value: 0.0,
                expected: "must be at least 1",
            });
        }
        Ok(())
    }

    /// Returns the rule that fires at an iterate with this gradient norm and loss, if any.
    pub(crate) fn at_point(
        &self,
        gradient_norm: f64,
        loss: f64,
        previous_loss: Option<f64>,
    ) -> Option<Termination> {
        if let Some(tolerance) = self.gradient_tolerance
            && gradient_norm <= tolerance
        {
            return Some(Termination::GradientTolerance {
                gradient_norm,
                tolerance,
            });
        }
        if let (Some(tolerance), Some(previous)) = (self.loss_change_tolerance, previous_loss) {
            let relative_change = relative_change(loss, previous);
            if relative_change <= tolerance {
                return Some(Termination::LossChange {
                    relative_change,
                    tolerance,
                });
            }
        }
        None
    }

    /// Returns the step rule, if it fires for a step of max-norm `step`.
    pub(crate) fn at_step(&self, step: f64) -> Option<Termination> {
        match self.step_tolerance {
            Some(tolerance) if step < tolerance => {
                Some(Termination::StepTolerance { step, tolerance })
            }
            _ => None,
        }
    }
}

/// Returns |f − f_prev| / max(|f|, |f_prev|), and 0 when both are 0.
pub(crate) fn relative_change(loss: f64, previous: f64) -> f64 {
    let scale = loss.abs().max(previous.abs());
    let change = (loss - previous).abs();
    if scale > 0.0 { change / scale } else { 0.0 }
}
