//! The Hessian check: the hyper-dual Hessian against finite differences of the exact
//! gradient, with the symmetry residual.

use super::finite_diff::{FiniteDifference, Scheme, check_theta};
use super::gradient_check::GradientCheck;
use super::gradient_report::{Counts, max_finite};
use super::line::gradient_line;
use super::richardson::{Grid, RICHARDSON_LEVELS};
use super::table::{Table, long, short};
use super::verdict::{Evidence, Tolerance, Verdict, judge, relative_error};
use crate::autodiff::hessian;
use crate::error::{Error, Result};
use crate::objective::Objective;
use ndarray::Array2;
use std::fmt;

/// The check of one Hessian entry.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct EntryCheck {
    /// Row i: the gradient entry ∂f/∂θᵢ that was differenced.
    pub row: usize,
    /// Column j: the coordinate θⱼ it was differenced along.
    pub column: usize,
    /// ∂²f/∂θᵢ∂θⱼ from hyper-dual numbers.
    pub dual: f64,
    /// The finite-difference estimate.
    pub estimate: f64,
    /// |dual − estimate|.
    pub abs_error: f64,
    /// |dual − estimate| / max(|dual|, |estimate|), 0 when both are 0.
    pub rel_error: f64,
    /// The step actually used along θⱼ.
    pub step: f64,
    /// The estimate's error bound.
    pub fd_error: f64,
    /// The allowance τ, relative to the largest |entry| of the dual Hessian.
    pub allowance: f64,
    /// The outcome; [`Verdict::NonDifferentiable`] here means the Hessian entry jumps.
    pub verdict: Verdict,
}

/// The result of [`check_hessian`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HessianReport {
    /// The finite-difference scheme.
    pub scheme: Scheme,
    /// The tolerance the verdicts used.
    pub tolerance: Tolerance,
    /// f(θ), evaluated with `f64`.
    pub value: f64,
    /// The Hessian from hyper-dual numbers, symmetric by construction.
    pub dual: Array2<f64>,
    /// The finite-difference Hessian, not symmetrized.
    pub estimate: Array2<f64>,
    /// One check per entry, row by row.
    pub entries: Vec<EntryCheck>,
    /// max over i < j of |Ĥᵢⱼ − Ĥⱼᵢ| for the finite-difference Hessian Ĥ.
    pub symmetry_residual: f64,
    /// Whether every |Ĥᵢⱼ − Ĥⱼᵢ| is within the two entries' error bounds plus τᵢⱼ. False
    /// means the exact gradient is not the gradient of any smooth function near θ.
    pub symmetric: bool,
}

impl HessianReport {
    /// Returns whether every entry passed or jumps and the estimate is symmetric within its
    /// error.
    pub fn is_ok(&self) -> bool {
        self.symmetric && self.entries.iter().all(|e| e.verdict.is_acceptable())
    }

    /// Counts the entries with each verdict.
    pub fn counts(&self) -> Counts {
        Counts::of(self.entries.iter().map(|e| &e.verdict))
    }

    /// Largest absolute error, ignoring NaN.
    pub fn max_abs_error(&self) -> f64 {
        max_finite(self.entries.iter().map(|e| e.abs_error))
    }

    /// Largest relative error, ignoring NaN.
    pub fn max_rel_error(&self) -> f64 {
        max_finite(self.entries.iter().map(|e| e.rel_error))
    }

    /// Returns the entry with the largest |dual − estimate| / (τ + b), failures first.
    pub fn worst(&self) -> Option<&EntryCheck> {
        let excess = |e: &EntryCheck| {
            let ratio = e.abs_error / (e.allowance + e.fd_error);
            let failed = matches!(e.verdict, Verdict::Fail | Verdict::Nan);
            (failed, if ratio.is_nan() { f64::INFINITY } else { ratio })
        };
        self.entries.iter().max_by(|a, b| {
            let (fa, ra) = excess(a);
            let (fb, rb) = excess(b);
            fa.cmp(&fb).then(ra.total_cmp(&rb))
        })
    }
}

impl GradientCheck {
    /// Checks the exact Hessian of `objective` at `theta` entry by entry.
    ///
    /// Column j of the estimate is this check's finite-difference derivative of the exact
    /// gradient ∇f(θ + t·eⱼ) at t = 0, so each entry costs no evaluations beyond the
    /// gradients. Verdicts follow [`run`](GradientCheck::run), except that only jumps of
    /// the entry itself (kinks of the gradient) count as non-differentiable. τ uses the
    /// largest |entry| of the dual Hessian as its floor.
    ///
    /// # Errors
    ///
    /// As [`run`](GradientCheck::run).
    pub fn run_hessian<O: Objective>(&self, objective: &O, theta: &[f64]) -> Result<HessianReport> {
        check_theta(objective, theta)?;
        let value = objective.eval(theta);
        if !value.is_finite() {
            return Err(Error::NonFiniteObjective {
                value,
                theta: theta.to_vec(),
            });
        }
        let (_, gradient, dual) = hessian(objective, theta)?;
        let gradient_scale = max_finite(gradient.iter().map(|g| g.abs()));
        let d = theta.len();
        let floor = max_finite(dual.iter().map(|h| h.abs()));
        let tolerance = self.tolerance_used();
        let fd = self.finite_difference();

        let mut estimate = Array2::zeros((d, d));
        let mut errors = Array2::zeros((d, d));
        let mut allowances = Array2::zeros((d, d));
        let mut entries = Vec::with_capacity(d * d);
        let mut point = theta.to_vec();
        for j in 0..d {
            let x = theta[j];
            let mut line = gradient_line(objective, &mut point, j)?;
            let grid_step = FiniteDifference::richardson().nominal_step(x);
            let shares_grid = fd.scheme() == Scheme::Richardson && fd.nominal_step(x) == grid_step;
            let detect = self.detects_kinks();
            let grid = if detect || shares_grid {
                Some(Grid::sample(&mut line, grid_step, RICHARDSON_LEVELS)?)
            } else {
                None
            };
            let column = match &grid {
                Some(grid) if shares_grid => (0..d).map(|i| grid.central(i)).collect(),
                _ => fd.estimate_line(&mut line)?,
            };

            for (i, found) in column.iter().enumerate() {
                let sides = grid.as_ref().filter(|_| detect).map(|g| g.sides(i));
                let noise = line.noise(i, gradient_scale)?;
                let evidence = Evidence {
                    exact: dual[(i, j)],
                    estimate: *found,
                    sides: sides.as_ref(),
                    second_order: false,
                    x,
                    floor,
                    rounding_floor: fd.rounding_floor(noise, x),
                };
                let (verdict, allowance) = judge(&evidence, &tolerance);
                estimate[(i, j)] = found.value;
                errors[(i, j)] = found.error;
                allowances[(i, j)] = allowance;
                entries.push(EntryCheck {
                    row: i,
                    column: j,
                    dual: dual[(i, j)],
                    estimate: found.value,
                    abs_error: (dual[(i, j)] - found.value).abs(),
                    rel_error: relative_error(dual[(i, j)], found.value),
                    step: found.step,
                    fd_error: found.error,
                    allowance,
                    verdict,
                });
            }
        }
        entries.sort_by_key(|e| (e.row, e.column));

        let mut symmetry_residual: f64 = 0.0;
        let mut symmetric = true;
        for i in 0..d {
            for j in (i + 1)..d {
                let gap = (estimate[(i, j)] - estimate[(j, i)]).abs();
                symmetry_residual = symmetry_residual.max(gap);
                let bound = errors[(i, j)] + errors[(j, i)] + allowances[(i, j)];
                // NaN gaps count as asymmetric: `gap <= bound` is false for them.
                symmetric &= gap <= bound;
            }
        }

        Ok(HessianReport {
            scheme: fd.scheme(),
            tolerance,
            value,
            dual,
            estimate,
            entries,
            symmetry_residual,
            symmetric,
        })
    }
}

/// Checks the exact Hessian of `objective` at `theta` against finite differences of the
/// exact gradient, with the scheme's default tolerance and kink detection.
///
/// See [`GradientCheck::run_hessian`].
///
/// # Errors
///
/// As [`GradientCheck::run`].
pub fn check_hessian<O: Objective>(
    objective: &O,
    theta: &[f64],
    finite_difference: FiniteDifference,
) -> Result<HessianReport> {
    GradientCheck::new(finite_difference).run_hessian(objective, theta)
}

impl fmt::Display for HessianReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Hessian check: {} differences of the exact gradient, f(θ) = {}, tolerance {}",
            self.scheme.name(),
            self.value,
            self.tolerance
        )?;
        let mut table = Table::new(&[
            "i",
            "j",
            "dual",
            "finite diff",
            "abs err",
            "rel err",
            "step",
            "fd error",
            "verdict",
        ]);
        for e in &self.entries {
            table.row(vec![
                e.row.to_string(),
                e.column.to_string(),
                long(e.dual),
                long(e.estimate),
                short(e.abs_error),
                short(e.rel_error),
                short(e.step),
                short(e.fd_error),
                e.verdict.to_string(),
            ]);
        }
        write!(f, "{table}")?;
        writeln!(f, "summary: {}", self.counts())?;
        if let Some(worst) = self.worst() {
            writeln!(
                f,
                "worst entry: ({}, {}) ({}, abs err {}, rel err {}); max abs err {}, max rel err {}",
                worst.row,
                worst.column,
                worst.verdict,
                short(worst.abs_error),
                short(worst.rel_error),
                short(self.max_abs_error()),
                short(self.max_rel_error())
            )?;
        }
        writeln!(
            f,
            "symmetry residual of the finite-difference Hessian: {} ({})",
            short(self.symmetry_residual),
            if self.symmetric {
                "within its error bounds"
            } else {
                "BEYOND its error bounds: the gradient is not a gradient field"
            }
        )
    }
}
