//! The textbook's procedures on its own data, reproduced to the last bit.
//!
//! Every pinned value below was printed by the textbook's numpy code (numpy 2.4, Python
//! 3.11): `simple_minimize` over `np.arange(12, 18, 0.1)`, and `minimize` with
//! `alpha = 0.2` and the stopping rule `abs(new_theta - theta) < 0.001`.

mod common;

use common::tips_pcttip;
use dualopt::prelude::*;

fn grid_answer<L: Loss>(loss: L, data: &Dataset) -> f64 {
    let risk = EmpiricalRisk::new(Constant, loss, data).unwrap();
    let grid = GridSearch::arange(12.0, 18.0, 0.1).unwrap();
    grid.minimize(&risk).unwrap().theta[0]
}

fn textbook_descent<L: Loss>(loss: L, data: &Dataset) -> (Solution, String) {
    let risk = EmpiricalRisk::new(Constant, loss, data).unwrap();
    let mut lines = Vec::new();
    let solution = GradientDescent::new()
        .learning_rate(0.2)
        .step_tolerance(0.001)
        .gradient_tolerance(None)
        .observer(Progress::new(&mut lines), ObserverMode::Always)
        .minimize(&risk, &[0.0])
        .unwrap();
    (solution, String::from_utf8(lines).unwrap())
}

#[test]
fn arange_matches_numpy() {
    // np.arange(12, 18, 0.1): 60 points, the last printed by numpy as 17.899999999999977.
    let grid = GridSearch::arange(12.0, 18.0, 0.1).unwrap();
    assert_eq!(grid.len(), 60);
    assert_eq!(grid.axes()[0][59], 17.899999999999977);
}

#[test]
fn grid_search_mse_small_data() {
    let data = Dataset::from_targets(vec![12.0, 13.0, 15.0, 16.0, 17.0]).unwrap();
    assert_eq!(grid_answer(SquaredError, &data), 14.59999999999999);
}

#[test]
fn grid_search_huber_small_data() {
    let data = Dataset::from_targets(vec![12.0, 13.0, 15.0, 16.0, 17.0]).unwrap();
    assert_eq!(grid_answer(Huber { delta: 1.0 }, &data), 14.99999999999999);
}

#[test]
fn grid_search_huber_tips() {
    assert_eq!(
        grid_answer(Huber { delta: 1.0 }, &tips_pcttip()),
        15.499999999999988
    );
}

#[test]
fn descent_mse_replays_textbook_run() {
    let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2]).unwrap();
    let (solution, printed) = textbook_descent(SquaredError, &data);
    assert_eq!(solution.theta, vec![14.658511131035242]);
    assert_eq!(solution.iterations, 18);
    // 18 steps, each from one gradient evaluation, plus one at the returned point.
    assert_eq!(solution.evaluations.gradient, 19);

    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 18);
    assert_eq!(lines[0], "theta: 0.00 | loss: 218.76");
    assert_eq!(lines[1], "theta: 5.86 | loss: 81.21");
    assert_eq!(lines[17], "theta: 14.66 | loss: 3.84");
    assert!(matches!(
        solution.termination,
        Termination::StepTolerance { .. }
    ));
}

#[test]
fn descent_huber_tips() {
    let (solution, _) = textbook_descent(Huber { delta: 1.0 }, &tips_pcttip());
    assert_eq!(solution.theta, vec![15.506849531471964]);
    // numpy's loop took 189 gradient evaluations.
    assert_eq!(solution.iterations, 189);
}

/// Runs plain descent from the textbook's result with tolerances near machine precision.
fn tight_descent<L: Loss>(loss: L, data: &Dataset, start: f64) -> Solution {
    let risk = EmpiricalRisk::new(Constant, loss, data).unwrap();
    GradientDescent::new()
        .learning_rate(0.2)
        .gradient_tolerance(1e-13)
        .step_tolerance(1e-14)
        .max_iterations(200_000)
        .minimize(&risk, &[start])
        .unwrap()
}

#[test]
fn tight_mse_is_mean() {
    let data = tips_pcttip();
    let solution = tight_descent(SquaredError, &data, 0.0);
    // np.mean(pcttip) printed 16.08025817225047.
    assert!((solution.theta[0] - 16.08025817225047).abs() < 1e-12);
    assert!(solution.termination.converged());
}

#[test]
fn tight_huber_tips() {
    let data = tips_pcttip();
    let solution = tight_descent(Huber { delta: 1.0 }, &data, 15.506849531471964);
    // The Huber minimizer solves Σ clip(yᵢ − θ, −1, 1) = 0; 15.530633813965784 was found by
    // bisection on that sum in numpy.
    assert!((solution.theta[0] - 15.530633813965784).abs() < 1e-9);
}

#[test]
fn tight_mae_lies_among_medians() {
    let data = tips_pcttip();
    let solution = tight_descent(AbsoluteError, &data, 0.0);
    // With 244 rows, every θ between the 122nd and 123rd sorted values minimizes the MAE;
    // numpy's sorted(pcttip)[121:123] printed these two values.
    let (low, high) = (15.432098765432098, 15.521855486173058);
    assert!(
        low <= solution.theta[0],
        "{} below the medians",
        solution.theta[0]
    );
    assert!(
        solution.theta[0] <= high,
        "{} above the medians",
        solution.theta[0]
    );
}

fn quartic_at_zero() -> Dataset {
    Dataset::from_targets(vec![0.0]).unwrap()
}

#[test]
fn quartic_one_step() {
    let data = quartic_at_zero();
    let risk = EmpiricalRisk::new(Constant, Quartic, &data).unwrap();
    let solution = GradientDescent::new()
        .learning_rate(2.5)
        .max_iterations(1)
        .gradient_tolerance(None)
        .record_trace(true)
        .minimize(&risk, &[-21.0])
        .unwrap();
    // numpy: -21 - 2.5 * grad_quartic_loss(-21, [0]) printed -9.944999999999999.
    assert_eq!(solution.theta, vec![-9.944999999999999]);
    assert_eq!(solution.iterations, 1);
}

#[test]
fn quartic_local_and_global_minima() {
    let data = quartic_at_zero();
    let risk = EmpiricalRisk::new(Constant, Quartic, &data).unwrap();
    let run = |start: f64| {
        GradientDescent::new()
            .learning_rate(1.0)
            .gradient_tolerance(1e-12)
            .max_iterations(100_000)
            .minimize(&risk, &[start])
            .unwrap()
            .theta[0]
    };
    // The stationary points solve 2r³ + 9r² − 529r − 327 = 0 with r = −θ; numpy.roots gives
    // r = 14.50805, −0.61263 and −18.39541, so the minima are θ = −14.508 and θ = 18.3954.
    let local = run(-21.0);
    let global = run(20.0);
    assert!((local - -14.508).abs() < 1e-3, "local minimum {local}");
    assert!((global - 18.3954).abs() < 1e-3, "global minimum {global}");
    let f = |t: f64| value(&risk, &[t]).unwrap();
    assert!(f(global) < f(local));
}
