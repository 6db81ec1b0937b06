//! Exact gradients and Hessians in every chunk width, against closed forms.

use dualopt::prelude::*;
use ndarray::{Array1, Array2};

/// f(x) = Σ (i + 1) xᵢ² + Σ xᵢ xᵢ₊₁ + exp(x₀), with a closed-form gradient and Hessian.
struct Banded(usize);

impl Objective for Banded {
    fn dim(&self) -> usize {
        self.0
    }
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        let mut total = x[0].exp();
        for i in 0..x.len() {
            total += x[i] * x[i] * (i + 1) as f64;
            if i + 1 < x.len() {
                total += x[i] * x[i + 1];
            }
        }
        total
    }
}

fn banded_gradient(x: &[f64]) -> Vec<f64> {
    let d = x.len();
    (0..d)
        .map(|i| {
            let mut g = 2.0 * (i + 1) as f64 * x[i];
            if i > 0 {
                g += x[i - 1];
            }
            if i + 1 < d {
                g += x[i + 1];
            }
            if i == 0 {
                g += x[0].exp();
            }
            g
        })
        .collect()
}

fn banded_hessian(x: &[f64]) -> Array2<f64> {
    let d = x.len();
    let mut h = Array2::zeros((d, d));
    for i in 0..d {
        h[(i, i)] = 2.0 * (i + 1) as f64;
        if i + 1 < d {
            h[(i, i + 1)] = 1.0;
            h[(i + 1, i)] = 1.0;
        }
    }
    h[(0, 0)] += x[0].exp();
    h
}

fn point(d: usize) -> Vec<f64> {
    (0..d).map(|i| 0.3 * i as f64 - 0.7).collect()
}

#[test]
fn gradient_every_chunk_width() {
    // Widths 1, 2, 4 and 8, with partial last chunks (3, 5, 9, 17, 20).
    for d in [1, 2, 3, 4, 5, 8, 9, 16, 17, 20] {
        let x = point(d);
        let (f, g) = value_and_gradient(&Banded(d), &x).unwrap();
        assert_eq!(f, Banded(d).eval(&x), "d = {d}");
        let expected = banded_gradient(&x);
        for i in 0..d {
            assert!((g[i] - expected[i]).abs() < 1e-13, "d = {d}, i = {i}");
        }
    }
}

#[test]
fn hessian_every_block_size() {
    for d in [1, 2, 3, 4, 5, 9] {
        let x = point(d);
        let (f, g, h) = hessian(&Banded(d), &x).unwrap();
        assert_eq!(f, Banded(d).eval(&x));
        let expected_g = banded_gradient(&x);
        let expected_h = banded_hessian(&x);
        for i in 0..d {
            assert!((g[i] - expected_g[i]).abs() < 1e-13, "d = {d}, i = {i}");
            for j in 0..d {
                assert!((h[(i, j)] - expected_h[(i, j)]).abs() < 1e-13);
                assert_eq!(h[(i, j)], h[(j, i)], "Hessian must be exactly symmetric");
            }
        }
    }
}

#[test]
fn directional_derivatives_match_gradient_and_hessian() {
    let d = 6;
    let x = point(d);
    let v: Vec<f64> = (0..d).map(|i| 1.0 - 0.25 * i as f64).collect();
    let (f1, slope) = directional_derivative(&Banded(d), &x, &v).unwrap();
    let (f2, slope2, curvature) = second_directional_derivative(&Banded(d), &x, &v).unwrap();
    let g = banded_gradient(&x);
    let h = banded_hessian(&x);
    let expected_slope: f64 = g.iter().zip(&v).map(|(a, b)| a * b).sum();
    let hv = h.dot(&Array1::from(v.clone()));
    let expected_curvature: f64 = hv.iter().zip(&v).map(|(a, b)| a * b).sum();
    assert_eq!(f1, f2);
    assert!((slope - expected_slope).abs() < 1e-12);
    assert!((slope2 - expected_slope).abs() < 1e-12);
    assert!((curvature - expected_curvature).abs() < 1e-12);
}

#[test]
fn wrong_lengths_are_errors() {
    let err = gradient(&Banded(3), &[1.0, 2.0]).unwrap_err();
    assert!(matches!(
        err,
        Error::DimensionMismatch {
            expected: 3,
            found: 2,
            ..
        }
    ));
    assert!(err.to_string().contains("length 2"), "{err}");
    assert!(hessian(&Banded(3), &[1.0]).is_err());
    assert!(value(&Banded(2), &[]).is_err());
    assert!(directional_derivative(&Banded(2), &[1.0, 2.0], &[1.0]).is_err());
    let mut short = [0.0; 1];
    assert!(
        Banded(2)
            .value_and_gradient(&[1.0, 2.0], &mut short)
            .is_err()
    );
}

/// An objective that hides EmpiricalRisk's chain-rule override, so the generic forward
/// mode differentiates the whole mean.
struct Plain<'r, O>(&'r O);

impl<O: Objective> Objective for Plain<'_, O> {
    fn dim(&self) -> usize {
        self.0.dim()
    }
    fn eval<S: Scalar>(&self, theta: &[S]) -> S {
        self.0.eval(theta)
    }
}

#[test]
fn chain_rule_matches_plain_forward_mode() {
    // Twelve features: two chunks of eight, the second partial.
    let n = 50;
    let d = 12;
    let x = Array2::from_shape_fn((n, d), |(i, j)| ((i * 7 + j * 3) % 11) as f64 / 5.0 - 1.0);
    let y = Array1::from_shape_fn(n, |i| (i % 5) as f64 - 2.0);
    let data = Dataset::new(x, y).unwrap();
    let theta: Vec<f64> = (0..=d).map(|j| 0.1 * j as f64 - 0.5).collect();

    fn check<L: Loss + Clone>(loss: L, data: &Dataset, theta: &[f64]) {
        let risk = EmpiricalRisk::new(Linear { intercept: true }, loss, data).unwrap();
        let (f_chain, g_chain) = value_and_gradient(&risk, theta).unwrap();
        let (f_plain, g_plain) = value_and_gradient(&Plain(&risk), theta).unwrap();
        assert_eq!(f_chain, f_plain);
        for (a, b) in g_chain.iter().zip(&g_plain) {
            assert!((a - b).abs() <= 1e-14 * b.abs().max(1.0), "{a} vs {b}");
        }
    }
    check(SquaredError, &data, &theta);
    check(Huber { delta: 0.7 }, &data, &theta);
    check(LogCosh, &data, &theta);
    check(PseudoHuber { delta: 1.5 }, &data, &theta);
}

#[test]
fn mini_batch_gradient_is_mean_over_rows() {
    let data = Dataset::from_targets(vec![1.0, 2.0, 4.0, 8.0]).unwrap();
    let risk = EmpiricalRisk::new(Constant, SquaredError, &data).unwrap();
    let mut g = [0.0];
    // Rows 1 and 3 at θ = 0: mean((2)², (8)²) = 34, gradient −2·mean(2, 8) = −10.
    let f = risk
        .value_and_gradient_rows(&[0.0], &[1, 3], &mut g)
        .unwrap();
    assert_eq!((f, g[0]), (34.0, -10.0));
    assert!(risk.value_and_gradient_rows(&[0.0], &[], &mut g).is_err());
    let err = risk
        .value_and_gradient_rows(&[0.0], &[4], &mut g)
        .unwrap_err();
    assert!(err.to_string().contains('4'), "{err}");
}

/// ŷ = θ₀ + θ₁ x², wrongly declared linear in x.
#[derive(Debug)]
struct SquareDeclaredLinear;

impl Model for SquareDeclaredLinear {
    fn n_params(&self, n_features: usize) -> usize {
        n_features + 1
    }
    fn predict<S: Scalar>(&self, theta: &[S], features: &[f64]) -> S {
        theta[0] + theta[1] * (features[0] * features[0])
    }
    fn linear_structure(&self) -> Option<LinearStructure> {
        Some(LinearStructure {
            intercept: true,
            features: true,
        })
    }
}

#[test]
fn wrong_linear_structure_is_rejected() {
    // Row 0 has x = 1, where x² = x; the check must look past it.
    let x = Array2::from_shape_vec((4, 1), vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    let data = Dataset::new(x, Array1::from(vec![2.0, 5.0, 10.0, 17.0])).unwrap();
    let err = EmpiricalRisk::new(SquareDeclaredLinear, SquaredError, &data).unwrap_err();
    assert!(matches!(err, Error::ModelStructure { row: 1, .. }), "{err}");
    assert!(err.to_string().contains("linear_structure"), "{err}");
}

#[test]
fn non_finite_theta_is_an_error() {
    let err = gradient(&Banded(2), &[1.0, f64::NAN]).unwrap_err();
    assert!(matches!(err, Error::NonFinite { index: 1, .. }), "{err}");
    assert!(value(&Banded(2), &[f64::INFINITY, 0.0]).is_err());
    assert!(hessian(&Banded(2), &[0.0, f64::NAN]).is_err());
    assert!(directional_derivative(&Banded(2), &[0.0, 0.0], &[f64::NAN, 0.0]).is_err());
}
