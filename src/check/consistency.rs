//! The consistency check: the objective's value with `f64` against its real part with
//! every dual type the crate uses.
//!
//! An objective written once for every [`Scalar`](crate::Scalar) should compute the same
//! value whatever the number type, because dual numbers carry the `f64` computation in
//! their real part. Code whose path depends on the type (a branch on `size_of::<S>()`, a
//! cheaper approximation for plain floats, a comparison on a derivative part) breaks that,
//! and then the gradient is the gradient of some other function.

use super::finite_diff::check_theta;
use super::table::{Table, long, short};
use crate::autodiff::value_and_gradient;
use crate::error::Result;
use crate::objective::Objective;
use num_dual::{Dual2_64, Dual64, DualSVec64, HyperDualSVec64};
use std::fmt;

/// Default tolerance of [`check_consistency`], in units in the last place.
///
/// num-dual 0.15 computes every real part with the same `f64` operations as plain `f64`
/// code, so the built-in objectives agree exactly. The margin admits reordered sums in
/// user code.
pub const DEFAULT_MAX_ULPS: u64 = 4;

/// One number type's value.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeValue {
    /// The number type, as num-dual names it.
    pub number_type: &'static str,
    /// Its real part of f(θ).
    pub value: f64,
    /// |value − f64 value|.
    pub difference: f64,
    /// Distance to the `f64` value in units in the last place; `u64::MAX` when exactly one
    /// of them is NaN.
    pub ulps: u64,
    /// Whether `ulps` is within the report's tolerance.
    pub consistent: bool,
}

/// The result of [`check_consistency`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConsistencyReport {
    /// f(θ) evaluated with `f64`, the reference.
    pub reference: f64,
    /// The tolerance in units in the last place.
    pub max_ulps: u64,
    /// One row per number type, plus the objective's own value-and-gradient method.
    pub values: Vec<TypeValue>,
}

impl ConsistencyReport {
    /// Returns whether every number type reproduced the `f64` value within the tolerance.
    pub fn is_consistent(&self) -> bool {
        self.values.iter().all(|v| v.consistent)
    }
}

/// Evaluates `objective` at `theta` with `f64` and with each dual type the crate uses,
/// and compares the real parts, with tolerance [`DEFAULT_MAX_ULPS`].
///
/// The types are those of the crate's derivative routines: the objective's own
/// [`Objective::value_and_gradient`], `Dual64` and `Dual2_64` (directional derivatives),
/// `DualSVec64<N>` for N = 1, 2, 4, 8 (gradients, NaN attribution) and
/// `HyperDualSVec64<N, N>` for N = 1, 2, 4 (Hessians). Each dual is seeded as in the first
/// pass of its routine, so code that branches on derivative parts is exercised too.
///
/// # Errors
///
/// [`Error::DimensionMismatch`](crate::Error::DimensionMismatch) for a wrong `theta`
/// length and [`Error::NonFinite`](crate::Error::NonFinite) for a NaN or infinite entry.
pub fn check_consistency<O: Objective>(objective: &O, theta: &[f64]) -> Result<ConsistencyReport> {
    check_consistency_within(objective, theta, DEFAULT_MAX_ULPS)
}

/// [`check_consistency`] with a tolerance of `max_ulps` units in the last place.
///
/// # Errors
///
/// As [`check_consistency`].
pub fn check_consistency_within<O: Objective>(
    objective: &O,
    theta: &[f64],
    max_ulps: u64,
) -> Result<ConsistencyReport> {
    check_theta(objective, theta)?;
    let reference = objective.eval(theta);
    let (own, _) = value_and_gradient(objective, theta)?;

    let dual: Vec<Dual64> = theta.iter().map(|&t| Dual64::new(t, 1.0)).collect();
    let dual2: Vec<Dual2_64> = theta.iter().map(|&t| Dual2_64::new(t, 1.0, 0.0)).collect();

    let raw = [
        ("value_and_gradient", own),
        ("Dual64", objective.eval(&dual).re),
        ("Dual2_64", objective.eval(&dual2).re),
        ("DualSVec64<1>", vector_value::<O, 1>(objective, theta)),
        ("DualSVec64<2>", vector_value::<O, 2>(objective, theta)),
        ("DualSVec64<4>", vector_value::<O, 4>(objective, theta)),
        ("DualSVec64<8>", vector_value::<O, 8>(objective, theta)),
        (
            "HyperDualSVec64<1, 1>",
            hyper_value::<O, 1>(objective, theta),
        ),
        (
            "HyperDualSVec64<2, 2>",
            hyper_value::<O, 2>(objective, theta),
        ),
        (
            "HyperDualSVec64<4, 4>",
            hyper_value::<O, 4>(objective, theta),
        ),
    ];
    let values = raw
        .into_iter()
        .map(|(number_type, value)| {
            let ulps = ulp_distance(value, reference);
            TypeValue {
                number_type,
                value,
                difference: (value - reference).abs(),
                ulps,
                consistent: ulps <= max_ulps,
            }
        })
        .collect();
    Ok(ConsistencyReport {
        reference,
        max_ulps,
        values,
    })
}

/// Real part with the first N coordinates seeded, as in the first gradient pass.
fn vector_value<O: Objective, const N: usize>(objective: &O, theta: &[f64]) -> f64 {
    let x: Vec<DualSVec64<N>> = theta
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let x = DualSVec64::from_re(t);
            if i < N { x.derivative(i) } else { x }
        })
        .collect();
    objective.eval(&x).re
}

/// Real part with the first N coordinates seeded in both directions, as in the first
/// Hessian block.
fn hyper_value<O: Objective, const N: usize>(objective: &O, theta: &[f64]) -> f64 {
    let x: Vec<HyperDualSVec64<N, N>> = theta
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let x = HyperDualSVec64::from_re(t);
            if i < N {
                x.derivative1(i).derivative2(i)
            } else {
                x
            }
        })
        .collect();
    objective.eval(&x).re
}

/// Number of representable doubles between `a` and `b`: 0 for equal values (and for two
/// NaNs), `u64::MAX` when exactly one is NaN.
fn ulp_distance(a: f64, b: f64) -> u64 {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => return 0,
        (true, false) | (false, true) => return u64::MAX,
        _ => {}
    }
    // Map the sign-magnitude bit patterns onto a monotone integer line, so that
    // neighbouring doubles differ by 1 and −0 and +0 coincide.
    let ordered = |x: f64| {
        let bits = x.to_bits() as i64;
        if bits < 0 {
            i128::from(i64::MIN) - i128::from(bits)
        } else {
            i128::from(bits)
        }
    };
    let distance = (ordered(a) - ordered(b)).unsigned_abs();
    u64::try_from(distance).unwrap_or(u64::MAX)
}

impl fmt::Display for ConsistencyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "consistency check: f64 value {}, tolerance {} ulps",
            long(self.reference),
            self.max_ulps
        )?;
        let mut table = Table::new(&["number type", "real part", "difference", "ulps", "verdict"]);
        for v in &self.values {
            table.row(vec![
                v.number_type.to_owned(),
                long(v.value),
                short(v.difference),
                if v.ulps == u64::MAX {
                    "NaN".to_owned()
                } else {
                    v.ulps.to_string()
                },
                if v.consistent { "same" } else { "DIFFERENT" }.to_owned(),
            ]);
        }
        write!(f, "{table}")?;
        let bad: Vec<&str> = self
            .values
            .iter()
            .filter(|v| !v.consistent)
            .map(|v| v.number_type)
            .collect();
        if bad.is_empty() {
            writeln!(f, "every number type computes the same value")
        } else {
            writeln!(
                f,
                "the value depends on the number type ({}): the code takes a different path \
                 for dual numbers, so its derivatives belong to another function",
                bad.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ulp_distance;

    #[test]
    fn ulp_distance_counts_neighbours() {
        assert_eq!(ulp_distance(1.0, 1.0), 0);
        assert_eq!(ulp_distance(1.0, 1.0 + f64::EPSILON), 1);
        assert_eq!(ulp_distance(0.0, -0.0), 0);
        // The two smallest subnormals of opposite sign are two steps apart through zero.
        let tiny = f64::from_bits(1);
        assert_eq!(ulp_distance(tiny, -tiny), 2);
        assert_eq!(ulp_distance(f64::NAN, 1.0), u64::MAX);
        assert_eq!(ulp_distance(f64::NAN, f64::NAN), 0);
    }
}
