//! The per-coordinate gradient check: dual-number gradient against finite differences.

use super::finite_diff::{
    Estimate, FiniteDifference, Grid, RICHARDSON_LEVELS, Scheme, Sides, check_theta,
    coordinate_line,
};
use super::nan::{NanReport, attribute_nan};
use super::table::{Table, long, short};
use super::verdict::{
    DEFAULT_ROUNDING_MULTIPLE, Evidence, KinkOrder, Tolerance, Verdict, judge, relative_error,
};
use crate::autodiff::value_and_gradient;
use crate::error::{Error, Result};
use crate::objective::Objective;
use std::fmt;

/// Settings of a gradient check: the finite-difference scheme, the tolerance and whether
/// to look for kinks.
///
/// ```
/// use dualopt::prelude::*;
///
/// struct Rosenbrock;
/// impl Objective for Rosenbrock {
///     fn dim(&self) -> usize {
///         2
///     }
///     fn eval<S: Scalar>(&self, t: &[S]) -> S {
///         (-t[0] + 1.0).powi(2) + (t[1] - t[0] * t[0]).powi(2) * 100.0
///     }
/// }
///
/// let report = GradientCheck::new(FiniteDifference::richardson()).run(&Rosenbrock, &[-1.2, 1.0])?;
/// assert!(report.is_ok(), "{report}");
/// # Ok::<(), dualopt::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradientCheck {
    finite_difference: FiniteDifference,
    tolerance: Tolerance,
    detect_kinks: bool,
}

impl GradientCheck {
    /// Creates a check with `finite_difference`, its [`default_tolerance`] and kink
    /// detection on.
    pub fn new(finite_difference: FiniteDifference) -> Self {
        Self {
            finite_difference,
            tolerance: default_tolerance(finite_difference.scheme()),
            detect_kinks: true,
        }
    }

    /// Replaces the tolerance.
    #[must_use]
    pub fn tolerance(self, tolerance: Tolerance) -> Self {
        Self { tolerance, ..self }
    }

    /// Turns kink detection on (the default) or off.
    ///
    /// Detection costs 20 extra evaluations per coordinate (10 per side). Without it, a
    /// kink shows up as [`Verdict::Fail`] or [`Verdict::Unreliable`], or even as
    /// [`Verdict::Pass`] when the two sides cancel in a central quotient.
    #[must_use]
    pub fn detect_kinks(self, on: bool) -> Self {
        Self {
            detect_kinks: on,
            ..self
        }
    }

    /// Returns the finite-difference scheme and step rule.
    pub fn finite_difference(&self) -> FiniteDifference {
        self.finite_difference
    }

    /// Returns the tolerance the verdicts use.
    pub fn tolerance_used(&self) -> Tolerance {
        self.tolerance
    }

    /// Returns whether kink detection is on.
    pub fn detects_kinks(&self) -> bool {
        self.detect_kinks
    }

    /// Checks the exact gradient of `objective` at `theta`, coordinate by coordinate.
    ///
    /// The exact gradient is the objective's own [`Objective::value_and_gradient`]; NaN
    /// entries in it are recomputed one coordinate at a time ([`attribute_nan`]). Each
    /// coordinate gets a [`Verdict`] by these rules, in order:
    ///
    /// 1. [`Verdict::Nan`] when the exact entry stays NaN.
    /// 2. [`Verdict::NonDifferentiable`] when the left and right one-sided slope limits
    ///    (Richardson tables of one-sided quotients, steps 2⁻⁷ · max(|θᵢ|, 1) down to
    ///    2⁻¹⁶ · max(|θᵢ|, 1)) differ by more than twice the sum of their error bars plus
    ///    τᵢ. When the slopes agree but the one-sided second derivatives differ in the same
    ///    sense, θᵢ is a breakpoint of the curvature (Huber's loss at |r| = δ), and the
    ///    verdict is also `NonDifferentiable`, with [`KinkOrder::Second`], provided the
    ///    exact entry matches the common slope; otherwise it is [`Verdict::Fail`]. Such
    ///    points are flagged because every two-sided scheme assumes f is smooth across
    ///    θᵢ: there the central quotient's error is O(h) instead of O(h²), Richardson's
    ///    error estimates are invalid, and the Hessian is undefined.
    /// 3. [`Verdict::Unreliable`] when the scheme's estimate has no finite error bound.
    /// 4. [`Verdict::Fail`] when |exact − estimate| > τᵢ + bᵢ, with bᵢ the estimate's error
    ///    bound, unless a one-sided limit with error ≤ τᵢ confirms the exact value (a kink
    ///    inside the step spoiled the two-sided quotient), which gives
    ///    [`Verdict::Unreliable`].
    /// 5. [`Verdict::Unreliable`] when bᵢ > τᵢ: the estimate is too rough to judge at this
    ///    tolerance.
    /// 6. [`Verdict::Pass`] otherwise.
    ///
    /// τᵢ is defined in [`Tolerance`].
    ///
    /// # Errors
    ///
    /// [`Error::DimensionMismatch`] for a wrong `theta` length, [`Error::NonFinite`] for a
    /// NaN or infinite entry of `theta`, and [`Error::NonFiniteObjective`] when f(θ) is not
    /// finite, since no difference quotient can be formed then.
    pub fn run<O: Objective>(&self, objective: &O, theta: &[f64]) -> Result<GradientReport> {
        let exact = ExactGradient::compute(objective, theta)?;
        let floor = exact.floor();
        let mut point = theta.to_vec();
        let mut coordinates = Vec::with_capacity(theta.len());
        for (i, &dual) in exact.gradient.iter().enumerate() {
            let found = self.estimate_coordinate(objective, &mut point, i)?;
            let evidence = Evidence {
                exact: dual,
                estimate: found.estimate,
                sides: found.sides.as_ref(),
                second_order: true,
                x: theta[i],
                floor,
                rounding_floor: found.rounding_floor,
            };
            let (verdict, allowance) = judge(&evidence, &self.tolerance);
            coordinates.push(CoordinateCheck {
                index: i,
                theta: theta[i],
                dual,
                estimate: found.estimate.value,
                abs_error: (dual - found.estimate.value).abs(),
                rel_error: relative_error(dual, found.estimate.value),
                step: found.estimate.step,
                fd_error: found.estimate.error,
                allowance,
                verdict,
            });
        }
        Ok(GradientReport {
            scheme: self.finite_difference.scheme(),
            tolerance: self.tolerance,
            value: exact.value,
            coordinates,
            nan: exact.nan,
        })
    }

    /// Estimates ∂f/∂θᵢ with the scheme and, with kink detection on, the one-sided limits.
    pub(crate) fn estimate_coordinate<O: Objective>(
        &self,
        objective: &O,
        point: &mut [f64],
        i: usize,
    ) -> Result<CoordinateEstimate> {
        let x = point[i];
        let mut line = coordinate_line(objective, point, i)?;
        let grid_step = FiniteDifference::richardson().nominal_step(x);
        let shares_grid = self.finite_difference.scheme() == Scheme::Richardson
            && self.finite_difference.nominal_step(x) == grid_step;

        let grid = if self.detect_kinks || shares_grid {
            Some(Grid::sample(&mut line, grid_step, RICHARDSON_LEVELS)?)
        } else {
            None
        };
        let estimate = match &grid {
            Some(grid) if shares_grid => grid.central(0),
            _ => self.finite_difference.estimate_line(&mut line)?[0],
        };
        let sides = match &grid {
            Some(grid) if self.detect_kinks => Some(grid.sides(0)),
            _ => None,
        };
        let center = line.center[0].abs();
        let noise = line.noise(0, center)?;
        Ok(CoordinateEstimate {
            estimate,
            sides,
            rounding_floor: self.finite_difference.rounding_floor(noise, x),
        })
    }
}

impl From<FiniteDifference> for GradientCheck {
    fn from(finite_difference: FiniteDifference) -> Self {
        Self::new(finite_difference)
    }
}

impl Default for GradientCheck {
    /// Central differences with their default tolerance and kink detection.
    fn default() -> Self {
        Self::new(FiniteDifference::central())
    }
}

/// Default tolerance of each scheme, with no absolute part.
///
/// Relative 10⁻⁴ for forward and backward differences, 10⁻⁵ for central differences and
/// 10⁻⁷ for Richardson extrapolation, with 10 times the rounding floor (see
/// [`Tolerance`]). These leave a margin over the error bounds that each scheme reaches on
/// smooth functions computed with some cancellation, and every one is far below the
/// relative error of a typical bug (a wrong sign, a missing factor).
pub fn default_tolerance(scheme: Scheme) -> Tolerance {
    let relative = match scheme {
        Scheme::Forward | Scheme::Backward => 1e-4,
        Scheme::Central => 1e-5,
        Scheme::Richardson => 1e-7,
    };
    Tolerance {
        relative,
        absolute: 0.0,
        rounding: DEFAULT_ROUNDING_MULTIPLE,
    }
}

/// Checks the exact gradient of `objective` at `theta` against `finite_difference`, with
/// the scheme's default tolerance and kink detection.
///
/// See [`GradientCheck::run`] for the verdict rules.
///
/// # Errors
///
/// As [`GradientCheck::run`].
pub fn check_gradient<O: Objective>(
    objective: &O,
    theta: &[f64],
    finite_difference: FiniteDifference,
) -> Result<GradientReport> {
    GradientCheck::new(finite_difference).run(objective, theta)
}

/// One coordinate's finite-difference evidence.
pub(crate) struct CoordinateEstimate {
    pub(crate) estimate: Estimate,
    pub(crate) sides: Option<Sides>,
    /// ρ of this coordinate, see [`Tolerance`].
    pub(crate) rounding_floor: f64,
}

/// The exact gradient at θ, with NaN entries attributed.
pub(crate) struct ExactGradient {
    pub(crate) value: f64,
    pub(crate) gradient: Vec<f64>,
    pub(crate) nan: Option<NanReport>,
}

impl ExactGradient {
    /// Checks `theta`, evaluates f(θ) with `f64` and computes the exact gradient.
    pub(crate) fn compute<O: Objective>(objective: &O, theta: &[f64]) -> Result<Self> {
        check_theta(objective, theta)?;
        let value = objective.eval(theta);
        if !value.is_finite() {
            return Err(Error::NonFiniteObjective {
                value,
                theta: theta.to_vec(),
            });
        }
        let (_, gradient) = value_and_gradient(objective, theta)?;
        if gradient.iter().any(|g| g.is_nan()) {
            let report = attribute_nan(objective, theta)?;
            return Ok(Self {
                value,
                gradient: report.gradient.clone(),
                nan: Some(report),
            });
        }
        Ok(Self {
            value,
            gradient,
            nan: None,
        })
    }

    /// Largest finite |entry|, the floor of relative tolerances.
    pub(crate) fn floor(&self) -> f64 {
        self.gradient
            .iter()
            .filter(|g| g.is_finite())
            .fold(0.0, |m, g| m.max(g.abs()))
    }
}

/// The check of one gradient entry.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct CoordinateCheck {
    /// Index i of the entry.
    pub index: usize,
    /// θᵢ.
    pub theta: f64,
    /// ∂f/∂θᵢ from dual numbers.
    pub dual: f64,
    /// The finite-difference estimate.
    pub estimate: f64,
    /// |dual − estimate|.
    pub abs_error: f64,
    /// |dual − estimate| / max(|dual|, |estimate|), 0 when both are 0.
    pub rel_error: f64,
    /// The step actually used, (θᵢ + h) − θᵢ in f64.
    pub step: f64,
    /// The estimate's error bound bᵢ.
    pub fd_error: f64,
    /// The allowance τᵢ from the tolerance.
    pub allowance: f64,
    /// The outcome.
    pub verdict: Verdict,
}

impl CoordinateCheck {
    /// |dual − estimate| / (τᵢ + bᵢ): above 1 means beyond what the check allows.
    pub fn excess(&self) -> f64 {
        let ratio = self.abs_error / (self.allowance + self.fd_error);
        if ratio.is_nan() { f64::INFINITY } else { ratio }
    }
}

/// How many coordinates got each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// [`Verdict::Pass`].
    pub pass: usize,
    /// [`Verdict::Fail`].
    pub fail: usize,
    /// [`Verdict::NonDifferentiable`].
    pub non_differentiable: usize,
    /// [`Verdict::Unreliable`].
    pub unreliable: usize,
    /// [`Verdict::Nan`].
    pub nan: usize,
}

impl Counts {
    pub(crate) fn of<'a>(verdicts: impl Iterator<Item = &'a Verdict>) -> Self {
        let mut counts = Self::default();
        for v in verdicts {
            match v {
                Verdict::Pass => counts.pass += 1,
                Verdict::Fail => counts.fail += 1,
                Verdict::NonDifferentiable(_) => counts.non_differentiable += 1,
                Verdict::Unreliable => counts.unreliable += 1,
                Verdict::Nan => counts.nan += 1,
            }
        }
        counts
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} pass, {} fail, {} non-differentiable, {} FD unreliable, {} NaN",
            self.pass, self.fail, self.non_differentiable, self.unreliable, self.nan
        )
    }
}

/// The result of [`check_gradient`]: one [`CoordinateCheck`] per entry.
///
/// Its `Display` output is an aligned table, a summary and one note per coordinate that
/// did not pass.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GradientReport {
    /// The finite-difference scheme.
    pub scheme: Scheme,
    /// The tolerance the verdicts used.
    pub tolerance: Tolerance,
    /// f(θ), evaluated with `f64`.
    pub value: f64,
    /// One entry per coordinate.
    pub coordinates: Vec<CoordinateCheck>,
    /// The NaN attribution, when the exact gradient had NaN entries.
    pub nan: Option<NanReport>,
}

impl GradientReport {
    /// Returns whether every coordinate passed or sits at a non-differentiable point.
    pub fn is_ok(&self) -> bool {
        self.coordinates.iter().all(|c| c.verdict.is_acceptable())
    }

    /// Counts the coordinates with each verdict.
    pub fn counts(&self) -> Counts {
        Counts::of(self.coordinates.iter().map(|c| &c.verdict))
    }

    /// Returns the coordinate most in need of attention: the most severe verdict (fail,
    /// NaN, unreliable, non-differentiable, pass, in that order), then the largest
    /// [`excess`](CoordinateCheck::excess).
    pub fn worst(&self) -> Option<&CoordinateCheck> {
        self.coordinates.iter().max_by(|a, b| {
            severity(a)
                .cmp(&severity(b))
                .then(a.excess().total_cmp(&b.excess()))
        })
    }

    /// Largest absolute error, ignoring NaN.
    pub fn max_abs_error(&self) -> f64 {
        max_finite(self.coordinates.iter().map(|c| c.abs_error))
    }

    /// Largest relative error, ignoring NaN.
    pub fn max_rel_error(&self) -> f64 {
        max_finite(self.coordinates.iter().map(|c| c.rel_error))
    }
}

fn severity(c: &CoordinateCheck) -> u8 {
    match c.verdict {
        Verdict::Pass => 0,
        Verdict::NonDifferentiable(_) => 1,
        Verdict::Unreliable => 2,
        Verdict::Nan => 3,
        Verdict::Fail => 4,
    }
}

pub(crate) fn max_finite(values: impl Iterator<Item = f64>) -> f64 {
    values.filter(|v| !v.is_nan()).fold(0.0, f64::max)
}

impl fmt::Display for GradientReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "gradient check: {} differences, f(θ) = {}, tolerance {}",
            self.scheme.name(),
            self.value,
            self.tolerance
        )?;
        let mut table = Table::new(&[
            "i",
            "theta",
            "dual",
            "finite diff",
            "abs err",
            "rel err",
            "step",
            "fd error",
            "verdict",
        ]);
        for c in &self.coordinates {
            table.row(vec![
                c.index.to_string(),
                short(c.theta),
                long(c.dual),
                long(c.estimate),
                short(c.abs_error),
                short(c.rel_error),
                short(c.step),
                short(c.fd_error),
                c.verdict.to_string(),
            ]);
        }
        write!(f, "{table}")?;
        writeln!(f, "summary: {}", self.counts())?;
        if let Some(worst) = self.worst() {
            writeln!(
                f,
                "worst coordinate: {} ({}, abs err {}, rel err {}); max abs err {}, max rel err {}",
                worst.index,
                worst.verdict,
                short(worst.abs_error),
                short(worst.rel_error),
                short(self.max_abs_error()),
                short(self.max_rel_error())
            )?;
        }
        for c in &self.coordinates {
            write_note(f, c)?;
        }
        if let Some(nan) = &self.nan {
            writeln!(f, "{nan}")?;
        }
        Ok(())
    }
}

/// Writes one line that explains a verdict other than pass.
fn write_note(f: &mut fmt::Formatter<'_>, c: &CoordinateCheck) -> fmt::Result {
    let i = c.index;
    match c.verdict {
        Verdict::Pass => Ok(()),
        Verdict::Fail => writeln!(
            f,
            "coordinate {i}: the dual derivative {} differs from the estimate {} by {}, \
             beyond the allowance {} plus the error bound {}",
            c.dual,
            c.estimate,
            short(c.abs_error),
            short(c.allowance),
            short(c.fd_error)
        ),
        Verdict::Unreliable if c.fd_error.is_finite() => writeln!(
            f,
            "coordinate {i}: finite differences cannot judge: their error bound {} exceeds \
             the allowance {}; use a relative step or another scheme",
            short(c.fd_error),
            short(c.allowance)
        ),
        Verdict::Unreliable => writeln!(
            f,
            "coordinate {i}: finite differences cannot judge: no estimate with a finite \
             error bound (step {} at θ = {}; f may be NaN nearby); use a relative step",
            short(c.step),
            c.theta
        ),
        Verdict::NonDifferentiable(k) => match k.order {
            KinkOrder::First => writeln!(
                f,
                "coordinate {i}: kink: slope {} ± {} from the left, {} ± {} from the right; \
                 the dual derivative {} lies {} them",
                k.left,
                short(k.left_error),
                k.right,
                short(k.right_error),
                c.dual,
                if k.exact_between {
                    "between"
                } else {
                    "OUTSIDE"
                }
            ),
            KinkOrder::Second => writeln!(
                f,
                "coordinate {i}: curvature jump: the slope is continuous and matches the dual \
                 derivative, but the second derivative is {} from the left and {} from the right",
                k.left, k.right
            ),
        },
        Verdict::Nan => writeln!(
            f,
            "coordinate {i}: the dual derivative is NaN even when computed alone"
        ),
    }
}
