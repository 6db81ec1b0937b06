//! Finite-difference derivatives with error estimates.
//!
//! For a coordinate x with step h, the schemes are
//!
//! * forward:   D₊(h) = (f(x + h) − f(x)) / h,           error O(h);
//! * backward:  D₋(h) = (f(x) − f(x − h)) / h,           error O(h);
//! * central:   C(h)  = (f(x + h) − f(x − h)) / 2h,      error O(h²);
//! * Richardson: C(h), C(h/2), C(h/4), … extrapolated to h → 0 in a Ridders table.
//!
//! Every estimate comes with an error bound made of two parts. The truncation part is
//! measured, not assumed: the one-step schemes compare the quotient at h with the quotient
//! at 2h, and the Richardson table compares neighbouring entries. The rounding part divides
//! the noise η of one evaluation of f by the step. η is the larger of
//! [`NOISE_ULPS`](super::NOISE_ULPS) units of ε·|f|, with ε the f64 machine epsilon, and
//! [`NOISE_SIGMAS`](super::NOISE_SIGMAS) times the noise measured near x: the scatter of f
//! at nine points x + j·t, t ≈ 0.62 · 2⁻³² · max(|x|, 1), seen through their differences
//! of orders 4 to 6. This is a simplified form of the difference-table estimate of Moré
//! and Wild ("Estimating computational noise", SIAM J. Sci. Comput., 2011). The
//! measurement catches functions that lose digits to cancellation inside, whose noise can
//! be far above ε·|f|.
//!
//! The step used is (x + h) − x as computed in f64, not the requested h. A step below half
//! an ulp of x therefore shows up as a zero step instead of a silent error.

use super::line::{Line, central_quotient, coordinate_line, gradient_line, slope};
use super::richardson::{Grid, RICHARDSON_LEVELS};
use crate::error::{Result, check_finite, check_len};
use crate::objective::Objective;
use ndarray::Array2;

/// The difference quotient of a [`FiniteDifference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// (f(x + h) − f(x)) / h; first order; default step √ε · max(|x|, 1).
    Forward,
    /// (f(x) − f(x − h)) / h; first order; default step √ε · max(|x|, 1).
    Backward,
    /// (f(x + h) − f(x − h)) / 2h; second order; default step ε^(1/3) · max(|x|, 1).
    Central,
    /// Central quotients at h, h/2, …, h/2⁹ extrapolated to h → 0 (Ridders' method);
    /// default first step 2⁻⁷ · max(|x|, 1).
    Richardson,
}

impl Scheme {
    /// Lower-case name, as printed in reports.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Forward => "forward",
            Scheme::Backward => "backward",
            Scheme::Central => "central",
            Scheme::Richardson => "Richardson",
        }
    }

    /// Default step relative to max(|x|, 1): √ε for one-sided quotients, ε^(1/3) for
    /// central ones, and 2⁻⁷ as the first of the ten steps of a Richardson table.
    ///
    /// The one-sided and central factors balance truncation against rounding for a
    /// function whose derivatives are of the size of f itself. The Richardson table starts
    /// coarse because extrapolation removes the truncation error.
    pub fn default_relative_step(self) -> f64 {
        match self {
            Scheme::Forward | Scheme::Backward => f64::EPSILON.sqrt(),
            Scheme::Central => f64::EPSILON.cbrt(),
            Scheme::Richardson => 1.0 / 128.0,
        }
    }
}

/// The rule that sets the step for each coordinate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// hᵢ = factor · max(|θᵢ|, 1), rounded down to a power of two.
    Relative(f64),
    /// hᵢ = h for every coordinate, whatever the size of θᵢ.
    Absolute(f64),
}

/// A derivative estimate with its error bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The estimated derivative; NaN when it could not be formed (zero step, NaN values).
    pub value: f64,
    /// Bound on |value − true derivative|: measured truncation plus rounding noise.
    /// Infinite when no bound could be formed.
    pub error: f64,
    /// The step actually used, |(x + h) − x| in f64; for a Richardson table, the smallest
    /// step of the entry it returned.
    pub step: f64,
}

impl Estimate {
    pub(crate) const UNAVAILABLE: Estimate = Estimate {
        value: f64::NAN,
        error: f64::INFINITY,
        step: 0.0,
    };

    /// Keeps a finite estimate and replaces anything else by [`Estimate::UNAVAILABLE`]
    /// with the step kept, so that NaN never reaches a comparison.
    pub(crate) fn checked(self) -> Estimate {
        if self.value.is_finite() && self.error.is_finite() {
            self
        } else {
            Estimate {
                step: self.step,
                ..Estimate::UNAVAILABLE
            }
        }
    }
}

/// A finite-difference scheme and its step rule.
///
/// ```
/// use dualopt::FiniteDifference;
///
/// // d/dx eˣ at x = 1 is e.
/// let estimate = FiniteDifference::richardson().derivative(f64::exp, 1.0)?;
/// assert!((estimate.value - std::f64::consts::E).abs() <= estimate.error);
/// assert!(estimate.error < 1e-11);
/// # Ok::<(), dualopt::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FiniteDifference {
    scheme: Scheme,
    step: Step,
}

impl FiniteDifference {
    /// Forward differences with the default relative step √ε · max(|x|, 1).
    pub fn forward() -> Self {
        Self::with_default_step(Scheme::Forward)
    }

    /// Backward differences with the default relative step √ε · max(|x|, 1).
    pub fn backward() -> Self {
        Self::with_default_step(Scheme::Backward)
    }

    /// Central differences with the default relative step ε^(1/3) · max(|x|, 1).
    pub fn central() -> Self {
        Self::with_default_step(Scheme::Central)
    }

    /// Richardson extrapolation of central differences, first step 2⁻⁷ · max(|x|, 1).
    pub fn richardson() -> Self {
        Self::with_default_step(Scheme::Richardson)
    }

    fn with_default_step(scheme: Scheme) -> Self {
        Self {
            scheme,
            step: Step::Relative(scheme.default_relative_step()),
        }
    }

    /// Replaces the step by hᵢ = `factor` · max(|θᵢ|, 1), rounded down to a power of two.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) unless `factor` is finite and > 0.
    pub fn relative_step(self, factor: f64) -> Result<Self> {
        crate::error::check_positive("relative finite-difference step", factor)?;
        Ok(Self {
            step: Step::Relative(factor),
            ..self
        })
    }

    /// Replaces the step by the same `h` for every coordinate.
    ///
    /// A fixed step suits only coordinates of size near 1: at |θᵢ| ≈ 10⁸, h = 10⁻⁸ is below
    /// one ulp of θᵢ and the difference quotient measures rounding, which the error bound
    /// then reports.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) unless `h` is finite and > 0.
    pub fn absolute_step(self, h: f64) -> Result<Self> {
        crate::error::check_positive("absolute finite-difference step", h)?;
        Ok(Self {
            step: Step::Absolute(h),
            ..self
        })
    }

    /// Returns the scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Returns the step rule.
    pub fn step(&self) -> Step {
        self.step
    }

    /// Returns the requested step at coordinate value `x`, before x + h is rounded to f64.
    pub fn nominal_step(&self, x: f64) -> f64 {
        match self.step {
            Step::Relative(factor) => power_of_two_below(factor * x.abs().max(1.0)),
            Step::Absolute(h) => h,
        }
    }

    /// Returns ρ of [`Tolerance`](super::Tolerance): the rounding error that this scheme's
    /// default step at `x` leaves in a difference quotient of values with noise `eta`.
    pub(crate) fn rounding_floor(&self, eta: f64, x: f64) -> f64 {
        let (quotient_factor, scheme) = match self.scheme {
            Scheme::Forward | Scheme::Backward => (2.0, self.scheme),
            Scheme::Central | Scheme::Richardson => (1.0, Scheme::Central),
        };
        let h = power_of_two_below(scheme.default_relative_step() * x.abs().max(1.0));
        quotient_factor * eta / h
    }

    /// Estimates f′(x) for a function of one variable.
    ///
    /// # Errors
    ///
    /// [`Error::NonFinite`](crate::Error::NonFinite) when `x` is NaN or infinite.
    pub fn derivative(&self, mut f: impl FnMut(f64) -> f64, x: f64) -> Result<Estimate> {
        check_finite("x", &[x])?;
        let mut line = Line::new(x, 1, |t, out| {
            out[0] = f(t);
            Ok(())
        })?;
        Ok(self.estimate_line(&mut line)?[0])
    }

    /// Estimates every partial derivative ∂f/∂θᵢ of `objective` at `theta` from `f64`
    /// evaluations.
    ///
    /// # Errors
    ///
    /// [`Error::DimensionMismatch`](crate::Error::DimensionMismatch) for a wrong `theta` length and [`Error::NonFinite`](crate::Error::NonFinite)
    /// for a NaN or infinite entry of `theta`.
    pub fn gradient<O: Objective>(&self, objective: &O, theta: &[f64]) -> Result<Vec<Estimate>> {
        check_theta(objective, theta)?;
        let mut point = theta.to_vec();
        (0..theta.len())
            .map(|i| {
                let mut line = coordinate_line(objective, &mut point, i)?;
                Ok(self.estimate_line(&mut line)?[0])
            })
            .collect()
    }

    /// Estimates the Hessian by differencing the exact gradient: column j is the
    /// derivative of ∇f(θ + t·eⱼ) with respect to t at t = 0.
    ///
    /// The result is not symmetrized, so its asymmetry measures how far the gradient is
    /// from being the gradient of any function.
    ///
    /// # Errors
    ///
    /// As [`gradient`](FiniteDifference::gradient).
    pub fn hessian<O: Objective>(&self, objective: &O, theta: &[f64]) -> Result<HessianEstimate> {
        check_theta(objective, theta)?;
        let d = theta.len();
        let mut values = Array2::zeros((d, d));
        let mut errors = Array2::zeros((d, d));
        let mut steps = Vec::with_capacity(d);
        let mut point = theta.to_vec();
        for j in 0..d {
            let mut line = gradient_line(objective, &mut point, j)?;
            let column = self.estimate_line(&mut line)?;
            for (i, estimate) in column.iter().enumerate() {
                values[(i, j)] = estimate.value;
                errors[(i, j)] = estimate.error;
            }
            steps.push(column.iter().map(|e| e.step).fold(0.0, f64::max));
        }
        Ok(HessianEstimate {
            values,
            errors,
            steps,
        })
    }

    /// Estimates the derivative of every component of `line` at its centre.
    pub(crate) fn estimate_line(&self, line: &mut Line<'_>) -> Result<Vec<Estimate>> {
        let h = self.nominal_step(line.x);
        match self.scheme {
            Scheme::Forward => one_step_one_sided(line, h),
            Scheme::Backward => one_step_one_sided(line, -h),
            Scheme::Central => one_step_central(line, h),
            Scheme::Richardson => {
                let grid = Grid::sample(line, h, RICHARDSON_LEVELS)?;
                Ok((0..line.m).map(|c| grid.central(c)).collect())
            }
        }
    }
}

impl Default for FiniteDifference {
    /// Central differences, the usual compromise between cost and accuracy.
    fn default() -> Self {
        Self::central()
    }
}

/// A Hessian estimated by finite differences of the exact gradient.
#[derive(Debug, Clone, PartialEq)]
pub struct HessianEstimate {
    /// Entry (i, j) estimates ∂²f/∂θⱼ∂θᵢ as the change of ∂f/∂θᵢ along θⱼ.
    pub values: Array2<f64>,
    /// Error bound of each entry; infinite where none could be formed.
    pub errors: Array2<f64>,
    /// Largest step used for each column j.
    pub steps: Vec<f64>,
}

/// Forward (h > 0) or backward (h < 0) differences at h, checked against 2h.
fn one_step_one_sided(line: &mut Line<'_>, h: f64) -> Result<Vec<Estimate>> {
    let near = line.at(h)?;
    let far = line.at(2.0 * h)?;
    let mut estimates = Vec::with_capacity(line.m);
    for c in 0..line.m {
        let f0 = line.center[c];
        let d1 = slope(&near, f0, c);
        let d2 = slope(&far, f0, c);
        let eta = line.noise(
            c,
            f0.abs().max(near.values[c].abs()).max(far.values[c].abs()),
        )?;
        // D(h) − f′ ≈ a·h and D(2h) − f′ ≈ 2a·h, so |D(h) − D(2h)| estimates the
        // truncation error of D(h); the factor 2 is a safety margin.
        estimates.push(
            Estimate {
                value: d1,
                error: 2.0 * (d1 - d2).abs() + 2.0 * eta / near.offset.abs(),
                step: near.offset.abs(),
            }
            .checked(),
        );
    }
    Ok(estimates)
}

/// Central differences at h, checked against 2h.
fn one_step_central(line: &mut Line<'_>, h: f64) -> Result<Vec<Estimate>> {
    let (right, left) = (line.at(h)?, line.at(-h)?);
    let (right2, left2) = (line.at(2.0 * h)?, line.at(-2.0 * h)?);
    let mut estimates = Vec::with_capacity(line.m);
    for c in 0..line.m {
        let c1 = central_quotient(&right, &left, c);
        let c2 = central_quotient(&right2, &left2, c);
        let magnitude = [&right, &left, &right2, &left2]
            .iter()
            .fold(line.center[c].abs(), |m, s| m.max(s.values[c].abs()));
        let width = right.offset - left.offset;
        let eta = line.noise(c, magnitude)?;
        // C(h) − f′ ≈ b·h² and C(2h) − f′ ≈ 4b·h², so |C(h) − C(2h)| is three times the
        // truncation error of C(h), which leaves a margin.
        estimates.push(
            Estimate {
                value: c1,
                error: (c1 - c2).abs() + 2.0 * eta / width,
                step: right.offset.min(-left.offset),
            }
            .checked(),
        );
    }
    Ok(estimates)
}

/// Largest power of two not above `h` (h itself when it is not a positive finite number).
fn power_of_two_below(h: f64) -> f64 {
    if !(h.is_finite() && h > 0.0) {
        return h;
    }
    let p = 2f64.powi(h.log2().floor() as i32);
    // log2 can round up across a power of two; step back one binade when it did.
    if p > h { p * 0.5 } else { p }
}

/// Checks the length and finiteness of `theta` for `objective`.
pub(crate) fn check_theta<O: Objective>(objective: &O, theta: &[f64]) -> Result<()> {
    check_len("theta", objective.dim(), theta.len())?;
    check_finite("theta", theta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_of_two_below_is_exact() {
        assert_eq!(power_of_two_below(1.0), 1.0);
        assert_eq!(power_of_two_below(0.75), 0.5);
        assert_eq!(power_of_two_below(1e8), 67108864.0);
        assert_eq!(power_of_two_below(f64::EPSILON.sqrt()), f64::EPSILON.sqrt());
    }

    #[test]
    fn schemes_estimate_exp_within_their_bounds() {
        // d/dx eˣ at 0.5 is e^0.5 exactly; each bound must cover the true error.
        let truth = 0.5f64.exp();
        for fd in [
            FiniteDifference::forward(),
            FiniteDifference::backward(),
            FiniteDifference::central(),
            FiniteDifference::richardson(),
        ] {
            let e = fd.derivative(f64::exp, 0.5).unwrap();
            assert!(
                (e.value - truth).abs() <= e.error,
                "{:?}: {} ± {}",
                fd.scheme(),
                e.value,
                e.error
            );
        }
    }

    #[test]
    fn bad_steps_are_rejected() {
        for h in [0.0, -1e-3, f64::NAN, f64::INFINITY] {
            assert!(FiniteDifference::central().absolute_step(h).is_err());
            assert!(FiniteDifference::central().relative_step(h).is_err());
        }
    }
}
