//! Value and gradient of empirical risks: dualopt against hand-written derivatives.
//!
//! Every group measures `dualopt` and `hand-written` on the same data in the same run;
//! `cargo run --release --example bench_ratios` turns the estimates into the ratio table of
//! docs/benchmarks.md. The hand-written loops are the baselines the issue of speed is
//! judged by: branch-free, 16 independent accumulators, derivatives typed in by hand.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dualopt::prelude::*;
use ndarray::{Array1, Array2};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;
use std::path::Path;

const THETA: f64 = 0.3;

/// Targets uniform on [−5, 5]: with δ = 1 about a fifth of the residuals fall inside the
/// quadratic zone, at random, so a branch per row would be mispredicted often.
fn targets(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n).map(|_| 10.0 * rng.random::<f64>() - 5.0).collect()
}

/// Sixteen-accumulator loop over a per-row (value, derivative) function.
#[inline(always)]
fn hand_loop(y: &[f64], theta: f64, row: impl Fn(f64) -> (f64, f64)) -> (f64, f64) {
    let mut value = [0.0; 16];
    let mut slope = [0.0; 16];
    let chunks = y.chunks_exact(16);
    let rest = chunks.remainder();
    for chunk in chunks {
        for k in 0..16 {
            let (v, g) = row(chunk[k] - theta);
            value[k] += v;
            slope[k] += g;
        }
    }
    let mut v_total: f64 = value.iter().sum();
    let mut g_total: f64 = slope.iter().sum();
    for &yi in rest {
        let (v, g) = row(yi - theta);
        v_total += v;
        g_total += g;
    }
    let n = y.len() as f64;
    (v_total / n, g_total / n)
}

/// Huber (δ = 1) by hand: value and ∂/∂θ of each row, r = y − θ.
fn hand_huber(y: &[f64], theta: f64) -> (f64, f64) {
    hand_loop(y, theta, |r| {
        let a = r.abs();
        let inside = a < 1.0;
        let value = if inside { 0.5 * r * r } else { a - 0.5 };
        let slope = if inside { -r } else { -r.signum() };
        (value, slope)
    })
}

fn hand_squared(y: &[f64], theta: f64) -> (f64, f64) {
    hand_loop(y, theta, |r| (r * r, -2.0 * r))
}

/// ln cosh r with derivative −tanh r, the stable form for every r.
fn hand_logcosh(y: &[f64], theta: f64) -> (f64, f64) {
    hand_loop(y, theta, |r| {
        let a = r.abs();
        let value = a + (-2.0 * a).exp().ln_1p() - std::f64::consts::LN_2;
        (value, -r.tanh())
    })
}

fn dual_value_and_gradient<L: Loss>(risk: &EmpiricalRisk<'_, Constant, L>) -> (f64, f64) {
    let mut g = [0.0];
    let v = risk.value_and_gradient(&[THETA], &mut g).unwrap();
    (v, g[0])
}

fn constant_model(c: &mut Criterion) {
    for (name, n) in [("1e3", 1_000usize), ("1e5", 100_000), ("1e7", 10_000_000)] {
        let y = targets(n, 1);
        let data = Dataset::from_targets(y.clone()).unwrap();
        let mut group = c.benchmark_group(format!("constant/{name}"));
        group.throughput(Throughput::Elements(n as u64));
        if n >= 10_000_000 {
            group.sample_size(10);
        }

        let huber = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
        group.bench_function(BenchmarkId::new("huber", "dualopt"), |b| {
            b.iter(|| dual_value_and_gradient(black_box(&huber)))
        });
        group.bench_function(BenchmarkId::new("huber", "hand-written"), |b| {
            b.iter(|| hand_huber(black_box(&y), THETA))
        });

        let squared = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
        group.bench_function(BenchmarkId::new("squared", "dualopt"), |b| {
            b.iter(|| dual_value_and_gradient(black_box(&squared)))
        });
        group.bench_function(BenchmarkId::new("squared", "hand-written"), |b| {
            b.iter(|| hand_squared(black_box(&y), THETA))
        });

        let logcosh = EmpiricalRisk::new(Constant, LogCosh, &data).unwrap();
        group.bench_function(BenchmarkId::new("logcosh", "dualopt"), |b| {
            b.iter(|| dual_value_and_gradient(black_box(&logcosh)))
        });
        group.bench_function(BenchmarkId::new("logcosh", "hand-written"), |b| {
            b.iter(|| hand_logcosh(black_box(&y), THETA))
        });
        group.finish();
    }
}

/// Squared error of ŷ = θ₀ + Σ θⱼ xⱼ by hand: one pass, gradient −2r (1, x).
fn hand_linear(x: &[f64], y: &[f64], theta: &[f64], grad: &mut [f64]) -> f64 {
    let d = theta.len() - 1;
    grad.fill(0.0);
    let mut value = 0.0;
    for (row, &yi) in x.chunks_exact(d).zip(y) {
        let mut prediction = theta[0];
        for (w, xj) in theta[1..].iter().zip(row) {
            prediction += w * xj;
        }
        let r = yi - prediction;
        value += r * r;
        let s = -2.0 * r;
        grad[0] += s;
        for (g, xj) in grad[1..].iter_mut().zip(row) {
            *g += s * xj;
        }
    }
    let n = y.len() as f64;
    for g in grad.iter_mut() {
        *g /= n;
    }
    value / n
}

fn linear_model(c: &mut Criterion) {
    let n = 100_000;
    let mut group = c.benchmark_group("linear/1e5");
    group.throughput(Throughput::Elements(n as u64));
    for p in [2usize, 8, 32, 64] {
        let d = p - 1;
        let mut rng = ChaCha8Rng::seed_from_u64(p as u64);
        let x = Array2::from_shape_fn((n, d), |_| rng.random::<f64>() - 0.5);
        let y = Array1::from_shape_fn(n, |_| rng.random::<f64>());
        let data = Dataset::new(x.clone(), y.clone()).unwrap();
        let risk = EmpiricalRisk::new(Linear { intercept: true }, SquaredError, &data).unwrap();
        let theta: Vec<f64> = (0..p).map(|j| 0.01 * j as f64).collect();
        let mut grad = vec![0.0; p];
        let flat = x.as_slice().unwrap().to_vec();
        let targets = y.to_vec();

        group.bench_function(BenchmarkId::new(format!("p{p}"), "dualopt"), |b| {
            b.iter(|| {
                risk.value_and_gradient(black_box(&theta), &mut grad)
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new(format!("p{p}"), "hand-written"), |b| {
            b.iter(|| hand_linear(black_box(&flat), &targets, black_box(&theta), &mut grad))
        });
    }
    group.finish();
}

/// Measures the textbook's descent on tips pcttip with Huber loss, 189 steps to |Δθ| < 0.001.
fn textbook_run(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/tips.csv");
    let raw = Dataset::from_csv(path, "tip", &["total_bill"]).unwrap();
    let pcttip: Vec<f64> = raw
        .targets()
        .iter()
        .zip(raw.features().column(0))
        .map(|(tip, bill)| tip / bill * 100.0)
        .collect();
    let data = Dataset::from_targets(pcttip.clone()).unwrap();
    let risk = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();

    let mut group = c.benchmark_group("textbook");
    group.bench_function(BenchmarkId::new("descent", "dualopt"), |b| {
        b.iter(|| {
            GradientDescent::new()
                .learning_rate(0.2)
                .step_tolerance(0.001)
                .gradient_tolerance(None)
                .minimize(black_box(&risk), &[0.0])
                .unwrap()
                .theta[0]
        })
    });
    group.bench_function(BenchmarkId::new("descent", "hand-written"), |b| {
        b.iter(|| {
            let y = black_box(&pcttip);
            let mut theta = 0.0;
            loop {
                let (_, gradient) = hand_huber(y, theta);
                let next = theta - 0.2 * gradient;
                if (next - theta).abs() < 0.001 {
                    break next;
                }
                theta = next;
            }
        })
    });
    group.finish();
}

/// Measures the Huber gradient at N = 1e7 in rayon pools of one and two threads.
///
/// Only with `--features parallel`: both run the same build, so their ratio is the speedup
/// that the threads alone give. The sums are the same bit for bit (tests/parallel.rs).
#[cfg(feature = "parallel")]
fn threads(c: &mut Criterion) {
    let n = 10_000_000;
    let data = Dataset::from_targets(targets(n, 1)).unwrap();
    let huber = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    let mut group = c.benchmark_group("threads/1e7");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    for (threads, label) in [(1, "1 thread"), (2, "2 threads")] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(BenchmarkId::new("huber", label), |b| {
            b.iter(|| pool.install(|| dual_value_and_gradient(black_box(&huber))))
        });
    }
    group.finish();
}

#[cfg(feature = "parallel")]
criterion_group!(benches, constant_model, linear_model, textbook_run, threads);
#[cfg(not(feature = "parallel"))]
criterion_group!(benches, constant_model, linear_model, textbook_run);
criterion_main!(benches);
