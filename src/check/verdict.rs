//! Verdicts on one derivative: the tolerance, the kink rule and the decision itself.

use super::finite_diff::Estimate;
use super::richardson::Sides;
use crate::error::{Error, Result};
use std::fmt;

/// Tolerance of a check: entry i passes when |exact − estimate| ≤ τᵢ + bᵢ and bᵢ ≤ τᵢ,
/// with bᵢ the finite-difference error bound and
///
/// τᵢ = relative · max(|exactᵢ|, |estimateᵢ|, maxⱼ |exactⱼ|) + absolute + rounding · ρᵢ.
///
/// * The max over j makes a small entry be judged relative to the largest entry of the same
///   gradient (or Hessian).
/// * ρᵢ = k · η / hᵢ is the rounding error that the scheme's default step hᵢ leaves in a
///   difference quotient: k = 2 for forward and backward differences and 1 for central
///   ones and Richardson (which is measured against the central step), and η is the noise
///   bound of one evaluation at θ, the larger of [`NOISE_ULPS`](super::NOISE_ULPS) · ε · F
///   and the measured noise (see [`FiniteDifference`](super::FiniteDifference)), with F =
///   |f(θ)| for a gradient check and maxⱼ |∂f/∂θⱼ| for a Hessian check. No finite
///   difference resolves a derivative more finely than ρᵢ, so demanding more would make
///   every stationary point, where the gradient is 0 and the relative part vanishes,
///   unjudgeable. ρᵢ does not depend on an overridden step, so a step that is too small
///   for θᵢ still shows up as a large bᵢ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Relative part.
    pub relative: f64,
    /// Absolute part, in the units of the derivative.
    pub absolute: f64,
    /// Multiple of the rounding floor ρᵢ; 0 turns the floor off.
    pub rounding: f64,
}

/// Default multiple of the rounding floor ρᵢ in a [`Tolerance`].
pub const DEFAULT_ROUNDING_MULTIPLE: f64 = 10.0;

impl Tolerance {
    /// Builds a tolerance with the given relative and absolute parts and
    /// [`DEFAULT_ROUNDING_MULTIPLE`] times the rounding floor.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] unless both parts are finite and ≥ 0.
    pub fn new(relative: f64, absolute: f64) -> Result<Self> {
        check_part("relative tolerance", relative)?;
        check_part("absolute tolerance", absolute)?;
        Ok(Self {
            relative,
            absolute,
            rounding: DEFAULT_ROUNDING_MULTIPLE,
        })
    }

    /// Replaces the multiple of the rounding floor.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] unless `multiple` is finite and ≥ 0.
    pub fn with_rounding(self, multiple: f64) -> Result<Self> {
        check_part("rounding multiple", multiple)?;
        Ok(Self {
            rounding: multiple,
            ..self
        })
    }

    /// τ for an exact value and an estimate, with `floor` the largest exact entry and
    /// `rounding_floor` the ρ of this entry.
    pub(crate) fn allowance(
        &self,
        exact: f64,
        estimate: f64,
        floor: f64,
        rounding_floor: f64,
    ) -> f64 {
        let estimate = if estimate.is_finite() { estimate } else { 0.0 };
        self.relative * exact.abs().max(estimate.abs()).max(floor)
            + self.absolute
            + self.rounding * rounding_floor
    }
}

fn check_part(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            expected: "must be finite and >= 0",
        })
    }
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "relative {:e}, absolute ", self.relative)?;
        if self.absolute == 0.0 {
            write!(f, "0")?;
        } else {
            write!(f, "{:e}", self.absolute)?;
        }
        write!(f, ", {} × rounding floor", self.rounding)
    }
}

/// The outcome for one derivative entry.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Verdict {
    /// Exact value and estimate agree within the tolerance and the estimate's error bound.
    Pass,
    /// They disagree by more than the tolerance plus the estimate's error bound.
    Fail,
    /// The one-sided estimates on the two sides of θᵢ disagree beyond their error bars: θᵢ
    /// is a kink or a breakpoint of the curvature, not a place for a two-sided comparison.
    NonDifferentiable(Kink),
    /// The finite-difference estimate's own error bound exceeds the tolerance, so it can
    /// neither confirm nor refute the exact value.
    Unreliable,
    /// The exact (dual-number) entry is NaN.
    Nan,
}

impl Verdict {
    /// Returns whether the verdict leaves nothing to fix: [`Pass`](Verdict::Pass) or
    /// [`NonDifferentiable`](Verdict::NonDifferentiable).
    pub fn is_acceptable(&self) -> bool {
        matches!(self, Verdict::Pass | Verdict::NonDifferentiable(_))
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "FAIL",
            Verdict::NonDifferentiable(k) => match k.order {
                KinkOrder::First => "kink",
                KinkOrder::Second => "curvature jump",
            },
            Verdict::Unreliable => "FD unreliable",
            Verdict::Nan => "NaN",
        };
        f.pad(text)
    }
}

/// The order of the derivative that jumps at a non-differentiable point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KinkOrder {
    /// The slope jumps: f is continuous but not differentiable here, as |x| at 0.
    First,
    /// The slope is continuous but the second derivative jumps, as for Huber's loss at
    /// |r| = δ: f is differentiable once but not twice here.
    Second,
}

/// The one-sided limits found at a non-differentiable point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kink {
    /// The derivative that jumps.
    pub order: KinkOrder,
    /// Limit from the left of that derivative (slope or second derivative).
    pub left: f64,
    /// Limit from the right.
    pub right: f64,
    /// Error bound of `left`.
    pub left_error: f64,
    /// Error bound of `right`.
    pub right_error: f64,
    /// Whether the exact value lies between the one-sided slopes, within their error bars:
    /// true for a subgradient of a convex kink, and for any value at a curvature jump
    /// where both slopes agree with it.
    pub exact_between: bool,
}

/// Everything needed to judge one entry.
pub(crate) struct Evidence<'a> {
    pub(crate) exact: f64,
    pub(crate) estimate: Estimate,
    pub(crate) sides: Option<&'a Sides>,
    /// Whether a jump of the second derivative counts as non-differentiable.
    pub(crate) second_order: bool,
    /// The coordinate value, for scaling curvature tolerances.
    pub(crate) x: f64,
    /// Largest exact entry, the floor of the relative tolerance.
    pub(crate) floor: f64,
    /// ρ of this entry, see [`Tolerance`].
    pub(crate) rounding_floor: f64,
}

/// Judges one entry and returns the verdict with the allowance τ it used.
pub(crate) fn judge(evidence: &Evidence<'_>, tolerance: &Tolerance) -> (Verdict, f64) {
    let Evidence {
        exact, estimate, ..
    } = *evidence;
    let tau = tolerance.allowance(
        exact,
        estimate.value,
        evidence.floor,
        evidence.rounding_floor,
    );
    if exact.is_nan() {
        return (Verdict::Nan, tau);
    }
    if let Some(sides) = evidence.sides
        && let Some(kink) = find_kink(evidence, sides, tolerance, tau)
    {
        return (kink, tau);
    }
    if !estimate.error.is_finite() {
        return (Verdict::Unreliable, tau);
    }

    let difference = (exact - estimate.value).abs();
    if difference > tau + estimate.error {
        // A kink just beside θᵢ, inside the step, spoils a two-sided quotient while the
        // one-sided limit on the far side stays clean. When such a clean limit confirms the
        // exact value, the finite differences contradict each other, and the honest
        // verdict is that they cannot judge.
        let confirmed = evidence.sides.is_some_and(|s| {
            [s.left, s.right]
                .iter()
                .any(|e| e.error <= tau && (exact - e.value).abs() <= tau + e.error)
        });
        let verdict = if confirmed {
            Verdict::Unreliable
        } else {
            Verdict::Fail
        };
        return (verdict, tau);
    }
    if estimate.error > tau {
        return (Verdict::Unreliable, tau);
    }
    (Verdict::Pass, tau)
}

/// Applies the kink rule: the jump J between the right and left limits of a derivative,
/// extrapolated on its own, exceeds twice its error bound plus the allowance, and persists
/// at the finest step where rounding leaves it measurable.
///
/// The slope is tested first with allowance τ. The second derivative is tested only when
/// the slope does not jump, with allowance τ₂ = relative · (max(|S₋|, |S₊|) +
/// τ / max(|x|, 1)) + absolute / max(|x|, 1), so a curvature jump counts only where f is
/// once differentiable; then the exact value must match the common slope, or the verdict
/// is Fail.
fn find_kink(
    evidence: &Evidence<'_>,
    sides: &Sides,
    tolerance: &Tolerance,
    tau: f64,
) -> Option<Verdict> {
    let exact = evidence.exact;
    let (left, right) = (sides.left, sides.right);
    let slope_bars = left.error + right.error;
    let between = |lo: f64, hi: f64| {
        let (lo, hi) = (lo.min(hi), lo.max(hi));
        exact >= lo - slope_bars - tau && exact <= hi + slope_bars + tau
    };

    let jump = sides.slope_jump;
    if jump.persists && jump.size.value.abs() > 2.0 * jump.size.error + tau {
        return Some(Verdict::NonDifferentiable(Kink {
            order: KinkOrder::First,
            left: left.value,
            right: right.value,
            left_error: left.error,
            right_error: right.error,
            exact_between: between(left.value, right.value),
        }));
    }

    if !evidence.second_order {
        return None;
    }
    let (lc, rc) = (sides.left_curvature, sides.right_curvature);
    let scale = evidence.x.abs().max(1.0);
    let tau2 = tolerance.relative * (lc.value.abs().max(rc.value.abs()) + tau / scale)
        + tolerance.absolute / scale;
    let jump = sides.curvature_jump;
    if !(jump.persists && jump.size.value.abs() > 2.0 * jump.size.error + tau2) {
        return None;
    }
    let common_slope = 0.5 * (left.value + right.value);
    if (exact - common_slope).abs() > tau + slope_bars {
        return Some(Verdict::Fail);
    }
    Some(Verdict::NonDifferentiable(Kink {
        order: KinkOrder::Second,
        left: lc.value,
        right: rc.value,
        left_error: lc.error,
        right_error: rc.error,
        exact_between: true,
    }))
}

/// Relative error |a − b| / max(|a|, |b|), 0 when both are 0 and NaN when either is NaN.
pub(crate) fn relative_error(a: f64, b: f64) -> f64 {
    let denominator = a.abs().max(b.abs());
    if denominator == 0.0 {
        0.0
    } else {
        (a - b).abs() / denominator
    }
}
