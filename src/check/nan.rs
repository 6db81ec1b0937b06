//! NaN attribution: which gradient entries are really NaN, and why.
//!
//! Forward mode computes several partial derivatives in one pass. One NaN partial, such
//! as d√x/dx at x = 0 (num-dual forms it as 0 · ∞), then spreads to every entry of that
//! pass through products like 0 · NaN. Recomputing each bad entry in a pass of its own
//! separates the entries that are NaN from those that were only caught in the spread.

use super::finite_diff::check_theta;
use super::table::{Table, long};
use crate::autodiff::value_and_gradient;
use crate::error::Result;
use crate::objective::Objective;
use num_dual::DualSVec64;
use std::fmt;

/// The part that went NaN for one gradient entry when it was recomputed on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NanCause {
    /// The objective's value itself is NaN, so no derivative can be formed.
    Value,
    /// The value is finite but the derivative is NaN (for example √x at 0).
    Derivative,
}

/// One gradient entry that is NaN even when computed in a pass of its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NanEntry {
    /// Index of the entry.
    pub index: usize,
    /// The part that went NaN.
    pub cause: NanCause,
    /// The objective's value in the single-coordinate pass.
    pub value: f64,
}

/// The gradient with its NaN entries recomputed one coordinate at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct NanReport {
    /// The objective's value at θ from the objective's own gradient computation.
    pub value: f64,
    /// The gradient as the objective's own gradient computation returned it.
    pub dual_gradient: Vec<f64>,
    /// The gradient with every NaN entry replaced by its single-coordinate recomputation:
    /// finite where the NaN had spread from another entry, NaN where it is real.
    pub gradient: Vec<f64>,
    /// Entries that were NaN but came out finite when recomputed on their own.
    pub recovered: Vec<usize>,
    /// Entries that stay NaN, with the cause.
    pub flagged: Vec<NanEntry>,
}

impl NanReport {
    /// Returns whether any entry stays NaN.
    pub fn has_nan(&self) -> bool {
        !self.flagged.is_empty()
    }
}

/// Computes the exact gradient and recomputes each NaN entry in a pass of its own.
///
/// Entry i is recomputed by evaluating the objective with a one-direction dual number
/// (num-dual's `DualSVec64<1>`) seeded on θᵢ alone. The other inputs carry no derivative
/// part at all (num-dual stores it as `None`), so a NaN partial with respect to another
/// coordinate cannot reach entry i. The scalar `Dual64` would not do: it stores an explicit
/// zero for unseeded inputs, and 0 · NaN is NaN.
///
/// For f(x) = x₀ + √x₁ at (1, 0), the joint pass gives [NaN, NaN]; the recomputation gives
/// entry 0 = 1 and flags entry 1 with [`NanCause::Derivative`].
///
/// Entries that are finite in the joint pass are kept as they are, and so are infinite
/// ones: only NaN is attributed.
///
/// # Errors
///
/// [`Error::DimensionMismatch`](crate::Error::DimensionMismatch) for a wrong `theta`
/// length and [`Error::NonFinite`](crate::Error::NonFinite) for a NaN or infinite entry of
/// `theta`.
pub fn attribute_nan<O: Objective>(objective: &O, theta: &[f64]) -> Result<NanReport> {
    check_theta(objective, theta)?;
    let (value, dual_gradient) = value_and_gradient(objective, theta)?;
    let mut gradient = dual_gradient.clone();
    let mut recovered = Vec::new();
    let mut flagged = Vec::new();

    let mut x: Vec<DualSVec64<1>> = theta.iter().map(|&t| DualSVec64::from_re(t)).collect();
    for index in (0..theta.len()).filter(|&i| dual_gradient[i].is_nan()) {
        x[index] = DualSVec64::from_re(theta[index]).derivative(0);
        let y = objective.eval(&x);
        x[index] = DualSVec64::from_re(theta[index]);

        let derivative = y.eps.0.map_or(0.0, |v| v[0]);
        gradient[index] = derivative;
        if y.re.is_nan() {
            flagged.push(NanEntry {
                index,
                cause: NanCause::Value,
                value: y.re,
            });
        } else if derivative.is_nan() {
            flagged.push(NanEntry {
                index,
                cause: NanCause::Derivative,
                value: y.re,
            });
        } else {
            recovered.push(index);
        }
    }

    Ok(NanReport {
        value,
        dual_gradient,
        gradient,
        recovered,
        flagged,
    })
}

impl fmt::Display for NanReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "NaN attribution, f(θ) = {}", self.value)?;
        let mut table = Table::new(&["i", "joint pass", "own pass", "status"]);
        for (i, (&joint, &own)) in self.dual_gradient.iter().zip(&self.gradient).enumerate() {
            if !joint.is_nan() {
                continue;
            }
            let status = match self.flagged.iter().find(|e| e.index == i) {
                Some(NanEntry {
                    cause: NanCause::Value,
                    ..
                }) => "value is NaN",
                Some(_) => "derivative is NaN",
                None => "recovered",
            };
            table.row(vec![i.to_string(), long(joint), long(own), status.into()]);
        }
        write!(f, "{table}")?;
        write!(
            f,
            "{} of {} entries recovered, {} NaN",
            self.recovered.len(),
            self.gradient.len(),
            self.flagged.len()
        )
    }
}
