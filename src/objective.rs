//! The traits a user implements ([`Objective`], [`Loss`], [`Model`]) and [`EmpiricalRisk`],
//! which joins a model, a loss and a dataset into an objective.

use crate::autodiff::{self, ScalarFn};
use crate::data::Dataset;
use crate::error::{Error, Result, check_len};
use crate::linear;
use crate::scalar::{Scalar, pairwise_sum_by};
use num_dual::Dual64;

/// A differentiable function of a parameter vector θ, written once for every [`Scalar`].
///
/// Implement [`dim`](Objective::dim) and [`eval`](Objective::eval); exact gradients and
/// Hessians come from evaluating `eval` with dual numbers.
///
/// ```
/// use dualopt::prelude::*;
///
/// /// Rosenbrock's function, f(x, y) = (1 − x)² + 100 (y − x²)².
/// struct Rosenbrock;
///
/// impl Objective for Rosenbrock {
///     fn dim(&self) -> usize {
///         2
///     }
///     fn eval<S: Scalar>(&self, theta: &[S]) -> S {
///         let (x, y) = (theta[0], theta[1]);
///         (-x + 1.0).powi(2) + (y - x * x).powi(2) * 100.0
///     }
/// }
///
/// let (f, g) = value_and_gradient(&Rosenbrock, &[1.0, 1.0])?;
/// assert_eq!((f, g), (0.0, vec![0.0, 0.0]));
/// # Ok::<(), dualopt::Error>(())
/// ```
pub trait Objective {
    /// Number of parameters θ has.
    fn dim(&self) -> usize;

    /// Evaluates the objective at `theta`, which has exactly [`dim`](Objective::dim) entries.
    ///
    /// Callers in this crate check the length before calling, so an implementation may
    /// index `theta` freely.
    fn eval<S: Scalar>(&self, theta: &[S]) -> S;

    /// Evaluates the objective and writes its exact gradient into `grad_out`.
    ///
    /// The provided implementation evaluates [`eval`](Objective::eval) with vector dual
    /// numbers, eight partial derivatives per pass (fewer when `dim` is small), so a gradient
    /// of `dim` entries costs ⌈dim / 8⌉ passes. Override it only with another exact method,
    /// as [`EmpiricalRisk`] does.
    ///
    /// The values in `theta` are not checked here, so a NaN or infinite entry gives a
    /// non-finite result. The free functions [`value_and_gradient`](crate::value_and_gradient),
    /// [`value`](crate::value) and [`hessian`](crate::hessian) reject such a `theta`.
    ///
    /// # Errors
    ///
    /// [`Error::DimensionMismatch`] when `theta` or `grad_out` does not have `dim` entries.
    fn value_and_gradient(&self, theta: &[f64], grad_out: &mut [f64]) -> Result<f64>
    where
        Self: Sized,
    {
        check_len("theta", self.dim(), theta.len())?;
        check_len("grad_out", self.dim(), grad_out.len())?;
        Ok(autodiff::forward_value_and_gradient(self, theta, grad_out))
    }
}

impl<O: Objective> Objective for &O {
    fn dim(&self) -> usize {
        (**self).dim()
    }

    fn eval<S: Scalar>(&self, theta: &[S]) -> S {
        (**self).eval(theta)
    }

    fn value_and_gradient(&self, theta: &[f64], grad_out: &mut [f64]) -> Result<f64> {
        (**self).value_and_gradient(theta, grad_out)
    }
}

/// An objective that is a mean of per-row terms, so that it can be evaluated on a subset of
/// rows (a mini-batch).
pub trait FiniteSum: Objective {
    /// Number of rows (terms) in the full mean.
    fn n_rows(&self) -> usize;

    /// Evaluates the mean of the terms for `rows` and writes its exact gradient to
    /// `grad_out`.
    ///
    /// # Errors
    ///
    /// [`Error::DimensionMismatch`] for a wrong `theta` or `grad_out` length,
    /// [`Error::Empty`] for an empty `rows`, and [`Error::RowOutOfRange`] for a row index
    /// that is not below [`n_rows`](FiniteSum::n_rows).
    fn value_and_gradient_rows(
        &self,
        theta: &[f64],
        rows: &[usize],
        grad_out: &mut [f64],
    ) -> Result<f64>;
}

/// The loss of one prediction against one target.
///
/// Written once for every [`Scalar`]; the crate differentiates it with dual numbers. The
/// built-in losses use the residual r = target − prediction. A loss is `Sync` so that the
/// `parallel` feature can share it between threads.
pub trait Loss: Sync {
    /// Loss of `prediction` against `target`.
    fn loss<S: Scalar>(&self, prediction: S, target: f64) -> S;

    /// Checks the loss's own settings, such as Huber's δ > 0.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the setting and its valid range.
    fn check(&self) -> Result<()> {
        Ok(())
    }

    /// Checks one target, for losses defined only on part of the real line.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTarget`] naming the row and the accepted range.
    fn check_target(&self, _index: usize, _target: f64) -> Result<()> {
        Ok(())
    }
}

/// A prediction from parameters θ and one row of features.
///
/// A model is `Sync` so that the `parallel` feature can share it between threads.
pub trait Model: Sync {
    /// Number of parameters for rows of `n_features` features.
    fn n_params(&self, n_features: usize) -> usize;

    /// Prediction for one row; `theta` has [`n_params`](Model::n_params) entries.
    fn predict<S: Scalar>(&self, theta: &[S], features: &[f64]) -> S;

    /// Declares that the prediction is ŷ = θ₀ + θ₁x₁ + … + θ_d x_d (with intercept),
    /// θ₁x₁ + … + θ_d x_d (without), or ŷ = θ₀ (no features), so that ∇θ ŷ is the feature
    /// row itself, with a leading 1 for the intercept.
    ///
    /// [`EmpiricalRisk`] then computes gradients in O(d) per row instead of differentiating
    /// [`predict`](Model::predict) with dual numbers, whose cost per row grows as d²/8.
    /// When it is built, it checks the declaration against `predict`'s value and
    /// dual-number gradient on up to [`STRUCTURE_CHECK_ROWS`] rows spread over the data.
    /// The default, `None`, declares nothing.
    fn linear_structure(&self) -> Option<LinearStructure> {
        None
    }
}

/// How many rows [`EmpiricalRisk::new`] uses to check a declared [`LinearStructure`].
pub const STRUCTURE_CHECK_ROWS: usize = 256;

/// The form of a model that is linear in its parameters; see [`Model::linear_structure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinearStructure {
    /// Whether θ₀ is a constant term, placed before the feature weights.
    pub intercept: bool,
    /// Whether the features enter the prediction; false for the constant model ŷ = θ₀.
    pub features: bool,
}

/// The mean loss of a model over a dataset: R(θ) = (1/n) Σᵢ ℓ(f(θ; xᵢ), yᵢ).
///
/// The sum is taken in numpy's pairwise order (see [`pairwise_sum`](crate::pairwise_sum)),
/// so results match `np.mean` to the last bit.
///
/// Its gradient applies the chain rule at the boundary between model and loss:
/// ∇R = (1/n) Σᵢ ℓ′(pᵢ) ∇θ pᵢ, where ℓ′ comes from one scalar dual number through the loss and
/// ∇θ pᵢ from vector dual numbers through the model only.
#[derive(Debug, Clone)]
pub struct EmpiricalRisk<'a, M, L> {
    model: M,
    loss: L,
    data: &'a Dataset,
    n_params: usize,
}

impl<'a, M: Model, L: Loss> EmpiricalRisk<'a, M, L> {
    /// Joins `model`, `loss` and `data`, checking the loss's settings and every target.
    ///
    /// # Errors
    ///
    /// The loss's [`check`](Loss::check) and [`check_target`](Loss::check_target) errors;
    /// [`Error::InvalidParameter`] when the model has no parameters; and
    /// [`Error::ModelStructure`] when the model's [`linear_structure`](Model::linear_structure)
    /// disagrees with the dual-number gradient of its `predict`.
    pub fn new(model: M, loss: L, data: &'a Dataset) -> Result<Self> {
        loss.check()?;
        for (index, &y) in data.targets().iter().enumerate() {
            loss.check_target(index, y)?;
        }
        let n_params = model.n_params(data.n_features());
        if n_params == 0 {
            return Err(Error::InvalidParameter {
                name: "model parameter count",
                value: 0.0,
                expected: "must be at least 1; add features or an intercept",
            });
        }
        let risk = Self {
            model,
            loss,
            data,
            n_params,
        };
        risk.check_linear_structure()?;
        Ok(risk)
    }

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The loss.
    pub fn loss(&self) -> &L {
        &self.loss
    }

    /// The dataset.
    pub fn data(&self) -> &'a Dataset {
        self.data
    }

    /// Compares a declared linear structure with `predict` on up to
    /// [`STRUCTURE_CHECK_ROWS`] rows spread evenly over the data: the dual-number gradient
    /// must equal (1, x) and the value θ₀ + θ·x, at a θ with no special values.
    ///
    /// NOTE: rows between the sampled ones are not checked, so a declaration that is wrong
    /// only there goes unnoticed; on data where x and the true basis agree (x = x² for
    /// binary features, say) the declared gradient is right anyway.
    fn check_linear_structure(&self) -> Result<()> {
        let Some(structure) = self.model.linear_structure() else {
            return Ok(());
        };
        let p = self.n_params;
        let offset = usize::from(structure.intercept);
        let d = if structure.features {
            self.data.n_features()
        } else {
            0
        };
        check_len("parameters of a model linear in θ", d + offset, p)?;

        // Irrational-looking weights, so that no product or sum lands on a round value.
        let theta: Vec<f64> = (0..p).map(|j| 0.37 + 0.713 * j as f64).collect();
        let mut gradient = vec![0.0; p];
        let n = self.data.n_rows();
        let checked = n.min(STRUCTURE_CHECK_ROWS);
        for k in 0..checked {
            let i = k * n / checked;
            let row = if structure.features {
                self.data.row(i)
            } else {
                &[]
            };
            let prediction = PredictFn {
                model: &self.model,
                features: row,
            };
            let value = autodiff::forward_with(&theta, &mut gradient, &prediction);

            let basis = |j: usize| {
                if structure.intercept && j == 0 {
                    1.0
                } else {
                    row[j - offset]
                }
            };
            let declared_value: f64 = (0..p).map(|j| theta[j] * basis(j)).sum();
            if !approx::relative_eq!(value, declared_value, max_relative = 1e-12) {
                return Err(Error::ModelStructure {
                    row: i,
                    parameter: None,
                    declared: declared_value,
                    differentiated: value,
                });
            }
            for (j, &g) in gradient.iter().enumerate() {
                if g != basis(j) {
                    return Err(Error::ModelStructure {
                        row: i,
                        parameter: Some(j),
                        declared: basis(j),
                        differentiated: g,
                    });
                }
            }
        }
        Ok(())
    }

    /// Mean of the terms for the selected rows, evaluated with scalar type `S`.
    fn mean_over<S: Scalar, R: RowSelection>(&self, theta: &[S], rows: &R) -> S {
        let n = rows.len();
        let total = pairwise_sum_by(n, |k| {
            let i = rows.row(k);
            self.loss.loss(
                self.model.predict(theta, self.data.row(i)),
                self.data.target(i),
            )
        });
        total / n as f64
    }

    /// Mean over the selected rows with the chain rule: the model receives the vector
    /// dual `theta`, the loss receives a scalar dual in the prediction, and the row term is rebuilt as
    /// ℓ + ℓ′ · (p − p.re), whose derivative part is ℓ′ ∇θ p.
    fn chain_rule_mean<S: Scalar, R: RowSelection>(&self, theta: &[S], rows: &R) -> S {
        let n = rows.len();
        let total = pairwise_sum_by(n, |k| {
            let i = rows.row(k);
            let prediction = self.model.predict(theta, self.data.row(i));
            let p = prediction.re();
            let l = self.loss.loss(Dual64::new(p, 1.0), self.data.target(i));
            (prediction - p) * l.eps + l.re
        });
        total / n as f64
    }

    /// Value and gradient over the selected rows, by the cheapest exact path the model
    /// allows; lengths are checked by the caller.
    fn value_and_gradient_over<R: RowSelection>(
        &self,
        theta: &[f64],
        rows: R,
        grad_out: &mut [f64],
    ) -> f64 {
        match self.model.linear_structure() {
            Some(structure) => linear::value_and_gradient(self, structure, theta, &rows, grad_out),
            None => autodiff::forward_with(theta, grad_out, &ChainRule { risk: self, rows }),
        }
    }

    fn check_rows(&self, rows: &[usize]) -> Result<()> {
        if rows.is_empty() {
            return Err(Error::Empty {
                what: "row selection",
                item: "row index",
            });
        }
        let n = self.data.n_rows();
        if let Some(&bad) = rows.iter().find(|&&i| i >= n) {
            return Err(Error::RowOutOfRange {
                index: bad,
                n_rows: n,
            });
        }
        Ok(())
    }
}

impl<M: Model, L: Loss> Objective for EmpiricalRisk<'_, M, L> {
    fn dim(&self) -> usize {
        self.n_params
    }

    fn eval<S: Scalar>(&self, theta: &[S]) -> S {
        self.mean_over(theta, &AllRows(self.data.n_rows()))
    }

    fn value_and_gradient(&self, theta: &[f64], grad_out: &mut [f64]) -> Result<f64> {
        check_len("theta", self.n_params, theta.len())?;
        check_len("grad_out", self.n_params, grad_out.len())?;
        Ok(self.value_and_gradient_over(theta, AllRows(self.data.n_rows()), grad_out))
    }
}

impl<M: Model, L: Loss> FiniteSum for EmpiricalRisk<'_, M, L> {
    fn n_rows(&self) -> usize {
        self.data.n_rows()
    }

    fn value_and_gradient_rows(
        &self,
        theta: &[f64],
        rows: &[usize],
        grad_out: &mut [f64],
    ) -> Result<f64> {
        check_len("theta", self.n_params, theta.len())?;
        check_len("grad_out", self.n_params, grad_out.len())?;
        self.check_rows(rows)?;
        Ok(self.value_and_gradient_over(theta, rows, grad_out))
    }
}

/// The rows of the dataset that a mean runs over.
pub(crate) trait RowSelection: Sync {
    fn len(&self) -> usize;
    fn row(&self, k: usize) -> usize;
    /// Returns true when the selection is every row in order, which allows slice-based loops.
    fn is_all(&self) -> bool {
        false
    }
}

/// The first `n` rows, in order.
pub(crate) struct AllRows(pub usize);

impl RowSelection for AllRows {
    fn len(&self) -> usize {
        self.0
    }
    fn row(&self, k: usize) -> usize {
        k
    }
    fn is_all(&self) -> bool {
        true
    }
}

impl RowSelection for &[usize] {
    fn len(&self) -> usize {
        <[usize]>::len(self)
    }
    fn row(&self, k: usize) -> usize {
        self[k]
    }
}

/// [`EmpiricalRisk::chain_rule_mean`] as a function the forward-mode driver can call.
struct ChainRule<'r, 'a, M, L, R> {
    risk: &'r EmpiricalRisk<'a, M, L>,
    rows: R,
}

impl<M: Model, L: Loss, R: RowSelection> ScalarFn for ChainRule<'_, '_, M, L, R> {
    fn call<S: Scalar>(&self, x: &[S]) -> S {
        self.risk.chain_rule_mean(x, &self.rows)
    }
}

/// One row's prediction as a function of θ, for checking a declared linear structure.
struct PredictFn<'m, 'x, M> {
    model: &'m M,
    features: &'x [f64],
}

impl<M: Model> ScalarFn for PredictFn<'_, '_, M> {
    fn call<S: Scalar>(&self, x: &[S]) -> S {
        self.model.predict(x, self.features)
    }
}
