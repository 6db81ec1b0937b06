//! Data sums of a constant model are numpy's pairwise sums, to the last bit.
//!
//! The constant model has its own data loop (four two-lane accumulators that stand for
//! numpy's eight). These tests compare it with numpy's order written out plainly, on row
//! values and slopes typed in by hand, at every length that reaches a different branch of
//! the tree.

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
