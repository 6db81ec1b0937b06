//! Every bad input returns a typed error whose message names the value; nothing panics.

mod common;

use dualopt::prelude::*;
use ndarray::{Array1, Array2};
use std::io::Write;

fn csv_file(contents: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(contents.as_bytes()).unwrap();
    file
}

fn message(err: &Error) -> String {
    err.to_string()
}

#[test]
fn csv_missing_file() {
    let err = Dataset::from_csv("no/such/tips.csv", "tip", &[]).unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(message(&err).contains("no/such/tips.csv"), "{err}");
}

#[test]
fn csv_missing_column() {
    let file = csv_file("\"tip\",\"total_bill\"\n1.0,10.0\n");
    let err = Dataset::from_csv(file.path(), "tip", &["size"]).unwrap_err();
    let text = message(&err);
    assert!(matches!(err, Error::MissingColumn { .. }));
    assert!(text.contains("\"size\""), "{text}");
    assert!(text.contains("total_bill"), "{text}");
    assert!(text.contains(&file.path().display().to_string()), "{text}");
}

#[test]
fn csv_non_numeric_cell_names_line_and_column() {
    let file = csv_file("tip,total_bill\n1.0,10.0\n2.0,ten\n");
    let err = Dataset::from_csv(file.path(), "tip", &["total_bill"]).unwrap_err();
    let text = message(&err);
    assert!(
        matches!(err, Error::InvalidCell { line: 3, ref column, .. } if column == "total_bill"),
        "{text}"
    );
    assert!(text.contains("line 3"), "{text}");
    assert!(text.contains("\"ten\""), "{text}");
    assert!(text.contains(&file.path().display().to_string()), "{text}");
}

#[test]
fn csv_non_finite_cell() {
    for bad in ["NaN", "inf", "-infinity", ""] {
        let file = csv_file(&format!("tip,size\n1.0,2\n{bad},3\n"));
        let err = Dataset::from_csv(file.path(), "tip", &[]).unwrap_err();
        assert!(
            matches!(err, Error::InvalidCell { line: 3, .. }),
            "{bad}: {err}"
        );
    }
}

#[test]
fn csv_header_only() {
    let file = csv_file("tip,total_bill\n");
    let err = Dataset::from_csv(file.path(), "tip", &["total_bill"]).unwrap_err();
    assert!(matches!(err, Error::NoRows { .. }));
    assert!(message(&err).contains("no data rows"));
}

#[test]
fn csv_ragged_row() {
    let file = csv_file("tip,total_bill\n1.0,10.0\n2.0\n");
    let err = Dataset::from_csv(file.path(), "tip", &["total_bill"]).unwrap_err();
    assert!(matches!(err, Error::Csv { line: 3, .. }), "{err}");
}

#[test]
fn tips_loads_all_rows() {
    let data = Dataset::from_csv(common::tips_path(), "tip", &["total_bill", "size"]).unwrap();
    // data/README.md: 244 data rows; the first is 16.99, 1.01, size 2.
    assert_eq!(data.n_rows(), 244);
    assert_eq!(data.row(0), &[16.99, 2.0]);
    assert_eq!(data.target(0), 1.01);
    assert_eq!(data.feature_names(), &["total_bill", "size"]);
    assert_eq!(data.target_name(), "tip");
}

#[test]
fn dataset_rejects_empty_and_non_finite() {
    assert!(matches!(
        Dataset::from_targets(Vec::<f64>::new()),
        Err(Error::Empty { .. })
    ));
    let err = Dataset::from_targets(vec![1.0, f64::NAN]).unwrap_err();
    assert!(matches!(err, Error::NonFinite { index: 1, .. }));
    assert!(message(&err).contains("NaN"), "{err}");
    let err = Dataset::new(Array2::zeros((3, 2)), Array1::zeros(2)).unwrap_err();
    assert!(matches!(
        err,
        Error::DimensionMismatch {
            expected: 2,
            found: 3,
            ..
        }
    ));
    let mut x = Array2::zeros((2, 2));
    x[(1, 0)] = f64::INFINITY;
    let err = Dataset::new(x, Array1::zeros(2)).unwrap_err();
    assert!(matches!(err, Error::NonFinite { index: 2, .. }), "{err}");
}

#[test]
fn loss_settings_are_checked() {
    let data = Dataset::from_targets(vec![1.0, 2.0]).unwrap();
    for delta in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = EmpiricalRisk::new(Constant, Huber { delta }, &data).unwrap_err();
        assert!(message(&err).contains("Huber delta"), "{err}");
        assert!(EmpiricalRisk::new(Constant, PseudoHuber { delta }, &data).is_err());
    }
    for tau in [0.0, 1.0, -0.5, f64::NAN] {
        let err = EmpiricalRisk::new(Constant, Quantile { tau }, &data).unwrap_err();
        assert!(message(&err).contains("tau"), "{err}");
    }
    let err = EmpiricalRisk::new(Constant, Logistic, &data).unwrap_err();
    assert!(
        matches!(err, Error::InvalidTarget { index: 1, .. }),
        "{err}"
    );
    assert!(message(&err).contains("[0, 1]"), "{err}");
}

#[test]
fn model_without_parameters_is_rejected() {
    let data = Dataset::from_targets(vec![1.0]).unwrap();
    let err = EmpiricalRisk::new(Linear { intercept: false }, SquaredError, &data).unwrap_err();
    assert!(message(&err).contains("intercept"), "{err}");
}

fn mse_small() -> Dataset {
    Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2]).unwrap()
}

#[test]
fn descent_settings_are_checked() {
    let data = mse_small();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    for alpha in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        let err = GradientDescent::new()
            .learning_rate(alpha)
            .minimize(&risk, &[0.0])
            .unwrap_err();
        assert!(message(&err).contains("learning_rate"), "{err}");
    }
    let err = GradientDescent::new()
        .max_iterations(0)
        .minimize(&risk, &[0.0])
        .unwrap_err();
    assert!(message(&err).contains("max_iterations"), "{err}");
    let err = GradientDescent::new()
        .step_tolerance(-1e-3)
        .minimize(&risk, &[0.0])
        .unwrap_err();
    assert!(message(&err).contains("step_tolerance = -0.001"), "{err}");
    let err = GradientDescent::new()
        .observer(|_: &Iterate<'_>| {}, ObserverMode::Every(0))
        .minimize(&risk, &[0.0])
        .unwrap_err();
    assert!(message(&err).contains("Every"), "{err}");
    let err = GradientDescent::new()
        .minimize(&risk, &[0.0, 1.0])
        .unwrap_err();
    assert!(message(&err).contains("theta0"), "{err}");
    let err = GradientDescent::new()
        .minimize(&risk, &[f64::NAN])
        .unwrap_err();
    assert!(message(&err).contains("NaN"), "{err}");
}

#[test]
fn grid_settings_are_checked() {
    assert!(message(&GridSearch::arange(0.0, 1.0, 0.0).unwrap_err()).contains("step"));
    assert!(message(&GridSearch::arange(0.0, 1.0, -0.1).unwrap_err()).contains("-0.1"));
    assert!(message(&GridSearch::arange(2.0, 1.0, 0.1).unwrap_err()).contains("stop"));
    assert!(GridSearch::arange(f64::NAN, 1.0, 0.1).is_err());
    assert!(GridSearch::arange(0.0, 1e12, 1e-3).is_err());
    assert!(GridSearch::new(Vec::<f64>::new()).is_err());
    assert!(GridSearch::new(vec![1.0, f64::INFINITY]).is_err());
    let data = mse_small();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let grid = GridSearch::product(vec![vec![1.0], vec![2.0]]).unwrap();
    assert!(matches!(
        grid.minimize(&risk),
        Err(Error::DimensionMismatch { .. })
    ));
}

#[test]
fn divergence_is_an_error_with_last_finite_theta() {
    // MSE has curvature 2, so α = 1.5 multiplies the distance to the mean by |1 − 3| = 2
    // every step until the loss overflows.
    let data = mse_small();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let err = GradientDescent::new()
        .learning_rate(1.5)
        .minimize(&risk, &[0.0])
        .unwrap_err();
    match &err {
        Error::Diverged {
            iteration,
            last_theta,
            ..
        } => {
            assert!(*iteration > 100, "iteration {iteration}");
            assert!(last_theta[0].is_finite());
            let loss = value(&risk, last_theta).unwrap();
            assert!(loss.is_finite(), "loss at the last finite theta is {loss}");
        }
        other => panic!("expected Diverged, got {other:?}"),
    }
    assert!(message(&err).contains("diverged"), "{err}");
}

/// An objective whose value is NaN for θ < 0 (a square root of a negative number).
struct SqrtBowl;

impl Objective for SqrtBowl {
    fn dim(&self) -> usize {
        1
    }
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        x[0].sqrt() + (x[0] - 4.0).powi(2)
    }
}

#[test]
fn nan_loss_stops_run_instead_of_converging() {
    // From θ = 0.5 the first step overshoots below 0, where the loss is NaN.
    let err = GradientDescent::new()
        .learning_rate(2.0)
        .minimize(&SqrtBowl, &[0.5])
        .unwrap_err();
    assert!(matches!(err, Error::Diverged { .. }), "{err}");
    let err = GridSearch::new(vec![1.0, -1.0])
        .unwrap()
        .minimize(&SqrtBowl)
        .unwrap_err();
    assert!(matches!(err, Error::NonFiniteObjective { .. }), "{err}");
}

/// f(θ) = 10¹⁰⁰ θ: finite everywhere, with a gradient whose square overflows.
struct Steep;

impl Objective for Steep {
    fn dim(&self) -> usize {
        1
    }
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        x[0] * 1e100
    }
}

#[test]
fn huge_finite_gradient_is_not_divergence() {
    let solution = GradientDescent::new()
        .learning_rate(1e-300)
        .gradient_tolerance(None)
        .max_iterations(2)
        .minimize(&Steep, &[0.0])
        .unwrap();
    assert_eq!(solution.gradient_norm, 1e100);
}

#[test]
fn overflowing_step_reports_its_start() {
    // The second step, with α = 1e300, sends θ from −1 to −∞; θ = −1 had a finite loss
    // and gradient, so it is the last finite point.
    let err = GradientDescent::new()
        .learning_rate(LearningRate::custom(
            |k| if k == 0 { 1e-100 } else { 1e300 },
        ))
        .gradient_tolerance(None)
        .minimize(&Steep, &[0.0])
        .unwrap_err();
    match err {
        Error::Diverged {
            iteration,
            quantity,
            ref last_theta,
            ..
        } => {
            assert_eq!(iteration, 2);
            assert_eq!(quantity, "parameters");
            assert_eq!(last_theta, &vec![-1.0]);
        }
        other => panic!("expected Diverged, got {other:?}"),
    }
}

#[test]
fn non_finite_start_is_its_own_error() {
    let err = Newton::new().minimize(&SqrtBowl, &[-1.0]).unwrap_err();
    assert!(matches!(err, Error::NonFiniteStart { .. }), "{err}");
    assert!(err.to_string().contains("starting point"), "{err}");
}

#[test]
fn csv_empty_file() {
    let file = csv_file("");
    let err = Dataset::from_csv(file.path(), "tip", &[]).unwrap_err();
    assert!(message(&err).contains("empty"), "{err}");
}

#[test]
fn csv_duplicate_header() {
    let file = csv_file("tip,size,tip\n1,2,3\n");
    let err = Dataset::from_csv(file.path(), "tip", &["size"]).unwrap_err();
    assert!(message(&err).contains("appears twice"), "{err}");
}

#[test]
fn schedule_error_names_step() {
    let data = mse_small();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let err = GradientDescent::new()
        .learning_rate(LearningRate::custom(|k| if k < 4 { 0.1 } else { 0.0 }))
        .minimize(&risk, &[0.0])
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidSchedule { step: 4, .. }),
        "{err}"
    );
    assert!(message(&err).contains("step 4"), "{err}");
}

#[test]
fn batch_row_out_of_range() {
    let data = Dataset::from_targets(vec![1.0, 2.0, 3.0]).unwrap();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let mut grad = [0.0];
    let err = risk
        .value_and_gradient_rows(&[0.0], &[0, 3], &mut grad)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::RowOutOfRange {
                index: 3,
                n_rows: 3
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        message(&err),
        "row index 3 is out of range for a dataset of 3 rows; use indices below 3"
    );
}

#[test]
fn theta_length_checked_before_values() {
    // A θ that is both too long and NaN is first of all the wrong length.
    let data = Dataset::from_targets(vec![1.0, 2.0]).unwrap();
    let risk = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    let err = value_and_gradient(&risk, &[f64::NAN, 0.0]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::DimensionMismatch {
                expected: 1,
                found: 2,
                ..
            }
        ),
        "{err:?}"
    );
}
