//! Richardson tables: the extrapolated central estimate and the one-sided limits that
//! find kinks.

use super::finite_diff::Estimate;
use super::line::{Line, NOISE_SIGMAS, NOISE_ULPS, Sample, central_quotient, slope};
use crate::error::Result;

/// Number of step sizes in a Richardson table, each half the previous one.
pub const RICHARDSON_LEVELS: usize = 10;

/// A Ridders table stops when the newest diagonal entry moves by more than this factor
/// times the best error seen so far: higher orders are then amplifying rounding noise.
const RIDDERS_SAFETY: f64 = 2.0;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
