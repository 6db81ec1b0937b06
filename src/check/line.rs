//! A function along one coordinate, with its measured rounding noise.
//!
//! Every finite difference in the check module works on a [`Line`]: f along one
//! coordinate for a gradient, or ∇f along one coordinate for a Hessian. The line also
//! measures how noisy its values are, which sets the rounding part of every error bound.

use crate::error::Result;
use crate::objective::Objective;

/// Minimum rounding error assumed for one evaluation of f, in units of ε·|f|.
pub const NOISE_ULPS: f64 = 8.0;

/// The noise bound η is at least this many times the measured noise level σ.
pub const NOISE_SIGMAS: f64 = 4.0;

// NOTE: noise that is constant over the probe's span of about 10⁻⁹ · max(|x|, 1) and
// changes only at larger scales (a value quantized to the ulps of a larger intermediate,
// such as z + ln(1 + e⁻ᶻ) − z for large z reached through a feature weight) measures as
// zero here. Then only the truncation part of the error bound reflects it, and the check can
// report an estimate as unreliable that a coarser probe would have let pass.
/// Spacing of the noise probe relative to max(|x|, 1), before [`NOISE_PROBE_FACTOR`].
///
/// Small enough that a kink at x adds only about 2⁻³² · max(|x|, 1) times its jump in slope
/// to the measured noise, large enough that the probe's points are millions of ulps apart
/// and round differently.
const NOISE_PROBE: f64 = 1.0 / 4_294_967_296.0;

/// Irrational factor on the probe spacing (the golden ratio's conjugate).
const NOISE_PROBE_FACTOR: f64 = 0.618_033_988_749_894_9;

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
    pub(crate) offset: f64,
    pub(crate) values: Vec<f64>,
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
    pub(crate) fn sigma(&mut self) -> Result<&[f64]> {
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
    pub(crate) fn at(&mut self, offset: f64) -> Result<Sample> {
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
pub(crate) fn slope(sample: &Sample, center: f64, c: usize) -> f64 {
    if sample.offset == 0.0 {
        f64::NAN
    } else {
        (sample.values[c] - center) / sample.offset
    }
}

/// Central quotient (right − left) / (right offset − left offset), NaN for a zero offset.
pub(crate) fn central_quotient(right: &Sample, left: &Sample, c: usize) -> f64 {
    let width = right.offset - left.offset;
    if right.offset == 0.0 || left.offset == 0.0 {
        f64::NAN
    } else {
        (right.values[c] - left.values[c]) / width
    }
}
