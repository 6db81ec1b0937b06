//! Learning rates: a constant or a schedule over the step index.
//!
//! The step index k counts updates from 0, and step 0 uses the initial rate α₀. Stochastic
//! methods count every mini-batch step, not epochs.

use crate::error::{Error, Result, check_positive};
use std::f64::consts::PI;
use std::fmt;
use std::sync::Arc;

/// A learning rate αₖ for step k = 0, 1, 2, …
#[derive(Clone)]
#[non_exhaustive]
pub enum LearningRate {
    /// αₖ = α.
    Constant(f64),
    /// Inverse-time decay, αₖ = α₀ / (1 + decay·k).
    InverseTime {
        /// α₀.
        initial: f64,
        /// Decay per step, ≥ 0.
        decay: f64,
    },
    /// Step decay, αₖ = α₀ · factor^⌊k / every⌋.
    StepDecay {
        /// α₀.
        initial: f64,
        /// Multiplier applied every `every` steps, in (0, 1].
        factor: f64,
        /// Steps between two drops, ≥ 1.
        every: usize,
    },
    /// Exponential decay, αₖ = α₀ · rateᵏ.
    Exponential {
        /// α₀.
        initial: f64,
        /// Multiplier per step, in (0, 1].
        rate: f64,
    },
    /// Cosine annealing, αₖ = α_min + (α₀ − α_min)(1 + cos(π·min(k, T)/T))/2, then α_min.
    Cosine {
        /// α₀.
        initial: f64,
        /// α_min, reached at step T and kept afterwards; 0 < α_min ≤ α₀.
        minimum: f64,
        /// T, the number of steps of the half cosine, ≥ 1.
        period: usize,
    },
    /// Inverse square root, αₖ = α₀ / √(k + 1).
    InverseSqrt {
        /// α₀.
        initial: f64,
    },
    /// A user function of the step index; each value is checked when it is used.
    Custom(Arc<dyn Fn(usize) -> f64 + Send + Sync>),
}

impl LearningRate {
    /// Builds a schedule from a closure of the step index.
    pub fn custom(f: impl Fn(usize) -> f64 + Send + Sync + 'static) -> Self {
        LearningRate::Custom(Arc::new(f))
    }

    /// Checks the schedule's settings.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the first setting out of range: a rate that is
    /// not finite and > 0, a negative decay, a factor or rate outside (0, 1], a zero
    /// `every` or `period`, or a minimum above the initial rate.
    pub fn check(&self) -> Result<()> {
        match *self {
            LearningRate::Constant(alpha) => check_positive("learning_rate", alpha),
            LearningRate::InverseTime { initial, decay } => {
                check_positive("learning_rate initial", initial)?;
                if decay.is_finite() && decay >= 0.0 {
                    Ok(())
                } else {
                    invalid("InverseTime decay", decay, "must be finite and >= 0")
                }
            }
            LearningRate::StepDecay {
                initial,
                factor,
                every,
            } => {
                check_positive("learning_rate initial", initial)?;
                unit_interval("StepDecay factor", factor)?;
                at_least_one("StepDecay every", every)
            }
            LearningRate::Exponential { initial, rate } => {
                check_positive("learning_rate initial", initial)?;
                unit_interval("Exponential rate", rate)
            }
            LearningRate::Cosine {
                initial,
                minimum,
                period,
            } => {
                check_positive("learning_rate initial", initial)?;
                check_positive("Cosine minimum", minimum)?;
                if minimum > initial {
                    return invalid(
                        "Cosine minimum",
                        minimum,
                        "must not exceed the initial rate",
                    );
                }
                at_least_one("Cosine period", period)
            }
            LearningRate::InverseSqrt { initial } => {
                check_positive("learning_rate initial", initial)
            }
            LearningRate::Custom(_) => Ok(()),
        }
    }

    /// Returns the rate αₖ for step `k`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSchedule`] when the value is not finite and > 0; only a
    /// [`Custom`](LearningRate::Custom) schedule or an exponential decay that underflows to
    /// 0 can produce one after [`check`](LearningRate::check) passed.
    pub fn at(&self, k: usize) -> Result<f64> {
        let t = k as f64;
        let alpha = match self {
            LearningRate::Constant(alpha) => *alpha,
            LearningRate::InverseTime { initial, decay } => initial / (1.0 + decay * t),
            LearningRate::StepDecay {
                initial,
                factor,
                every,
            } => initial * factor.powi(i32::try_from(k / every).unwrap_or(i32::MAX)),
            LearningRate::Exponential { initial, rate } => initial * rate.powf(t),
            LearningRate::Cosine {
                initial,
                minimum,
                period,
            } => {
                let progress = t.min(*period as f64) / *period as f64;
                minimum + (initial - minimum) * (1.0 + (PI * progress).cos()) / 2.0
            }
            LearningRate::InverseSqrt { initial } => initial / (t + 1.0).sqrt(),
            LearningRate::Custom(f) => f(k),
        };
        if alpha.is_finite() && alpha > 0.0 {
            Ok(alpha)
        } else {
            Err(Error::InvalidSchedule {
                step: k,
                value: alpha,
            })
        }
    }
}

impl From<f64> for LearningRate {
    fn from(alpha: f64) -> Self {
        LearningRate::Constant(alpha)
    }
}

impl fmt::Debug for LearningRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LearningRate::Constant(alpha) => write!(f, "Constant({alpha})"),
            LearningRate::InverseTime { initial, decay } => {
                write!(f, "InverseTime {{ initial: {initial}, decay: {decay} }}")
            }
            LearningRate::StepDecay {
                initial,
                factor,
                every,
            } => write!(
                f,
                "StepDecay {{ initial: {initial}, factor: {factor}, every: {every} }}"
            ),
            LearningRate::Exponential { initial, rate } => {
                write!(f, "Exponential {{ initial: {initial}, rate: {rate} }}")
            }
            LearningRate::Cosine {
                initial,
                minimum,
                period,
            } => write!(
                f,
                "Cosine {{ initial: {initial}, minimum: {minimum}, period: {period} }}"
            ),
            LearningRate::InverseSqrt { initial } => {
                write!(f, "InverseSqrt {{ initial: {initial} }}")
            }
            LearningRate::Custom(_) => write!(f, "Custom(..)"),
        }
    }
}

fn invalid<T>(name: &'static str, value: f64, expected: &'static str) -> Result<T> {
    Err(Error::InvalidParameter {
        name,
        value,
        expected,
    })
}

fn unit_interval(name: &'static str, value: f64) -> Result<()> {
    if value > 0.0 && value <= 1.0 {
        Ok(())
    } else {
        invalid(name, value, "must lie in (0, 1]")
    }
}

fn at_least_one(name: &'static str, value: usize) -> Result<()> {
    if value >= 1 {
        Ok(())
    } else {
        invalid(name, value as f64, "must be at least 1")
    }
}
