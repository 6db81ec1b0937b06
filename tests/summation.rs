//! Data sums of the constant and linear models are numpy's pairwise sums, to the last bit.
//!
//! The constant model has its own data loop (four two-lane accumulators that stand for
//! numpy's eight), and both models split long inputs across rayon's threads with the
//! parallel feature. These tests compare them with numpy's order written out plainly, on
//! row values typed in by hand, at every length that reaches a different branch of the
//! tree.

use dualopt::prelude::*;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

mod common;
use common::numpy_pairwise;

const THETA: f64 = 0.3;

/// Targets uniform on [−5, 5]: with δ = 1 about a fifth of the residuals are in the
/// quadratic zone of Huber loss.
fn targets(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n).map(|_| 10.0 * rng.random::<f64>() - 5.0).collect()
}

/// Huber loss (δ = 1) of y − θ and its derivative in θ, by hand.
fn huber_row(y: f64) -> (f64, f64) {
    let r = y - THETA;
    if r.abs() < 1.0 {
        (r * r * 0.5, -r)
    } else {
        (r.abs() - 0.5, -r.signum())
    }
}

/// Squared error of y − θ and its derivative in θ, by hand.
fn squared_row(y: f64) -> (f64, f64) {
    let r = y - THETA;
    (r * r, -2.0 * r)
}

/// Means of the hand-written row values and slopes, summed in numpy's order.
fn reference(y: &[f64], row: fn(f64) -> (f64, f64)) -> (f64, f64) {
    let (values, slopes): (Vec<f64>, Vec<f64>) = y.iter().map(|&yi| row(yi)).unzip();
    let n = y.len() as f64;
    (numpy_pairwise(&values) / n, numpy_pairwise(&slopes) / n)
}

fn dualopt_mean<L: Loss>(loss: L, data: &Dataset) -> (f64, f64) {
    let risk = EmpiricalRisk::new(Constant, loss, data).unwrap();
    let (value, gradient) = value_and_gradient(&risk, &[THETA]).unwrap();
    (value, gradient[0])
}

/// Lengths that reach every branch: below 8, every remainder modulo 8 up to one block of
/// 128, splits into blocks of unequal length, and lengths long enough for rayon's threads.
fn lengths() -> impl Iterator<Item = usize> {
    (1..=300).chain([1000, 4097, 65_539, 1_000_003])
}

#[test]
fn huber_sums_match_numpy_order() {
    for n in lengths() {
        let y = targets(n, n as u64);
        let data = Dataset::from_targets(y.clone()).unwrap();
        let (value, slope) = dualopt_mean(Huber { delta: 1.0 }, &data);
        let (expected_value, expected_slope) = reference(&y, huber_row);
        assert_eq!(value.to_bits(), expected_value.to_bits(), "value, n = {n}");
        assert_eq!(slope.to_bits(), expected_slope.to_bits(), "slope, n = {n}");
    }
}

#[test]
fn squared_error_sums_match_numpy_order() {
    for n in lengths() {
        let y = targets(n, 7 + n as u64);
        let data = Dataset::from_targets(y.clone()).unwrap();
        let (value, slope) = dualopt_mean(SquaredError, &data);
        let (expected_value, expected_slope) = reference(&y, squared_row);
        assert_eq!(value.to_bits(), expected_value.to_bits(), "value, n = {n}");
        assert_eq!(slope.to_bits(), expected_slope.to_bits(), "slope, n = {n}");
    }
}

#[test]
fn full_batch_matches_full_pass() {
    // A batch of every row in order goes through the general row loop. It must add in the
    // same order as the constant model's own loop.
    for n in [5, 8, 13, 128, 129, 300, 4097] {
        let y = targets(n, 11 + n as u64);
        let data = Dataset::from_targets(y).unwrap();
        let risk = EmpiricalRisk::new(Constant, LogCosh, &data).unwrap();
        let rows: Vec<usize> = (0..n).collect();
        let mut full = [0.0];
        let mut batch = [0.0];
        let v_full = risk.value_and_gradient(&[THETA], &mut full).unwrap();
        let v_batch = risk
            .value_and_gradient_rows(&[THETA], &rows, &mut batch)
            .unwrap();
        assert_eq!(v_full.to_bits(), v_batch.to_bits(), "value, n = {n}");
        assert_eq!(full[0].to_bits(), batch[0].to_bits(), "slope, n = {n}");
    }
}

/// Mean squared error of ŷ = θ₀ + Σ θⱼ xⱼ and its gradient, by hand: each row's value and
/// gradient entries summed in numpy's order, one sum per entry.
fn linear_reference(x: &[f64], y: &[f64], theta: &[f64]) -> (f64, Vec<f64>) {
    let d = theta.len() - 1;
    let mut values = Vec::with_capacity(y.len());
    let mut columns = vec![Vec::with_capacity(y.len()); theta.len()];
    for (row, &yi) in x.chunks_exact(d).zip(y) {
        let mut prediction = theta[0];
        for (w, xj) in theta[1..].iter().zip(row) {
            prediction += w * xj;
        }
        let r = yi - prediction;
        values.push(r * r);
        columns[0].push(-2.0 * r);
        for (column, xj) in columns[1..].iter_mut().zip(row) {
            column.push(-2.0 * r * xj);
        }
    }
    let n = y.len() as f64;
    let gradient = columns.iter().map(|c| numpy_pairwise(c) / n).collect();
    (numpy_pairwise(&values) / n, gradient)
}

#[test]
fn linear_model_sums_match_numpy_order() {
    // Up to four parameters take the unrolled loop and seven the blocked one. Five, six and
    // nine rows stay within one group of eight or just past it, and 65 539 rows are split
    // across rayon's threads with the parallel feature.
    let cases = [
        (2, 9),
        (3, 6),
        (4, 300),
        (4, 65_539),
        (7, 5),
        (7, 13),
        (7, 129),
        (7, 65_539),
    ];
    for (p, n) in cases {
        let mut rng = ChaCha8Rng::seed_from_u64((p * n) as u64);
        let x: Vec<f64> = (0..n * (p - 1))
            .map(|_| rng.random::<f64>() - 0.5)
            .collect();
        let y: Vec<f64> = (0..n).map(|_| 4.0 * rng.random::<f64>() - 2.0).collect();
        let theta: Vec<f64> = (0..p).map(|j| 0.25 - 0.1 * j as f64).collect();
        let features = ndarray::Array2::from_shape_vec((n, p - 1), x.clone()).unwrap();
        let data = Dataset::new(features, ndarray::Array1::from(y.clone())).unwrap();
        let risk = EmpiricalRisk::new(Linear { intercept: true }, SquaredError, &data).unwrap();

        let (value, gradient) = value_and_gradient(&risk, &theta).unwrap();
        let (expected_value, expected_gradient) = linear_reference(&x, &y, &theta);
        assert_eq!(
            value.to_bits(),
            expected_value.to_bits(),
            "value, p = {p}, n = {n}"
        );
        for (j, (g, e)) in gradient.iter().zip(&expected_gradient).enumerate() {
            assert_eq!(g.to_bits(), e.to_bits(), "gradient[{j}], p = {p}, n = {n}");
        }

        // A batch of every row takes the general row loop and must give the same bits.
        let rows: Vec<usize> = (0..n).collect();
        let mut batch = vec![0.0; p];
        let batch_value = risk
            .value_and_gradient_rows(&theta, &rows, &mut batch)
            .unwrap();
        assert_eq!(
            batch_value.to_bits(),
            expected_value.to_bits(),
            "batch value, p = {p}, n = {n}"
        );
        for (j, (g, e)) in batch.iter().zip(&expected_gradient).enumerate() {
            assert_eq!(
                g.to_bits(),
                e.to_bits(),
                "batch gradient[{j}], p = {p}, n = {n}"
            );
        }
    }
}

#[test]
fn zero_column_sums_to_negative_zero() {
    // Every row's entry for an all-zero feature is ℓ′ · 0 = −0.0 when ℓ′ < 0. numpy starts a
    // block of eight or more terms from the terms themselves, so its sum is −0.0. Shorter
    // inputs start from +0.0 and give +0.0.
    for (n, expected) in [(16, -0.0f64), (300, -0.0), (5, 0.0)] {
        let mut features = ndarray::Array2::zeros((n, 6));
        for i in 0..n {
            features[[i, 0]] = i as f64 / n as f64;
        }
        let targets = ndarray::Array1::from_elem(n, 10.0);
        let data = Dataset::new(features, targets).unwrap();
        let risk = EmpiricalRisk::new(Linear { intercept: true }, SquaredError, &data).unwrap();
        let (_, gradient) = value_and_gradient(&risk, &[0.0; 7]).unwrap();
        assert_eq!(gradient[2].to_bits(), expected.to_bits(), "n = {n}");
    }
}
