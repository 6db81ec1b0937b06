//! Update rules: how a gradient and a learning rate become a step.
//!
//! Each rule is written once and used by full-batch and mini-batch descent alike. With
//! gradient gₖ, learning rate αₖ and step index k (from 0), the parameters move by
//! θₖ₊₁ = θₖ + Δₖ.

use crate::error::{Error, Result, check_positive};

/// A rule that turns gradients into steps, with its hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum UpdateRule {
    /// Δ = −α g.
    Plain,
    /// Heavy-ball momentum, as PyTorch's SGD: v ← β v + g, Δ = −α v (v₀ = 0).
    Momentum {
        /// β in [0, 1).
        beta: f64,
    },
    /// Nesterov momentum, as PyTorch's SGD with `nesterov=True`: v ← β v + g,
    /// Δ = −α (g + β v). It needs the gradient at θₖ only.
    Nesterov {
        /// β in [0, 1).
        beta: f64,
    },
    /// AdaGrad: G ← G + g², Δ = −α g / (√G + ε), elementwise.
    AdaGrad {
        /// ε > 0, added to the root to avoid division by zero.
        epsilon: f64,
    },
    /// RMSProp: s ← ρ s + (1 − ρ) g², Δ = −α g / (√s + ε), elementwise.
    RmsProp {
        /// ρ in [0, 1).
        decay: f64,
        /// ε > 0.
        epsilon: f64,
    },
    /// Adam with bias correction: m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g²,
    /// m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ) with t = k + 1, Δ = −α m̂ / (√v̂ + ε).
    Adam {
        /// β₁ in [0, 1).
        beta1: f64,
        /// β₂ in [0, 1).
        beta2: f64,
        /// ε > 0.
        epsilon: f64,
    },
}

impl UpdateRule {
    /// Momentum with β = 0.9.
    pub const MOMENTUM: UpdateRule = UpdateRule::Momentum { beta: 0.9 };
    /// Nesterov momentum with β = 0.9.
    pub const NESTEROV: UpdateRule = UpdateRule::Nesterov { beta: 0.9 };
    /// AdaGrad with ε = 1e-8.
    pub const ADAGRAD: UpdateRule = UpdateRule::AdaGrad { epsilon: 1e-8 };
    /// RMSProp with ρ = 0.9 and ε = 1e-8.
    pub const RMSPROP: UpdateRule = UpdateRule::RmsProp {
        decay: 0.9,
        epsilon: 1e-8,
    };
    /// Adam with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    pub const ADAM: UpdateRule = UpdateRule::Adam {
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
    };

    /// Checks the hyper-parameters.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a β, ρ, β₁ or β₂ outside [0, 1) or an ε that is not
    /// finite and > 0.
    pub fn check(&self) -> Result<()> {
        match *self {
            UpdateRule::Plain => Ok(()),
            UpdateRule::Momentum { beta } => coefficient("Momentum beta", beta),
            UpdateRule::Nesterov { beta } => coefficient("Nesterov beta", beta),
            UpdateRule::AdaGrad { epsilon } => check_positive("AdaGrad epsilon", epsilon),
            UpdateRule::RmsProp { decay, epsilon } => {
                coefficient("RmsProp decay", decay)?;
                check_positive("RmsProp epsilon", epsilon)
            }
            UpdateRule::Adam {
                beta1,
                beta2,
                epsilon,
            } => {
                coefficient("Adam beta1", beta1)?;
                coefficient("Adam beta2", beta2)?;
                check_positive("Adam epsilon", epsilon)
            }
        }
    }
}

fn coefficient(name: &'static str, value: f64) -> Result<()> {
    if (0.0..1.0).contains(&value) {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            expected: "must lie in [0, 1)",
        })
    }
}

/// The running state of an update rule: its moments and the step counter.
#[derive(Debug, Clone)]
pub(crate) struct UpdateState {
    rule: UpdateRule,
    first: Vec<f64>,
    second: Vec<f64>,
    steps: usize,
}

impl UpdateState {
    pub(crate) fn new(rule: UpdateRule, dim: usize) -> Self {
        Self {
            rule,
            first: vec![0.0; dim],
            second: vec![0.0; dim],
            steps: 0,
        }
    }

    /// Clears the moments, as at the start of a run.
    pub(crate) fn reset(&mut self) {
        self.first.fill(0.0);
        self.second.fill(0.0);
        self.steps = 0;
    }

    /// Writes the step Δ for `gradient` and learning rate `alpha` into `step`.
    pub(crate) fn step(&mut self, gradient: &[f64], alpha: f64, step: &mut [f64]) {
        self.steps += 1;
        let state = self.first.iter_mut().zip(self.second.iter_mut());
        match self.rule {
            UpdateRule::Plain => {
                for (s, &g) in step.iter_mut().zip(gradient) {
                    *s = -alpha * g;
                }
            }
            UpdateRule::Momentum { beta } => {
                for ((s, &g), (v, _)) in step.iter_mut().zip(gradient).zip(state) {
                    *v = beta * *v + g;
                    *s = -alpha * *v;
                }
            }
            UpdateRule::Nesterov { beta } => {
                for ((s, &g), (v, _)) in step.iter_mut().zip(gradient).zip(state) {
                    *v = beta * *v + g;
                    *s = -alpha * (g + beta * *v);
                }
            }
            UpdateRule::AdaGrad { epsilon } => {
                for ((s, &g), (_, sum)) in step.iter_mut().zip(gradient).zip(state) {
                    *sum += g * g;
                    *s = -alpha * g / (sum.sqrt() + epsilon);
                }
            }
            UpdateRule::RmsProp { decay, epsilon } => {
                for ((s, &g), (_, mean)) in step.iter_mut().zip(gradient).zip(state) {
                    *mean = decay * *mean + (1.0 - decay) * g * g;
                    *s = -alpha * g / (mean.sqrt() + epsilon);
                }
            }
            UpdateRule::Adam {
                beta1,
                beta2,
                epsilon,
            } => {
                let t = i32::try_from(self.steps).unwrap_or(i32::MAX);
                let correction1 = 1.0 - beta1.powi(t);
                let correction2 = 1.0 - beta2.powi(t);
                for ((s, &g), (m, v)) in step.iter_mut().zip(gradient).zip(state) {
                    *m = beta1 * *m + (1.0 - beta1) * g;
                    *v = beta2 * *v + (1.0 - beta2) * g * g;
                    let m_hat = *m / correction1;
                    let v_hat = *v / correction2;
                    *s = -alpha * m_hat / (v_hat.sqrt() + epsilon);
                }
            }
        }
    }
}
