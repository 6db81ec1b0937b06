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
    // numpy printed 14.599999999999991, the same double as this shortest literal.
    assert_eq!(grid_answer(SquaredError, &data), 14.59999999999999);
}

#[test]
fn grid_search_huber_small_data() {
    let data = Dataset::from_targets(vec![12.0, 13.0, 15.0, 16.0, 17.0]).unwrap();
    // numpy printed 14.999999999999989, the same double as this shortest literal.
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
