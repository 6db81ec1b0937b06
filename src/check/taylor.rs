//! The Taylor test: a step-free check of a gradient along one direction.
//!
//! For a direction d and steps h, the remainder r(h) = |f(θ + h·d) − f(θ) − h·g·d| is
//! O(h²) when g is the gradient of f at θ and O(h) when it is not (unless the error in g
//! is orthogonal to d). The slope of log r against log h is therefore 2 for a right
//! gradient and 1 for a wrong one, whatever the scale of f, and no step has to be tuned.

use super::finite_diff::check_theta;
use super::table::{Table, short};
use crate::autodiff::gradient;
use crate::error::{Error, Result, check_finite, check_len};
use crate::objective::Objective;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt;

/// A remainder counts only when it exceeds this many ulps of the terms it was computed
/// from, so that rounding is at most 1% of it.
const FLOOR_ULPS: f64 = 100.0;

/// Settings of a Taylor test: direction, steps and seed.
///
/// ```
/// use dualopt::prelude::*;
///
/// let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2])?;
/// let mse = EmpiricalRisk::new(Constant, SquaredError, &data)?;
/// let report = TaylorTest::new().run(&mse, &[10.0])?;
/// // MSE is quadratic in θ, so the remainder is h²·d² up to rounding, and the slope is 2.
/// assert!((report.slope.unwrap() - 2.0).abs() < 0.01);
/// # Ok::<(), dualopt::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TaylorTest {
    seed: u64,
    first_step: f64,
    steps: usize,
    direction: Option<Vec<f64>>,
}

impl Default for TaylorTest {
    fn default() -> Self {
        Self::new()
    }
}

impl TaylorTest {
    /// Creates a test with seed 0, 16 steps h = 10⁻²·2⁻ᵏ (k = 0, …, 15) and a random
    /// direction.
    pub fn new() -> Self {
        Self {
            seed: 0,
            first_step: 1e-2,
            steps: 16,
            direction: None,
        }
    }

    /// Sets the seed of the random direction; the same seed gives the same direction on
    /// every platform (ChaCha8).
    #[must_use]
    pub fn seed(self, seed: u64) -> Self {
        Self { seed, ..self }
    }

    /// Sets the largest step h₀; the steps are h₀·2⁻ᵏ.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] unless `h` is finite and > 0.
    pub fn first_step(self, h: f64) -> Result<Self> {
        if !(h.is_finite() && h > 0.0) {
            return Err(Error::InvalidParameter {
                name: "Taylor first step",
                value: h,
                expected: "must be finite and > 0",
            });
        }
        Ok(Self {
            first_step: h,
            ..self
        })
    }

    /// Sets the number of steps.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when `n` is below 3, too few to fit a slope with any
    /// check on it.
    pub fn steps(self, n: usize) -> Result<Self> {
        if n < 3 {
            return Err(Error::InvalidParameter {
                name: "Taylor step count",
                value: n as f64,
                expected: "must be at least 3",
            });
        }
        Ok(Self { steps: n, ..self })
    }

    /// Uses `direction` as d instead of a random one; it is checked when the test runs.
    #[must_use]
    pub fn direction(self, direction: Vec<f64>) -> Self {
        Self {
            direction: Some(direction),
            ..self
        }
    }

    /// Runs the test on the dual-number gradient of `objective`.
    ///
    /// # Errors
    ///
    /// As [`run_with_gradient`](TaylorTest::run_with_gradient).
    pub fn run<O: Objective>(&self, objective: &O, theta: &[f64]) -> Result<TaylorReport> {
        check_theta(objective, theta)?;
        let g = gradient(objective, theta)?;
        self.run_with_gradient(objective, theta, &g)
    }

    /// Runs the test on a given gradient, such as a hand-written one, at `theta`.
    ///
    /// The random direction has entries dᵢ = zᵢ · max(|θᵢ|, 1) with zᵢ uniform on [−1, 1),
    /// scaled so that max |zᵢ| = 1; a step h thus moves each coordinate by at most
    /// h · max(|θᵢ|, 1).
    ///
    /// # Errors
    ///
    /// * [`Error::DimensionMismatch`] when `theta`, `gradient` or the direction does not
    ///   have `objective.dim()` entries.
    /// * [`Error::NonFinite`] for a NaN or infinite entry in any of them.
    /// * [`Error::Empty`] for an objective with no parameters.
    /// * [`Error::InvalidParameter`] for an all-zero direction.
    /// * [`Error::NonFiniteObjective`] when f(θ) is not finite.
    pub fn run_with_gradient<O: Objective>(
        &self,
        objective: &O,
        theta: &[f64],
        gradient: &[f64],
    ) -> Result<TaylorReport> {
        check_theta(objective, theta)?;
        check_len("gradient", theta.len(), gradient.len())?;
        check_finite("gradient", gradient)?;
        if theta.is_empty() {
            return Err(Error::Empty {
                what: "theta",
                item: "parameter",
            });
        }
        let direction = self.direction_for(theta)?;
        let value = objective.eval(theta);
        if !value.is_finite() {
            return Err(Error::NonFiniteObjective {
                value,
                theta: theta.to_vec(),
            });
        }
        let slope_along: f64 = gradient.iter().zip(&direction).map(|(g, d)| g * d).sum();

        let mut points = Vec::with_capacity(self.steps);
        let mut moved = vec![0.0; theta.len()];
        let mut h = self.first_step;
        for _ in 0..self.steps {
            for ((m, &t), &d) in moved.iter_mut().zip(theta).zip(&direction) {
                *m = t + h * d;
            }
            let shifted = objective.eval(&moved);
            let linear = h * slope_along;
            let remainder = (shifted - value - linear).abs();
            let floor = FLOOR_ULPS * f64::EPSILON * (shifted.abs() + value.abs() + linear.abs());
            points.push(TaylorPoint {
                step: h,
                remainder,
                floor,
                used: remainder.is_finite() && remainder > floor,
            });
            h *= 0.5;
        }

        let slope = fitted_slope(&points);
        let used = points.iter().filter(|p| p.used).count();
        let verdict = match slope {
            Some(s) if s >= 1.9 => TaylorVerdict::SecondOrder,
            Some(s) if s <= 1.1 => TaylorVerdict::FirstOrder,
            Some(_) => TaylorVerdict::Inconclusive,
            None if used == 0 && points.iter().all(|p| p.remainder.is_finite()) => {
                TaylorVerdict::RoundingLevel
            }
            None => TaylorVerdict::Inconclusive,
        };
        Ok(TaylorReport {
            value,
            direction,
            directional_derivative: slope_along,
            points,
            slope,
            verdict,
        })
    }

    fn direction_for(&self, theta: &[f64]) -> Result<Vec<f64>> {
        if let Some(d) = &self.direction {
            check_len("Taylor direction", theta.len(), d.len())?;
            check_finite("Taylor direction", d)?;
            if d.iter().all(|&v| v == 0.0) {
                return Err(Error::InvalidParameter {
                    name: "Taylor direction norm",
                    value: 0.0,
                    expected: "must be > 0; give a direction with a nonzero entry",
                });
            }
            return Ok(d.clone());
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let z: Vec<f64> = theta.iter().map(|_| rng.random_range(-1.0..1.0)).collect();
        let largest = z.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        // An all-zero draw has probability 2⁻⁵³ per entry; fall back to all ones then.
        let scale = if largest > 0.0 { 1.0 / largest } else { 0.0 };
        Ok(z.iter()
            .zip(theta)
            .map(|(&zi, &t)| {
                let zi = if scale > 0.0 { zi * scale } else { 1.0 };
                zi * t.abs().max(1.0)
            })
            .collect())
    }
}

/// Runs a [`TaylorTest`] with its defaults on the dual-number gradient.
///
/// # Errors
///
/// As [`TaylorTest::run_with_gradient`].
pub fn taylor_test<O: Objective>(objective: &O, theta: &[f64]) -> Result<TaylorReport> {
    TaylorTest::new().run(objective, theta)
}

/// Least-squares slope of log r against log h over the points that count, if at least 3.
fn fitted_slope(points: &[TaylorPoint]) -> Option<f64> {
    let xy: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.used)
        .map(|p| (p.step.ln(), p.remainder.ln()))
        .collect();
    if xy.len() < 3 {
        return None;
    }
    let n = xy.len() as f64;
    let mean_x = xy.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = xy.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = xy.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let sxx: f64 = xy.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    Some(sxy / sxx)
}

/// One step of a Taylor test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaylorPoint {
    /// The step h.
    pub step: f64,
    /// r(h) = |f(θ + h·d) − f(θ) − h·g·d|.
    pub remainder: f64,
    /// 100 ε (|f(θ + h·d)| + |f(θ)| + |h·g·d|): the size below which r is rounding.
    pub floor: f64,
    /// Whether r is finite and above the floor, and so enters the fit.
    pub used: bool,
}

/// The conclusion that the fitted slope supports about the gradient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaylorVerdict {
    /// Slope ≥ 1.9: the remainder is second order, as for a right gradient.
    SecondOrder,
    /// Slope ≤ 1.1: the remainder is first order, so g·d is not the directional
    /// derivative.
    FirstOrder,
    /// Every remainder is at rounding level: f is affine along d and g·d matches it.
    RoundingLevel,
    /// A slope between 1.1 and 1.9, fewer than 3 usable points, or NaN remainders.
    Inconclusive,
}

/// The result of a Taylor test.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TaylorReport {
    /// f(θ).
    pub value: f64,
    /// The direction d.
    pub direction: Vec<f64>,
    /// g·d for the gradient under test.
    pub directional_derivative: f64,
    /// One point per step, largest step first.
    pub points: Vec<TaylorPoint>,
    /// Least-squares slope of log r against log h over the used points.
    pub slope: Option<f64>,
    /// The conclusion drawn from the slope.
    pub verdict: TaylorVerdict,
}

impl TaylorReport {
    /// Returns whether the gradient passed: the remainder is second order or at rounding
    /// level.
    pub fn passed(&self) -> bool {
        matches!(
            self.verdict,
            TaylorVerdict::SecondOrder | TaylorVerdict::RoundingLevel
        )
    }
}

impl fmt::Display for TaylorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Taylor test: f(θ) = {}, g·d = {}",
            self.value, self.directional_derivative
        )?;
        let mut table = Table::new(&["h", "remainder", "floor", "rate", "used"]);
        for (k, p) in self.points.iter().enumerate() {
            // Local rate log₂(r(2h) / r(h)) between this step and the previous one.
            let rate = match k.checked_sub(1).map(|j| &self.points[j]) {
                Some(prev) if prev.used && p.used => {
                    format!("{:.3}", (prev.remainder / p.remainder).log2())
                }
                _ => "-".to_owned(),
            };
            table.row(vec![
                short(p.step),
                short(p.remainder),
                short(p.floor),
                rate,
                if p.used { "yes" } else { "no" }.to_owned(),
            ]);
        }
        write!(f, "{table}")?;
        let used = self.points.iter().filter(|p| p.used).count();
        let slope = self
            .slope
            .map_or_else(|| "none".to_owned(), |s| format!("{s:.3}"));
        let meaning = match self.verdict {
            TaylorVerdict::SecondOrder => "second order: the gradient is consistent with f",
            TaylorVerdict::FirstOrder => "FIRST order: the gradient is wrong along d",
            TaylorVerdict::RoundingLevel => "remainder at rounding level: f is affine along d",
            TaylorVerdict::Inconclusive => "inconclusive",
        };
        writeln!(f, "fitted slope {slope} over {used} points: {meaning}")
    }
}
