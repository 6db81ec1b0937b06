//! The `parallel` feature sums on rayon's threads without changing a single bit.

#![cfg(feature = "parallel")]

use dualopt::prelude::*;
use ndarray::{Array1, Array2};

mod common;
use common::numpy_pairwise;

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn gradients_equal_for_any_thread_count() {
    let n = 300_001;
    let x = Array2::from_shape_fn((n, 3), |(i, j)| {
        ((i * 31 + j * 17) % 101) as f64 / 7.0 - 7.0
    });
    let y = Array1::from_shape_fn(n, |i| ((i * 37) % 113) as f64 / 9.0 - 6.0);
    let data = Dataset::new(x, y).unwrap();
    let linear =
        EmpiricalRisk::new(Linear { intercept: true }, Huber { delta: 1.0 }, &data).unwrap();
    let constant = EmpiricalRisk::new(Constant, LogCosh, &data).unwrap();
    let theta = [0.3, -0.2, 0.1, 0.05];

    let results: Vec<_> = [1, 2, 3, 8]
        .into_iter()
        .map(|threads| {
            in_pool(threads, || {
                (
                    value_and_gradient(&linear, &theta).unwrap(),
                    value_and_gradient(&constant, &theta[..1]).unwrap(),
                    value(&constant, &theta[..1]).unwrap(),
                )
            })
        })
        .collect();
    for other in &results[1..] {
        assert_eq!(&results[0], other);
    }
}

#[test]
fn parallel_sum_matches_numpy_order() {
    let values: Vec<f64> = (0..1_000_003).map(|i| 1.0 / (1.0 + i as f64)).collect();
    let expected = numpy_pairwise(&values);
    for threads in [1, 2, 4] {
        let total = in_pool(threads, || pairwise_sum(&values));
        assert_eq!(total.to_bits(), expected.to_bits(), "{threads} threads");
    }
    // The data mean through EmpiricalRisk uses the same order.
    let data = Dataset::from_targets(values.clone()).unwrap();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let squares: Vec<f64> = values.iter().map(|v| v * v).collect();
    let mean = in_pool(2, || value(&risk, &[0.0]).unwrap());
    assert_eq!(mean, numpy_pairwise(&squares) / values.len() as f64);
}
