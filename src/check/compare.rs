//! Three-way comparison of a hand-written gradient, the dual-number gradient and finite
//! differences.

use super::finite_diff::Scheme;
use super::gradient_check::{ExactGradient, GradientCheck};
use super::nan::NanReport;
use super::table::{Table, long, short};
use super::verdict::{Evidence, Kink, Tolerance, Verdict, judge};
use crate::error::{Result, check_len};
use crate::objective::Objective;
use std::fmt;

/// One of the three gradients being compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The user's hand-written gradient.
    Analytic,
    /// The gradient from dual numbers.
    Dual,
    /// The finite-difference estimate.
    FiniteDifference,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Source::Analytic => "analytic",
            Source::Dual => "dual",
            Source::FiniteDifference => "finite diff",
        })
    }
}

/// The relation between the three values of one gradient entry.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Agreement {
    /// All three agree.
    AllAgree,
    /// Two agree and this one disagrees with both.
    OddOneOut(Source),
    /// No pair agrees, or the pairs agree in a chain (a ≈ b, b ≈ c, a ≉ c) that singles
    /// out no value.
    Ambiguous,
    /// The finite-difference estimate is too rough to judge; whether analytic and dual
    /// agree with each other is stated.
    FiniteDifferenceUnreliable {
        /// |analytic − dual| ≤ τ.
        analytic_matches_dual: bool,
    },
    /// θᵢ is a kink or a curvature breakpoint, where the three may legitimately pick
    /// different one-sided values.
    NonDifferentiable(Kink),
}

impl fmt::Display for Agreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Agreement::AllAgree => "all agree".to_owned(),
            Agreement::OddOneOut(source) => format!("{source} is the odd one out"),
            Agreement::Ambiguous => "ambiguous".to_owned(),
            Agreement::FiniteDifferenceUnreliable {
                analytic_matches_dual: true,
            } => "FD unreliable; analytic = dual".to_owned(),
            Agreement::FiniteDifferenceUnreliable {
                analytic_matches_dual: false,
            } => "FD unreliable; analytic ≠ dual".to_owned(),
            Agreement::NonDifferentiable(_) => "non-differentiable".to_owned(),
        };
        f.pad(&text)
    }
}

/// The comparison of one gradient entry.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct CoordinateComparison {
    /// Index i of the entry.
    pub index: usize,
    /// θᵢ.
    pub theta: f64,
    /// The hand-written value.
    pub analytic: f64,
    /// The dual-number value.
    pub dual: f64,
    /// The finite-difference estimate.
    pub estimate: f64,
    /// The estimate's error bound b.
    pub fd_error: f64,
    /// The allowance τ, from the largest of the three values (see [`Tolerance`]).
    pub allowance: f64,
    /// The relation between the three values.
    pub agreement: Agreement,
}

/// The result of [`compare_gradients`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ComparisonReport {
    /// The finite-difference scheme.
    pub scheme: Scheme,
    /// The tolerance used.
    pub tolerance: Tolerance,
    /// f(θ), evaluated with `f64`.
    pub value: f64,
    /// One entry per coordinate.
    pub coordinates: Vec<CoordinateComparison>,
    /// The NaN attribution of the dual gradient, when it had NaN entries.
    pub nan: Option<NanReport>,
}

impl ComparisonReport {
    /// Returns whether every entry agrees three ways or sits at a non-differentiable point.
    pub fn is_ok(&self) -> bool {
        self.coordinates.iter().all(|c| {
            matches!(
                c.agreement,
                Agreement::AllAgree | Agreement::NonDifferentiable(_)
            )
        })
    }

    /// Returns the one source that disagrees with the other two wherever any entry
    /// disagrees.
    ///
    /// `None` when everything agrees, when different entries single out different
    /// sources, or when some disagreement singles out no source.
    pub fn odd_one_out(&self) -> Option<Source> {
        let mut found = None;
        for c in &self.coordinates {
            match c.agreement {
                Agreement::AllAgree | Agreement::NonDifferentiable(_) => {}
                Agreement::OddOneOut(source) if found.is_none_or(|s| s == source) => {
                    found = Some(source);
                }
                _ => return None,
            }
        }
        found
    }
}

impl GradientCheck {
    /// Compares a hand-written gradient with the dual-number gradient and this check's
    /// finite differences, entry by entry, and names the odd one out.
    ///
    /// Let b be the estimate's error bound and τ the allowance computed from the largest of
    /// the three values. Analytic and dual agree when they differ by at most τ, and either
    /// agrees with the estimate when it differs by at most τ + b. An estimate with b > τ
    /// cannot take part, which gives [`Agreement::FiniteDifferenceUnreliable`]. Kinks are
    /// found as in [`run`](GradientCheck::run).
    ///
    /// # Errors
    ///
    /// As [`run`](GradientCheck::run), plus
    /// [`Error::DimensionMismatch`](crate::Error::DimensionMismatch) when `analytic`
    /// returns a vector whose length is not `objective.dim()`.
    pub fn compare<O, F>(
        &self,
        objective: &O,
        theta: &[f64],
        analytic: F,
    ) -> Result<ComparisonReport>
    where
        O: Objective,
        F: Fn(&[f64]) -> Vec<f64>,
    {
        let exact = ExactGradient::compute(objective, theta)?;
        let hand = analytic(theta);
        check_len("analytic gradient", theta.len(), hand.len())?;
        let floor = exact.floor();
        let tolerance = self.tolerance_used();

        let mut point = theta.to_vec();
        let mut coordinates = Vec::with_capacity(theta.len());
        for (i, (&dual, &analytic)) in exact.gradient.iter().zip(&hand).enumerate() {
            let found = self.estimate_coordinate(objective, &mut point, i)?;
            let estimate = found.estimate;
            let rounding_floor = found.rounding_floor;
            let evidence = Evidence {
                exact: dual,
                estimate,
                sides: found.sides.as_ref(),
                second_order: true,
                x: theta[i],
                floor,
                rounding_floor,
            };
            // f64::max skips NaN, so a NaN on one side leaves the other's size.
            let tau = tolerance.allowance(
                dual.abs().max(analytic.abs()),
                estimate.value,
                floor,
                rounding_floor,
            );
            let agreement = match judge(&evidence, &tolerance).0 {
                Verdict::NonDifferentiable(kink) => Agreement::NonDifferentiable(kink),
                _ => three_way(analytic, dual, estimate.value, estimate.error, tau),
            };
            coordinates.push(CoordinateComparison {
                index: i,
                theta: theta[i],
                analytic,
                dual,
                estimate: estimate.value,
                fd_error: estimate.error,
                allowance: tau,
                agreement,
            });
        }
        Ok(ComparisonReport {
            scheme: self.finite_difference().scheme(),
            tolerance,
            value: exact.value,
            coordinates,
            nan: exact.nan,
        })
    }
}

/// Names the odd one out among analytic `a`, dual `g` and estimate `e` ± `b`.
fn three_way(a: f64, g: f64, e: f64, b: f64, tau: f64) -> Agreement {
    // NaN compares false, so a NaN value agrees with nothing.
    let analytic_matches_dual = (a - g).abs() <= tau;
    if !(e.is_finite() && b <= tau) {
        return Agreement::FiniteDifferenceUnreliable {
            analytic_matches_dual,
        };
    }
    let analytic_matches_fd = (a - e).abs() <= tau + b;
    let dual_matches_fd = (g - e).abs() <= tau + b;
    match (analytic_matches_dual, analytic_matches_fd, dual_matches_fd) {
        (true, true, true) => Agreement::AllAgree,
        (false, false, true) => Agreement::OddOneOut(Source::Analytic),
        (false, true, false) => Agreement::OddOneOut(Source::Dual),
        (true, false, false) => Agreement::OddOneOut(Source::FiniteDifference),
        _ => Agreement::Ambiguous,
    }
}

/// Compares a hand-written gradient with the dual-number gradient and central finite
/// differences, entry by entry, naming which of the three disagrees with the other two.
///
/// `analytic` maps θ to the hand-written gradient. See [`GradientCheck::compare`] for the
/// rules; this uses [`GradientCheck::default`].
///
/// ```
/// use dualopt::prelude::*;
///
/// let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2])?;
/// let mse = EmpiricalRisk::new(Constant, SquaredError, &data)?;
/// // A sign error: the textbook's gradient is −2·mean(y − θ).
/// let wrong = |t: &[f64]| vec![2.0 * (14.66 - t[0])];
/// let report = compare_gradients(&mse, &[10.0], wrong)?;
/// assert_eq!(report.odd_one_out(), Some(Source::Analytic));
/// # Ok::<(), dualopt::Error>(())
/// ```
///
/// # Errors
///
/// As [`GradientCheck::compare`].
pub fn compare_gradients<O, F>(
    objective: &O,
    theta: &[f64],
    analytic: F,
) -> Result<ComparisonReport>
where
    O: Objective,
    F: Fn(&[f64]) -> Vec<f64>,
{
    GradientCheck::default().compare(objective, theta, analytic)
}

impl fmt::Display for ComparisonReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "gradient comparison: analytic vs dual vs {} differences, f(θ) = {}",
            self.scheme.name(),
            self.value
        )?;
        let mut table = Table::new(&[
            "i",
            "theta",
            "analytic",
            "dual",
            "finite diff",
            "fd error",
            "allowance",
            "agreement",
        ]);
        for c in &self.coordinates {
            table.row(vec![
                c.index.to_string(),
                short(c.theta),
                long(c.analytic),
                long(c.dual),
                long(c.estimate),
                short(c.fd_error),
                short(c.allowance),
                c.agreement.to_string(),
            ]);
        }
        write!(f, "{table}")?;
        let agree = self
            .coordinates
            .iter()
            .filter(|c| c.agreement == Agreement::AllAgree)
            .count();
        write!(
            f,
            "summary: {agree} of {} entries agree three ways; ",
            self.coordinates.len()
        )?;
        match self.odd_one_out() {
            Some(source) => {
                let at: Vec<String> = self
                    .coordinates
                    .iter()
                    .filter(|c| c.agreement == Agreement::OddOneOut(source))
                    .map(|c| c.index.to_string())
                    .collect();
                writeln!(
                    f,
                    "the {source} gradient is the odd one out at coordinate(s) {}",
                    at.join(", ")
                )?;
            }
            None if self.is_ok() => writeln!(f, "no source stands out")?,
            None => writeln!(f, "no single source disagrees everywhere; read the table")?,
        }
        for (label, gap) in [
            ("analytic − dual", Gap::AnalyticDual),
            ("dual − finite diff", Gap::DualEstimate),
            ("analytic − finite diff", Gap::AnalyticEstimate),
        ] {
            if let Some((index, size)) = self.largest_gap(gap) {
                writeln!(f, "max |{label}| = {} at coordinate {index}", short(size))?;
            }
        }
        if let Some(nan) = &self.nan {
            writeln!(f, "{nan}")?;
        }
        Ok(())
    }
}

/// A pair of sources whose difference the summary reports.
#[derive(Clone, Copy)]
enum Gap {
    AnalyticDual,
    DualEstimate,
    AnalyticEstimate,
}

impl ComparisonReport {
    /// Returns the coordinate with the largest difference between the pair, ignoring NaN.
    fn largest_gap(&self, gap: Gap) -> Option<(usize, f64)> {
        self.coordinates
            .iter()
            .map(|c| {
                let size = match gap {
                    Gap::AnalyticDual => (c.analytic - c.dual).abs(),
                    Gap::DualEstimate => (c.dual - c.estimate).abs(),
                    Gap::AnalyticEstimate => (c.analytic - c.estimate).abs(),
                };
                (c.index, size)
            })
            .filter(|(_, size)| !size.is_nan())
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}
