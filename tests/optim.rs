//! Stochastic and mini-batch descent, update rules, schedules, line search and Newton.

mod common;

use common::{tips_path, tips_pcttip};
use dualopt::prelude::*;

/// Rosenbrock's function f(x, y) = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1).
struct Rosenbrock;

impl Objective for Rosenbrock {
    fn dim(&self) -> usize {
        2
    }
    fn eval<S: Scalar>(&self, t: &[S]) -> S {
        (-t[0] + 1.0).powi(2) + (t[1] - t[0] * t[0]).powi(2) * 100.0
    }
}

const ROSENBROCK_START: [f64; 2] = [-1.2, 1.0];

fn distance_to_one(theta: &[f64]) -> f64 {
    theta.iter().map(|t| (t - 1.0).powi(2)).sum::<f64>().sqrt()
}

/// The Huber minimizer on tips pcttip, from bisection on Σ clip(yᵢ − θ, −1, 1) in numpy.
const HUBER_TIPS_MINIMIZER: f64 = 15.530633813965784;

#[test]
fn full_mini_batch_equals_full_batch() {
    let data = tips_pcttip();
    let risk = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    let batch = GradientDescent::new()
        .learning_rate(0.2)
        .gradient_tolerance(None)
        .max_iterations(40)
        .record_trace(true)
        .minimize(&risk, &[0.0])
        .unwrap();
    let mini = Sgd::new()
        .batch_size(data.n_rows())
        .learning_rate(0.2)
        .max_epochs(40)
        .seed(7)
        .record_trace(true)
        .minimize(&risk, &[0.0])
        .unwrap();
    let batch_trace = batch.trace.unwrap();
    let mini_trace = mini.trace.unwrap();
    assert_eq!(batch_trace.len(), mini_trace.len());
    for (a, b) in batch_trace.iter().zip(mini_trace.iter()) {
        assert_eq!(a.theta, b.theta, "iteration {}", a.iteration);
        assert_eq!(a.loss, b.loss, "iteration {}", a.iteration);
    }
    assert_eq!(batch.theta, mini.theta);
    assert_eq!(mini.termination, Termination::MaxEpochs { epochs: 40 });
}

#[test]
fn sgd_reaches_huber_minimizer() {
    let data = tips_pcttip();
    let risk = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    // αₖ = 0.5 / (1 + 0.02 k): about 20 % of the rows lie inside δ, so the curvature is
    // c ≈ 0.2 and c·α₀/decay ≈ 5 > 1, which lets the start-up bias decay faster than 1/k.
    for seed in 0..4 {
        let solution = Sgd::new()
            .batch_size(1)
            .learning_rate(LearningRate::InverseTime {
                initial: 0.5,
                decay: 0.02,
            })
            .max_epochs(200)
            .seed(seed)
            .minimize(&risk, &[0.0])
            .unwrap();
        let error = (solution.theta[0] - HUBER_TIPS_MINIMIZER).abs();
        assert!(error < 1e-3, "seed {seed}: error {error:e}");
        assert_eq!(solution.evaluations.row_gradient, 200 * 244);
    }
}

#[test]
fn mini_batch_reaches_huber_minimizer() {
    let data = tips_pcttip();
    let risk = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    // With k = 10 and n = 244 the last batch of each epoch contains 4 rows at weight 1/4
    // instead of 1/10. Which 4 rows is random, so each epoch's fixed point moves by about
    // 0.05 around the minimizer, and only a small learning rate averages that out: here the
    // rate ends near 2.5e-5 after 20 000 epochs, leaving a spread of about 5e-4 across seeds.
    let solution = Sgd::new()
        .batch_size(10)
        .learning_rate(LearningRate::InverseTime {
            initial: 0.5,
            decay: 0.04,
        })
        .max_epochs(20_000)
        .seed(0)
        .minimize(&risk, &[0.0])
        .unwrap();
    let error = (solution.theta[0] - HUBER_TIPS_MINIMIZER).abs();
    assert!(error < 1e-3, "error {error:e}");
    assert_eq!(solution.evaluations.row_gradient, 20_000 * 244);
    assert_eq!(solution.iterations, 20_000 * 25);
}

#[test]
fn last_partial_batch_is_its_own_mean() {
    // Three equal targets with k = 2: batches of 2 rows and then 1 row. Every batch mean of
    // the squared-error gradient is −2 (1 − θ), so each step is θ ← θ + 2α (1 − θ). A last
    // batch divided by k instead of its own size would move only half as far.
    let data = Dataset::from_targets(vec![1.0, 1.0, 1.0]).unwrap();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let alpha = 0.125;
    let solution = Sgd::new()
        .batch_size(2)
        .learning_rate(alpha)
        .max_epochs(1)
        .minimize(&risk, &[0.0])
        .unwrap();
    let after_first = 2.0 * alpha;
    let after_second = after_first + 2.0 * alpha * (1.0 - after_first);
    assert_eq!(solution.theta, vec![after_second]);
    assert_eq!(solution.iterations, 2);
    assert_eq!(solution.evaluations.row_gradient, 3);
}

#[test]
fn sgd_first_iterates_are_pinned() {
    // Value stability: these iterates were printed by this implementation (ChaCha8 seeded
    // with 2024, rand 0.10's Fisher–Yates shuffle). A change means the random stream or the
    // order of operations changed, and runs with old seeds would no longer reproduce.
    let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2]).unwrap();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let run = || {
        Sgd::new()
            .learning_rate(0.2)
            .max_epochs(1)
            .seed(2024)
            .record_trace(true)
            .minimize(&risk, &[0.0])
            .unwrap()
    };
    let first = run();
    let second = run();
    // Debug strings compare NaN entries (the returned point's learning rate) as equal.
    assert_eq!(format!("{first:?}"), format!("{second:?}"));
    let thetas: Vec<f64> = first
        .trace
        .as_ref()
        .unwrap()
        .iter()
        .map(|it| it.theta[0])
        .collect();
    assert_eq!(thetas, PINNED_SGD_ITERATES.to_vec());

    let other = Sgd::new()
        .learning_rate(0.2)
        .max_epochs(1)
        .seed(2025)
        .minimize(&risk, &[0.0])
        .unwrap();
    assert_ne!(other.theta, first.theta);
}

/// Seed 2024 visits the rows in the order 4, 1, 2, 3, 0 (targets 17.2, 12.8, 14.9, 16.3,
/// 12.1). Each step is θ ← θ + 0.4 (y − θ), which gives these values by hand.
const PINNED_SGD_ITERATES: [f64; 6] = [0.0, 6.88, 9.248000000000001, 11.5088, 13.42528, 12.895168];

#[test]
fn adam_solves_rosenbrock() {
    let solution = GradientDescent::new()
        .update(UpdateRule::ADAM)
        .learning_rate(LearningRate::Cosine {
            initial: 0.02,
            minimum: 1e-9,
            period: 40_000,
        })
        .gradient_tolerance(1e-8)
        .max_iterations(40_000)
        .minimize(&Rosenbrock, &ROSENBROCK_START)
        .unwrap();
    assert!(distance_to_one(&solution.theta) < 1e-6, "{solution:?}");
    assert!(solution.termination.converged());
}

#[test]
fn nesterov_solves_rosenbrock() {
    let solution = GradientDescent::new()
        .update(UpdateRule::NESTEROV)
        .learning_rate(1e-3)
        .gradient_tolerance(1e-8)
        .max_iterations(50_000)
        .minimize(&Rosenbrock, &ROSENBROCK_START)
        .unwrap();
    assert!(distance_to_one(&solution.theta) < 1e-6, "{solution:?}");
}

#[test]
fn armijo_solves_rosenbrock() {
    let solution = GradientDescent::new()
        .learning_rate(1.0)
        .line_search(Armijo::default())
        .gradient_tolerance(1e-8)
        .max_iterations(100_000)
        .minimize(&Rosenbrock, &ROSENBROCK_START)
        .unwrap();
    assert!(distance_to_one(&solution.theta) < 1e-6, "{solution:?}");
    assert!(solution.evaluations.value > solution.iterations);
}

#[test]
fn newton_solves_rosenbrock_quickly() {
    let solution = Newton::new()
        .minimize(&Rosenbrock, &ROSENBROCK_START)
        .unwrap();
    assert!(distance_to_one(&solution.theta) < 1e-6, "{solution:?}");
    assert!(
        solution.iterations < 50,
        "{} iterations",
        solution.iterations
    );
    // One Hessian per point visited, the returned point included.
    assert_eq!(solution.evaluations.hessian, solution.iterations + 1);
}

#[test]
fn newton_damps_indefinite_hessian() {
    // At (−0.5, 1), Rosenbrock's Hessian [[1200x² − 400y + 2, −400x], [−400x, 200]] has
    // a negative determinant, so the undamped Newton step would not descend.
    let start = [-0.5, 1.0];
    let (_, _, h) = hessian(&Rosenbrock, &start).unwrap();
    assert!(h[(0, 0)] * h[(1, 1)] - h[(0, 1)] * h[(1, 0)] < 0.0);
    let solution = Newton::new()
        .record_trace(true)
        .minimize(&Rosenbrock, &start)
        .unwrap();
    let trace = solution.trace.as_ref().unwrap();
    assert!(trace.get(1).loss < trace.get(0).loss);
    assert!(distance_to_one(&solution.theta) < 1e-6);
}

#[test]
fn halving_policy_rescues_divergent_run() {
    let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2]).unwrap();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let failed = GradientDescent::new()
        .learning_rate(1.5)
        .minimize(&risk, &[0.0])
        .unwrap_err();
    let Error::Diverged { last_theta, .. } = failed else {
        panic!("expected Diverged, got {failed:?}");
    };
    assert!(last_theta[0].is_finite());

    let rescued = GradientDescent::new()
        .learning_rate(1.5)
        .divergence(DivergencePolicy::HalveStep { max_retries: 3 })
        .gradient_tolerance(1e-10)
        .minimize(&risk, &[0.0])
        .unwrap();
    // The mean of the five targets, 14.66, is the MSE minimizer.
    assert!((rescued.theta[0] - 14.66).abs() < 1e-10, "{rescued:?}");
    assert!(rescued.termination.converged());
}

#[test]
fn linear_least_squares_matches_closed_form() {
    let data = Dataset::from_csv(tips_path(), "tip", &["total_bill", "size"]).unwrap();
    let risk = EmpiricalRisk::new(Linear { intercept: true }, SquaredError, &data).unwrap();
    let solution = Newton::new().minimize(&risk, &[0.0, 0.0, 0.0]).unwrap();

    // Closed form, computed independently: least squares by nalgebra's SVD on [1, x₁, x₂].
    let n = data.n_rows();
    let x = nalgebra::DMatrix::from_fn(n, 3, |i, j| if j == 0 { 1.0 } else { data.row(i)[j - 1] });
    let y = nalgebra::DVector::from_column_slice(data.targets());
    let beta = x.svd(true, true).solve(&y, 1e-14).unwrap();
    for j in 0..3 {
        assert!(
            (solution.theta[j] - beta[j]).abs() < 1e-8,
            "θ{j} = {} vs {}",
            solution.theta[j],
            beta[j]
        );
    }
    assert!(
        solution.iterations <= 3,
        "{} iterations",
        solution.iterations
    );
}

#[test]
fn linear_huber_reports_termination() {
    let data = Dataset::from_csv(tips_path(), "tip", &["total_bill", "size"]).unwrap();
    let risk = EmpiricalRisk::new(Linear { intercept: true }, Huber { delta: 1.0 }, &data).unwrap();
    let solution = Newton::new().minimize(&risk, &[0.0, 0.0, 0.0]).unwrap();
    assert!(solution.termination.converged(), "{}", solution.termination);
    assert!(solution.termination.to_string().starts_with("converged"));
    assert!(solution.gradient_norm <= 1e-10);
}

#[test]
fn invalid_settings_name_the_value() {
    let data = tips_pcttip();
    let risk = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    let message = |r: Result<Solution, Error>| r.unwrap_err().to_string();

    for alpha in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let text = message(Sgd::new().learning_rate(alpha).minimize(&risk, &[0.0]));
        assert!(text.contains("learning_rate"), "{text}");
    }
    let text = message(Sgd::new().batch_size(0).minimize(&risk, &[0.0]));
    assert!(text.contains("batch_size = 0"), "{text}");
    let text = message(Sgd::new().batch_size(245).minimize(&risk, &[0.0]));
    assert!(text.contains("batch_size = 245"), "{text}");
    let text = message(Sgd::new().max_epochs(0).minimize(&risk, &[0.0]));
    assert!(text.contains("max_epochs = 0"), "{text}");
    for beta in [1.0, -0.1, 1.5, f64::NAN] {
        let text = message(
            GradientDescent::new()
                .update(UpdateRule::Momentum { beta })
                .minimize(&risk, &[0.0]),
        );
        assert!(text.contains("Momentum beta"), "{text}");
        assert!(text.contains("[0, 1)"), "{text}");
    }
    let text = message(
        GradientDescent::new()
            .update(UpdateRule::Adam {
                beta1: 0.9,
                beta2: 1.0,
                epsilon: 1e-8,
            })
            .minimize(&risk, &[0.0]),
    );
    assert!(text.contains("Adam beta2 = 1"), "{text}");
    let text = message(
        GradientDescent::new()
            .line_search(Armijo {
                c1: 0.0,
                ..Armijo::default()
            })
            .minimize(&risk, &[0.0]),
    );
    assert!(text.contains("Armijo c1"), "{text}");
    let text = message(
        GradientDescent::new()
            .learning_rate(LearningRate::custom(|k| if k < 3 { 0.1 } else { -1.0 }))
            .minimize(&risk, &[0.0]),
    );
    assert!(text.contains("-1"), "{text}");
}

#[test]
fn observer_modes_select_iterates() {
    let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2]).unwrap();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let mut every = Vec::new();
    let mut best = Vec::new();
    let mut never = 0;
    let mut all = Vec::new();
    GradientDescent::new()
        .learning_rate(0.9)
        .gradient_tolerance(None)
        .max_iterations(12)
        .observer(
            |it: &Iterate<'_>| every.push(it.iteration),
            ObserverMode::Every(5),
        )
        .observer(
            |it: &Iterate<'_>| best.push((it.iteration, it.loss)),
            ObserverMode::NewBest,
        )
        .observer(|_: &Iterate<'_>| never += 1, ObserverMode::Never)
        .observer(|it: &Iterate<'_>| all.push(it.loss), ObserverMode::Always)
        .minimize(&risk, &[0.0])
        .unwrap();
    assert_eq!(every, vec![0, 5, 10]);
    assert_eq!(never, 0);
    assert_eq!(all.len(), 12);
    // α = 0.9 overshoots (the factor per step is 1 − 2·0.9 = −0.8) but still shrinks the
    // distance to the mean, so every iterate is a new best.
    assert_eq!(best.len(), 12);
    assert!(best.windows(2).all(|w| w[1].1 < w[0].1));
}

#[test]
fn new_best_skips_worse_iterates() {
    // On the quartic from θ = −21 with α = 2.5 the second iterate overshoots uphill.
    let data = Dataset::from_targets(vec![0.0]).unwrap();
    let risk = EmpiricalRisk::new(Constant, Quartic, &data).unwrap();
    let mut all = Vec::new();
    let mut best = Vec::new();
    GradientDescent::new()
        .learning_rate(2.5)
        .gradient_tolerance(None)
        .max_iterations(30)
        .observer(|it: &Iterate<'_>| all.push(it.loss), ObserverMode::Always)
        .observer(|it: &Iterate<'_>| best.push(it.loss), ObserverMode::NewBest)
        .minimize(&risk, &[-21.0])
        .unwrap();
    let mut running = f64::INFINITY;
    let expected: Vec<f64> = all
        .iter()
        .copied()
        .filter(|&loss| {
            let new_best = loss < running;
            running = running.min(loss);
            new_best
        })
        .collect();
    assert_eq!(best, expected);
    assert!(
        best.len() < all.len(),
        "some iterate must be worse than an earlier one"
    );
}

#[test]
fn progress_prints_vectors() {
    let mut out = Vec::new();
    GradientDescent::new()
        .learning_rate(1e-3)
        .max_iterations(1)
        .observer(Progress::new(&mut out), ObserverMode::Always)
        .minimize(&Rosenbrock, &ROSENBROCK_START)
        .unwrap();
    // f(−1.2, 1) = (1 + 1.2)² + 100 (1 − 1.44)² = 4.84 + 19.36 = 24.2.
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "theta: [-1.20, 1.00] | loss: 24.20\n"
    );
}

#[test]
fn counters_separate_kinds_of_evaluation() {
    let data = tips_pcttip();
    let risk = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    let searched = GradientDescent::new()
        .learning_rate(4.0)
        .line_search(Armijo::default())
        .max_iterations(5)
        .minimize(&risk, &[0.0])
        .unwrap();
    assert_eq!(searched.evaluations.gradient, 6);
    assert!(searched.evaluations.value >= 5);
    assert_eq!(searched.evaluations.row_gradient, 0);

    let stochastic = Sgd::new()
        .batch_size(7)
        .max_epochs(3)
        .gradient_tolerance(1e-12)
        .minimize(&risk, &[0.0])
        .unwrap();
    assert_eq!(stochastic.evaluations.row_gradient, 3 * 244);
    // One full gradient per epoch for the epoch rule, and one at the returned point.
    assert_eq!(stochastic.evaluations.gradient, 4);
}
