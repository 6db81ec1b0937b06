//! Gradient checks on functions with known derivatives, kinks and pitfalls.
//!
//! Every pinned derivative is a closed form stated next to it.

mod common;

use common::tips_pcttip;
use dualopt::check::{
    Agreement, KinkOrder, NanCause, NanEntry, Scheme, TaylorVerdict, check_consistency,
};
use dualopt::prelude::*;
use num_dual::{Dual64, DualSVec64};

/// Rosenbrock's function f(x, y) = (1 − x)² + 100 (y − x²)².
struct Rosenbrock;

impl Objective for Rosenbrock {
    fn dim(&self) -> usize {
        2
    }

    fn eval<S: Scalar>(&self, t: &[S]) -> S {
        (-t[0] + 1.0).powi(2) + (t[1] - t[0] * t[0]).powi(2) * 100.0
    }
}

/// ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²)), written by hand.
fn rosenbrock_gradient(t: &[f64]) -> Vec<f64> {
    let (x, y) = (t[0], t[1]);
    vec![
        -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
        200.0 * (y - x * x),
    ]
}

/// Returns Rosenbrock's gradient with the sign of ∂f/∂y flipped.
fn rosenbrock_gradient_sign_error(t: &[f64]) -> Vec<f64> {
    let mut g = rosenbrock_gradient(t);
    g[1] = -g[1];
    g
}

/// f(x) = (x / 10⁸)³, a function whose natural scale is x ≈ 10⁸.
struct LargeScaleCubic;

impl Objective for LargeScaleCubic {
    fn dim(&self) -> usize {
        1
    }

    fn eval<S: Scalar>(&self, t: &[S]) -> S {
        (t[0] / 1e8).powi(3)
    }
}

/// f(x) = x₀ + √x₁.
struct SqrtSum;

impl Objective for SqrtSum {
    fn dim(&self) -> usize {
        2
    }

    fn eval<S: Scalar>(&self, t: &[S]) -> S {
        t[0] + t[1].sqrt()
    }
}

/// f(x) = x², written so that the derivative part is lost: the second factor is rebuilt from
/// the real part alone. Values are right for every number type; the dual derivative is x.
struct DroppedDerivative;

impl Objective for DroppedDerivative {
    fn dim(&self) -> usize {
        1
    }

    fn eval<S: Scalar>(&self, t: &[S]) -> S {
        t[0] * S::from(t[0].re())
    }
}

const ROSENBROCK_START: [f64; 2] = [-1.2, 1.0];

#[test]
fn rosenbrock_richardson_below_1e8() {
    let report = check_gradient(
        &Rosenbrock,
        &ROSENBROCK_START,
        FiniteDifference::richardson(),
    )
    .unwrap();

    // f(−1.2, 1) = 2.2² + 100 · (1 − 1.44)² = 24.2; ∇f = (−215.6, −88) by the closed form.
    assert!((report.value - 24.2).abs() < 1e-12);
    let expected = [-215.6, -88.0];
    for (c, e) in report.coordinates.iter().zip(expected) {
        assert_eq!(c.verdict, Verdict::Pass, "{report}");
        assert!(c.rel_error < 1e-8, "{report}");
        assert!((c.dual - e).abs() <= 1e-12 * e.abs(), "{report}");
    }
}

#[test]
fn rosenbrock_every_scheme_passes() {
    for fd in [
        FiniteDifference::forward(),
        FiniteDifference::backward(),
        FiniteDifference::central(),
    ] {
        let report = check_gradient(&Rosenbrock, &ROSENBROCK_START, fd).unwrap();
        assert!(report.is_ok(), "{report}");
        assert_eq!(report.counts().pass, 2, "{report}");
    }
}

#[test]
fn central_step_is_power_of_two() {
    // ε^(1/3) · max(|θᵢ|, 1) is 7.27e-6 at θ₀ = −1.2 and 6.06e-6 at θ₁ = 1; the power of
    // two below both is 2⁻¹⁸, and θ ± 2⁻¹⁸ is exact in f64.
    let report =
        check_gradient(&Rosenbrock, &ROSENBROCK_START, FiniteDifference::central()).unwrap();
    assert_eq!(report.coordinates[0].step, 2f64.powi(-18));
    assert_eq!(report.coordinates[1].step, 2f64.powi(-18));
}

#[test]
fn huber_at_delta_is_curvature_jump() {
    // At θ = 18 every residual yᵢ − θ is ≤ −1 = −δ, so every row is in the linear branch and
    // the gradient is mean(δ) = 1. Only y = 17 sits on the breakpoint: left of 18 its
    // residual enters the quadratic zone (curvature 1/5), right of it stays linear (0).
    let data = Dataset::from_targets(vec![12.0, 13.0, 15.0, 16.0, 17.0]).unwrap();
    let huber = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    for fd in [FiniteDifference::central(), FiniteDifference::richardson()] {
        let report = check_gradient(&huber, &[18.0], fd).unwrap();
        let c = &report.coordinates[0];
        assert_eq!(c.dual, 1.0);
        let Verdict::NonDifferentiable(kink) = c.verdict else {
            panic!("expected a curvature jump\n{report}");
        };
        assert_eq!(kink.order, KinkOrder::Second);
        assert!((kink.left - 0.2).abs() < 1e-6, "{report}");
        assert!(kink.right.abs() < 1e-6, "{report}");
    }
}

#[test]
fn huber_single_target_at_delta() {
    // y = 0, θ = −1: the residual is exactly δ = 1.
    let data = Dataset::from_targets(vec![0.0]).unwrap();
    let huber = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    let report = check_gradient(&huber, &[-1.0], FiniteDifference::central()).unwrap();
    let Verdict::NonDifferentiable(kink) = report.coordinates[0].verdict else {
        panic!("expected a curvature jump\n{report}");
    };
    assert_eq!(kink.order, KinkOrder::Second);
    // Left of θ = −1 the residual exceeds δ (linear, 0); right of it, quadratic (1).
    assert!(kink.left.abs() < 1e-6, "{report}");
    assert!((kink.right - 1.0).abs() < 1e-6, "{report}");
}

#[test]
fn huber_inside_zone_passes() {
    let data = Dataset::from_targets(vec![12.0, 13.0, 15.0, 16.0, 17.0]).unwrap();
    let huber = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    let report = check_gradient(&huber, &[14.5], FiniteDifference::central()).unwrap();
    // Residuals y − θ are −2.5, −1.5, 0.5, 1.5, 2.5, and only 0.5 is inside δ = 1. The
    // gradient is mean(−δ·sign(r) outside, −r inside) = (1 + 1 − 0.5 − 1 − 1)/5 = −0.1.
    assert!((report.coordinates[0].dual + 0.1).abs() < 1e-15);
    assert_eq!(report.coordinates[0].verdict, Verdict::Pass, "{report}");
}

#[test]
fn mae_at_data_point_is_kink() {
    // At θ = 4: left slope (2 below − 3 at or above)/5 = −0.2, right slope (3 − 2)/5 = 0.2.
    // The dual derivative uses sign(0) = 0, the subgradient (2 − 2)/5 = 0.
    let data = Dataset::from_targets(vec![1.0, 2.0, 4.0, 7.0, 11.0]).unwrap();
    let mae = EmpiricalRisk::new(Constant, AbsoluteError, &data).unwrap();
    for fd in [
        FiniteDifference::forward(),
        FiniteDifference::central(),
        FiniteDifference::richardson(),
    ] {
        let report = check_gradient(&mae, &[4.0], fd).unwrap();
        let c = &report.coordinates[0];
        assert_eq!(c.dual, 0.0);
        let Verdict::NonDifferentiable(kink) = c.verdict else {
            panic!("expected a kink\n{report}");
        };
        assert_eq!(kink.order, KinkOrder::First);
        assert!((kink.left + 0.2).abs() < 1e-9, "{report}");
        assert!((kink.right - 0.2).abs() < 1e-9, "{report}");
        assert!(kink.exact_between);
        assert!(report.is_ok());
    }
}

#[test]
fn mae_kink_hidden_without_detection() {
    // The two sides cancel in a central quotient, so without kink detection the check
    // passes the subgradient 0, as the detect_kinks docs warn.
    let data = Dataset::from_targets(vec![1.0, 2.0, 4.0, 7.0, 11.0]).unwrap();
    let mae = EmpiricalRisk::new(Constant, AbsoluteError, &data).unwrap();
    let check = GradientCheck::new(FiniteDifference::central()).detect_kinks(false);
    let report = check.run(&mae, &[4.0]).unwrap();
    assert_eq!(report.coordinates[0].verdict, Verdict::Pass);
}

#[test]
fn mae_off_data_point_passes() {
    // At θ = 5: three targets below (+1 each), two above (−1 each): gradient 0.2.
    let data = Dataset::from_targets(vec![1.0, 2.0, 4.0, 7.0, 11.0]).unwrap();
    let mae = EmpiricalRisk::new(Constant, AbsoluteError, &data).unwrap();
    let report = check_gradient(&mae, &[5.0], FiniteDifference::central()).unwrap();
    assert_eq!(report.coordinates[0].dual, 0.2);
    assert_eq!(report.coordinates[0].verdict, Verdict::Pass, "{report}");
}

#[test]
fn mae_tips_data_point_is_kink() {
    let data = tips_pcttip();
    let mae = EmpiricalRisk::new(Constant, AbsoluteError, &data).unwrap();
    let theta = data.targets()[0];
    let ties = data.targets().iter().filter(|&&y| y == theta).count();
    let report = check_gradient(&mae, &[theta], FiniteDifference::central()).unwrap();
    let Verdict::NonDifferentiable(kink) = report.coordinates[0].verdict else {
        panic!("expected a kink\n{report}");
    };
    // Crossing a data point flips the sign of |y − θ|'s slope for each tied row: the mean
    // slope jumps by 2 · ties / n.
    let n = data.n_rows() as f64;
    assert!(
        ((kink.right - kink.left) - 2.0 * ties as f64 / n).abs() < 1e-9,
        "{report}"
    );
}

#[test]
fn large_scale_relative_step_passes() {
    // f′(x) = 3x² / 10²⁴ = 3·10⁻⁸ at x = 10⁸.
    for fd in [
        FiniteDifference::forward(),
        FiniteDifference::central(),
        FiniteDifference::richardson(),
    ] {
        let report = check_gradient(&LargeScaleCubic, &[1e8], fd).unwrap();
        let c = &report.coordinates[0];
        assert!((c.dual - 3e-8).abs() < 1e-22);
        assert_eq!(c.verdict, Verdict::Pass, "{report}");
    }
}

#[test]
fn large_scale_absolute_step_unreliable() {
    for fd in [
        FiniteDifference::forward(),
        FiniteDifference::central(),
        FiniteDifference::richardson(),
    ] {
        let fd = fd.absolute_step(1e-8).unwrap();
        let report = check_gradient(&LargeScaleCubic, &[1e8], fd).unwrap();
        let c = &report.coordinates[0];
        assert_eq!(
            c.verdict,
            Verdict::Unreliable,
            "{:?}\n{report}",
            fd.scheme()
        );
        assert!(c.fd_error > c.allowance, "{report}");
    }
    // 10⁸ lies in [2²⁶, 2²⁷), where one ulp is 2⁻²⁶ ≈ 1.49e-8: 10⁸ + 10⁻⁸ rounds up to
    // 10⁸ + 2⁻²⁶, and that is the step actually used.
    let fd = FiniteDifference::central().absolute_step(1e-8).unwrap();
    let report = check_gradient(&LargeScaleCubic, &[1e8], fd).unwrap();
    assert_eq!(report.coordinates[0].step, 2f64.powi(-26));
}

#[test]
fn logistic_far_logit_passes() {
    // With y = 1 and z = 17, ℓ = ln(1 + e^(−z)) ≈ 4.1e-8 is computed without cancelling
    // terms of size 17, so finite differences resolve its slope σ(z) − 1 = −e^(−z)/(1 + e^(−z))
    // to many digits and the check passes.
    let data = Dataset::from_targets(vec![1.0]).unwrap();
    let logistic = EmpiricalRisk::new(Constant, Logistic, &data).unwrap();
    let report = check_gradient(&logistic, &[17.0], FiniteDifference::central()).unwrap();
    let c = &report.coordinates[0];
    let exact = -(-17.0f64).exp() / (1.0 + (-17.0f64).exp());
    assert!((c.dual - exact).abs() < 1e-22, "{report}");
    assert_eq!(c.verdict, Verdict::Pass, "{report}");
    assert!(c.rel_error < 1e-6, "{report}");
}

#[test]
fn compare_names_analytic_sign_error() {
    let report = compare_gradients(
        &Rosenbrock,
        &ROSENBROCK_START,
        rosenbrock_gradient_sign_error,
    )
    .unwrap();
    assert_eq!(
        report.coordinates[0].agreement,
        Agreement::AllAgree,
        "{report}"
    );
    assert_eq!(
        report.coordinates[1].agreement,
        Agreement::OddOneOut(Source::Analytic),
        "{report}"
    );
    assert_eq!(report.odd_one_out(), Some(Source::Analytic));
    assert!(!report.is_ok());
}

#[test]
fn compare_names_dual_when_derivative_dropped() {
    // The hand-written 2x and finite differences agree; the dual derivative x does not.
    let report = compare_gradients(&DroppedDerivative, &[3.0], |t| vec![2.0 * t[0]]).unwrap();
    assert_eq!(report.coordinates[0].dual, 3.0);
    assert_eq!(report.odd_one_out(), Some(Source::Dual), "{report}");
}

#[test]
fn compare_correct_gradient_agrees() {
    let report = compare_gradients(&Rosenbrock, &ROSENBROCK_START, rosenbrock_gradient).unwrap();
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.odd_one_out(), None);
}

#[test]
fn taylor_slope_two_for_right_gradient() {
    let report = taylor_test(&Rosenbrock, &ROSENBROCK_START).unwrap();
    let slope = report.slope.unwrap();
    assert!((slope - 2.0).abs() <= 0.1, "{report}");
    assert_eq!(report.verdict, TaylorVerdict::SecondOrder);
    assert!(report.passed());
}

#[test]
fn taylor_slope_one_for_wrong_gradient() {
    let wrong = rosenbrock_gradient_sign_error(&ROSENBROCK_START);
    let report = TaylorTest::new()
        .run_with_gradient(&Rosenbrock, &ROSENBROCK_START, &wrong)
        .unwrap();
    let slope = report.slope.unwrap();
    assert!((slope - 1.0).abs() <= 0.1, "{report}");
    assert_eq!(report.verdict, TaylorVerdict::FirstOrder);
    assert!(!report.passed());
}

#[test]
fn taylor_seed_is_reproducible() {
    let first = TaylorTest::new()
        .seed(7)
        .run(&Rosenbrock, &ROSENBROCK_START)
        .unwrap();
    let again = TaylorTest::new()
        .seed(7)
        .run(&Rosenbrock, &ROSENBROCK_START)
        .unwrap();
    let other = TaylorTest::new()
        .seed(8)
        .run(&Rosenbrock, &ROSENBROCK_START)
        .unwrap();
    let bits = |r: &dualopt::check::TaylorReport| -> Vec<u64> {
        r.direction.iter().map(|d| d.to_bits()).collect()
    };
    assert_eq!(bits(&first), bits(&again));
    assert_eq!(first, again);
    assert_ne!(bits(&first), bits(&other));
}

#[test]
fn taylor_affine_function_at_rounding_level() {
    // f(x, y) = 3x − 2y + 1 is affine, so the remainder is pure rounding.
    struct Affine;
    impl Objective for Affine {
        fn dim(&self) -> usize {
            2
        }
        fn eval<S: Scalar>(&self, t: &[S]) -> S {
            t[0] * 3.0 - t[1] * 2.0 + 1.0
        }
    }
    let report = taylor_test(&Affine, &[0.5, 2.0]).unwrap();
    assert_eq!(report.verdict, TaylorVerdict::RoundingLevel, "{report}");
    assert!(report.passed());
}

#[test]
fn nan_attribution_sqrt_at_zero() {
    let report = attribute_nan(&SqrtSum, &[1.0, 0.0]).unwrap();
    // One joint pass seeds both coordinates, and d√x/dx at 0 (0 · ∞ in num-dual) spreads.
    assert!(report.dual_gradient[0].is_nan());
    assert!(report.dual_gradient[1].is_nan());
    // ∂f/∂x₀ = 1 exactly; ∂f/∂x₁ = 1/(2√x₁) has no finite value at 0.
    assert_eq!(report.gradient[0], 1.0);
    assert!(report.gradient[1].is_nan());
    assert_eq!(report.recovered, vec![0]);
    assert_eq!(
        report.flagged,
        vec![NanEntry {
            index: 1,
            cause: NanCause::Derivative,
            value: 1.0,
        }]
    );
}

#[test]
fn scalar_dual_cannot_isolate_nan() {
    // Why the attribution uses DualSVec64<1>: Dual64 stores an explicit zero derivative for
    // the unseeded x₁, and 0 · NaN = NaN reaches ∂f/∂x₀.
    let scalar = SqrtSum.eval(&[Dual64::new(1.0, 1.0), Dual64::new(0.0, 0.0)]);
    assert!(scalar.eps.is_nan());
    let vector = SqrtSum.eval(&[
        DualSVec64::<1>::from_re(1.0).derivative(0),
        DualSVec64::<1>::from_re(0.0),
    ]);
    assert_eq!(vector.eps.0.map(|v| v[0]), Some(1.0));
}

#[test]
fn check_gradient_keeps_finite_entries() {
    let report = check_gradient(&SqrtSum, &[1.0, 0.0], FiniteDifference::central()).unwrap();
    assert_eq!(report.coordinates[0].dual, 1.0);
    assert_eq!(report.coordinates[0].verdict, Verdict::Pass, "{report}");
    assert_eq!(report.coordinates[1].verdict, Verdict::Nan, "{report}");
    assert!(report.nan.as_ref().is_some_and(|n| n.has_nan()));
}

#[test]
fn nan_value_is_attributed_to_value() {
    // √(x₀ − 2) at x₀ = 1 is NaN itself, so no derivative exists.
    struct OutsideDomain;
    impl Objective for OutsideDomain {
        fn dim(&self) -> usize {
            2
        }
        fn eval<S: Scalar>(&self, t: &[S]) -> S {
            (t[0] - 2.0).sqrt() + t[1]
        }
    }
    let report = attribute_nan(&OutsideDomain, &[1.0, 0.0]).unwrap();
    let causes: Vec<NanCause> = report.flagged.iter().map(|e| e.cause).collect();
    assert_eq!(causes, vec![NanCause::Value, NanCause::Value]);
    let err = check_gradient(&OutsideDomain, &[1.0, 0.0], FiniteDifference::central());
    assert!(matches!(err, Err(Error::NonFiniteObjective { .. })));
}

#[test]
fn finite_difference_estimates_cover_truth() {
    // Each estimate must lie within its own error bound of the closed form.
    let gradient = FiniteDifference::richardson()
        .gradient(&Rosenbrock, &ROSENBROCK_START)
        .unwrap();
    for (e, want) in gradient.iter().zip(rosenbrock_gradient(&ROSENBROCK_START)) {
        assert!((e.value - want).abs() <= e.error, "{e:?} vs {want}");
        assert!(e.error < 1e-9 * want.abs(), "{e:?}");
    }

    // ∇²f(−1.2, 1) = [[1330, 480], [480, 200]] by the closed form.
    let hessian = FiniteDifference::central()
        .hessian(&Rosenbrock, &ROSENBROCK_START)
        .unwrap();
    let expected = [[1330.0, 480.0], [480.0, 200.0]];
    for ((i, j), &want) in ndarray::Array2::from(expected.to_vec()).indexed_iter() {
        let error = hessian.errors[(i, j)];
        assert!((hessian.values[(i, j)] - want).abs() <= error);
        assert!(error < 1e-6 * want);
    }
    assert_eq!(hessian.steps, vec![2f64.powi(-18); 2]);
}

#[test]
fn rosenbrock_hessian_passes() {
    let report =
        check_hessian(&Rosenbrock, &ROSENBROCK_START, FiniteDifference::central()).unwrap();
    // ∂²f/∂x² = 2 − 400(y − 3x²) = 1330, ∂²f/∂x∂y = −400x = 480, ∂²f/∂y² = 200.
    let expected = [[1330.0, 480.0], [480.0, 200.0]];
    for e in &report.entries {
        assert_eq!(e.verdict, Verdict::Pass, "{report}");
        let want = expected[e.row][e.column];
        assert!((e.dual - want).abs() < 1e-9 * want, "{report}");
    }
    assert!(report.symmetric);
    assert!(report.is_ok());
}

#[test]
fn hessian_flags_non_gradient_field() {
    /// Claims the gradient (−y, x) of f = 0: a rotation field, which is the gradient of no
    /// function, so its Jacobian [[0, −1], [1, 0]] is not symmetric.
    struct Rotation;
    impl Objective for Rotation {
        fn dim(&self) -> usize {
            2
        }
        fn eval<S: Scalar>(&self, _t: &[S]) -> S {
            S::zero()
        }
        fn value_and_gradient(&self, theta: &[f64], grad_out: &mut [f64]) -> Result<f64, Error> {
            grad_out[0] = -theta[1];
            grad_out[1] = theta[0];
            Ok(0.0)
        }
    }
    let report = check_hessian(&Rotation, &[0.3, 0.7], FiniteDifference::central()).unwrap();
    assert!(!report.symmetric, "{report}");
    assert!((report.symmetry_residual - 2.0).abs() < 1e-9, "{report}");
    assert!(!report.is_ok());
}

#[test]
fn hessian_entry_jumps_at_huber_delta() {
    let data = Dataset::from_targets(vec![12.0, 13.0, 15.0, 16.0, 17.0]).unwrap();
    let huber = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    let report = check_hessian(&huber, &[18.0], FiniteDifference::central()).unwrap();
    let Verdict::NonDifferentiable(kink) = report.entries[0].verdict else {
        panic!("expected a jump of the Hessian entry\n{report}");
    };
    assert_eq!(kink.order, KinkOrder::First);
}

#[test]
fn consistency_builtin_losses_agree() {
    let data = tips_pcttip();
    let theta = [15.5];
    let mse = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let huber = EmpiricalRisk::new(Constant, Huber { delta: 1.0 }, &data).unwrap();
    let quartic = EmpiricalRisk::new(Constant, Quartic, &data).unwrap();
    for report in [
        check_consistency(&mse, &theta).unwrap(),
        check_consistency(&huber, &theta).unwrap(),
        check_consistency(&quartic, &theta).unwrap(),
        check_consistency(&Rosenbrock, &ROSENBROCK_START).unwrap(),
    ] {
        assert!(report.is_consistent(), "{report}");
        assert!(report.values.iter().all(|v| v.ulps == 0), "{report}");
    }
}

#[test]
fn consistency_catches_type_dependent_path() {
    /// eˣ, but plain f64 takes a "fast" fourth-order Taylor polynomial.
    struct FastPathExp;
    impl Objective for FastPathExp {
        fn dim(&self) -> usize {
            1
        }
        fn eval<S: Scalar>(&self, t: &[S]) -> S {
            let x = t[0];
            if std::mem::size_of::<S>() == std::mem::size_of::<f64>() {
                S::one() + x + x * x * 0.5 + x.powi(3) / 6.0 + x.powi(4) / 24.0
            } else {
                x.exp()
            }
        }
    }
    let report = check_consistency(&FastPathExp, &[0.5]).unwrap();
    assert!(!report.is_consistent(), "{report}");
    // Every dual type takes the exp branch; the polynomial at 0.5 is
    // 1 + 0.5 + 0.125 + 0.5³/6 + 0.5⁴/24 = 1.6484375 exactly.
    let gap = 0.5f64.exp() - 1.6484375;
    for v in &report.values {
        assert!(!v.consistent, "{report}");
        assert!((v.difference - gap).abs() < 1e-15, "{report}");
    }
}

#[test]
fn invalid_inputs_are_rejected() {
    let central = FiniteDifference::central();

    assert!(matches!(
        check_gradient(&Rosenbrock, &[1.0, 2.0, 3.0], central),
        Err(Error::DimensionMismatch {
            what: "theta",
            expected: 2,
            found: 3
        })
    ));
    assert!(matches!(
        check_gradient(&Rosenbrock, &[1.0, f64::NAN], central),
        Err(Error::NonFinite {
            what: "theta",
            index: 1,
            ..
        })
    ));

    let step = FiniteDifference::central().absolute_step(0.0).unwrap_err();
    assert_eq!(
        step.to_string(),
        "invalid absolute finite-difference step = 0: must be finite and > 0"
    );
    assert!(FiniteDifference::central().relative_step(-1e-3).is_err());
    assert!(FiniteDifference::central().relative_step(f64::NAN).is_err());

    assert!(Tolerance::new(-1.0, 0.0).is_err());
    assert!(Tolerance::new(1e-6, f64::INFINITY).is_err());
    assert!(matches!(
        compare_gradients(&Rosenbrock, &ROSENBROCK_START, |_| vec![0.0]),
        Err(Error::DimensionMismatch {
            what: "analytic gradient",
            expected: 2,
            found: 1
        })
    ));

    assert!(TaylorTest::new().steps(2).is_err());
    assert!(TaylorTest::new().first_step(0.0).is_err());
    assert!(matches!(
        TaylorTest::new()
            .direction(vec![0.0, 0.0])
            .run(&Rosenbrock, &ROSENBROCK_START),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn report_prints_aligned_table() {
    let report =
        check_gradient(&Rosenbrock, &ROSENBROCK_START, FiniteDifference::central()).unwrap();
    let text = report.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("gradient check: central differences"));
    // Header and two rows, right-aligned to the same width.
    let widths: Vec<usize> = lines[1..4].iter().map(|l| l.chars().count()).collect();
    assert_eq!(widths, vec![widths[0]; 3], "{text}");
    assert!(lines[1].ends_with("verdict"));
    assert!(lines[2].ends_with("pass"));
    assert_eq!(
        lines[4],
        "summary: 2 pass, 0 fail, 0 non-differentiable, 0 FD unreliable, 0 NaN"
    );
    assert!(lines[5].starts_with("worst coordinate: "));
}

#[test]
fn report_explains_kink_and_unreliable() {
    let data = Dataset::from_targets(vec![1.0, 2.0, 4.0, 7.0, 11.0]).unwrap();
    let mae = EmpiricalRisk::new(Constant, AbsoluteError, &data).unwrap();
    let text = check_gradient(&mae, &[4.0], FiniteDifference::central())
        .unwrap()
        .to_string();
    assert!(text.contains("coordinate 0: kink: slope"), "{text}");
    assert!(text.contains("lies between them"), "{text}");

    let fd = FiniteDifference::central().absolute_step(1e-8).unwrap();
    let text = check_gradient(&LargeScaleCubic, &[1e8], fd)
        .unwrap()
        .to_string();
    assert!(text.contains("finite differences cannot judge"), "{text}");
}

#[test]
fn assert_macros_accept_good_gradients() {
    assert_gradient_close!(Rosenbrock, ROSENBROCK_START);
    assert_gradient_close!(Rosenbrock, ROSENBROCK_START, FiniteDifference::richardson());
    assert_gradient_close!(Rosenbrock, vec![0.5, 0.5], analytic = rosenbrock_gradient);
    assert_hessian_close!(Rosenbrock, ROSENBROCK_START);
    assert_hessian_close!(Rosenbrock, &[0.5, 0.5], FiniteDifference::richardson());
}

#[test]
#[should_panic(expected = "gradient check failed at θ = [3.0] (0 pass, 1 fail")]
fn assert_gradient_close_panics_with_report() {
    assert_gradient_close!(DroppedDerivative, [3.0]);
}

#[test]
#[should_panic(expected = "analytic is the odd one out")]
fn assert_gradient_close_names_analytic() {
    assert_gradient_close!(
        Rosenbrock,
        ROSENBROCK_START,
        analytic = rosenbrock_gradient_sign_error
    );
}

#[test]
fn report_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<FiniteDifference>();
    send_sync::<GradientCheck>();
    send_sync::<GradientReport>();
    send_sync::<dualopt::check::ComparisonReport>();
    send_sync::<dualopt::check::HessianReport>();
    send_sync::<dualopt::check::TaylorReport>();
    send_sync::<dualopt::check::ConsistencyReport>();
    send_sync::<dualopt::check::NanReport>();
    send_sync::<TaylorTest>();
    assert_eq!(FiniteDifference::default().scheme(), Scheme::Central);
}
