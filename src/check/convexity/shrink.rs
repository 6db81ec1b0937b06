//! Shrinking: reducing a witness to a simpler one that still fails, as proptest shrinks
//! failing inputs.
//!
//! A witness is simpler when its coordinates and t are rounder, and among equally round
//! witnesses when its chord is shorter. Roundness is measured on the shortest decimal
//! representation of each number: significant digits plus digits after the decimal point,
//! so 0 costs 0, 5 and 20 cost 1, 0.5 costs 2, 2.5 costs 3 and 0.0002 costs 5.
//!
//! The shrinker tries rounder values for one number at a time: 0, fewer significant digits,
//! the other endpoint's coordinate, and the rounded midpoint of the two endpoints. It
//! accepts the first candidate that is simpler, stays in the domain and still fails the
//! same condition, and then starts over from it. It stops when no candidate is accepted or
//! after [`MAX_CANDIDATES`] evaluations.

use super::ConvexityTolerance;
use super::chord::{Chord, Probe};
use super::domain::Domain;
use super::report::{ViolationKind, Witness};
use crate::objective::Objective;
use std::cmp::Ordering;

/// Maximum number of candidate witnesses evaluated while shrinking one witness.
const MAX_CANDIDATES: usize = 5_000;

/// Returns a simpler witness than `witness` that still fails its condition, or a copy of
/// `witness` when no simpler one was found.
///
/// Endpoints move only in domains that can test membership; otherwise only t is rounded.
pub(crate) fn shrink<O: Objective>(
    objective: &O,
    domain: &Domain,
    tolerance: ConvexityTolerance,
    witness: &Witness,
) -> Witness {
    let kind = witness.kind;
    let movable = domain.contains(&witness.a).is_some();
    let mut probe = Probe::new(objective, tolerance, kind == ViolationKind::Curvature);
    let mut current = witness.clone();
    let mut key = Key::of(&current.chord());
    let mut budget = MAX_CANDIDATES;

    loop {
        let mut accepted = None;
        for candidate in candidates(&current, movable) {
            let candidate_key = Key::of(&candidate);
            if candidate_key.cmp(&key) != Ordering::Less || !inside(domain, &candidate, movable) {
                continue;
            }
            if budget == 0 {
                return current;
            }
            budget -= 1;
            if let Some(simpler) = recheck(&mut probe, kind, &candidate) {
                accepted = Some((simpler, candidate_key));
                break;
            }
        }
        match accepted {
            Some((simpler, simpler_key)) => {
                current = simpler;
                key = simpler_key;
            }
            None => return current,
        }
    }
}

/// Returns the witness of `kind` on `chord` when that condition still fails; a NaN or
/// infinite value counts as no failure.
fn recheck<O: Objective>(
    probe: &mut Probe<'_, O>,
    kind: ViolationKind,
    chord: &Chord,
) -> Option<Witness> {
    let f_a = probe.value(&chord.a).ok()?;
    let f_b = probe.value(&chord.b).ok()?;
    let outcome = probe.at(&chord.a, &chord.b, f_a, f_b, chord.t).ok()?;
    outcome
        .violates_convexity(kind)
        .then(|| probe.witness(kind, &chord.a, &chord.b, f_a, f_b, chord.t, &outcome))
}

fn inside(domain: &Domain, chord: &Chord, movable: bool) -> bool {
    !movable || (domain.contains(&chord.a) == Some(true) && domain.contains(&chord.b) == Some(true))
}

/// Candidate chords one step simpler than `witness` in one number each.
fn candidates(witness: &Witness, movable: bool) -> Vec<Chord> {
    let mut out = Vec::new();
    if movable {
        for (i, (&a, &b)) in witness.a.iter().zip(&witness.b).enumerate() {
            for value in coordinate_candidates(a, b) {
                let mut chord = witness.chord();
                chord.a[i] = value;
                out.push(chord);
            }
            for value in coordinate_candidates(b, a) {
                let mut chord = witness.chord();
                chord.b[i] = value;
                out.push(chord);
            }
        }
    }
    for t in t_candidates(witness.t) {
        out.push(Chord::new(witness.a.clone(), witness.b.clone(), t));
    }
    out
}

/// Rounder values for the coordinate `x` of one endpoint, where the other endpoint has `y`.
fn coordinate_candidates(x: f64, y: f64) -> Vec<f64> {
    let mut values = vec![0.0];
    values.extend((1..significant_digits(x)).map(|k| round_significant(x, k)));
    values.push(y);
    let midpoint = 0.5 * x + 0.5 * y;
    values.extend((1..=3).map(|k| round_significant(midpoint, k)));
    distinct_except(values, x)
}

/// Rounder values for t, all strictly between 0 and 1.
fn t_candidates(t: f64) -> Vec<f64> {
    let mut values = vec![0.5];
    values.extend((1..significant_digits(t)).map(|k| round_significant(t, k)));
    values.retain(|&v| v > 0.0 && v < 1.0);
    distinct_except(values, t)
}

/// `values` without repeats and without `current`, in their first order.
fn distinct_except(values: Vec<f64>, current: f64) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::with_capacity(values.len());
    for v in values {
        if v != current && v.is_finite() && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Simplicity of a chord: total roundness of a, b and t, then length.
#[derive(Debug, Clone, Copy)]
struct Key {
    roundness: u32,
    length: f64,
}

impl Key {
    fn of(chord: &Chord) -> Self {
        let roundness = chord
            .a
            .iter()
            .chain(&chord.b)
            .chain(std::iter::once(&chord.t))
            .map(|&x| roundness(x))
            .sum();
        Self {
            roundness,
            length: chord.length(),
        }
    }

    fn cmp(&self, other: &Self) -> Ordering {
        self.roundness
            .cmp(&other.roundness)
            .then(self.length.total_cmp(&other.length))
    }
}

/// Significant digits of the shortest decimal representation of `x` (0 for 0).
fn significant_digits(x: f64) -> usize {
    decimal_parts(x).0
}

/// Significant digits plus digits after the decimal point, of the shortest decimal
/// representation of `x`.
fn roundness(x: f64) -> u32 {
    let (digits, exponent) = decimal_parts(x);
    if digits == 0 {
        return 0;
    }
    // The last significant digit stands for 10^(exponent − digits + 1).
    let last = exponent - (digits as i32 - 1);
    (digits as i32 + (-last).max(0)) as u32
}

/// Number of significant digits and the decimal exponent of `x`, read from Rust's shortest
/// round-trip scientific notation ("1.25e-3" gives (3, −3)).
fn decimal_parts(x: f64) -> (usize, i32) {
    if x == 0.0 || !x.is_finite() {
        return (0, 0);
    }
    let text = format!("{:e}", x.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    (digits, exponent.parse().unwrap_or(0))
}

/// Returns `x` rounded to `digits` significant decimal digits (at least 1).
fn round_significant(x: f64, digits: usize) -> f64 {
    let precision = digits.max(1) - 1;
    format!("{x:.precision$e}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundness_counts_digits_and_decimals() {
        let cases = [
            (0.0, 0),
            (5.0, 1),
            (20.0, 1),
            (-20.0, 1),
            (0.5, 2),
            (2.5, 3),
            (0.0002, 5),
            (12.345, 8),
            (1e20, 1),
        ];
        for (x, expected) in cases {
            assert_eq!(roundness(x), expected, "x = {x}");
        }
    }

    #[test]
    fn round_significant_ties_to_even() {
        assert_eq!(round_significant(17.23, 1), 20.0);
        assert_eq!(round_significant(17.23, 2), 17.0);
        assert_eq!(round_significant(-0.01234, 2), -0.012);
        assert_eq!(round_significant(0.25, 1), 0.2);
    }

    #[test]
    fn candidates_exclude_current_value_and_repeats() {
        let values = coordinate_candidates(17.0, 3.0);
        assert!(!values.contains(&17.0));
        assert_eq!(values, vec![0.0, 20.0, 3.0, 10.0]);
    }
}
