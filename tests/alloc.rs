//! No heap allocation per row or per iteration: a counting global allocator.
//!
//! The allocator counts allocations made by the current thread only, so tests running in
//! parallel in this binary do not disturb each other.

use dualopt::prelude::*;
use ndarray::{Array1, Array2};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: forwards the caller's layout to the system allocator unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was returned by `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: `ptr` and `layout` come from this allocator, which forwards to `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

fn data(n: usize, d: usize) -> Dataset {
    let x = Array2::from_shape_fn((n, d), |(i, j)| ((i * 13 + j * 7) % 17) as f64 / 17.0 - 0.5);
    let y = Array1::from_shape_fn(n, |i| ((i * 5) % 11) as f64 / 11.0);
    Dataset::new(x, y).unwrap()
}

/// ŷ = θ₀ · tanh(θ₁ x₁ + … ): not linear in θ, so it takes the dual-number path.
struct TanhModel;

impl Model for TanhModel {
    fn n_params(&self, n_features: usize) -> usize {
        n_features + 1
    }
    fn predict<S: Scalar>(&self, theta: &[S], features: &[f64]) -> S {
        let mut inner = S::zero();
        for (&w, &x) in theta[1..].iter().zip(features) {
            inner += w * x;
        }
        theta[0] * inner.tanh()
    }
}

#[test]
fn counter_sees_allocations() {
    let count = allocations_during(|| {
        std::hint::black_box(vec![1u8; 10]);
    });
    assert_eq!(count, 1);
}

#[test]
fn gradient_evaluations_do_not_allocate() {
    let tall = data(5000, 11);
    let constant = EmpiricalRisk::new(Constant, Huber { delta: 0.3 }, &tall).unwrap();
    let linear = EmpiricalRisk::new(Linear { intercept: true }, LogCosh, &tall).unwrap();
    let nonlinear = EmpiricalRisk::new(TanhModel, SquaredError, &tall).unwrap();
    let theta: Vec<f64> = (0..12).map(|j| 0.1 * j as f64).collect();
    let mut grad = vec![0.0; 12];

    let count = allocations_during(|| {
        for _ in 0..3 {
            constant
                .value_and_gradient(&theta[..1], &mut grad[..1])
                .unwrap();
            linear.value_and_gradient(&theta, &mut grad).unwrap();
            nonlinear.value_and_gradient(&theta, &mut grad).unwrap();
            constant
                .value_and_gradient_rows(&theta[..1], &[3, 1, 4], &mut grad[..1])
                .unwrap();
        }
    });
    assert_eq!(count, 0);
}

#[test]
fn descent_iterations_do_not_allocate() {
    let tall = data(2000, 3);
    let risk = EmpiricalRisk::new(Linear { intercept: true }, Huber { delta: 0.5 }, &tall).unwrap();
    let run = |iterations: usize| {
        allocations_during(|| {
            GradientDescent::new()
                .learning_rate(0.1)
                .update(UpdateRule::ADAM)
                .line_search(Armijo::default())
                .gradient_tolerance(None)
                .max_iterations(iterations)
                .minimize(&risk, &[0.0; 4])
                .unwrap();
        })
    };
    // Set-up allocates a fixed number of buffers; more iterations must add none.
    assert_eq!(run(5), run(500));
}

#[test]
fn sgd_epochs_do_not_allocate() {
    let tall = data(1000, 2);
    let risk = EmpiricalRisk::new(Linear { intercept: true }, SquaredError, &tall).unwrap();
    let run = |epochs: usize| {
        allocations_during(|| {
            Sgd::new()
                .batch_size(32)
                .update(UpdateRule::NESTEROV)
                .learning_rate(0.01)
                .max_epochs(epochs)
                .patience(1000)
                .minimize(&risk, &[0.0; 3])
                .unwrap();
        })
    };
    assert_eq!(run(2), run(40));
}
