//! Grid search, the textbook's `simple_minimize`.

use crate::error::{Error, Result, check_finite};
use crate::objective::Objective;
use crate::optim::descent::norm;
use crate::optim::solution::{Evaluations, Iterate, Solution, Termination, Trace};

/// Evaluates the objective at every point of a grid and returns the first point with the
/// lowest value, as `thetas[np.argmin(losses)]` does.
///
/// A 1-D grid comes from [`arange`](GridSearch::arange) or [`new`](GridSearch::new). A grid
/// over several parameters is the Cartesian product of one axis per parameter
/// ([`product`](GridSearch::product)), visited with the last axis varying fastest.
#[derive(Debug, Clone, PartialEq)]
pub struct GridSearch {
    axes: Vec<Vec<f64>>,
    record_trace: bool,
}

impl GridSearch {
    /// A 1-D grid built exactly as numpy's `arange(start, stop, step)` builds it.
    ///
    /// The grid has ⌈(stop − start)/step⌉ points `start + i·Δ`, with Δ = (start + step) − start
    /// computed in floating point. This reproduces numpy's doubles bit for bit, so
    /// `arange(12.0, 18.0, 0.1)` has 60 points ending at 17.899999999999977.
    ///
    /// # Errors
    ///
    /// [`Error::NonFinite`] for a NaN or infinite bound or step, and
    /// [`Error::InvalidParameter`] for a step ≤ 0, stop ≤ start, or more than 10⁸ points.
    pub fn arange(start: f64, stop: f64, step: f64) -> Result<Self> {
        check_finite("arange (start, stop, step)", &[start, stop, step])?;
        if step <= 0.0 {
            return Err(Error::InvalidParameter {
                name: "grid step",
                value: step,
                expected: "must be > 0",
            });
        }
        if stop <= start {
            return Err(Error::InvalidParameter {
                name: "grid stop",
                value: stop,
                expected: "must be greater than start",
            });
        }
        let count = ((stop - start) / step).ceil();
        if count > 1e8 {
            return Err(Error::InvalidParameter {
                name: "grid point count",
                value: count,
                expected: "must be at most 1e8; use a larger step",
            });
        }
        let delta = (start + step) - start;
        let points: Vec<f64> = (0..count as usize)
            .map(|i| start + i as f64 * delta)
            .collect();
        Self::new(points)
    }

    /// A 1-D grid of the given points, visited in order.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`] for no points, [`Error::NonFinite`] for a NaN or infinite point.
    pub fn new(points: impl Into<Vec<f64>>) -> Result<Self> {
        Self::product(vec![points.into()])
    }

    /// The Cartesian product of one axis per parameter.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`] for no axes or an empty axis, [`Error::NonFinite`] for a NaN or
    /// infinite point, [`Error::InvalidParameter`] for more than 10⁸ points in all.
    pub fn product(axes: Vec<Vec<f64>>) -> Result<Self> {
        if axes.is_empty() {
            return Err(Error::Empty {
                what: "grid",
                item: "axis",
            });
        }
        let mut total = 1.0f64;
        for axis in &axes {
            if axis.is_empty() {
                return Err(Error::Empty {
                    what: "grid axis",
                    item: "point",
                });
            }
            check_finite("grid point", axis)?;
            total *= axis.len() as f64;
        }
        if total > 1e8 {
            return Err(Error::InvalidParameter {
                name: "grid point count",
                value: total,
                expected: "must be at most 1e8; use fewer points per axis",
            });
        }
        Ok(Self {
            axes,
            record_trace: false,
        })
    }

    /// Records every grid point and its loss in [`Solution::trace`].
    #[must_use]
    pub fn record_trace(mut self, record: bool) -> Self {
        self.record_trace = record;
        self
    }

    /// The points of each axis.
    pub fn axes(&self) -> &[Vec<f64>] {
        &self.axes
    }

    /// Number of grid points.
    pub fn len(&self) -> usize {
        self.axes.iter().map(Vec::len).product()
    }

    /// Always false: a grid has at least one point.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Evaluates `objective` on the grid and returns the first point of lowest value.
    ///
    /// The gradient norm reported is that of the exact gradient at the returned point.
    /// Points where the objective is +∞ are allowed and never chosen unless all are.
    ///
    /// # Errors
    ///
    /// [`Error::DimensionMismatch`] when the grid has a different number of axes than the
    /// objective has parameters, and [`Error::NonFiniteObjective`] when the objective is
    /// NaN at a grid point.
    pub fn minimize<O: Objective>(&self, objective: &O) -> Result<Solution> {
        crate::error::check_len("grid axes", objective.dim(), self.axes.len())?;
        let d = self.axes.len();
        let total = self.len();
        let mut trace = self.record_trace.then(|| Trace::new(d));
        let mut index = vec![0usize; d];
        let mut theta: Vec<f64> = self.axes.iter().map(|a| a[0]).collect();
        let mut best_theta = theta.clone();
        let mut best_loss = f64::NAN;

        for point in 0..total {
            let loss = objective.eval(&theta);
            if loss.is_nan() {
                return Err(Error::NonFiniteObjective {
                    value: loss,
                    theta: theta.clone(),
                });
            }
            if let Some(trace) = trace.as_mut() {
                trace.push(&Iterate {
                    iteration: point,
                    theta: &theta,
                    loss,
                    gradient_norm: f64::NAN,
                    learning_rate: f64::NAN,
                });
            }
            if best_loss.is_nan() || loss < best_loss {
                best_loss = loss;
                best_theta.copy_from_slice(&theta);
            }
            advance(&self.axes, &mut index, &mut theta);
        }

        let mut gradient = vec![0.0; d];
        objective.value_and_gradient(&best_theta, &mut gradient)?;
        Ok(Solution {
            theta: best_theta,
            loss: best_loss,
            gradient_norm: norm(&gradient),
            iterations: total,
            evaluations: Evaluations {
                value: total,
                gradient: 1,
                ..Evaluations::default()
            },
            termination: Termination::GridExhausted { points: total },
            trace,
        })
    }
}

/// Moves `index` and `theta` to the next grid point, last axis fastest.
fn advance(axes: &[Vec<f64>], index: &mut [usize], theta: &mut [f64]) {
    for k in (0..axes.len()).rev() {
        index[k] += 1;
        if index[k] < axes[k].len() {
            theta[k] = axes[k][index[k]];
            return;
        }
        index[k] = 0;
        theta[k] = axes[k][0];
    }
}
