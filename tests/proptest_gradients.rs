//! Property tests: the dual-number gradient of every built-in loss under every built-in
//! model agrees with central finite differences at random points.
//!
//! Smooth losses must pass everywhere. Losses with kinks or curvature breakpoints must
//! pass at points whose residuals all keep a margin from the breakpoints, and must be
//! reported as non-differentiable at points placed exactly on one.

use dualopt::check::{KinkOrder, Verdict};
use dualopt::prelude::*;
use ndarray::{Array1, Array2};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// Fixed seed, so that every run explores the same cases. Failures found while the tests
/// were written are replayed first, from proptest_gradients.proptest-regressions.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        rng_seed: RngSeed::Fixed(0x5eed_2024),
        ..ProptestConfig::default()
    }
}

#[derive(Debug, Clone, Copy)]
enum ModelKind {
    Constant,
    LinearWithIntercept,
    LinearWithoutIntercept,
}

impl ModelKind {
    fn n_params(self, n_features: usize) -> usize {
        match self {
            ModelKind::Constant => 1,
            ModelKind::LinearWithIntercept => n_features + 1,
            ModelKind::LinearWithoutIntercept => n_features,
        }
    }
}

/// A dataset, a model and a point θ.
#[derive(Debug, Clone)]
struct Problem {
    features: Vec<Vec<f64>>,
    targets: Vec<f64>,
    model: ModelKind,
    theta: Vec<f64>,
}

impl Problem {
    fn dataset(&self) -> Dataset {
        let n = self.targets.len();
        let d = self.features[0].len();
        let flat: Vec<f64> = self.features.iter().flatten().copied().collect();
        let x = Array2::from_shape_vec((n, d), flat).unwrap();
        Dataset::new(x, Array1::from(self.targets.clone())).unwrap()
    }

    /// Predictions at θ, computed the way the models define them.
    fn predictions(&self) -> Vec<f64> {
        self.features
            .iter()
            .map(|row| match self.model {
                ModelKind::Constant => self.theta[0],
                ModelKind::LinearWithIntercept => {
                    self.theta[0]
                        + row
                            .iter()
                            .zip(&self.theta[1..])
                            .map(|(x, w)| x * w)
                            .sum::<f64>()
                }
                ModelKind::LinearWithoutIntercept => {
                    row.iter().zip(&self.theta).map(|(x, w)| x * w).sum::<f64>()
                }
            })
            .collect()
    }

    /// Residuals r = y − ŷ at θ.
    fn residuals(&self) -> Vec<f64> {
        self.targets
            .iter()
            .zip(self.predictions())
            .map(|(y, p)| y - p)
            .collect()
    }

    /// Returns the largest change of a prediction that the kink detector's largest probe
    /// can cause: 2⁻⁷ · max(|θᵢ|, 1) times the largest |feature| (1 for the intercept).
    fn largest_probe(&self) -> f64 {
        let theta_scale = self.theta.iter().fold(1.0f64, |m, t| m.max(t.abs()));
        let feature_scale = self
            .features
            .iter()
            .flatten()
            .fold(1.0f64, |m, x| m.max(x.abs()));
        theta_scale * feature_scale / 128.0
    }
}

/// Up to 6 rows of 1 to 3 features in [−3, 3], targets from `targets`, and θ with entries
/// in [−`theta_range`, `theta_range`].
fn problem(targets: BoxedStrategy<f64>, theta_range: f64) -> impl Strategy<Value = Problem> {
    (1usize..=6, 1usize..=3, 0u8..3)
        .prop_flat_map(move |(n, d, kind)| {
            let model = match kind {
                0 => ModelKind::Constant,
                1 => ModelKind::LinearWithIntercept,
                _ => ModelKind::LinearWithoutIntercept,
            };
            (
                prop::collection::vec(prop::collection::vec(-3.0..3.0, d), n),
                prop::collection::vec(targets.clone(), n),
                prop::collection::vec(-theta_range..theta_range, model.n_params(d)),
                Just(model),
            )
        })
        .prop_map(|(features, targets, theta, model)| Problem {
            features,
            targets,
            model,
            theta,
        })
}

fn regression_targets() -> BoxedStrategy<f64> {
    (-20.0..20.0).boxed()
}

fn labels() -> BoxedStrategy<f64> {
    prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0].boxed()
}

/// Runs central differences with their default tolerance on `loss` under the problem's
/// model.
fn check<L: Loss>(loss: L, p: &Problem) -> GradientReport {
    let data = p.dataset();
    let fd = FiniteDifference::central();
    match p.model {
        ModelKind::Constant => {
            let risk = EmpiricalRisk::new(Constant, loss, &data).unwrap();
            check_gradient(&risk, &p.theta, fd).unwrap()
        }
        ModelKind::LinearWithIntercept => {
            let risk = EmpiricalRisk::new(Linear { intercept: true }, loss, &data).unwrap();
            check_gradient(&risk, &p.theta, fd).unwrap()
        }
        ModelKind::LinearWithoutIntercept => {
            let risk = EmpiricalRisk::new(Linear { intercept: false }, loss, &data).unwrap();
            check_gradient(&risk, &p.theta, fd).unwrap()
        }
    }
}

fn all_pass(report: &GradientReport) -> Result<(), TestCaseError> {
    for c in &report.coordinates {
        prop_assert_eq!(
            c.verdict,
            Verdict::Pass,
            "coordinate {}\n{}",
            c.index,
            report
        );
    }
    Ok(())
}

/// Skips problems with a residual within twice the largest probe of a breakpoint.
fn keeps_margin(p: &Problem, breakpoints: &[f64]) -> bool {
    let margin = 2.0 * p.largest_probe();
    p.residuals()
        .iter()
        .all(|r| breakpoints.iter().all(|b| (r - b).abs() > margin))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn squared_error_passes(p in problem(regression_targets(), 5.0)) {
        all_pass(&check(SquaredError, &p))?;
    }

    #[test]
    fn pseudo_huber_passes(p in problem(regression_targets(), 5.0), delta in 0.5f64..3.0) {
        all_pass(&check(PseudoHuber { delta }, &p))?;
    }

    #[test]
    fn log_cosh_passes(p in problem(regression_targets(), 5.0)) {
        all_pass(&check(LogCosh, &p))?;
    }

    /// θ stays in [−1, 1], so the logit |z| ≤ 10. Beyond that, for a label matching the
    /// sign of z, the loss z + ln(1 + e^(−z)) − y·z is a difference of terms of size |z|
    /// that cancel to about e^(−|z|), and finite differences cannot resolve its gradient to
    /// the tolerance. `logistic_far_logit_never_fails` in gradient_check.rs covers that case.
    #[test]
    fn logistic_passes(p in problem(labels(), 1.0)) {
        all_pass(&check(Logistic, &p))?;
    }

    #[test]
    fn quartic_passes(p in problem(regression_targets(), 5.0)) {
        all_pass(&check(Quartic, &p))?;
    }

    #[test]
    fn absolute_error_passes_off_kinks(p in problem(regression_targets(), 5.0)) {
        prop_assume!(keeps_margin(&p, &[0.0]));
        all_pass(&check(AbsoluteError, &p))?;
    }

    #[test]
    fn quantile_passes_off_kinks(p in problem(regression_targets(), 5.0), tau in 0.05..0.95) {
        prop_assume!(keeps_margin(&p, &[0.0]));
        all_pass(&check(Quantile { tau }, &p))?;
    }

    #[test]
    fn huber_passes_off_breakpoints(p in problem(regression_targets(), 5.0), delta in 0.5f64..3.0) {
        prop_assume!(keeps_margin(&p, &[-delta, delta]));
        all_pass(&check(Huber { delta }, &p))?;
    }

    /// θ on a data point: the slope jumps by 2·(ties)/n, so the verdict is a first-order
    /// kink, with the subgradient 0 of |r| at r = 0 lying between the one-sided slopes.
    #[test]
    fn absolute_error_kink_at_data_point(
        ys in prop::collection::vec(-20i32..20, 1..=6),
        k in 0usize..6,
    ) {
        let targets: Vec<f64> = ys.iter().map(|&y| f64::from(y)).collect();
        let theta = targets[k % targets.len()];
        let data = Dataset::from_targets(targets).unwrap();
        let mae = EmpiricalRisk::new(Constant, AbsoluteError, &data).unwrap();
        let report = check_gradient(&mae, &[theta], FiniteDifference::central()).unwrap();
        let Verdict::NonDifferentiable(kink) = report.coordinates[0].verdict else {
            return Err(TestCaseError::fail(format!("expected a kink\n{report}")));
        };
        prop_assert_eq!(kink.order, KinkOrder::First);
        prop_assert!(kink.exact_between, "{}", report);
    }

    /// θ on a data point: the pinball loss's slope jumps by (ties)/n.
    #[test]
    fn quantile_kink_at_data_point(
        ys in prop::collection::vec(-20i32..20, 1..=6),
        k in 0usize..6,
        tau in 0.05..0.95,
    ) {
        let targets: Vec<f64> = ys.iter().map(|&y| f64::from(y)).collect();
        let theta = targets[k % targets.len()];
        let data = Dataset::from_targets(targets).unwrap();
        let risk = EmpiricalRisk::new(Constant, Quantile { tau }, &data).unwrap();
        let report = check_gradient(&risk, &[theta], FiniteDifference::central()).unwrap();
        let Verdict::NonDifferentiable(kink) = report.coordinates[0].verdict else {
            return Err(TestCaseError::fail(format!("expected a kink\n{report}")));
        };
        prop_assert_eq!(kink.order, KinkOrder::First);
    }

    /// θ = y_k − δ puts residual k exactly on Huber's breakpoint r = δ; with no residual
    /// at −δ to cancel it, the second derivative jumps by (ties)/n while the slope stays
    /// continuous.
    #[test]
    fn huber_curvature_jump_at_breakpoint(
        ys in prop::collection::vec(-20i32..20, 1..=6),
        k in 0usize..6,
        delta in prop_oneof![Just(0.5), Just(1.0), Just(2.0)],
    ) {
        let targets: Vec<f64> = ys.iter().map(|&y| f64::from(y)).collect();
        let theta = targets[k % targets.len()] - delta;
        prop_assume!(targets.iter().all(|&y| y - theta != -delta));
        let data = Dataset::from_targets(targets).unwrap();
        let huber = EmpiricalRisk::new(Constant, Huber { delta }, &data).unwrap();
        let report = check_gradient(&huber, &[theta], FiniteDifference::central()).unwrap();
        let Verdict::NonDifferentiable(kink) = report.coordinates[0].verdict else {
            return Err(TestCaseError::fail(format!("expected a curvature jump\n{report}")));
        };
        prop_assert_eq!(kink.order, KinkOrder::Second);
    }
}
