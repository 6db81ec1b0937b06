//! The result of a gradient check: per-coordinate entries, counts and the printed table.

use super::finite_diff::Scheme;
use super::nan::NanReport;
use super::table::{Table, long, short};
use super::verdict::{KinkOrder, Tolerance, Verdict};
use std::fmt;

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

/// The result of [`check_gradient`](super::check_gradient): one [`CoordinateCheck`] per
/// entry.
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
