//! Dual-number gradients of the built-in losses against the textbook's hand-written ones.
//!
//! The hand-written gradients below are the textbook's formulas, and appear only here as
//! the reference. The relative error is taken against the mean of the absolute per-row
//! terms, the scale at which a mean of terms with mixed signs can be computed at all.

mod common;

use common::tips_pcttip;
use dualopt::prelude::*;

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Textbook gradient: −2·mean(y − θ).
fn mse_terms(theta: f64, y: f64) -> f64 {
    -2.0 * (y - theta)
}

/// Textbook gradient: mean of −(y − θ) where |y − θ| < δ and −δ·sign(y − θ) elsewhere.
fn huber_terms(theta: f64, y: f64) -> f64 {
    let r = y - theta;
    if r.abs() < 1.0 { -r } else { -sign(r) }
}

/// Textbook gradient: −(2r³ + 9r² − 529r − 327)/2500 with r = y − θ.
fn quartic_terms(theta: f64, y: f64) -> f64 {
    let r = y - theta;
    -(2.0 * r.powi(3) + 9.0 * r.powi(2) - 529.0 * r - 327.0) / 2500.0
}

/// Textbook gradient of the MAE: −mean(sign(y − θ)).
fn mae_terms(theta: f64, y: f64) -> f64 {
    -sign(y - theta)
}

fn assert_matches<L: Loss>(loss: L, data: &Dataset, terms: fn(f64, f64) -> f64) {
    let risk = EmpiricalRisk::new(Constant, loss, data).unwrap();
    let n = data.n_rows() as f64;
    for k in 0..=400 {
        let theta = -30.0 + 0.15 * k as f64 + 0.0123;
        let hand: f64 = data.targets().iter().map(|&y| terms(theta, y)).sum::<f64>() / n;
        let scale: f64 = data
            .targets()
            .iter()
            .map(|&y| terms(theta, y).abs())
            .sum::<f64>()
            / n;
        let dual = gradient(&risk, &[theta]).unwrap()[0];
        let error = (dual - hand).abs() / scale.max(f64::MIN_POSITIVE);
        assert!(
            error <= 1e-12,
            "theta = {theta}: dual {dual} vs hand-written {hand}, relative error {error:e}"
        );
    }
}

fn small() -> Dataset {
    Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2]).unwrap()
}

#[test]
fn mse_gradient_matches_textbook() {
    assert_matches(SquaredError, &small(), mse_terms);
    assert_matches(SquaredError, &tips_pcttip(), mse_terms);
}

#[test]
fn huber_gradient_matches_textbook() {
    assert_matches(Huber { delta: 1.0 }, &small(), huber_terms);
    assert_matches(Huber { delta: 1.0 }, &tips_pcttip(), huber_terms);
}

#[test]
fn mae_gradient_matches_textbook() {
    assert_matches(AbsoluteError, &small(), mae_terms);
    assert_matches(AbsoluteError, &tips_pcttip(), mae_terms);
}

#[test]
fn quartic_gradient_matches_textbook() {
    assert_matches(
        Quartic,
        &Dataset::from_targets(vec![0.0]).unwrap(),
        quartic_terms,
    );
    assert_matches(Quartic, &small(), quartic_terms);
}

#[test]
fn huber_at_breakpoint_uses_linear_branch() {
    // y − θ = δ exactly: both branches give the slope −δ, and the second derivative comes
    // from the linear branch, so it is 0.
    let data = Dataset::from_targets(vec![3.0]).unwrap();
    let risk = EmpiricalRisk::new(Constant, Huber { delta: 0.5 }, &data).unwrap();
    let (f, g, h) = hessian(&risk, &[2.5]).unwrap();
    assert_eq!(f, 0.125);
    assert_eq!(g, vec![-0.5]);
    assert_eq!(h[(0, 0)], 0.0);
}

#[test]
fn kinks_ignore_sign_of_zero() {
    // AbsoluteError and Quantile at r = +0 and r = −0 give the same subgradient.
    let data = Dataset::from_targets(vec![0.0]).unwrap();
    let mae = EmpiricalRisk::new(Constant, AbsoluteError, &data).unwrap();
    assert_eq!(gradient(&mae, &[0.0]).unwrap(), vec![0.0]);
    assert_eq!(gradient(&mae, &[-0.0]).unwrap(), vec![0.0]);
    let pinball = EmpiricalRisk::new(Constant, Quantile { tau: 0.9 }, &data).unwrap();
    // ∂ℓ/∂ŷ = −(τ − ½) = −0.4 at r = 0, the midpoint of the subdifferential.
    let plus = gradient(&pinball, &[0.0]).unwrap()[0];
    let minus = gradient(&pinball, &[-0.0]).unwrap()[0];
    assert!((plus - -0.4).abs() < 1e-15);
    assert_eq!(plus, minus);
}

#[test]
fn logcosh_is_finite_for_huge_residuals() {
    let data = Dataset::from_targets(vec![5000.0, -4000.0, 0.5]).unwrap();
    let risk = EmpiricalRisk::new(Constant, LogCosh, &data).unwrap();
    let (f, g) = value_and_gradient(&risk, &[0.0]).unwrap();
    // ln cosh r = |r| − ln 2 to double precision for |r| ≥ 20; ln cosh 0.5 from the closed
    // form; the gradient is −mean(tanh r).
    let expected = (5000.0 - 2f64.ln() + 4000.0 - 2f64.ln() + 0.5f64.cosh().ln()) / 3.0;
    assert!((f - expected).abs() < 1e-9);
    let expected_gradient = -(1.0 - 1.0 + 0.5f64.tanh()) / 3.0;
    assert!((g[0] - expected_gradient).abs() < 1e-15);
}

#[test]
fn logistic_gradient_is_sigmoid_minus_label() {
    let data = Dataset::from_targets(vec![1.0]).unwrap();
    let risk = EmpiricalRisk::new(Constant, Logistic, &data).unwrap();
    for z in [-800.0, -3.0, 0.0, 2.0, 800.0] {
        let (f, g) = value_and_gradient(&risk, &[z]).unwrap();
        let sigmoid = 1.0 / (1.0 + (-z).exp());
        assert!(f.is_finite(), "z = {z}");
        assert!((g[0] - (sigmoid - 1.0)).abs() < 1e-15, "z = {z}: {}", g[0]);
    }
}

#[test]
fn pseudo_huber_and_quantile_closed_forms() {
    let data = Dataset::from_targets(vec![2.0]).unwrap();
    let pseudo = EmpiricalRisk::new(Constant, PseudoHuber { delta: 2.0 }, &data).unwrap();
    // r = 2, δ = 2: ℓ = 4(√2 − 1), ∂ℓ/∂θ = −r/√(1 + (r/δ)²) = −√2.
    let (f, g) = value_and_gradient(&pseudo, &[0.0]).unwrap();
    assert!((f - 4.0 * (2f64.sqrt() - 1.0)).abs() < 1e-15);
    assert!((g[0] + 2f64.sqrt()).abs() < 1e-15);

    let pinball = EmpiricalRisk::new(Constant, Quantile { tau: 0.25 }, &data).unwrap();
    // r = 2 > 0: ℓ = τr = 0.5, ∂ℓ/∂θ = −τ; at θ = 3, r = −1: ℓ = (1 − τ) = 0.75, slope 1 − τ.
    assert_eq!(
        value_and_gradient(&pinball, &[0.0]).unwrap(),
        (0.5, vec![-0.25])
    );
    assert_eq!(
        value_and_gradient(&pinball, &[3.0]).unwrap(),
        (0.75, vec![0.75])
    );
}

#[test]
fn logistic_keeps_precision_when_confident() {
    // ℓ = ln(1 + e^(−z)) for y = 1; at z = 30 that is e^(−30)(1 − e^(−30)/2 + …), so
    // the relative error must stay at rounding level, not 1e-3 from cancelling 30 − 30.
    let data = Dataset::from_targets(vec![1.0]).unwrap();
    let risk = EmpiricalRisk::new(Constant, Logistic, &data).unwrap();
    let f = value(&risk, &[30.0]).unwrap();
    let expected = (-30f64).exp().ln_1p();
    assert!(
        (f - expected).abs() <= 1e-15 * expected,
        "{f} vs {expected}"
    );
}
