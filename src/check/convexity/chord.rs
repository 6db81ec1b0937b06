//! One chord: the two checks made on it, and [`Chord`] for checking a chord of one's own.

use super::ConvexityTolerance;
use super::domain::{combine, distance};
use super::report::{ViolationKind, Witness};
use crate::autodiff::second_directional_derivative;
use crate::error::{Error, Result, check_finite, check_len};
use crate::objective::Objective;

/// A chord from `a` to `b` with the weight `t` of the point t·a + (1 − t)·b.
///
/// The convexity test draws chords itself; build one to check a chord of your own, for
/// example in a proptest suite.
#[derive(Debug, Clone, PartialEq)]
pub struct Chord {
    /// Start of the chord.
    pub a: Vec<f64>,
    /// End of the chord.
    pub b: Vec<f64>,
    /// Weight of `a` in the checked point t·a + (1 − t)·b, in [0, 1].
    pub t: f64,
}

impl Chord {
    /// Creates the chord from `a` to `b`, checked at the point t·a + (1 − t)·b.
    pub fn new(a: impl Into<Vec<f64>>, b: impl Into<Vec<f64>>, t: f64) -> Self {
        Self {
            a: a.into(),
            b: b.into(),
            t,
        }
    }

    /// Returns the point t·a + (1 − t)·b, coordinate by coordinate.
    pub fn point(&self) -> Vec<f64> {
        self.a
            .iter()
            .zip(&self.b)
            .map(|(&a, &b)| combine(a, b, self.t))
            .collect()
    }

    /// Returns the chord's length ‖b − a‖₂.
    pub fn length(&self) -> f64 {
        distance(&self.a, &self.b)
    }

    /// Checks both convexity conditions at the point t·a + (1 − t)·b.
    ///
    /// The chord inequality t·f(a) + (1 − t)·f(b) ≥ f(t·a + (1 − t)·b) and the curvature
    /// φ″ ≥ 0 of φ(s) = f(a + s·(b − a)) must each hold within `tolerance`. Returns
    /// `Ok(None)` when both hold, and otherwise the witness of the failure, the chord
    /// inequality's when both fail.
    ///
    /// # Errors
    ///
    /// - [`Error::DimensionMismatch`] when `a` or `b` does not have `objective.dim()` entries.
    /// - [`Error::NonFinite`] for a NaN or infinite coordinate.
    /// - [`Error::InvalidParameter`] for a `t` outside [0, 1] or a bad tolerance.
    /// - [`Error::NonFiniteObjective`] when f is not finite at a, b or the point.
    pub fn check<O: Objective>(
        &self,
        objective: &O,
        tolerance: ConvexityTolerance,
    ) -> Result<Option<Witness>> {
        tolerance.check()?;
        check_len("chord start a", objective.dim(), self.a.len())?;
        check_len("chord end b", objective.dim(), self.b.len())?;
        check_finite("chord start a", &self.a)?;
        check_finite("chord end b", &self.b)?;
        if !(0.0..=1.0).contains(&self.t) {
            return Err(Error::InvalidParameter {
                name: "chord weight t",
                value: self.t,
                expected: "must lie in [0, 1]",
            });
        }

        let mut probe = Probe::new(objective, tolerance, true);
        let f_a = probe.value(&self.a)?;
        let f_b = probe.value(&self.b)?;
        let outcome = probe.at(&self.a, &self.b, f_a, f_b, self.t)?;
        let failed = [ViolationKind::Chord, ViolationKind::Curvature]
            .into_iter()
            .find(|&kind| outcome.violates_convexity(kind));
        Ok(failed.map(|kind| probe.witness(kind, &self.a, &self.b, f_a, f_b, self.t, &outcome)))
    }
}

/// Evaluates an objective on chords, with buffers reused from one chord to the next.
pub(crate) struct Probe<'o, O> {
    objective: &'o O,
    tolerance: ConvexityTolerance,
    curvature: bool,
    point: Vec<f64>,
    direction: Vec<f64>,
}

/// Outcome of both checks at one point of a chord.
pub(crate) struct Outcome {
    /// f at the point t·a + (1 − t)·b.
    f_point: f64,
    /// t·f(a) + (1 − t)·f(b) − f(point).
    chord_gap: f64,
    /// φ″ at the point; NaN when the curvature check is off or φ″ is undefined there.
    pub(crate) curvature: f64,
    /// max(|f(a)|, |f(b)|, |f(point)|).
    scale: f64,
    /// The tolerance for this point: relative · scale + absolute.
    tolerance: f64,
}

impl Outcome {
    fn gap(&self, kind: ViolationKind) -> f64 {
        match kind {
            ViolationKind::Chord => self.chord_gap,
            ViolationKind::Curvature => self.curvature,
        }
    }

    /// Returns whether the check of `kind` fails for f beyond the tolerance.
    pub(crate) fn violates_convexity(&self, kind: ViolationKind) -> bool {
        self.gap(kind) < -self.tolerance
    }

    /// Returns whether the check of `kind` fails for −f beyond the tolerance.
    pub(crate) fn violates_concavity(&self, kind: ViolationKind) -> bool {
        self.gap(kind) > self.tolerance
    }

    /// Returns the gap relative to the scale of f, as in [`Witness::relative_gap`].
    pub(crate) fn relative_gap(&self, kind: ViolationKind) -> f64 {
        let gap = self.gap(kind);
        if gap == 0.0 { 0.0 } else { gap / self.scale }
    }
}

impl<'o, O: Objective> Probe<'o, O> {
    /// Creates a probe, which also computes φ″ when `curvature` is set.
    ///
    /// The caller checks that every point has `objective.dim()` entries.
    pub(crate) fn new(objective: &'o O, tolerance: ConvexityTolerance, curvature: bool) -> Self {
        let dim = objective.dim();
        Self {
            objective,
            tolerance,
            curvature,
            point: vec![0.0; dim],
            direction: vec![0.0; dim],
        }
    }

    /// Returns f(x), or [`Error::NonFiniteObjective`] when it is NaN or infinite.
    pub(crate) fn value(&self, x: &[f64]) -> Result<f64> {
        let value = self.objective.eval(x);
        if value.is_finite() {
            Ok(value)
        } else {
            Err(Error::NonFiniteObjective {
                value,
                theta: x.to_vec(),
            })
        }
    }

    /// Evaluates both checks at the point t·a + (1 − t)·b, given f(a) and f(b).
    pub(crate) fn at(
        &mut self,
        a: &[f64],
        b: &[f64],
        f_a: f64,
        f_b: f64,
        t: f64,
    ) -> Result<Outcome> {
        for (((p, d), &a), &b) in self.point.iter_mut().zip(&mut self.direction).zip(a).zip(b) {
            *p = combine(a, b, t);
            *d = b - a;
        }
        let f_point = self.value(&self.point)?;
        let curvature = if self.curvature {
            // NOTE: this call allocates its dual-number point on every check point, so a run
            // makes one small allocation per check point.
            second_directional_derivative(self.objective, &self.point, &self.direction)?.2
        } else {
            f64::NAN
        };

        let scale = f_a.abs().max(f_b.abs()).max(f_point.abs());
        Ok(Outcome {
            f_point,
            chord_gap: t * f_a + (1.0 - t) * f_b - f_point,
            curvature,
            scale,
            tolerance: self.tolerance.relative * scale + self.tolerance.absolute,
        })
    }

    /// Builds the witness of a failed check from the last [`at`](Probe::at) call.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn witness(
        &self,
        kind: ViolationKind,
        a: &[f64],
        b: &[f64],
        f_a: f64,
        f_b: f64,
        t: f64,
        outcome: &Outcome,
    ) -> Witness {
        let (lhs, rhs) = match kind {
            ViolationKind::Chord => (t * f_a + (1.0 - t) * f_b, outcome.f_point),
            ViolationKind::Curvature => (outcome.curvature, 0.0),
        };
        Witness {
            kind,
            a: a.to_vec(),
            b: b.to_vec(),
            t,
            point: self.point.clone(),
            f_a,
            f_b,
            f_point: outcome.f_point,
            lhs,
            rhs,
            gap: outcome.gap(kind),
            relative_gap: outcome.relative_gap(kind),
            tolerance: outcome.tolerance,
        }
    }
}
