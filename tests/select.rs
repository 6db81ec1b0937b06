//! The branch-free `select` against plain if/else, kinks included.

use dualopt::prelude::*;
use num_dual::{Dual2_64, Dual64};

/// Huber loss of a residual written with if/else, the reference for the built-in one.
fn huber_if_else<S: Scalar>(r: S, delta: f64) -> S {
    if r.re().abs() < delta {
        r * r * 0.5
    } else {
        (r * r.sign() - delta * 0.5) * delta
    }
}

#[test]
fn huber_matches_if_else_everywhere() {
    let delta = 1.0;
    let residuals = [
        -3.0, -1.0, -0.999, -0.5, -0.0, 0.0, 0.5, 0.999, 1.0, 1.001, 7.0,
    ];
    for r in residuals {
        let prediction = Dual2_64::new(0.0, 1.0, 0.0);
        // ℓ(ŷ) with target r: the residual is r − ŷ.
        let built_in = Huber { delta }.loss(prediction, r);
        let reference = huber_if_else(-prediction + r, delta);
        assert_eq!(built_in.re, reference.re, "value at r = {r}");
        assert_eq!(built_in.v1, reference.v1, "slope at r = {r}");
        assert_eq!(built_in.v2, reference.v2, "curvature at r = {r}");
    }
}

#[test]
fn huber_linear_branch_for_any_delta() {
    // The built-in linear branch is δ|r| − ½δ². With δ = 1 that is numpy's δ(|r| − ½δ) bit
    // for bit (the test above). For other δ the two forms may differ by rounding only.
    for delta in [0.3, 1.35, 2.5] {
        for r in [-7.25, -3.0 * delta, -delta, delta, 1.5 * delta, 11.0] {
            let prediction = Dual2_64::new(0.0, 1.0, 0.0);
            let built_in = Huber { delta }.loss(prediction, r);
            let numpy_form = (r.abs() - delta * 0.5) * delta;
            let tolerance = 4.0 * f64::EPSILON * numpy_form.abs();
            assert!(
                (built_in.re - numpy_form).abs() <= tolerance,
                "value at r = {r}, δ = {delta}: {} against {numpy_form}",
                built_in.re
            );
            // ∂ℓ/∂ŷ = −δ sign(r) and no curvature, exactly.
            assert_eq!(
                built_in.v1,
                -delta * r.signum(),
                "slope at r = {r}, δ = {delta}"
            );
            assert_eq!(built_in.v2, 0.0, "curvature at r = {r}, δ = {delta}");
        }
    }
}

#[test]
fn select_keeps_unused_branch_out() {
    // ln of a negative number is NaN and 1/0 is infinite; neither may reach the result.
    let x = Dual64::new(-2.0, 1.0);
    let chosen = select(x.re < 0.0, x * x, x.ln());
    assert_eq!((chosen.re, chosen.eps), (4.0, -4.0));
    let zero = Dual64::new(0.0, 1.0);
    let chosen = select(zero.re == 0.0, Dual64::from(1.0), zero.recip());
    assert_eq!((chosen.re, chosen.eps), (1.0, 0.0));
    assert_eq!(select(false, f64::INFINITY, 2.0), 2.0);
}

#[test]
fn logcosh_exact_at_zero() {
    // ln cosh has value 0, slope 0 and curvature 1 at r = 0, from either sign of zero.
    for zero in [0.0, -0.0] {
        let l = LogCosh.loss(Dual2_64::new(zero, 1.0, 0.0), 0.0);
        assert_eq!(l.re, 0.0);
        assert_eq!(l.v1, 0.0);
        assert!((l.v2 - 1.0).abs() < 1e-15, "curvature {}", l.v2);
    }
}

#[test]
fn max_and_min_select_by_real_part() {
    let a = Dual64::new(2.0, 1.0);
    let b = Dual64::new(3.0, -1.0);
    assert_eq!(ScalarExt::max(a, b).eps, -1.0);
    assert_eq!(ScalarExt::min(a, b).eps, 1.0);
}

#[test]
fn abs_symmetric_has_zero_slope_at_zero() {
    for zero in [0.0, -0.0] {
        let x = Dual64::new(zero, 1.0);
        assert_eq!(x.abs_symmetric().eps, 0.0);
    }
    assert_eq!(Dual64::new(-2.0, 1.0).abs_symmetric().eps, -1.0);
    assert_eq!(Dual64::new(2.0, 1.0).abs_symmetric().re, 2.0);
}

#[test]
fn safe_sqrt_has_zero_slope_at_zero() {
    let zero = Dual64::new(0.0, 1.0);
    assert!(!zero.sqrt().eps.is_finite());
    assert_eq!(zero.safe_sqrt().eps, 0.0);
    let four = Dual64::new(4.0, 1.0).safe_sqrt();
    assert_eq!((four.re, four.eps), (2.0, 0.25));
}

#[test]
fn num_dual_abs_follows_sign_bit() {
    // Pins the behaviour that docs/losses.md describes and abs_symmetric avoids.
    assert_eq!(Dual64::new(0.0, 1.0).abs().eps, 1.0);
    assert_eq!(Dual64::new(-0.0, 1.0).abs().eps, -1.0);
    assert_eq!(Dual64::new(0.0, 1.0).signum().re, 1.0);
    assert_eq!(Dual64::new(-0.0, 1.0).signum().re, 0.0);
}
