//! Gradients of an empirical risk for models that are linear in θ, in O(d) per row.
//!
//! For ŷ = θ₀ + Σⱼ θⱼ xⱼ the gradient of the prediction is the feature row itself, so the
//! mean gradient is (1/n) Σᵢ ℓ′(ŷᵢ) (1, xᵢ). The loss is still differentiated with a scalar
//! dual number; only the model's derivative comes from its declared structure. Sums follow
//! numpy's pairwise order, as everywhere in the crate.

use crate::objective::{EmpiricalRisk, LinearStructure, Loss, Model, RowSelection};
use crate::scalar::{Summand, pairwise};
use num_dual::Dual64;
use std::ops::Add;

/// A loss value with a block of `N` gradient entries, summed pairwise as one unit.
#[derive(Clone, Copy)]
struct Block<const N: usize> {
    value: f64,
    gradient: [f64; N],
}

impl<const N: usize> Add for Block<N> {
    type Output = Self;

    #[inline]
    fn add(mut self, other: Self) -> Self {
        self.value += other.value;
        for (a, b) in self.gradient.iter_mut().zip(other.gradient) {
            *a += b;
        }
        self
    }
}

impl<const N: usize> Summand for Block<N> {
    #[inline]
    fn zero() -> Self {
        Block {
            value: 0.0,
            gradient: [0.0; N],
        }
    }

    #[inline]
    fn accumulate(&mut self, other: Self) {
        self.value += other.value;
        for (a, b) in self.gradient.iter_mut().zip(other.gradient) {
            *a += b;
        }
    }
}

/// Value and gradient of `risk` over `rows`; lengths are checked by the caller.
pub(crate) fn value_and_gradient<M: Model, L: Loss, R: RowSelection>(
    risk: &EmpiricalRisk<'_, M, L>,
    structure: LinearStructure,
    theta: &[f64],
    rows: &R,
    grad_out: &mut [f64],
) -> f64 {
    if structure.features {
        // Small models get loops whose length is known at compile time, fully unrolled.
        macro_rules! exact_table {
            ($(($p:literal, $d:literal)),*) => {
                match (theta.len(), structure.intercept) {
                    $(($p, true) => Some(exact::<M, L, R, $p, $d, true> as ExactFn<M, L, R>),
                      ($p, false) => Some(exact::<M, L, R, $p, $p, false> as ExactFn<M, L, R>),)*
                    _ => None,
                }
            };
        }
        let exact = exact_table!((1, 0), (2, 1), (3, 2), (4, 3));
        if let Some(f) = exact {
            return f(risk, theta, rows, grad_out);
        }
    }
    match theta.len() {
        0..=1 => blocks::<M, L, R, 1>(risk, structure, theta, rows, grad_out),
        2 => blocks::<M, L, R, 2>(risk, structure, theta, rows, grad_out),
        3..=4 => blocks::<M, L, R, 4>(risk, structure, theta, rows, grad_out),
        5..=8 => blocks::<M, L, R, 8>(risk, structure, theta, rows, grad_out),
        9..=16 => blocks::<M, L, R, 16>(risk, structure, theta, rows, grad_out),
        17..=32 => blocks::<M, L, R, 32>(risk, structure, theta, rows, grad_out),
        _ => blocks::<M, L, R, 64>(risk, structure, theta, rows, grad_out),
    }
}

type ExactFn<M, L, R> = fn(&EmpiricalRisk<'_, M, L>, &[f64], &R, &mut [f64]) -> f64;

/// Computes value and gradient in one pass with exactly `P` parameters and `D` features
/// (P = D + 1 with an intercept).
fn exact<
    M: Model,
    L: Loss,
    R: RowSelection,
    const P: usize,
    const D: usize,
    const INTERCEPT: bool,
>(
    risk: &EmpiricalRisk<'_, M, L>,
    theta: &[f64],
    rows: &R,
    grad_out: &mut [f64],
) -> f64 {
    let data = risk.data();
    let loss = risk.loss();
    let offset = usize::from(INTERCEPT);
    let theta: [f64; P] = std::array::from_fn(|j| theta[j]);

    let term = |y: f64, x: &[f64]| -> Block<P> {
        let x: &[f64; D] = x.try_into().expect("every feature row has D entries");
        // The same order of operations as `Linear::predict`, so values agree exactly.
        let mut prediction = if INTERCEPT { theta[0] } else { 0.0 };
        for j in offset..P {
            prediction += theta[j] * x[j - offset];
        }
        let l = loss.loss(Dual64::new(prediction, 1.0), y);
        let gradient = std::array::from_fn(|j| {
            if INTERCEPT && j == 0 {
                l.eps
            } else {
                l.eps * x[j - offset]
            }
        });
        Block {
            value: l.re,
            gradient,
        }
    };
    let total = rows_total(rows, data.targets(), data.features_flat(), D, &term);
    finish(total, rows.len(), grad_out)
}

/// Computes value and gradient in one pass over the rows per block of `N` parameters, so in
/// one pass in all for d ≤ 64.
fn blocks<M: Model, L: Loss, R: RowSelection, const N: usize>(
    risk: &EmpiricalRisk<'_, M, L>,
    structure: LinearStructure,
    theta: &[f64],
    rows: &R,
    grad_out: &mut [f64],
) -> f64 {
    let data = risk.data();
    let loss = risk.loss();
    let p = theta.len();
    let offset = usize::from(structure.intercept);
    let (bias, weights) = if structure.intercept {
        (theta[0], &theta[1..])
    } else {
        (0.0, theta)
    };
    let d = if structure.features { weights.len() } else { 0 };
    let targets = data.targets();
    let features = if structure.features {
        data.features_flat()
    } else {
        &[]
    };

    if !structure.features {
        // The constant model: ŷ = θ₀ for every row, and ∂ŷ/∂θ₀ = 1.
        // NOTE: a Dual64 keeps value and derivative side by side in one register. A branchy
        // loss such as Huber therefore runs about 1.8 times slower here than a hand-written
        // loop that packs two rows per register (1e7 rows: 17.4 ms against 9.9 ms).
        let term = |y: f64, _: &[f64]| -> Block<N> {
            let l = loss.loss(Dual64::new(bias, 1.0), y);
            let mut block = Block::zero();
            block.value = l.re;
            block.gradient[0] = l.eps;
            block
        };
        return finish(
            rows_total(rows, targets, &[], 0, &term),
            rows.len(),
            &mut grad_out[..1],
        );
    }

    let mut value = f64::NAN;
    for start in (0..p).step_by(N) {
        let end = (start + N).min(p);
        let term = |y: f64, x: &[f64]| -> Block<N> {
            // The same order of operations as `Linear::predict`, so values agree exactly.
            let mut prediction = bias;
            for (&w, &xj) in weights.iter().zip(x) {
                prediction += w * xj;
            }
            let l = loss.loss(Dual64::new(prediction, 1.0), y);

            let mut block = Block {
                value: l.re,
                gradient: [0.0; N],
            };
            if structure.intercept && start == 0 {
                block.gradient[0] = l.eps;
                for (g, &xj) in block.gradient[1..end].iter_mut().zip(x) {
                    *g = l.eps * xj;
                }
            } else {
                let row_features = &x[start - offset..end - offset];
                for (g, &xj) in block.gradient.iter_mut().zip(row_features) {
                    *g = l.eps * xj;
                }
            }
            block
        };

        let total = rows_total(rows, targets, features, d, &term);
        value = finish(total, rows.len(), &mut grad_out[start..end]);
    }
    value
}

/// Sums `term` over the selected rows.
fn rows_total<T, F, R>(rows: &R, targets: &[f64], features: &[f64], d: usize, term: &F) -> T
where
    T: Summand,
    F: Fn(f64, &[f64]) -> T + Sync,
    R: RowSelection,
{
    if rows.is_all() {
        sum_rows(targets, features, d, term)
    } else {
        pairwise(0, rows.len(), &|k| {
            let i = rows.row(k);
            term(targets[i], &features[i * d..(i + 1) * d])
        })
    }
}

/// Divides a block's sums by the row count, writes the gradient entries and returns the
/// mean loss.
fn finish<const N: usize>(total: Block<N>, n: usize, grad_out: &mut [f64]) -> f64 {
    for (out, g) in grad_out.iter_mut().zip(total.gradient) {
        *out = g / n as f64;
    }
    total.value / n as f64
}

/// Sums `term(yᵢ, xᵢ)` over all rows in numpy's pairwise order, walking slices so that
/// the compiler can prove every index in bounds and can vectorize the eight accumulators.
///
/// It visits the same tree as [`pairwise`]: sequential below 8 rows, eight interleaved
/// accumulators up to 128, and a split at half the rows rounded down to a multiple of 8.
fn sum_rows<T, F>(targets: &[f64], features: &[f64], d: usize, term: &F) -> T
where
    T: Summand,
    F: Fn(f64, &[f64]) -> T + Sync,
{
    sum_rows_split(targets, features, d, term)
}

/// Splits long inputs across rayon's threads along the pairwise tree, and hands every part
/// below [`PARALLEL_MIN_TERMS`](crate::scalar::PARALLEL_MIN_TERMS) rows to the serial
/// [`sum_rows_serial`], whose loops then compile exactly as without the feature.
// NOTE: reached through rayon's closures, the serial recursion below runs about 1.7 times
// slower per thread than in the serial build (29 ms against 17 ms for 1e7 Huber rows), so
// two threads gain only about 1.2 times. The likely cause, a specialization for constant
// arguments that the serial build gets and this path does not, is not fixed.
#[cfg(feature = "parallel")]
fn sum_rows_split<T, F>(targets: &[f64], features: &[f64], d: usize, term: &F) -> T
where
    T: Summand,
    F: Fn(f64, &[f64]) -> T + Sync,
{
    let n = targets.len();
    if n < crate::scalar::PARALLEL_MIN_TERMS {
        return sum_rows_serial(targets, features, d, term);
    }
    let mut half = n / 2;
    half -= half % 8;
    let (left_y, right_y) = targets.split_at(half);
    let (left_x, right_x) = features.split_at(half * d);
    let (left, right) = rayon::join(
        || sum_rows_split(left_y, left_x, d, term),
        || sum_rows_split(right_y, right_x, d, term),
    );
    left + right
}

#[cfg(not(feature = "parallel"))]
fn sum_rows_split<T, F>(targets: &[f64], features: &[f64], d: usize, term: &F) -> T
where
    T: Summand,
    F: Fn(f64, &[f64]) -> T + Sync,
{
    sum_rows_serial(targets, features, d, term)
}

/// Sums in the pairwise order on one thread, by recursion.
fn sum_rows_serial<T, F>(targets: &[f64], features: &[f64], d: usize, term: &F) -> T
where
    T: Summand,
    F: Fn(f64, &[f64]) -> T + Sync,
{
    let n = targets.len();
    let row = |k: usize| &features[k * d..(k + 1) * d];
    if n < 8 {
        let mut total = T::zero();
        for (k, &y) in targets.iter().enumerate() {
            total = total + term(y, row(k));
        }
        total
    } else if n <= 128 {
        let whole = n - n % 8;
        let mut chunks = targets[..whole].chunks_exact(8);
        let first = chunks.next().unwrap_or(&[0.0; 8]);
        let mut r: [T; 8] = std::array::from_fn(|k| term(first[k], row(k)));
        for (c, chunk) in chunks.enumerate() {
            let base = (c + 1) * 8;
            for k in 0..8 {
                r[k].accumulate(term(chunk[k], row(base + k)));
            }
        }
        let mut total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (k, &y) in targets.iter().enumerate().skip(whole) {
            total = total + term(y, row(k));
        }
        total
    } else {
        let mut half = n / 2;
        half -= half % 8;
        let (left_y, right_y) = targets.split_at(half);
        let (left_x, right_x) = features.split_at(half * d);
        sum_rows_serial(left_y, left_x, d, term) + sum_rows_serial(right_y, right_x, d, term)
    }
}
