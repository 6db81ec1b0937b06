//! Convexity chords per second and Richardson gradient checks per coordinate, each beside a
//! hand-written baseline in the same run.
//!
//! The baselines do the same arithmetic with derivatives typed in by hand: the chord
//! inequality at one point per chord plus the curvature dᵀ∇²f d from a hand-written
//! Hessian, and a Richardson table of central differences compared with a hand-written
//! gradient.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dualopt::prelude::*;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;

/// Extended Rosenbrock in `D` dimensions: Σ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)².
struct Rosenbrock<const D: usize>;

impl<const D: usize> Objective for Rosenbrock<D> {
    fn dim(&self) -> usize {
        D
    }
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        let mut total = S::zero();
        for i in 0..D - 1 {
            total += (-x[i] + 1.0).powi(2) + (x[i + 1] - x[i] * x[i]).powi(2) * 100.0;
        }
        total
    }
}

fn rosenbrock(x: &[f64]) -> f64 {
    (0..x.len() - 1)
        .map(|i| (1.0 - x[i]).powi(2) + 100.0 * (x[i + 1] - x[i] * x[i]).powi(2))
        .sum()
}

fn rosenbrock_gradient(x: &[f64], g: &mut [f64]) {
    g.fill(0.0);
    for i in 0..x.len() - 1 {
        let inner = x[i + 1] - x[i] * x[i];
        g[i] += -2.0 * (1.0 - x[i]) - 400.0 * x[i] * inner;
        g[i + 1] += 200.0 * inner;
    }
}

/// dᵀ ∇²f(x) d for the extended Rosenbrock function, by hand.
fn rosenbrock_curvature(x: &[f64], d: &[f64]) -> f64 {
    let mut total = 0.0;
    for i in 0..x.len() - 1 {
        let hii = 2.0 + 1200.0 * x[i] * x[i] - 400.0 * x[i + 1];
        let hij = -400.0 * x[i];
        total += hii * d[i] * d[i] + 2.0 * hij * d[i] * d[i + 1] + 200.0 * d[i + 1] * d[i + 1];
    }
    total
}

/// Counts violating chords by hand: uniform endpoints in [−2, 2]ᴰ, t uniform, one point each.
fn hand_chords<const D: usize>(chords: usize, seed: u64) -> usize {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut violations = 0;
    let (mut a, mut b, mut p, mut d) = ([0.0; D], [0.0; D], [0.0; D], [0.0; D]);
    for _ in 0..chords {
        for k in 0..D {
            a[k] = 4.0 * rng.random::<f64>() - 2.0;
            b[k] = 4.0 * rng.random::<f64>() - 2.0;
        }
        let t: f64 = rng.random();
        for k in 0..D {
            p[k] = t * a[k] + (1.0 - t) * b[k];
            d[k] = b[k] - a[k];
        }
        let (fa, fb, fp) = (rosenbrock(&a), rosenbrock(&b), rosenbrock(&p));
        let tolerance = 1e-9 * fa.abs().max(fb.abs()).max(fp.abs()) + 1e-12;
        if t * fa + (1.0 - t) * fb < fp - tolerance || rosenbrock_curvature(&p, &d) < -tolerance {
            violations += 1;
        }
    }
    violations
}

fn convexity<const D: usize>(c: &mut Criterion) {
    let chords = 2000;
    let mut group = c.benchmark_group(format!("convexity/d{D}"));
    group.throughput(Throughput::Elements(chords as u64));
    let test = ConvexityTest::new(Domain::cube(D, -2.0, 2.0))
        .chords(chords)
        .seed(1)
        .shrink(false);
    group.bench_function(BenchmarkId::new("chords", "dualopt"), |b| {
        b.iter(|| test.run(black_box(&Rosenbrock::<D>)).unwrap().violations)
    });
    group.bench_function(BenchmarkId::new("chords", "hand-written"), |b| {
        b.iter(|| hand_chords::<D>(black_box(chords), 1))
    });
    group.finish();
}

/// Richardson extrapolation of central differences over four halvings, by hand.
fn hand_richardson(x: &mut [f64], out: &mut [f64]) {
    for i in 0..x.len() {
        let base = x[i];
        let mut table = [0.0; 4];
        let mut h = 1e-2 * base.abs().max(1.0);
        for entry in table.iter_mut() {
            x[i] = base + h;
            let up = rosenbrock(x);
            x[i] = base - h;
            let down = rosenbrock(x);
            *entry = (up - down) / (2.0 * h);
            h /= 2.0;
        }
        x[i] = base;
        for level in 1..4 {
            let factor = 4f64.powi(level as i32);
            for k in (level..4).rev() {
                table[k] = (factor * table[k] - table[k - 1]) / (factor - 1.0);
            }
        }
        out[i] = table[3];
    }
}

fn gradient_check(c: &mut Criterion) {
    const D: usize = 10;
    let x0: Vec<f64> = (0..D).map(|i| 0.1 * i as f64 - 0.3).collect();
    let mut group = c.benchmark_group("gradient_check/d10");
    group.throughput(Throughput::Elements(D as u64));
    group.bench_function(BenchmarkId::new("richardson", "dualopt"), |b| {
        b.iter(|| {
            check_gradient(
                black_box(&Rosenbrock::<D>),
                &x0,
                FiniteDifference::richardson(),
            )
            .unwrap()
            .coordinates
            .len()
        })
    });
    group.bench_function(BenchmarkId::new("richardson", "hand-written"), |b| {
        let mut x = x0.clone();
        let mut estimate = vec![0.0; D];
        let mut exact = vec![0.0; D];
        b.iter(|| {
            hand_richardson(black_box(&mut x), &mut estimate);
            rosenbrock_gradient(&x, &mut exact);
            estimate
                .iter()
                .zip(&exact)
                .filter(|(e, g)| (*e - *g).abs() > 1e-7 * g.abs().max(1.0))
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, convexity::<2>, convexity::<10>, gradient_check);
criterion_main!(benches);
