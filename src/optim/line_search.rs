//! Armijo backtracking line search.

use crate::error::{Error, Result};
use crate::objective::Objective;

/// Backtracking until the Armijo (sufficient decrease) condition holds:
/// f(θ + t p) ≤ f(θ) + c₁ t ∇f(θ)·p, with t = 1, ρ, ρ², … along the proposed step p.
///
/// The proposed step p is the update rule's step at the scheduled learning rate, so the
/// search can serve alone (with a large constant rate as the first trial) or as a
/// safeguard that only ever shortens a schedule's steps. When p is not a descent direction
/// (∇f·p ≥ 0, as momentum can produce), the search falls back to p = −α ∇f.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Armijo {
    /// c₁ in (0, 1): the fraction of the predicted decrease that must be achieved.
    pub c1: f64,
    /// ρ in (0, 1): the factor by which a rejected trial step is shortened.
    pub shrink: f64,
    /// Maximum number of shortenings before the step is taken as is; at least 1.
    pub max_backtracks: usize,
}

impl Default for Armijo {
    /// c₁ = 1e-4, ρ = 0.5, at most 60 shortenings (a factor of about 1e-18).
    fn default() -> Self {
        Self {
            c1: 1e-4,
            shrink: 0.5,
            max_backtracks: 60,
        }
    }
}

impl Armijo {
    /// Checks c₁, ρ and the backtracking limit.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for c₁ or ρ outside (0, 1), or a limit of 0.
    pub fn check(&self) -> Result<()> {
        for (name, value) in [("Armijo c1", self.c1), ("Armijo shrink", self.shrink)] {
            if !(value > 0.0 && value < 1.0) {
                return Err(Error::InvalidParameter {
                    name,
                    value,
                    expected: "must lie strictly between 0 and 1",
                });
            }
        }
        if self.max_backtracks == 0 {
            return Err(Error::InvalidParameter {
                name: "Armijo max_backtracks",
                value: 0.0,
                expected: "must be at least 1",
            });
        }
        Ok(())
    }

    /// Shortens `step` in place until the Armijo condition holds at `theta + step`, and
    /// returns the factor t applied and the number of objective values computed.
    ///
    /// `trial` is scratch space of the same length as `theta`.
    pub(crate) fn search<O: Objective>(
        &self,
        objective: &O,
        theta: &[f64],
        loss: f64,
        gradient: &[f64],
        step: &mut [f64],
        trial: &mut [f64],
    ) -> (f64, usize) {
        let slope: f64 = gradient.iter().zip(step.iter()).map(|(g, p)| g * p).sum();
        let mut t = 1.0;
        let mut evaluations = 0;
        for _ in 0..self.max_backtracks {
            for ((x, &th), &p) in trial.iter_mut().zip(theta).zip(step.iter()) {
                *x = th + t * p;
            }
            let value = objective.eval(trial);
            evaluations += 1;
            if value <= loss + self.c1 * t * slope {
                break;
            }
            t *= self.shrink;
        }
        for p in step.iter_mut() {
            *p *= t;
        }
        (t, evaluations)
    }
}
