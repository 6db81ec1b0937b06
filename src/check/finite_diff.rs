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
//! the noise η of one evaluation of f by the step. η is the larger of [`NOISE_ULPS`] units
//! of ε·|f|, with ε the f64 machine epsilon, and [`NOISE_SIGMAS`] times the noise measured
//! near x: the scatter of f at nine points x + j·t, t ≈ 0.62 · 2⁻³² · max(|x|, 1), seen through
//! their differences of orders 4 to 6 (after Moré and Wild, "Estimating computational
//! noise", SIAM J. Sci. Comput. 33, 2011). The measurement catches functions that lose
//! digits to cancellation inside, whose noise can be far above ε·|f|.
//!
//! The step used is (x + h) − x as computed in f64, not the requested h. A step below half
//! an ulp of x therefore shows up as a zero step instead of a silent error.

use crate::error::{Error, Result, check_finite, check_len};
use crate::objective::Objective;
use ndarray::Array2;

/// Minimum rounding error assumed for one evaluation of f, in units of ε·|f|.
pub const NOISE_ULPS: f64 = 8.0;

/// The noise bound η is at least this many times the measured noise level σ.
pub const NOISE_SIGMAS: f64 = 4.0;

// NOTE: noise that is constant over the probe's span of about 10⁻⁹ · max(|x|, 1) and
// changes only at larger scales (a value quantized to the ulps of a larger intermediate,
// such as z + ln(1 + e⁻ᶻ) − z for large z reached through a feature weight) measures as
// zero here. Then only the truncation part of the error bound sees it, and the check can
// report an estimate as unreliable that a coarser probe would have let pass.
/// Spacing of the noise probe relative to max(|x|, 1), before [`NOISE_PROBE_FACTOR`].
///
/// Small enough that a kink at x adds only about 2⁻³² · max(|x|, 1) times its jump in slope
/// to the measured noise, large enough that the probe's points are millions of ulps apart
/// and round differently.
const NOISE_PROBE: f64 = 1.0 / 4_294_967_296.0;

/// Irrational factor on the probe spacing (the golden ratio's conjugate).
const NOISE_PROBE_FACTOR: f64 = 0.618_033_988_749_894_9;

/// Number of step sizes in a Richardson table, each half the previous one.
pub const RICHARDSON_LEVELS: usize = 10;

/// A Ridders table stops when the newest diagonal entry moves by more than this factor
/// times the best error seen so far: higher orders are then amplifying rounding noise.
const RIDDERS_SAFETY: f64 = 2.0;

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
    fn checked(self) -> Estimate {
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
    /// [`Error::InvalidParameter`] unless `factor` is finite and > 0.
    pub fn relative_step(self, factor: f64) -> Result<Self> {
        check_step("relative finite-difference step", factor)?;
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
    /// [`Error::InvalidParameter`] unless `h` is finite and > 0.
    pub fn absolute_step(self, h: f64) -> Result<Self> {
        check_step("absolute finite-difference step", h)?;
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
    /// [`Error::NonFinite`] when `x` is NaN or infinite.
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
    /// [`Error::DimensionMismatch`] for a wrong `theta` length and [`Error::NonFinite`]
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

/// A vector-valued function of one variable t, evaluated at x + offset.
///
/// It is the object finite differences work on: f along one coordinate for a gradient,
/// ∇f along one coordinate for a Hessian.
pub(crate) struct Line<'a> {
    pub(crate) x: f64,
    pub(crate) m: usize,
    pub(crate) center: Vec<f64>,
    f: LineFn<'a>,
    /// Measured noise level σ of each component near x, once probed.
    sigma: Option<Vec<f64>>,
}

/// The function behind a [`Line`]: writes its m outputs at an argument t.
type LineFn<'a> = Box<dyn FnMut(f64, &mut [f64]) -> Result<()> + 'a>;

/// Values at one point of a [`Line`], with the offset realized in f64.
pub(crate) struct Sample {
    offset: f64,
    values: Vec<f64>,
}

impl<'a> Line<'a> {
    /// Wraps `f` (writing m outputs for an argument t) and evaluates it at `x`.
    pub(crate) fn new(
        x: f64,
        m: usize,
        f: impl FnMut(f64, &mut [f64]) -> Result<()> + 'a,
    ) -> Result<Self> {
        let mut line = Self {
            x,
            m,
            center: vec![0.0; m],
            f: Box::new(f),
            sigma: None,
        };
        let mut center = vec![0.0; m];
        (line.f)(x, &mut center)?;
        line.center = center;
        Ok(line)
    }

    /// Noise bound η of component `c` for values up to `magnitude`; see the module docs.
    pub(crate) fn noise(&mut self, c: usize, magnitude: f64) -> Result<f64> {
        let sigma = self.sigma()?[c];
        Ok((NOISE_ULPS * f64::EPSILON * magnitude).max(NOISE_SIGMAS * sigma))
    }

    /// Measured noise level σ of every component, probed once and cached.
    fn sigma(&mut self) -> Result<&[f64]> {
        if self.sigma.is_none() {
            // A spacing that is not a power of two changes the low bits of x + j·t and of
            // every intermediate value computed from it. A dyadic spacing can shift them by
            // whole ulps and leave the rounding identical at all nine points.
            let t = NOISE_PROBE * self.x.abs().max(1.0) * NOISE_PROBE_FACTOR;
            let mut columns = Vec::with_capacity(9);
            for j in -4i32..=4 {
                columns.push(if j == 0 {
                    self.center.clone()
                } else {
                    self.at(f64::from(j) * t)?.values
                });
            }
            let sigma = (0..self.m)
                .map(|c| {
                    let values: Vec<f64> = columns.iter().map(|v| v[c]).collect();
                    noise_level(&values)
                })
                .collect();
            self.sigma = Some(sigma);
        }
        Ok(self.sigma.as_deref().unwrap_or(&[]))
    }

    /// Evaluates at x + `offset`, recording the offset that f64 arithmetic produced.
    fn at(&mut self, offset: f64) -> Result<Sample> {
        let t = self.x + offset;
        let mut values = vec![0.0; self.m];
        (self.f)(t, &mut values)?;
        Ok(Sample {
            offset: t - self.x,
            values,
        })
    }
}

/// f along coordinate `i` of `point`; `point` is restored after every evaluation.
pub(crate) fn coordinate_line<'a, O: Objective>(
    objective: &'a O,
    point: &'a mut [f64],
    i: usize,
) -> Result<Line<'a>> {
    let x = point[i];
    Line::new(x, 1, move |t, out| {
        point[i] = t;
        out[0] = objective.eval(point);
        point[i] = x;
        Ok(())
    })
}

/// ∇f along coordinate `j` of `point`; `point` is restored after every evaluation.
pub(crate) fn gradient_line<'a, O: Objective>(
    objective: &'a O,
    point: &'a mut [f64],
    j: usize,
) -> Result<Line<'a>> {
    let x = point[j];
    let d = point.len();
    Line::new(x, d, move |t, out| {
        point[j] = t;
        let result = objective.value_and_gradient(point, out);
        point[j] = x;
        result.map(|_| ())
    })
}

/// Noise level σ of equally spaced values of a smooth function plus independent noise.
///
/// The k-th differences of pure noise of level σ have mean square C(2k, k)·σ², while those
/// of the smooth part are O(tᵏ) and vanish at the probe's spacing t. Orders 4 to 6 are
/// averaged; differences that involve a NaN or infinite value are skipped.
fn noise_level(values: &[f64]) -> f64 {
    let mut estimates = Vec::with_capacity(3);
    let mut differences = values.to_vec();
    for k in 1..=6usize {
        differences = differences.windows(2).map(|w| w[1] - w[0]).collect();
        if k < 4 {
            continue;
        }
        let finite: Vec<f64> = differences
            .iter()
            .copied()
            .filter(|d| d.is_finite())
            .collect();
        if finite.is_empty() {
            continue;
        }
        let mean_square = finite.iter().map(|d| d * d).sum::<f64>() / finite.len() as f64;
        let central_binomial = match k {
            4 => 70.0,
            5 => 252.0,
            _ => 924.0,
        };
        estimates.push((mean_square / central_binomial).sqrt());
    }
    if estimates.is_empty() {
        0.0
    } else {
        estimates.iter().sum::<f64>() / estimates.len() as f64
    }
}

/// Slope (value − centre) / offset, NaN for a zero offset.
fn slope(sample: &Sample, center: f64, c: usize) -> f64 {
    if sample.offset == 0.0 {
        f64::NAN
    } else {
        (sample.values[c] - center) / sample.offset
    }
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

fn central_quotient(right: &Sample, left: &Sample, c: usize) -> f64 {
    let width = right.offset - left.offset;
    if right.offset == 0.0 || left.offset == 0.0 {
        f64::NAN
    } else {
        (right.values[c] - left.values[c]) / width
    }
}

/// Samples of a [`Line`] at x ± H·2⁻ᵏ for k = 0, …, levels − 1.
///
/// One grid serves the Richardson estimate (central quotients) and the kink detector
/// (one-sided quotients of first and second order on each side).
pub(crate) struct Grid {
    center: Vec<f64>,
    right: Vec<Sample>,
    left: Vec<Sample>,
    /// Measured noise level σ of each component.
    sigma: Vec<f64>,
}

/// One-sided estimates on both sides of a point, used to find kinks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sides {
    /// Limit of the slope from the left.
    pub(crate) left: Estimate,
    /// Limit of the slope from the right.
    pub(crate) right: Estimate,
    /// Limit of the second derivative from the left.
    pub(crate) left_curvature: Estimate,
    /// Limit of the second derivative from the right.
    pub(crate) right_curvature: Estimate,
    /// Right minus left slope.
    pub(crate) slope_jump: Jump,
    /// Right minus left second derivative.
    pub(crate) curvature_jump: Jump,
}

/// The limit of J(s) = right-side quotient at step s minus left-side quotient at step s.
///
/// For a smooth f the one-sided quotients share their even-order terms, so J(s) has only
/// odd powers of s and tends to 0; at a jump it tends to the jump.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Jump {
    /// J extrapolated to s → 0 by a Richardson table.
    pub(crate) size: Estimate,
    /// Whether J(s) itself, at the finest step whose rounding noise is below a quarter of
    /// the extrapolated size, lies within half that size of it. A real jump persists as
    /// s shrinks. A table entry that claims one while J(s) → 0 is an artefact of picking
    /// the smallest of many error estimates.
    pub(crate) persists: bool,
}

/// Quotients of one kind at the steps of a grid, with their rounding noise.
struct Series {
    values: Vec<f64>,
    noise: Vec<f64>,
    steps: Vec<f64>,
}

impl Series {
    /// Extrapolates to s → 0 with a Richardson table for an error with every power of s.
    fn limit(&self) -> Estimate {
        extrapolate(&self.values, &self.noise, &self.steps, 2.0)
    }

    /// Measures the jump from `left` to `self` at matching steps.
    fn jump_from(&self, left: &Series) -> Jump {
        let difference = Series {
            values: self
                .values
                .iter()
                .zip(&left.values)
                .map(|(r, l)| r - l)
                .collect(),
            noise: self
                .noise
                .iter()
                .zip(&left.noise)
                .map(|(r, l)| r + l)
                .collect(),
            steps: self.steps.clone(),
        };
        let size = difference.limit();
        let target = size.value.abs();
        let finest = (0..difference.values.len())
            .rev()
            .find(|&k| difference.noise[k] <= 0.25 * target && difference.values[k].is_finite());
        let persists = target > 0.0
            && finest.is_some_and(|k| (difference.values[k] - size.value).abs() <= 0.5 * target);
        Jump { size, persists }
    }
}

impl Grid {
    /// Evaluates `line` at x ± `h`·2⁻ᵏ for k = 0, …, `levels` − 1.
    pub(crate) fn sample(line: &mut Line<'_>, h: f64, levels: usize) -> Result<Self> {
        let mut right = Vec::with_capacity(levels);
        let mut left = Vec::with_capacity(levels);
        let mut step = h;
        for _ in 0..levels {
            right.push(line.at(step)?);
            left.push(line.at(-step)?);
            step *= 0.5;
        }
        Ok(Self {
            center: line.center.clone(),
            right,
            left,
            sigma: line.sigma()?.to_vec(),
        })
    }

    /// Noise bound η of component `c` for values up to `magnitude`.
    fn noise(&self, c: usize, magnitude: f64) -> f64 {
        (NOISE_ULPS * f64::EPSILON * magnitude).max(NOISE_SIGMAS * self.sigma[c])
    }

    /// Richardson estimate of the derivative of component `c` from central quotients.
    pub(crate) fn central(&self, c: usize) -> Estimate {
        let f0 = self.center[c].abs();
        let mut base = Vec::with_capacity(self.right.len());
        let mut noises = Vec::with_capacity(self.right.len());
        let mut steps = Vec::with_capacity(self.right.len());
        for (r, l) in self.right.iter().zip(&self.left) {
            let width = r.offset - l.offset;
            let magnitude = f0.max(r.values[c].abs()).max(l.values[c].abs());
            base.push(central_quotient(r, l, c));
            noises.push(2.0 * self.noise(c, magnitude) / width);
            steps.push(r.offset.min(-l.offset));
        }
        // C(h) has only even powers of h in its error expansion.
        extrapolate(&base, &noises, &steps, 4.0)
    }

    /// One-sided slope and curvature limits of component `c` on both sides, and their jumps.
    pub(crate) fn sides(&self, c: usize) -> Sides {
        let noise = |magnitude| self.noise(c, magnitude);
        let (left_slopes, left_curvatures) = one_sided(&self.left, self.center[c], c, noise);
        let (right_slopes, right_curvatures) = one_sided(&self.right, self.center[c], c, noise);
        Sides {
            left: left_slopes.limit(),
            right: right_slopes.limit(),
            left_curvature: left_curvatures.limit(),
            right_curvature: right_curvatures.limit(),
            slope_jump: right_slopes.jump_from(&left_slopes),
            curvature_jump: right_curvatures.jump_from(&left_curvatures),
        }
    }
}

/// One-sided slopes and second derivatives at the steps of one side of a grid.
///
/// With offsets a and b = 2a on the same side, D(a) = (f(x + a) − f(x))/a and
/// S = 2(D(b) − D(a))/(b − a) = f″(x) + O(a); both have every power of the offset in
/// their error expansions.
fn one_sided(
    samples: &[Sample],
    f0: f64,
    c: usize,
    noise: impl Fn(f64) -> f64,
) -> (Series, Series) {
    let n = samples.len();
    let mut slopes = Series {
        values: Vec::with_capacity(n),
        noise: Vec::with_capacity(n),
        steps: Vec::with_capacity(n),
    };
    for s in samples {
        let eta = noise(f0.abs().max(s.values[c].abs()));
        slopes.values.push(slope(s, f0, c));
        slopes.noise.push(2.0 * eta / s.offset.abs());
        slopes.steps.push(s.offset.abs());
    }

    let mut curvatures = Series {
        values: Vec::with_capacity(n.saturating_sub(1)),
        noise: Vec::with_capacity(n.saturating_sub(1)),
        steps: slopes.steps.get(1..).unwrap_or(&[]).to_vec(),
    };
    for k in 1..n {
        let (far, near) = (&samples[k - 1], &samples[k]);
        let gap = far.offset - near.offset;
        curvatures
            .values
            .push(2.0 * (slopes.values[k - 1] - slopes.values[k]) / gap);
        curvatures
            .noise
            .push(2.0 * (slopes.noise[k - 1] + slopes.noise[k]) / gap.abs());
    }
    (slopes, curvatures)
}

/// Extrapolates `base[k]`, computed at step h·2⁻ᵏ, to step 0 with a Ridders table.
///
/// Column j removes the term of order `ratio`ʲ: `ratio` is 4 when the error has even
/// powers of h only (central quotients) and 2 when it has all powers (one-sided ones).
/// Each entry's error is the larger of its distances to the two entries it was built
/// from, plus the rounding noise carried through the same linear combination. The entry
/// with the smallest error is returned.
fn extrapolate(base: &[f64], noise: &[f64], steps: &[f64], ratio: f64) -> Estimate {
    let Some(&first) = base.first() else {
        return Estimate::UNAVAILABLE;
    };
    let mut best = Estimate {
        value: first,
        error: f64::INFINITY,
        step: steps[0],
    };
    let mut previous = vec![(first, noise[0])];
    for k in 1..base.len() {
        let mut row = Vec::with_capacity(k + 1);
        row.push((base[k], noise[k]));
        let mut factor = 1.0;
        for j in 1..=k {
            factor *= ratio;
            let (a, na) = row[j - 1];
            let (b, nb) = previous[j - 1];
            let value = a + (a - b) / (factor - 1.0);
            let carried = (factor * na + nb) / (factor - 1.0);
            row.push((value, carried));
            let error = (value - a).abs().max((value - b).abs()) + carried;
            if error < best.error {
                best = Estimate {
                    value,
                    error,
                    step: steps[k],
                };
            }
        }
        let diagonal_move = (row[k].0 - previous[k - 1].0).abs();
        if diagonal_move >= RIDDERS_SAFETY * best.error {
            break;
        }
        previous = row;
    }
    best.checked()
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

fn check_step(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            expected: "must be finite and > 0",
        })
    }
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
    fn richardson_one_sided_limits_of_abs() {
        // |x| at 0 has one-sided slopes −1 and +1 and zero curvature on each side.
        let mut line = Line::new(0.0, 1, |t, out| {
            out[0] = t.abs();
            Ok(())
        })
        .unwrap();
        let grid = Grid::sample(&mut line, 1.0 / 128.0, RICHARDSON_LEVELS).unwrap();
        let sides = grid.sides(0);
        assert_eq!(sides.left.value, -1.0);
        assert_eq!(sides.right.value, 1.0);
        assert_eq!(sides.left_curvature.value, 0.0);
        assert_eq!(sides.right_curvature.value, 0.0);
    }

    #[test]
    fn bad_steps_are_rejected() {
        for h in [0.0, -1e-3, f64::NAN, f64::INFINITY] {
            assert!(FiniteDifference::central().absolute_step(h).is_err());
            assert!(FiniteDifference::central().relative_step(h).is_err());
        }
    }
}
