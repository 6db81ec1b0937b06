//! Built-in losses, each written once for every [`Scalar`].
//!
//! Every loss here is a function of the residual r = y − ŷ (target minus prediction). The
//! crate differentiates them with dual numbers; no derivative is written by hand.
//!
//! | loss | ℓ(r) | convex |
//! | --- | --- | --- |
//! | [`SquaredError`] | r² (no ½) | yes |
//! | [`AbsoluteError`] | \|r\| | yes |
//! | [`Huber`] | ½r² for \|r\| < δ, δ(\|r\| − ½δ) otherwise | yes |
//! | [`PseudoHuber`] | δ²(√(1 + (r/δ)²) − 1) | yes |
//! | [`LogCosh`] | ln cosh r | yes |
//! | [`Quantile`] | τr for r ≥ 0, (τ − 1)r for r < 0 | yes |
//! | [`Logistic`] | ln(1 + eᶻ) − y z on the logit z = ŷ | yes |
//! | [`Quartic`] | (r + 12)(r + 23)(r − 14)(r − 15)/5000 + 7 | no |

use crate::error::{Error, Result, check_positive};
use crate::objective::Loss;
use crate::scalar::{Scalar, ScalarExt, select};

/// Squared error ℓ = (y − ŷ)², the loss behind the mean squared error.
///
/// There is no factor ½, so the mean is the textbook's MSE and its gradient with respect
/// to a constant θ is −2·mean(y − θ). The minimizer of the mean over a constant model is
/// the mean of the targets.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SquaredError;

impl Loss for SquaredError {
    #[inline]
    fn loss<S: Scalar>(&self, prediction: S, target: f64) -> S {
        let r = -prediction + target;
        r * r
    }
}

/// Absolute error ℓ = |y − ŷ|, the loss behind the mean absolute error.
///
/// At r = 0 (either sign of zero) the derivative is the subgradient 0, the convention of
/// numpy's `np.sign`. The minimizers of the mean over a constant model are the medians.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AbsoluteError;

impl Loss for AbsoluteError {
    #[inline]
    fn loss<S: Scalar>(&self, prediction: S, target: f64) -> S {
        (-prediction + target).abs_symmetric()
    }
}

/// Huber loss: ℓ = ½r² for |r| < δ and δ(|r| − ½δ) for |r| ≥ δ.
///
/// Quadratic near zero, linear in the tails, and continuously differentiable. At |r| = δ the
/// linear branch is taken (the textbook's `np.where(d < delta, …)`); both branches have the
/// same value δ²/2 and the same first derivative there, so only the second derivative
/// depends on the choice (0 from the linear side). Within the linear branch, r = 0 cannot
/// occur because δ > 0.
///
/// The linear branch is computed as δ|r| − ½δ². With δ = 1, the textbook's value, that is
/// bit for bit numpy's `delta * (d - delta / 2)`. For other δ the two forms can differ by
/// rounding, a few units in the last place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Huber {
    /// Width of the quadratic zone; must be finite and > 0.
    pub delta: f64,
}

impl Loss for Huber {
    #[inline]
    fn loss<S: Scalar>(&self, prediction: S, target: f64) -> S {
        let r = -prediction + target;
        let d = self.delta;
        let quadratic = r * r * 0.5;
        // δ|r| − ½δ², written as r · (±δ): the linear branch has |r| ≥ δ > 0, so the sign
        // of r needs no case for zero, and the derivative ±δ costs no multiplication.
        // NOTE: for δ above about 1.3e154, δ² overflows and this branch gives NaN near
        // |r| = δ, where the loss δ²/2 is still finite.
        let linear = r * d.copysign(r.re()) - d * d * 0.5;
        select(r.re().abs() < d, quadratic, linear)
    }

    fn check(&self) -> Result<()> {
        check_positive("Huber delta", self.delta)
    }
}

/// Pseudo-Huber loss ℓ = δ²(√(1 + (r/δ)²) − 1): a smooth Huber, ≈ ½r² near 0 and ≈ δ|r| far out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PseudoHuber {
    /// Scale of the transition from quadratic to linear; must be finite and > 0.
    pub delta: f64,
}

impl Loss for PseudoHuber {
    #[inline]
    fn loss<S: Scalar>(&self, prediction: S, target: f64) -> S {
        let u = (-prediction + target) / self.delta;
        ((u * u + 1.0).sqrt() - 1.0) * (self.delta * self.delta)
    }

    fn check(&self) -> Result<()> {
        check_positive("PseudoHuber delta", self.delta)
    }
}

/// Log-cosh loss ℓ = ln cosh r, with derivative tanh r.
///
/// It is computed as a + ln(1 + e^(−2a)) − ln 2 with a = s·r and s = +1 for r ≥ 0
/// (either sign of zero), −1 for r < 0. That is an identity for every r, so value and
/// derivatives of all orders are exact, also at r = 0, and e^(−2a) ≤ 1 never overflows:
/// value and gradient stay finite for residuals in the thousands and beyond, where
/// `r.cosh().ln()` would overflow near |r| ≈ 710.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LogCosh;

impl Loss for LogCosh {
    #[inline]
    fn loss<S: Scalar>(&self, prediction: S, target: f64) -> S {
        let r = -prediction + target;
        let s = std::hint::select_unpredictable(r.re() >= 0.0, 1.0, -1.0);
        let a = r * s;
        a + (a * -2.0).exp().ln_1p() - std::f64::consts::LN_2
    }
}

/// Quantile (pinball) loss ℓ = τr for r ≥ 0 and (τ − 1)r for r < 0.
///
/// It is computed branch-free as (τ − ½)r + ½|r|. At r = 0 the derivative with respect to r
/// is τ − ½, the midpoint of the subdifferential [τ − 1, τ]. The minimizer of the mean over
/// a constant model is the τ-quantile of the targets; τ = ½ gives half the absolute error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantile {
    /// The quantile level, strictly between 0 and 1.
    pub tau: f64,
}

impl Loss for Quantile {
    #[inline]
    fn loss<S: Scalar>(&self, prediction: S, target: f64) -> S {
        let r = -prediction + target;
        r * (self.tau - 0.5) + r.abs_symmetric() * 0.5
    }

    fn check(&self) -> Result<()> {
        if self.tau > 0.0 && self.tau < 1.0 {
            Ok(())
        } else {
            Err(Error::InvalidParameter {
                name: "Quantile tau",
                value: self.tau,
                expected: "must lie strictly between 0 and 1",
            })
        }
    }
}

/// Logistic (binary cross-entropy) loss on a logit: ℓ = ln(1 + eᶻ) − y z, with z = ŷ.
///
/// The target y is a label in [0, 1]; the prediction is the logit z, so σ(z) = 1/(1 + e^(−z))
/// is the predicted probability and ∂ℓ/∂z = σ(z) − y. It is evaluated as
/// ln(1 + e^(−z)) + (1 − y) z for z ≥ 0 and ln(1 + eᶻ) − y z for z < 0. Both forms are
/// exact identities, so the derivatives of every order agree at z = 0; no exponential
/// overflows; and a confident correct prediction (large z with y = 1) keeps its full
/// relative precision instead of cancelling z against z.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Logistic;

impl Loss for Logistic {
    #[inline]
    fn loss<S: Scalar>(&self, prediction: S, target: f64) -> S {
        let z = prediction;
        let positive = (-z).exp().ln_1p() + z * (1.0 - target);
        let negative = z.exp().ln_1p() - z * target;
        select(z.re() >= 0.0, positive, negative)
    }

    fn check_target(&self, index: usize, target: f64) -> Result<()> {
        if (0.0..=1.0).contains(&target) {
            Ok(())
        } else {
            Err(Error::InvalidTarget {
                loss: "Logistic",
                index,
                value: target,
                expected: "a label or probability in [0, 1]",
            })
        }
    }
}

/// The textbook's non-convex quartic loss:
/// ℓ = (r + 12)(r + 23)(r − 14)(r − 15)/5000 + 7 with r = y − ŷ.
///
/// Expanded, ℓ = (r⁴ + 6r³ − 529r² − 654r + 57960)/5000 + 7, so
/// ∂ℓ/∂ŷ = −(2r³ + 9r² − 529r − 327)/2500. With the single target y = 0, its mean over a
/// constant model θ has a local minimum near θ ≈ −14.508 and the global minimum near
/// θ ≈ 18.395; gradient descent reaches one or the other depending on where it starts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Quartic;

impl Loss for Quartic {
    #[inline]
    fn loss<S: Scalar>(&self, prediction: S, target: f64) -> S {
        let r = -prediction + target;
        // The expanded form, scaled by 1/5000 last: its dual derivative is then computed in
        // the same order as the textbook's hand-written gradient, and agrees with it to the
        // last bit wherever r is a small integer.
        let polynomial = r.powi(4) + r.powi(3) * 6.0 - r * r * 529.0 - r * 654.0 + 57960.0;
        polynomial * (1.0 / 5000.0) + 7.0
    }
}
