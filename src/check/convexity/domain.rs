//! Domains that chords are drawn from: a box, a ball, or a user's sampler.

use crate::error::{Error, Result, check_finite};
use rand::Rng;
use std::fmt;
use std::sync::Arc;

/// A convex set of parameter vectors that the convexity test draws chord endpoints from.
///
/// Convexity is a property of a function on a convex set, so every chord between two points
/// of the domain must lie in it. Boxes and balls are convex by construction. For a
/// [`sampler`](Domain::sampler), that is the caller's promise.
///
/// Constructors do not check their input; [`ConvexityTest::run`](super::ConvexityTest::run)
/// checks the domain first and returns an error naming the bad value.
#[derive(Clone)]
pub struct Domain {
    shape: Shape,
}

#[derive(Clone)]
enum Shape {
    Box { low: Vec<f64>, high: Vec<f64> },
    Ball { center: Vec<f64>, radius: f64 },
    Sampler(Arc<dyn PointSampler>),
}

/// A user-supplied way to draw points of a convex domain from the test's seeded generator.
///
/// Implement it when a box or a ball does not describe the domain, for example the
/// probability simplex. A closure serves as well, through [`Domain::sampler`].
pub trait PointSampler: Send + Sync {
    /// Number of coordinates of a point.
    fn dim(&self) -> usize;

    /// Writes one random point into `point`, which has [`dim`](PointSampler::dim) entries.
    ///
    /// Draw every random number from `rng`, so that the test's seed fixes the points.
    fn sample(&self, rng: &mut dyn Rng, point: &mut [f64]);

    /// Returns whether `point` lies in the domain, or `None` when the sampler cannot tell.
    ///
    /// The shrinker moves chord endpoints to rounder coordinates only where this returns
    /// `Some(true)`. With the default `None`, it shrinks only the weight t.
    fn contains(&self, _point: &[f64]) -> Option<bool> {
        None
    }
}

/// A closure sampler without a membership test.
struct ClosureSampler<F> {
    dim: usize,
    sample: F,
}

impl<F> PointSampler for ClosureSampler<F>
where
    F: Fn(&mut dyn Rng, &mut [f64]) + Send + Sync,
{
    fn dim(&self) -> usize {
        self.dim
    }

    fn sample(&self, rng: &mut dyn Rng, point: &mut [f64]) {
        (self.sample)(rng, point);
    }
}

impl Domain {
    /// Creates the box [low₁, high₁] × … × [low_d, high_d].
    ///
    /// A coordinate with low = high is held fixed.
    pub fn bounds(low: impl Into<Vec<f64>>, high: impl Into<Vec<f64>>) -> Self {
        Self {
            shape: Shape::Box {
                low: low.into(),
                high: high.into(),
            },
        }
    }

    /// Creates the interval [low, high] for a one-parameter objective.
    pub fn interval(low: f64, high: f64) -> Self {
        Self::bounds([low], [high])
    }

    /// Creates the cube [low, high]ᵈ with `dim` coordinates.
    pub fn cube(dim: usize, low: f64, high: f64) -> Self {
        Self::bounds(vec![low; dim], vec![high; dim])
    }

    /// Creates the closed Euclidean ball {x : ‖x − center‖₂ ≤ radius}.
    pub fn ball(center: impl Into<Vec<f64>>, radius: f64) -> Self {
        Self {
            shape: Shape::Ball {
                center: center.into(),
                radius,
            },
        }
    }

    /// Creates a domain of `dim` coordinates whose points `sample` draws from the test's
    /// seeded generator.
    ///
    /// The set that `sample` draws from must be convex. Its points are checked to be
    /// finite. Without a membership test the shrinker cannot move endpoints, so it only
    /// rounds t; implement [`PointSampler`] and use [`Domain::from_sampler`] to give one.
    ///
    /// ```
    /// use dualopt::prelude::*;
    /// use rand::RngExt;
    ///
    /// // The triangle {x ≥ 0, y ≥ 0, x + y ≤ 1}, sampled uniformly by folding the square.
    /// let triangle = Domain::sampler(2, |rng, point| {
    ///     let (u, v): (f64, f64) = (rng.random(), rng.random());
    ///     let (x, y) = if u + v > 1.0 { (1.0 - u, 1.0 - v) } else { (u, v) };
    ///     point.copy_from_slice(&[x, y]);
    /// });
    /// assert_eq!(triangle.dim(), 2);
    /// ```
    pub fn sampler<F>(dim: usize, sample: F) -> Self
    where
        F: Fn(&mut dyn Rng, &mut [f64]) + Send + Sync + 'static,
    {
        Self::from_sampler(ClosureSampler { dim, sample })
    }

    /// Creates a domain drawn by a [`PointSampler`], which may also give a membership test.
    pub fn from_sampler(sampler: impl PointSampler + 'static) -> Self {
        Self {
            shape: Shape::Sampler(Arc::new(sampler)),
        }
    }

    /// Number of coordinates of a point.
    pub fn dim(&self) -> usize {
        match &self.shape {
            Shape::Box { low, .. } => low.len(),
            Shape::Ball { center, .. } => center.len(),
            Shape::Sampler(sampler) => sampler.dim(),
        }
    }

    /// Checks the domain's own settings.
    pub(crate) fn check(&self) -> Result<()> {
        if self.dim() == 0 {
            return Err(Error::Empty {
                what: "domain",
                item: "coordinate",
            });
        }
        match &self.shape {
            Shape::Box { low, high } => {
                if high.len() != low.len() {
                    return Err(Error::DimensionMismatch {
                        what: "domain upper bounds",
                        expected: low.len(),
                        found: high.len(),
                    });
                }
                check_finite("domain lower bounds", low)?;
                check_finite("domain upper bounds", high)?;
                match low.iter().zip(high).position(|(l, h)| l > h) {
                    Some(index) => Err(Error::InvalidBounds {
                        index,
                        low: low[index],
                        high: high[index],
                    }),
                    None => Ok(()),
                }
            }
            Shape::Ball { center, radius } => {
                check_finite("ball center", center)?;
                if radius.is_finite() && *radius >= 0.0 {
                    Ok(())
                } else {
                    Err(Error::InvalidParameter {
                        name: "ball radius",
                        value: *radius,
                        expected: "must be finite and >= 0",
                    })
                }
            }
            Shape::Sampler(_) => Ok(()),
        }
    }

    /// Draws one point into `point`, which has [`dim`](Domain::dim) entries.
    ///
    /// # Errors
    ///
    /// [`Error::NonFinite`] when a user sampler writes NaN or an infinity.
    pub(crate) fn sample<R: Rng>(&self, rng: &mut R, point: &mut [f64]) -> Result<()> {
        match &self.shape {
            Shape::Box { low, high } => {
                for ((x, &l), &h) in point.iter_mut().zip(low).zip(high) {
                    *x = combine(h, l, unit_open(rng));
                }
            }
            Shape::Ball { center, radius } => sample_ball(rng, center, *radius, point),
            Shape::Sampler(sampler) => {
                sampler.sample(rng, point);
                check_finite("sampled domain point", point)?;
            }
        }
        Ok(())
    }

    /// Returns whether `point` lies in the domain, or `None` for a sampler without a
    /// membership test.
    pub(crate) fn contains(&self, point: &[f64]) -> Option<bool> {
        match &self.shape {
            Shape::Box { low, high } => Some(
                point
                    .iter()
                    .zip(low)
                    .zip(high)
                    .all(|((x, l), h)| l <= x && x <= h),
            ),
            Shape::Ball { center, radius } => {
                let squared: f64 = point
                    .iter()
                    .zip(center)
                    .map(|(x, c)| (x - c) * (x - c))
                    .sum();
                Some(squared <= radius * radius)
            }
            Shape::Sampler(sampler) => sampler.contains(point),
        }
    }

    /// Returns the box bounds, or the ball's bounding box, for strategies that draw
    /// coordinates from intervals.
    #[cfg(feature = "proptest")]
    pub(crate) fn bounding_box(&self) -> Option<(Vec<f64>, Vec<f64>)> {
        match &self.shape {
            Shape::Box { low, high } => Some((low.clone(), high.clone())),
            Shape::Ball { center, radius } => Some((
                center.iter().map(|c| c - radius).collect(),
                center.iter().map(|c| c + radius).collect(),
            )),
            Shape::Sampler(_) => None,
        }
    }

    /// Moves `point` radially onto the ball when it lies outside; other domains are left
    /// as they are.
    #[cfg(feature = "proptest")]
    pub(crate) fn project(&self, point: &mut [f64]) {
        if let Shape::Ball { center, radius } = &self.shape {
            let norm = distance(point, center);
            if norm > *radius {
                let scale = radius / norm;
                for (x, c) in point.iter_mut().zip(center) {
                    *x = c + (*x - c) * scale;
                }
            }
        }
    }
}

impl fmt::Debug for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.shape {
            Shape::Box { low, high } => f
                .debug_struct("Domain::Box")
                .field("low", low)
                .field("high", high)
                .finish(),
            Shape::Ball { center, radius } => f
                .debug_struct("Domain::Ball")
                .field("center", center)
                .field("radius", radius)
                .finish(),
            Shape::Sampler(sampler) => f
                .debug_struct("Domain::Sampler")
                .field("dim", &sampler.dim())
                .finish_non_exhaustive(),
        }
    }
}

/// Returns a uniform draw from the open interval (0, 1), built from the top 53 bits of one
/// `u64`, so that it depends only on the generator's output stream.
pub(crate) fn unit_open<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    ((rng.next_u64() >> 11) as f64 + 0.5) * SCALE
}

/// Returns t·a + (1 − t)·b, clamped to the interval between a and b.
///
/// The weighted form cannot overflow for finite a and b, and the clamp keeps rounding from
/// stepping outside the segment, and so outside a box.
pub(crate) fn combine(a: f64, b: f64, t: f64) -> f64 {
    (t * a + (1.0 - t) * b).clamp(a.min(b), a.max(b))
}

/// Moves `b` to a + fraction·(b − a), on the segment from a to b.
pub(crate) fn shorten(a: &[f64], b: &mut [f64], fraction: f64) {
    for (b, &a) in b.iter_mut().zip(a) {
        *b = combine(*b, a, fraction);
    }
}

/// Euclidean distance ‖x − y‖₂.
pub(crate) fn distance(x: &[f64], y: &[f64]) -> f64 {
    x.iter()
        .zip(y)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        .sqrt()
}

/// Draws a point uniformly from the ball: a direction from standard normal coordinates
/// (Box–Muller), and a radius r·u^(1/d).
fn sample_ball<R: Rng>(rng: &mut R, center: &[f64], radius: f64, point: &mut [f64]) {
    let norm = loop {
        for x in point.iter_mut() {
            let (u, v) = (unit_open(rng), unit_open(rng));
            *x = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
        }
        let norm = point.iter().map(|x| x * x).sum::<f64>().sqrt();
        // A zero vector has no direction; its probability is zero, but redraw if it occurs.
        if norm > 0.0 {
            break norm;
        }
    };
    let scale = radius * unit_open(rng).powf(1.0 / point.len() as f64) / norm;
    for (x, c) in point.iter_mut().zip(center) {
        *x = c + *x * scale;
    }
}
