//! Results of a convexity test: [`ConvexityReport`], [`ConvexityVerdict`] and [`Witness`].

use super::ConvexityTolerance;
use super::chord::Chord;
use super::domain::distance;
use std::fmt;

/// The outcome of testing one property by sampling.
///
/// Sampling can disprove convexity but never prove it, so the two outcomes are "no
/// violation found" and "violated".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConvexityVerdict {
    /// Every check passed within the tolerance. This is evidence, not a proof.
    NoViolationFound,
    /// At least one check failed beyond the tolerance, which disproves the property.
    Violated,
}

impl ConvexityVerdict {
    /// Returns whether at least one check failed.
    pub fn is_violated(self) -> bool {
        self == ConvexityVerdict::Violated
    }

    fn from_count(violations: usize) -> Self {
        if violations == 0 {
            ConvexityVerdict::NoViolationFound
        } else {
            ConvexityVerdict::Violated
        }
    }
}

/// Convexity condition that a witness breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationKind {
    /// The chord inequality t·f(a) + (1 − t)·f(b) ≥ f(t·a + (1 − t)·b).
    Chord,
    /// The curvature condition φ″ ≥ 0 for φ(s) = f(a + s·(b − a)), at s = 1 − t.
    Curvature,
}

/// A chord on which a convexity condition fails beyond the tolerance.
///
/// The condition is lhs ≥ rhs, and it fails because gap = lhs − rhs < −tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct Witness {
    /// Condition that fails.
    pub kind: ViolationKind,
    /// Start of the chord.
    pub a: Vec<f64>,
    /// End of the chord.
    pub b: Vec<f64>,
    /// Weight of `a` in the checked point, in [0, 1]. A test run draws it from (0, 1).
    pub t: f64,
    /// The checked point t·a + (1 − t)·b.
    pub point: Vec<f64>,
    /// f(a).
    pub f_a: f64,
    /// f(b).
    pub f_b: f64,
    /// f at the checked point.
    pub f_point: f64,
    /// Left-hand side: t·f(a) + (1 − t)·f(b) for [`ViolationKind::Chord`], φ″ at the point
    /// for [`ViolationKind::Curvature`].
    pub lhs: f64,
    /// Right-hand side: f(t·a + (1 − t)·b) for [`ViolationKind::Chord`], 0 for
    /// [`ViolationKind::Curvature`].
    pub rhs: f64,
    /// lhs − rhs, below −tolerance.
    pub gap: f64,
    /// gap / max(|f(a)|, |f(b)|, |f(point)|); ±∞ when all three values are 0.
    pub relative_gap: f64,
    /// The tolerance that applied: relative · max(|f(a)|, |f(b)|, |f(point)|) + absolute.
    pub tolerance: f64,
}

impl Witness {
    /// Returns the chord's length ‖b − a‖₂.
    pub fn length(&self) -> f64 {
        distance(&self.a, &self.b)
    }

    /// Returns the chord (a, b, t), for checking it again with [`Chord::check`].
    pub fn chord(&self) -> Chord {
        Chord::new(self.a.clone(), self.b.clone(), self.t)
    }
}

impl fmt::Display for Witness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a = {}, b = {}, t = {} (point {})",
            Coordinates(&self.a),
            Coordinates(&self.b),
            self.t,
            Coordinates(&self.point)
        )?;
        match self.kind {
            ViolationKind::Chord => write!(
                f,
                "\n    t·f(a) + (1 − t)·f(b) = {} < f(t·a + (1 − t)·b) = {}, with f(a) = {}, \
                 f(b) = {}",
                Number(self.lhs),
                Number(self.rhs),
                Number(self.f_a),
                Number(self.f_b)
            )?,
            ViolationKind::Curvature => write!(
                f,
                "\n    φ″ = {} < 0 for φ(s) = f(a + s·(b − a)) at s = 1 − t, with f(point) = {}",
                Number(self.lhs),
                Number(self.f_point)
            )?,
        }
        write!(
            f,
            "\n    gap {} (relative {}), tolerance {}",
            Number(self.gap),
            Number(self.relative_gap),
            Number(self.tolerance)
        )
    }
}

/// The result of a [`ConvexityTest`](super::ConvexityTest) run.
///
/// Its `Display` output is a readable summary; the fields hold every number in it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvexityReport {
    /// Convexity of f: whether a chord violated t·f(a) + (1 − t)·f(b) ≥ f(t·a + (1 − t)·b)
    /// or φ″ ≥ 0 beyond the tolerance.
    pub verdict: ConvexityVerdict,
    /// Concavity of f: the same test on −f, over the same chords.
    pub concave: ConvexityVerdict,
    /// Affinity of f: violated when either convexity or concavity is.
    pub affine: ConvexityVerdict,
    /// Number of chords drawn, N.
    pub chords: usize,
    /// Check points per chord.
    pub points_per_chord: usize,
    /// Chords with at least one failed convexity check.
    pub violations: usize,
    /// Failed chord inequalities, counted per check point.
    pub inequality_failures: usize,
    /// Failed curvature checks φ″ ≥ 0, counted per check point.
    pub curvature_failures: usize,
    /// Chords with at least one failed concavity check (a check of −f).
    pub concave_violations: usize,
    /// Check points where φ″ was NaN, so that only the chord inequality was checked there.
    pub curvature_undefined: usize,
    /// The worst convexity violation found: a chord inequality failure if there is one,
    /// else a curvature failure, with the most negative relative gap of its kind.
    pub worst: Option<Witness>,
    /// `worst` after shrinking: a simpler witness that still fails the same condition.
    /// `None` when nothing failed or shrinking was turned off.
    pub shrunk: Option<Witness>,
    /// The seed the chords were drawn with.
    pub seed: u64,
    /// The tolerance the checks used.
    pub tolerance: ConvexityTolerance,
}

impl ConvexityReport {
    /// Returns the fraction of chords that violated convexity, violations / N.
    pub fn violation_fraction(&self) -> f64 {
        self.violations as f64 / self.chords as f64
    }

    /// Returns the rule-of-three bound 3/N on the convexity violation rate when no chord
    /// violated it, and `None` otherwise.
    ///
    /// With N independent chords and no failure, a violation rate p ≥ 3/N would leave every
    /// chord passing with probability (1 − p)ᴺ ≤ e⁻³ < 5 %, so the rate is below 3/N at 95 %
    /// confidence. The rate is that of the test's own sampling distribution of chords.
    pub fn violation_rate_bound(&self) -> Option<f64> {
        rate_bound(self.violations, self.chords)
    }

    /// Returns the rule-of-three bound 3/N on the concavity violation rate when no chord
    /// violated it, and `None` otherwise.
    pub fn concave_rate_bound(&self) -> Option<f64> {
        rate_bound(self.concave_violations, self.chords)
    }

    /// Assembles a report from the run's counts and witnesses.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        chords: usize,
        points_per_chord: usize,
        counts: Counts,
        worst: Option<Witness>,
        shrunk: Option<Witness>,
        seed: u64,
        tolerance: ConvexityTolerance,
    ) -> Self {
        let verdict = ConvexityVerdict::from_count(counts.violations);
        let concave = ConvexityVerdict::from_count(counts.concave_violations);
        Self {
            verdict,
            concave,
            affine: ConvexityVerdict::from_count(counts.violations + counts.concave_violations),
            chords,
            points_per_chord,
            violations: counts.violations,
            inequality_failures: counts.inequality_failures,
            curvature_failures: counts.curvature_failures,
            concave_violations: counts.concave_violations,
            curvature_undefined: counts.curvature_undefined,
            worst,
            shrunk,
            seed,
            tolerance,
        }
    }
}

/// Counters kept during a run.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    pub(crate) violations: usize,
    pub(crate) inequality_failures: usize,
    pub(crate) curvature_failures: usize,
    pub(crate) concave_violations: usize,
    pub(crate) curvature_undefined: usize,
}

fn rate_bound(violations: usize, chords: usize) -> Option<f64> {
    (violations == 0).then(|| 3.0 / chords as f64)
}

impl fmt::Display for ConvexityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "convexity test: {} chords, {} check point(s) per chord, seed {}, \
             tolerance {:e}·|f| + {:e}",
            self.chords,
            self.points_per_chord,
            self.seed,
            self.tolerance.relative,
            self.tolerance.absolute
        )?;
        write!(f, "  convex:  ")?;
        match self.violation_rate_bound() {
            Some(bound) => writeln!(f, "{}", NoViolation(self.chords, bound))?,
            None => writeln!(
                f,
                "NOT CONVEX: {} of {} chords violate convexity ({} %; {} chord inequalities \
                 and {} curvature checks failed)",
                self.violations,
                self.chords,
                Number(100.0 * self.violation_fraction()),
                self.inequality_failures,
                self.curvature_failures
            )?,
        }
        write!(f, "  concave: ")?;
        match self.concave_rate_bound() {
            Some(bound) => writeln!(f, "{}", NoViolation(self.chords, bound))?,
            None => writeln!(
                f,
                "not concave: {} of {} chords violate concavity",
                self.concave_violations, self.chords
            )?,
        }
        let affine = match self.affine {
            ConvexityVerdict::NoViolationFound => "no violation found",
            ConvexityVerdict::Violated => "not affine",
        };
        write!(f, "  affine:  {affine}")?;
        if self.curvature_undefined > 0 {
            write!(
                f,
                "\n  φ″ was NaN at {} check point(s), where only the chord inequality was checked",
                self.curvature_undefined
            )?;
        }
        if let Some(worst) = &self.worst {
            write!(
                f,
                "\n  worst violation ({}): {worst}",
                kind_name(worst.kind)
            )?;
        }
        if let Some(shrunk) = &self.shrunk {
            write!(
                f,
                "\n  shrunk witness ({}): {shrunk}",
                kind_name(shrunk.kind)
            )?;
        }
        Ok(())
    }
}

fn kind_name(kind: ViolationKind) -> &'static str {
    match kind {
        ViolationKind::Chord => "chord inequality",
        ViolationKind::Curvature => "negative curvature",
    }
}

/// The statistical statement for a property with no violation in `.0` chords.
struct NoViolation(usize, f64);

impl fmt::Display for NoViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no violation found in {} chords; by the rule of three the violation rate is below \
             3/N = {} at 95 % confidence",
            self.0,
            Number(self.1)
        )
    }
}

/// A point printed with each coordinate's shortest exact representation, so it can be
/// copied back into code.
struct Coordinates<'a>(&'a [f64]);

impl fmt::Display for Coordinates<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[")?;
        for (i, x) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{x}")?;
        }
        write!(f, "]")
    }
}

/// A value printed with six significant digits.
struct Number(f64);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        let magnitude = x.abs();
        if x == 0.0 || !x.is_finite() || (1e-3..1e6).contains(&magnitude) {
            // Six significant digits in positional notation, without trailing zeros.
            let decimals = if x == 0.0 || !x.is_finite() {
                0
            } else {
                (5 - magnitude.log10().floor() as i32).max(0) as usize
            };
            let text = format!("{x:.decimals$}");
            let text = if text.contains('.') {
                text.trim_end_matches('0').trim_end_matches('.')
            } else {
                &text
            };
            write!(f, "{text}")
        } else {
            let text = format!("{x:.5e}");
            let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
            let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
            write!(f, "{mantissa}e{exponent}")
        }
    }
}
