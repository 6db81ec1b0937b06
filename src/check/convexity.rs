//! Convexity tests by random chords and exact curvature along them.
//!
//! A function f is convex on a convex set D when every chord lies on or above its graph:
//!
//! t·f(a) + (1 − t)·f(b) ≥ f(t·a + (1 − t)·b)  for all a, b ∈ D and t ∈ [0, 1].
//!
//! For twice-differentiable f this is equivalent to φ″(s) ≥ 0 along every line, where
//! φ(s) = f(a + s·(b − a)) and φ″(s) = (b − a)ᵀ ∇²f (b − a). Sampling can disprove
//! convexity but never prove it.
//!
//! [`ConvexityTest`] draws random chords from a [`Domain`] and checks both conditions at
//! random points of each chord. Its [`ConvexityReport`] gives the verdict and, when a check
//! failed, the worst [`Witness`] with a shrunk, simpler copy of it. When no check failed,
//! it gives a rule-of-three bound on the violation rate.
//!
//! ```
//! use dualopt::prelude::*;
//!
//! // The textbook's quartic loss with the single target y = 0 is not convex on [−23, 25].
//! let data = Dataset::from_targets(vec![0.0])?;
//! let risk = EmpiricalRisk::new(Constant, Quartic, &data)?;
//! let report = ConvexityTest::new(Domain::interval(-23.0, 25.0))
//!     .chords(1000)
//!     .seed(7)
//!     .run(&risk)?;
//! assert_eq!(report.verdict, ConvexityVerdict::Violated);
//! let shrunk = report.shrunk.as_ref().expect("a violation is shrunk");
//! assert!(shrunk.gap < -shrunk.tolerance);
//! println!("{report}");
//!
//! // Squared error is convex: no chord violates it, and the report bounds the rate.
//! let mse = EmpiricalRisk::new(Constant, SquaredError, &data)?;
//! let report = ConvexityTest::new(Domain::interval(-23.0, 25.0)).run(&mse)?;
//! assert_eq!(report.verdict, ConvexityVerdict::NoViolationFound);
//! assert_eq!(report.violation_rate_bound(), Some(3.0 / 1000.0));
//! # Ok::<(), dualopt::Error>(())
//! ```
//!
//! # How chords are drawn
//!
//! Each chord takes two points a and b′ from the domain, then moves b′ towards a to
//! b = a + λ·(b′ − a), with λ log-uniform in [10⁻⁴, 1], so chord lengths span four decades
//! and short and long chords are tried alike. Each check point has t uniform in (0, 1).
//! Every random number comes from one ChaCha8 generator seeded with the test's seed, so a
//! seed fixes the report bit for bit.
//!
//! # Tolerance
//!
//! Both checks allow a slack of relative · max(|f(a)|, |f(b)|, |f(point)|) + absolute (see
//! [`ConvexityTolerance`]), so rounding alone cannot make an affine function with values near 10⁶
//! fail. The curvature φ″ comes from one second-order dual-number pass
//! ([`second_directional_derivative`](crate::second_directional_derivative)), exact up to
//! rounding. A point where φ″ is NaN is counted in
//! [`ConvexityReport::curvature_undefined`] and only the chord inequality is checked there.
//!
//! # Concavity and affinity
//!
//! The same checks on −f, over the same chords, test concavity, and f is affine when neither
//! test found a violation. The report counts concavity violations but keeps witnesses for
//! convexity only; to see a concavity witness, test −f.
//!
//! # Limitations
//!
//! A function that is nonconvex only on a set the sampling rarely reaches can pass. The
//! rule-of-three bound is about the test's own distribution of chords, not about the
//! volume of the set where convexity fails.

mod assert;
mod chord;
mod domain;
mod report;
mod shrink;
#[cfg(feature = "proptest")]
pub mod strategy;

#[doc(hidden)]
pub use assert::{__assert_convex, __assert_not_convex};
pub use chord::Chord;
pub use domain::{Domain, PointSampler};
pub use report::{ConvexityReport, ConvexityVerdict, ViolationKind, Witness};

use crate::error::{Error, Result};
use crate::objective::Objective;
use chord::Probe;
use domain::{shorten, unit_open};
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use report::Counts;

/// Chord lengths are spread over this many decades below the distance of two domain points.
pub(crate) const LENGTH_DECADES: f64 = 4.0;

/// The slack each check allows: relative · scale + absolute, where scale is
/// max(|f(a)|, |f(b)|, |f(point)|).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConvexityTolerance {
    /// Part proportional to the size of f; finite and ≥ 0.
    pub relative: f64,
    /// Floor for values of f near 0; finite and ≥ 0.
    pub absolute: f64,
}

impl ConvexityTolerance {
    /// Creates the tolerance `relative` · scale + `absolute`.
    pub const fn new(relative: f64, absolute: f64) -> Self {
        Self { relative, absolute }
    }

    /// Checks that both parts are finite and ≥ 0.
    pub(crate) fn check(&self) -> Result<()> {
        for (name, value) in [
            ("relative tolerance", self.relative),
            ("absolute tolerance", self.absolute),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::InvalidParameter {
                    name,
                    value,
                    expected: "must be finite and >= 0",
                });
            }
        }
        Ok(())
    }
}

impl Default for ConvexityTolerance {
    /// 10⁻⁹ · scale + 10⁻¹²: about 10⁷ times the rounding error of one `f64` operation, so
    /// that rounding in long sums stays inside it, while any gap above a billionth of |f|
    /// counts.
    fn default() -> Self {
        Self::new(1e-9, 1e-12)
    }
}

/// A randomized convexity test of an [`Objective`] on a [`Domain`].
///
/// Defaults: 1000 chords, one check point per chord, seed 0, [`ConvexityTolerance::default`], the
/// curvature check on and shrinking on.
#[derive(Debug, Clone)]
pub struct ConvexityTest {
    domain: Domain,
    chords: usize,
    points_per_chord: usize,
    seed: u64,
    tolerance: ConvexityTolerance,
    curvature: bool,
    shrink: bool,
}

impl ConvexityTest {
    /// Creates a test that draws its chords from `domain`, with the default settings.
    pub fn new(domain: Domain) -> Self {
        Self {
            domain,
            chords: 1000,
            points_per_chord: 1,
            seed: 0,
            tolerance: ConvexityTolerance::default(),
            curvature: true,
            shrink: true,
        }
    }

    /// Sets the number of chords N (at least 1; checked when the run starts).
    #[must_use]
    pub fn chords(mut self, chords: usize) -> Self {
        self.chords = chords;
        self
    }

    /// Sets the number of check points t per chord (at least 1), which share f(a) and f(b).
    #[must_use]
    pub fn points_per_chord(mut self, points: usize) -> Self {
        self.points_per_chord = points;
        self
    }

    /// Sets the seed of the generator that draws every chord and point.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the slack each check allows.
    #[must_use]
    pub fn tolerance(mut self, tolerance: ConvexityTolerance) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Turns the curvature check φ″ ≥ 0 on or off; the chord inequality is always checked.
    #[must_use]
    pub fn curvature(mut self, check: bool) -> Self {
        self.curvature = check;
        self
    }

    /// Turns shrinking of the worst witness on or off.
    #[must_use]
    pub fn shrink(mut self, shrink: bool) -> Self {
        self.shrink = shrink;
        self
    }

    /// Returns the domain that chords are drawn from.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// Runs the test on `objective`.
    ///
    /// # Errors
    ///
    /// Checked before any chord is drawn: [`Error::InvalidParameter`] for zero chords, zero
    /// points per chord, a negative or non-finite tolerance, or a bad ball radius;
    /// [`Error::InvalidBounds`] for a box coordinate with low > high; [`Error::NonFinite`]
    /// for a NaN or infinite bound or ball center; [`Error::Empty`] for a domain without
    /// coordinates; [`Error::DimensionMismatch`] when the domain's dimension differs from
    /// `objective.dim()` or a box's two bounds differ in length.
    ///
    /// During the run: [`Error::NonFinite`] when a user sampler draws a non-finite point,
    /// and [`Error::NonFiniteObjective`] when f is NaN or infinite at a drawn point.
    pub fn run<O: Objective>(&self, objective: &O) -> Result<ConvexityReport> {
        self.check(objective.dim())?;
        let dim = objective.dim();
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut probe = Probe::new(objective, self.tolerance, self.curvature);
        let (mut a, mut b) = (vec![0.0; dim], vec![0.0; dim]);
        let mut counts = Counts::default();
        let mut worst: Option<Witness> = None;

        for _ in 0..self.chords {
            self.domain.sample(&mut rng, &mut a)?;
            self.domain.sample(&mut rng, &mut b)?;
            let fraction = 10f64.powf(-LENGTH_DECADES * unit_open(&mut rng));
            shorten(&a, &mut b, fraction);
            let f_a = probe.value(&a)?;
            let f_b = probe.value(&b)?;

            let (mut convex_failed, mut concave_failed) = (false, false);
            for _ in 0..self.points_per_chord {
                let t = unit_open(&mut rng);
                let outcome = probe.at(&a, &b, f_a, f_b, t)?;
                if self.curvature && outcome.curvature.is_nan() {
                    counts.curvature_undefined += 1;
                }
                for kind in [ViolationKind::Chord, ViolationKind::Curvature] {
                    concave_failed |= outcome.violates_concavity(kind);
                    if !outcome.violates_convexity(kind) {
                        continue;
                    }
                    convex_failed = true;
                    match kind {
                        ViolationKind::Chord => counts.inequality_failures += 1,
                        ViolationKind::Curvature => counts.curvature_failures += 1,
                    }
                    if is_worse(kind, outcome.relative_gap(kind), worst.as_ref()) {
                        worst = Some(probe.witness(kind, &a, &b, f_a, f_b, t, &outcome));
                    }
                }
            }
            counts.violations += usize::from(convex_failed);
            counts.concave_violations += usize::from(concave_failed);
        }

        let shrunk = match (&worst, self.shrink) {
            (Some(witness), true) => Some(shrink::shrink(
                objective,
                &self.domain,
                self.tolerance,
                witness,
            )),
            _ => None,
        };
        Ok(ConvexityReport::new(
            self.chords,
            self.points_per_chord,
            counts,
            worst,
            shrunk,
            self.seed,
            self.tolerance,
        ))
    }

    fn check(&self, dim: usize) -> Result<()> {
        for (name, value) in [
            ("chords", self.chords),
            ("points_per_chord", self.points_per_chord),
        ] {
            if value == 0 {
                return Err(Error::InvalidParameter {
                    name,
                    value: 0.0,
                    expected: "must be at least 1",
                });
            }
        }
        self.tolerance.check()?;
        self.domain.check()?;
        if self.domain.dim() != dim {
            return Err(Error::DimensionMismatch {
                what: "domain point",
                expected: dim,
                found: self.domain.dim(),
            });
        }
        Ok(())
    }
}

impl From<Domain> for ConvexityTest {
    fn from(domain: Domain) -> Self {
        Self::new(domain)
    }
}

/// Returns whether a failure of `kind` with `relative_gap` should replace `worst`.
///
/// Chord inequality failures rank above curvature failures, because f64 values alone
/// confirm them. Within a kind, the more negative relative gap ranks higher.
fn is_worse(kind: ViolationKind, relative_gap: f64, worst: Option<&Witness>) -> bool {
    let Some(worst) = worst else {
        return true;
    };
    match (kind, worst.kind) {
        (ViolationKind::Chord, ViolationKind::Curvature) => true,
        (ViolationKind::Curvature, ViolationKind::Chord) => false,
        _ => relative_gap < worst.relative_gap,
    }
}
