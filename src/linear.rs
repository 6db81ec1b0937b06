//! Gradients of an empirical risk for models that are linear in θ, in O(d) per row.
//!
//! For ŷ = θ₀ + Σⱼ θⱼ xⱼ the gradient of the prediction is the feature row itself, so the
//! mean gradient is (1/n) Σᵢ ℓ′(ŷᵢ) (1, xᵢ). The loss is still differentiated with a scalar
//! dual number; only the model's derivative comes from its declared structure. Sums follow
//! numpy's pairwise order, as everywhere in the crate.

use crate::objective::{EmpiricalRisk, LinearStructure, Loss, Model, RowSelection};
use crate::scalar::{PAIRWISE_BLOCK, Summand, pairwise, split_point};
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

impl<const N: usize> Block<N> {
    /// Returns a block of −0.0 entries, the exact identity of floating-point addition:
    /// −0.0 + x is x for every x, including +0.0 and −0.0.
    #[inline]
    fn negative_zero() -> Self {
        Block {
            value: -0.0,
            gradient: [-0.0; N],
        }
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

    let add_row = |y: f64, x: &[f64], total: &mut Block<P>| {
        let x: &[f64; D] = x.try_into().expect("every feature row has D entries");
        // The same order of operations as `Linear::predict`, so values agree exactly.
        let mut prediction = if INTERCEPT { theta[0] } else { 0.0 };
        for j in offset..P {
            prediction += theta[j] * x[j - offset];
        }
        let l = loss.loss(Dual64::new(prediction, 1.0), y);

        total.value += l.re;
        for (j, g) in total.gradient.iter_mut().enumerate() {
            if INTERCEPT && j == 0 {
                *g += l.eps;
            } else {
                *g += l.eps * x[j - offset];
            }
        }
    };
    let total = rows_total(rows, data.targets(), data.features_flat(), D, &add_row);
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
        let term = |y: f64| -> (f64, f64) {
            let l = loss.loss(Dual64::new(bias, 1.0), y);
            (l.re, l.eps)
        };
        let total: Block<1> = if rows.is_all() {
            split_rows(targets, &[], 0, &|y: &[f64], _: &[f64]| {
                sum_slopes(y, &term)
            })
        } else {
            pairwise(0, rows.len(), &|k| {
                let (value, slope) = term(targets[rows.row(k)]);
                Block {
                    value,
                    gradient: [slope],
                }
            })
        };
        return finish(total, rows.len(), &mut grad_out[..1]);
    }

    let mut value = f64::NAN;
    for start in (0..p).step_by(N) {
        let end = (start + N).min(p);
        // Adds one row's loss and gradient entries start..end into `total`.
        let add_row = |y: f64, x: &[f64], total: &mut Block<N>| {
            // The same order of operations as `Linear::predict`, so values agree exactly.
            let mut prediction = bias;
            for (&w, &xj) in weights.iter().zip(x) {
                prediction += w * xj;
            }
            let l = loss.loss(Dual64::new(prediction, 1.0), y);

            total.value += l.re;
            if structure.intercept && start == 0 {
                total.gradient[0] += l.eps;
                for (g, &xj) in total.gradient[1..end].iter_mut().zip(x) {
                    *g += l.eps * xj;
                }
            } else {
                let row_features = &x[start - offset..end - offset];
                for (g, &xj) in total.gradient.iter_mut().zip(row_features) {
                    *g += l.eps * xj;
                }
            }
        };

        let total = rows_total(rows, targets, features, d, &add_row);
        value = finish(total, rows.len(), &mut grad_out[start..end]);
    }
    value
}

/// Sums `add_row` over the selected rows in numpy's pairwise order.
fn rows_total<const N: usize, A>(
    rows: &impl RowSelection,
    targets: &[f64],
    features: &[f64],
    d: usize,
    add_row: &A,
) -> Block<N>
where
    A: Fn(f64, &[f64], &mut Block<N>) + Sync,
{
    if rows.is_all() {
        split_rows(targets, features, d, &|y: &[f64], x: &[f64]| {
            sum_rows(y, x, d, add_row)
        })
    } else {
        pairwise(0, rows.len(), &|k| {
            let i = rows.row(k);
            let mut total = Block::negative_zero();
            add_row(targets[i], &features[i * d..(i + 1) * d], &mut total);
            total
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

/// Splits the rows along numpy's pairwise tree across rayon's threads and sums every part
/// below [`PARALLEL_MIN_TERMS`](crate::scalar::PARALLEL_MIN_TERMS) rows with `leaf` on one
/// thread. The tree and the order of every addition are those of the serial sum, so the
/// result is the same bit for bit whatever the number of threads.
#[cfg(feature = "parallel")]
fn split_rows<T, L>(targets: &[f64], features: &[f64], d: usize, leaf: &L) -> T
where
    T: Summand,
    L: Fn(&[f64], &[f64]) -> T + Sync,
{
    let n = targets.len();
    if n < crate::scalar::PARALLEL_MIN_TERMS {
        return leaf(targets, features);
    }
    let half = split_point(n);
    let (left_y, right_y) = targets.split_at(half);
    let (left_x, right_x) = features.split_at(half * d);
    let (left, right) = rayon::join(
        || split_rows(left_y, left_x, d, leaf),
        || split_rows(right_y, right_x, d, leaf),
    );
    left + right
}

/// Sums all rows with `leaf` on the calling thread.
#[cfg(not(feature = "parallel"))]
#[inline]
fn split_rows<T, L>(targets: &[f64], features: &[f64], _d: usize, leaf: &L) -> T
where
    T: Summand,
    L: Fn(&[f64], &[f64]) -> T + Sync,
{
    leaf(targets, features)
}

/// Sums rows in the pairwise order on one thread, adding each row straight into its
/// accumulator with `add_row` instead of building the row's block first.
///
/// It visits the same tree as [`pairwise`]: sequential below 8 rows, eight interleaved
/// accumulators up to 128, and a split at half the rows rounded down to a multiple of 8.
/// The eight accumulators start at −0.0, so adding the first row gives exactly the row
/// itself, as numpy's copy of the first eight terms does. Below 8 rows the sum starts at
/// +0.0, as numpy's does.
fn sum_rows<const N: usize, A>(targets: &[f64], features: &[f64], d: usize, add_row: &A) -> Block<N>
where
    A: Fn(f64, &[f64], &mut Block<N>),
{
    let n = targets.len();
    let row = |k: usize| &features[k * d..(k + 1) * d];
    if n < 8 {
        let mut total = Block::zero();
        for (k, &y) in targets.iter().enumerate() {
            add_row(y, row(k), &mut total);
        }
        total
    } else if n <= PAIRWISE_BLOCK {
        let whole = n - n % 8;
        let mut r = [Block::negative_zero(); 8];
        for (c, chunk) in targets[..whole].chunks_exact(8).enumerate() {
            for (k, (total, &y)) in r.iter_mut().zip(chunk).enumerate() {
                add_row(y, row(c * 8 + k), total);
            }
        }
        let mut total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (k, &y) in targets.iter().enumerate().skip(whole) {
            add_row(y, row(k), &mut total);
        }
        total
    } else {
        let half = split_point(n);
        let (left_y, right_y) = targets.split_at(half);
        let (left_x, right_x) = features.split_at(half * d);
        sum_rows(left_y, left_x, d, add_row) + sum_rows(right_y, right_x, d, add_row)
    }
}

/// Sums the (value, slope) pairs `term(yᵢ)` of a loss in one scalar parameter over all
/// rows, in numpy's pairwise order, on one thread.
fn sum_slopes<F: Fn(f64) -> (f64, f64)>(targets: &[f64], term: &F) -> Block<1> {
    let n = targets.len();
    if n <= PAIRWISE_BLOCK {
        let (value, slope) = slope_block(targets, term);
        Block {
            value,
            gradient: [slope],
        }
    } else {
        let half = split_point(n);
        let (left, right) = targets.split_at(half);
        sum_slopes(left, term) + sum_slopes(right, term)
    }
}

/// Sums values and slopes of a run of at most 128 rows in numpy's order for such a run:
/// sequential below 8 rows, eight interleaved accumulators otherwise.
///
/// The eight accumulators are four two-lane vectors, and every pair of neighbouring rows is
/// packed into one before it is added. That packing makes the compiler evaluate the loss on
/// the two rows side by side, two rows per SSE register, as it does for a hand-written loop.
/// With eight scalar accumulators it packs one row's value and slope instead, and Huber
/// loss ran about 1.7 times slower in benches/risk.rs. Each lane adds exactly what its
/// scalar accumulator would, so the sums are the same bit for bit.
#[inline(always)]
fn slope_block<F: Fn(f64) -> (f64, f64)>(targets: &[f64], term: &F) -> (f64, f64) {
    let n = targets.len();
    if n < 8 {
        let (mut value, mut slope) = (0.0, 0.0);
        for &y in targets {
            let (v, s) = term(y);
            value += v;
            slope += s;
        }
        return (value, slope);
    }

    // Rows 2u and 2u + 1 of every chunk of 8 go to lanes 0 and 1 of accumulator u.
    let whole = n - n % 8;
    let pair = |y: &[f64]| {
        let (v0, s0) = term(y[0]);
        let (v1, s1) = term(y[1]);
        (F64x2::new(v0, v1), F64x2::new(s0, s1))
    };
    let mut chunks = targets[..whole].chunks_exact(8);
    let first = chunks.next().unwrap_or(&[0.0; 8]);
    let mut values = [F64x2::new(0.0, 0.0); 4];
    let mut slopes = [F64x2::new(0.0, 0.0); 4];
    for (u, rows) in first.chunks_exact(2).enumerate() {
        (values[u], slopes[u]) = pair(rows);
    }

    for chunk in chunks {
        for (u, rows) in chunk.chunks_exact(2).enumerate() {
            let (v, s) = pair(rows);
            values[u] = values[u].add(v);
            slopes[u] = slopes[u].add(s);
        }
    }

    // numpy's final order: ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)).
    let combine = |a: [F64x2; 4]| {
        let r = a.map(F64x2::lanes);
        ((r[0][0] + r[0][1]) + (r[1][0] + r[1][1])) + ((r[2][0] + r[2][1]) + (r[3][0] + r[3][1]))
    };
    let (mut value, mut slope) = (combine(values), combine(slopes));

    for &y in &targets[whole..] {
        let (v, s) = term(y);
        value += v;
        slope += s;
    }
    (value, slope)
}

/// Two `f64` lanes added lane by lane: an SSE2 register where the target has one.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[derive(Clone, Copy)]
struct F64x2(std::arch::x86_64::__m128d);

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
impl F64x2 {
    #[inline(always)]
    fn new(lo: f64, hi: f64) -> Self {
        // SAFETY: the cfg above compiles this only where SSE2 is enabled for the whole
        // build, so the instruction exists on every CPU the code can run on.
        F64x2(unsafe { std::arch::x86_64::_mm_set_pd(hi, lo) })
    }

    #[inline(always)]
    fn add(self, other: Self) -> Self {
        // SAFETY: as in `new`.
        F64x2(unsafe { std::arch::x86_64::_mm_add_pd(self.0, other.0) })
    }

    #[inline(always)]
    fn lanes(self) -> [f64; 2] {
        use std::arch::x86_64::{_mm_cvtsd_f64, _mm_unpackhi_pd};
        // SAFETY: as in `new`.
        unsafe {
            [
                _mm_cvtsd_f64(self.0),
                _mm_cvtsd_f64(_mm_unpackhi_pd(self.0, self.0)),
            ]
        }
    }
}

/// Two `f64` lanes added lane by lane, in plain arrays on targets without SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[derive(Clone, Copy)]
struct F64x2([f64; 2]);

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
impl F64x2 {
    #[inline(always)]
    fn new(lo: f64, hi: f64) -> Self {
        F64x2([lo, hi])
    }

    #[inline(always)]
    fn add(self, other: Self) -> Self {
        F64x2([self.0[0] + other.0[0], self.0[1] + other.0[1]])
    }

    #[inline(always)]
    fn lanes(self) -> [f64; 2] {
        self.0
    }
}
