//! Proptest strategies that state convexity as a property in a user's own proptest suite
//! (feature `proptest`).
//!
//! [`chords`] draws chords (a, b, t) from a [`Domain`] and [`check_chord`] turns a failed
//! check into a proptest failure, so proptest's runner, shrinking and regression files
//! apply:
//!
//! ```
//! use dualopt::check::convexity::strategy::{check_chord, chords};
//! use dualopt::prelude::*;
//! use proptest::prelude::*;
//!
//! fn risk(data: &Dataset) -> EmpiricalRisk<'_, Constant, LogCosh> {
//!     EmpiricalRisk::new(Constant, LogCosh, data).unwrap()
//! }
//!
//! proptest! {
//!     // In a test file, mark the function with #[test].
//!     fn log_cosh_is_convex(chord in chords(&Domain::interval(-50.0, 50.0)).unwrap()) {
//!         let data = Dataset::from_targets(vec![1.0, 2.0, 4.0]).unwrap();
//!         check_chord(&risk(&data), &chord, ConvexityTolerance::default())?;
//!     }
//! }
//!
//! log_cosh_is_convex();
//! ```

use super::domain::{Domain, shorten};
use super::{Chord, ConvexityTolerance, LENGTH_DECADES};
use crate::error::Result;
use crate::objective::Objective;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

/// Returns a strategy of chords in `domain`, with t in (0, 1) and lengths over four decades.
///
/// Box and ball domains draw each coordinate from an interval, so proptest shrinks
/// coordinates one by one. A ball's points outside it are moved radially onto its surface.
/// The end b is moved towards a by a factor 10⁻ᵉ with e in [0, 4], and proptest shrinks e
/// towards 0 (the full chord) and t towards ½. A [`sampler`](Domain::sampler) domain draws
/// both points from a generator seeded by a proptest value, so its points shrink only by
/// changing that seed.
///
/// # Errors
///
/// The domain errors of [`ConvexityTest::run`](super::ConvexityTest::run): reversed or
/// non-finite bounds, a bad radius, or no coordinates.
pub fn chords(domain: &Domain) -> Result<BoxedStrategy<Chord>> {
    domain.check()?;
    let domain = domain.clone();
    let fraction = (0.0..=LENGTH_DECADES).prop_map(|e| 10f64.powf(-e));
    let t =
        (any::<bool>(), 0.0..0.5f64).prop_map(|(below, u)| if below { 0.5 - u } else { 0.5 + u });

    let strategy = match domain.bounding_box() {
        Some((low, high)) => {
            let point: Vec<BoxedStrategy<f64>> = low
                .iter()
                .zip(&high)
                .map(|(&l, &h)| coordinate(l, h))
                .collect();
            (point.clone(), point, fraction, t)
                .prop_map(move |(mut a, mut b, fraction, t)| {
                    domain.project(&mut a);
                    domain.project(&mut b);
                    shorten(&a, &mut b, fraction);
                    Chord { a, b, t }
                })
                .boxed()
        }
        None => (any::<u64>(), fraction, t)
            .prop_map(move |(seed, fraction, t)| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let (mut a, mut b) = (vec![0.0; domain.dim()], vec![0.0; domain.dim()]);
                // A non-finite point is kept as drawn, so that `check_chord` reports it.
                let _ = domain.sample(&mut rng, &mut a);
                let _ = domain.sample(&mut rng, &mut b);
                shorten(&a, &mut b, fraction);
                Chord { a, b, t }
            })
            .boxed(),
    };
    Ok(strategy)
}

/// Checks one chord with [`Chord::check`] and turns a failure into a proptest failure whose
/// message shows the witness, or the error when the chord cannot be checked.
///
/// # Errors
///
/// [`TestCaseError::Fail`] when a convexity condition fails beyond `tolerance` or the
/// check returns an error.
pub fn check_chord<O: Objective>(
    objective: &O,
    chord: &Chord,
    tolerance: ConvexityTolerance,
) -> std::result::Result<(), TestCaseError> {
    match chord.check(objective, tolerance) {
        Ok(None) => Ok(()),
        Ok(Some(witness)) => Err(TestCaseError::fail(format!(
            "convexity fails on this chord: {witness}"
        ))),
        Err(error) => Err(TestCaseError::fail(format!(
            "the chord could not be checked: {error}"
        ))),
    }
}

fn coordinate(low: f64, high: f64) -> BoxedStrategy<f64> {
    if low == high {
        Just(low).boxed()
    } else {
        (low..=high).boxed()
    }
}
