//! Built-in models.

use crate::objective::{LinearStructure, Model};
use crate::scalar::Scalar;

/// The constant model ŷ = θ₀, which ignores the features.
///
/// It has one parameter whatever the number of features. Fitted under squared error it
/// gives the mean of the targets, under absolute error a median.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Constant;

impl Model for Constant {
    fn n_params(&self, _n_features: usize) -> usize {
        1
    }

    #[inline]
    fn predict<S: Scalar>(&self, theta: &[S], _features: &[f64]) -> S {
        theta[0]
    }

    fn linear_structure(&self) -> Option<LinearStructure> {
        Some(LinearStructure {
            intercept: true,
            features: false,
        })
    }
}

/// The linear model ŷ = θ₀ + θ₁x₁ + … + θ_d x_d (with intercept) or θ₁x₁ + … + θ_d x_d.
///
/// With an intercept, θ₀ comes first and θ has d + 1 entries; without one, θ has d entries,
/// one per feature, in the order of the dataset's columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    /// Whether θ₀ adds a constant term.
    pub intercept: bool,
}

impl Model for Linear {
    fn n_params(&self, n_features: usize) -> usize {
        n_features + usize::from(self.intercept)
    }

    #[inline]
    fn predict<S: Scalar>(&self, theta: &[S], features: &[f64]) -> S {
        let (mut total, weights) = if self.intercept {
            (theta[0], &theta[1..])
        } else {
            (S::zero(), theta)
        };
        for (&w, &x) in weights.iter().zip(features) {
            total += w * x;
        }
        total
    }

    fn linear_structure(&self) -> Option<LinearStructure> {
        Some(LinearStructure {
            intercept: self.intercept,
            features: true,
        })
    }
}
