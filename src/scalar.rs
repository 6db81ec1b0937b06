//! The scalar type that losses, models and objectives are generic over.
//!
//! A user's loss is written once as `fn loss<S: Scalar>(…) -> S`. The crate calls it with
//! `f64` for values and with num-dual's dual numbers for exact derivatives.
//! Everything [`num_dual::DualNum`] offers (`sqrt`, `exp`, `ln`, `powi`, `powf`, `sin`, …)
//! and [`num_traits::Signed`] (`abs`, `signum`) is available on a `Scalar`, and
//! [`ScalarExt`] adds the helpers that num-dual lacks: [`max`](ScalarExt::max),
//! [`min`](ScalarExt::min), [`sign`](ScalarExt::sign) and [`select`].
//!
//! # Kinks and ties
//!
//! Dual numbers differentiate the branch that the real part selects, so at a kink the
//! derivative is the chosen branch's derivative. The helpers here fix that choice so that
//! it does not depend on the sign of zero:
//!
//! * `sign(x)` is −1, 0 or +1 with `sign(0) = sign(−0) = 0` (numpy's `np.sign`), and its
//!   derivative is 0 everywhere. So `x * x.sign()` is |x| with the subgradient 0 at x = 0.
//! * `a.max(b)` returns `a` when `a.re() >= b.re()`, so a tie takes the derivative of `a`;
//!   `a.min(b)` returns `a` when `a.re() <= b.re()`. A NaN real part in either argument is
//!   returned as is, so a NaN is never hidden.
//!
//! `Signed::abs` from num-dual 0.15 returns `x` when the real part's sign bit is clear and
//! `-x` otherwise, so its derivative at 0 is +1 at +0.0 and −1 at −0.0. The built-in
//! losses use [`abs_symmetric`](ScalarExt::abs_symmetric) instead, whose derivative at ±0 is 0.

use num_dual::DualNum;

/// A real number or a dual number over `f64`: the type every loss and model is generic over.
///
/// Implemented for every `Copy` type that implements [`DualNum`] with `f64` as its
/// primitive: `f64`, `Dual64`, `DualSVec64<N>`, `HyperDual64`, `Dual2_64`, `HyperDualSVec64`,
/// and nested duals. Dynamically sized duals are not `Copy` and are deliberately excluded,
/// because they allocate on every arithmetic operation.
pub trait Scalar: DualNum<Primitive = f64> + Copy + Send + Sync {}

impl<T> Scalar for T where T: DualNum<Primitive = f64> + Copy + Send + Sync {}

/// Helpers for generic scalars that num-dual does not provide.
///
/// Bring it into scope with `use dualopt::prelude::*;`. On a concrete `f64`, Rust's inherent
/// `f64::max` and `f64::min` take precedence; they differ only in how they treat NaN.
pub trait ScalarExt: Scalar {
    /// Returns the larger of `self` and `other`, compared by real part.
    ///
    /// A tie returns `self`, so the derivative at a tie is that of `self`. A NaN real part in
    /// `self` or `other` is returned unchanged.
    #[inline]
    fn max(self, other: Self) -> Self {
        let (a, b) = (self.re(), other.re());
        if a.is_nan() || a >= b { self } else { other }
    }

    /// Returns the smaller of `self` and `other`, compared by real part.
    ///
    /// A tie returns `self`, so the derivative at a tie is that of `self`. A NaN real part in
    /// `self` or `other` is returned unchanged.
    #[inline]
    fn min(self, other: Self) -> Self {
        let (a, b) = (self.re(), other.re());
        if a.is_nan() || a <= b { self } else { other }
    }

    /// Returns −1, 0 or +1 by the sign of the real part, with `sign(±0) = 0`, as a constant.
    ///
    /// The result carries no derivative, so `x * x.sign()` is |x| with derivative
    /// `sign(x)` away from 0 and the subgradient 0 at 0. NaN gives NaN.
    #[inline]
    fn sign(self) -> Self {
        // Comparisons instead of branches: a sign per data row would mispredict often.
        let x = self.re();
        Self::from(std::hint::select_unpredictable(x == 0.0, 0.0, x.signum()))
    }

    /// Returns |x| with the subgradient 0 at x = 0, whatever the sign of zero.
    ///
    /// `Signed::abs` on a dual number has the derivative +1 at +0.0 and −1 at −0.0. This one
    /// scales x by the constant `sign(x)`, giving the derivative sign(x) ∈ {−1, 0, 1}.
    #[inline]
    fn abs_symmetric(self) -> Self {
        self * self.sign().re()
    }

    /// Returns √x, with every derivative set to 0 where x = 0.
    ///
    /// Plain `sqrt` has an infinite slope at 0, so √(x²) or a Euclidean norm at the origin
    /// gets a NaN or infinite derivative. This helper returns the subgradient 0 there
    /// instead; elsewhere it is `sqrt`.
    #[inline]
    fn safe_sqrt(self) -> Self {
        select(self.re() == 0.0, Self::zero(), self.sqrt())
    }

    /// Returns the scalar for the constant `x`, with all derivative parts zero.
    #[inline]
    fn constant(x: f64) -> Self {
        Self::from(x)
    }
}

impl<T: Scalar> ScalarExt for T {}

/// Returns `if_true` when `condition` is true and `if_false` otherwise.
///
/// Use it for piecewise functions: compute the condition from real parts (`r.re().abs() <
/// delta`) and pass both branches. Only the selected branch reaches the result, so a NaN or
/// infinity in the other branch (say `ln(x)` for x ≤ 0) never leaks into the value or the
/// derivative.
///
/// It compiles to a conditional move or a vector blend rather than a jump
/// ([`std::hint::select_unpredictable`]), because a loss's branch depends on the data and
/// a mispredicted jump per row costs more than computing both branches. The selection
/// copies bits, so unlike an arithmetic blend c·a + (1 − c)·b it never turns the unused
/// branch's infinity into NaN.
#[inline]
pub fn select<S: Scalar>(condition: bool, if_true: S, if_false: S) -> S {
    std::hint::select_unpredictable(condition, if_true, if_false)
}

/// Sums `values` in numpy's pairwise order.
///
/// Blocks of at most 128 terms are summed with eight interleaved accumulators. Longer
/// inputs are split in two at a multiple of eight and summed recursively, as
/// `numpy.add.reduce` does for contiguous `float64` arrays (numpy 1.x and 2.x,
/// `pairwise_sum` in `loops_utils.h.src`). The rounding error grows as O(log n) instead of
/// O(n), the eight accumulators vectorize, and results computed with numpy's `np.mean` are
/// reproduced to the last bit.
///
/// With the `parallel` feature, the two halves of a long input are summed on rayon's
/// threads. The split points and the order of every addition stay the same, so the result
/// is bit for bit the serial one, whatever the number of threads.
pub fn pairwise_sum<S: Scalar>(values: &[S]) -> S {
    pairwise_sum_by(values.len(), |i| values[i])
}

/// Sums `term(0), …, term(n − 1)` in numpy's pairwise order without storing the terms.
///
/// See [`pairwise_sum`] for the order and why it is used.
#[inline]
pub fn pairwise_sum_by<S, F>(n: usize, term: F) -> S
where
    S: Scalar,
    F: Fn(usize) -> S + Sync,
{
    pairwise(0, n, &term)
}

/// A value that can be summed pairwise: a scalar, or a scalar with a gradient block.
pub(crate) trait Summand: Copy + Send + std::ops::Add<Output = Self> {
    fn zero() -> Self;

    /// Adds `other` in place; large summands override it to avoid copying themselves.
    #[inline]
    fn accumulate(&mut self, other: Self) {
        *self = *self + other;
    }
}

impl<S: Scalar> Summand for S {
    #[inline]
    fn zero() -> Self {
        S::zero()
    }
}

/// Inputs at least this long are split across threads with the `parallel` feature.
#[cfg(feature = "parallel")]
pub(crate) const PARALLEL_MIN_TERMS: usize = 1 << 15;

/// The maximum number of terms that numpy's pairwise sum adds without splitting.
pub(crate) const PAIRWISE_BLOCK: usize = 128;

/// Returns where numpy's pairwise sum splits a run of `n` terms: half of them, rounded down
/// to a multiple of 8.
#[inline]
pub(crate) fn split_point(n: usize) -> usize {
    let half = n / 2;
    half - half % 8
}

/// Sums `term(start), …, term(start + n − 1)` in numpy's pairwise order.
///
/// With the `parallel` feature, parts of at least [`PARALLEL_MIN_TERMS`] terms are split
/// across rayon's threads along the same tree, and smaller parts go to the serial
/// recursion, whose loops then compile exactly as without the feature.
#[cfg(feature = "parallel")]
pub(crate) fn pairwise<T: Summand, F: Fn(usize) -> T + Sync>(
    start: usize,
    n: usize,
    term: &F,
) -> T {
    if n < PARALLEL_MIN_TERMS {
        return pairwise_serial(start, n, term);
    }
    let half = split_point(n);
    let (left, right) = rayon::join(
        || pairwise(start, half, term),
        || pairwise(start + half, n - half, term),
    );
    left + right
}

/// Sums `term(start), …, term(start + n − 1)` in numpy's pairwise order.
#[cfg(not(feature = "parallel"))]
#[inline]
pub(crate) fn pairwise<T: Summand, F: Fn(usize) -> T + Sync>(
    start: usize,
    n: usize,
    term: &F,
) -> T {
    pairwise_serial(start, n, term)
}

/// Sums in the pairwise order on one thread, by recursion.
fn pairwise_serial<T: Summand, F: Fn(usize) -> T + Sync>(start: usize, n: usize, term: &F) -> T {
    if n < 8 {
        let mut total = T::zero();
        for i in start..start + n {
            total = total + term(i);
        }
        total
    } else if n <= PAIRWISE_BLOCK {
        let mut r = [T::zero(); 8];
        for (k, slot) in r.iter_mut().enumerate() {
            *slot = term(start + k);
        }
        let whole = n - n % 8;
        let mut i = 8;
        while i < whole {
            for (k, slot) in r.iter_mut().enumerate() {
                slot.accumulate(term(start + i + k));
            }
            i += 8;
        }
        let mut total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for j in whole..n {
            total = total + term(start + j);
        }
        total
    } else {
        let half = split_point(n);
        pairwise_serial(start, half, term) + pairwise_serial(start + half, n - half, term)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_dual::Dual64;

    #[test]
    fn sign_ignores_sign_of_zero() {
        assert_eq!(0.0f64.sign(), 0.0);
        assert_eq!((-0.0f64).sign(), 0.0);
        assert_eq!(Dual64::new(-0.0, 1.0).sign().eps, 0.0);
        assert_eq!((-3.0f64).sign(), -1.0);
        assert!(f64::NAN.sign().is_nan());
    }

    #[test]
    fn max_tie_takes_self() {
        let a = Dual64::new(1.0, 2.0);
        let b = Dual64::new(1.0, 5.0);
        assert_eq!(ScalarExt::max(a, b).eps, 2.0);
        assert_eq!(ScalarExt::min(b, a).eps, 5.0);
        assert_eq!(
            ScalarExt::max(Dual64::new(0.0, 1.0), Dual64::new(3.0, 7.0)).eps,
            7.0
        );
    }

    #[test]
    fn max_min_keep_nan() {
        let nan = Dual64::from(f64::NAN);
        let one = Dual64::from(1.0);
        assert!(ScalarExt::max(nan, one).re.is_nan());
        assert!(ScalarExt::max(one, nan).re.is_nan());
        assert!(ScalarExt::min(nan, one).re.is_nan());
        assert!(ScalarExt::min(one, nan).re.is_nan());
    }

    #[test]
    fn pairwise_sum_matches_exact_sum_of_integers() {
        // Integers below 2^53 add exactly in any order, so the exact total is the reference.
        for n in [0usize, 1, 7, 8, 9, 127, 128, 129, 300, 1000] {
            let values: Vec<f64> = (0..n).map(|i| i as f64).collect();
            let expected = (n * n.saturating_sub(1) / 2) as f64;
            assert_eq!(pairwise_sum(&values), expected, "n = {n}");
        }
    }
}
