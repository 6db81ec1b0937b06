//! The chord between two points on an objective, and the chord of a convexity witness.

use super::PlotOptions;
use super::canvas::{self, GREEN, Icon, Layer, RED};
use super::curve::{check_finite_value, curve_entry, format_number, padded, sampled_scene};
use crate::check::convexity::{ConvexityReport, ViolationKind};
use crate::error::{Error, Result, check_finite, check_len};
use crate::objective::Objective;

/// Draws the chord between (a, f(a)) and (b, f(b)) over the objective and, when `t` is
/// given, the chord's value t f(a) + (1 − t) f(b) beside f(t a + (1 − t) b).
///
/// Convexity requires t f(a) + (1 − t) f(b) ≥ f(t a + (1 − t) b) for every t in [0, 1], so
/// a point of f above the chord proves f is not convex. For one parameter the x axis is θ
/// and its range defaults to the span of a and b with a 25% margin. For more parameters the
/// x axis is s on the line θ = a + s (b − a), where a is s = 0, b is s = 1 and the point
/// t a + (1 − t) b is s = 1 − t, with a default range of [−0.25, 1.25].
///
/// # Errors
///
/// As [`loss_curve`](crate::plot::loss_curve) for the options; [`Error::DimensionMismatch`] when `a` or `b` does not
/// have `objective.dim()` entries, [`Error::NonFinite`] for a NaN or infinite entry, and
/// [`Error::InvalidParameter`] for a `t` outside [0, 1] or for a = b with more than one
/// parameter.
pub fn chord<O: Objective>(
    objective: &O,
    a: &[f64],
    b: &[f64],
    t: Option<f64>,
    options: &PlotOptions,
) -> Result<()> {
    draw_chord(objective, a, b, t, None, options)
}

/// Draws the chord of the worst witness in a failed convexity test, the violation with
/// the most negative relative gap.
///
/// The figure is the one [`chord`] draws for the witness's a, b and t. Its default title
/// states the condition that fails: the chord inequality with its gap, or the curvature
/// φ″ < 0 of φ(s) = f(a + s (b − a)) at the marked point. The shrunk witness is simpler
/// but often too short to see. To draw it, or any other witness, pass its `a`, `b` and `t`
/// to [`chord`].
///
/// ```
/// use dualopt::plot::{self, PlotOptions};
/// use dualopt::prelude::*;
///
/// let data = Dataset::from_targets(vec![0.0])?;
/// let quartic = EmpiricalRisk::new(Constant, Quartic, &data)?;
/// let report = ConvexityTest::new(Domain::interval(-23.0, 25.0)).seed(1).run(&quartic)?;
/// assert!(report.verdict.is_violated());
///
/// let folder = tempfile::tempdir().unwrap();
/// let options = PlotOptions::new(folder.path().join("witness.png"));
/// plot::convexity_witness(&quartic, &report, &options)?;
/// # Ok::<(), dualopt::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::NoConvexityWitness`] when the report found no violation, and the errors of
/// [`chord`] otherwise.
pub fn convexity_witness<O: Objective>(
    objective: &O,
    report: &ConvexityReport,
    options: &PlotOptions,
) -> Result<()> {
    let witness = report.worst.as_ref().ok_or(Error::NoConvexityWitness {
        chords: report.chords,
    })?;
    let title = match witness.kind {
        ViolationKind::Chord => format!(
            "Not convex: f lies {} above its chord",
            format_number(witness.rhs - witness.lhs)
        ),
        ViolationKind::Curvature => format!(
            "Not convex: φ″ = {} < 0 at the marked point",
            format_number(witness.lhs)
        ),
    };
    draw_chord(
        objective,
        &witness.a,
        &witness.b,
        Some(witness.t),
        Some(title),
        options,
    )
}

/// Draws the [`chord`] figure, with `title` as the default title when given.
fn draw_chord<O: Objective>(
    objective: &O,
    a: &[f64],
    b: &[f64],
    t: Option<f64>,
    title: Option<String>,
    options: &PlotOptions,
) -> Result<()> {
    let format = options.check()?;
    check_len("chord end a", objective.dim(), a.len())?;
    check_len("chord end b", objective.dim(), b.len())?;
    check_finite("chord end a", a)?;
    check_finite("chord end b", b)?;
    if let Some(t) = t
        && !(0.0..=1.0).contains(&t)
    {
        return Err(Error::InvalidParameter {
            name: "t",
            value: t,
            expected: "must lie in [0, 1]",
        });
    }
    let line = Segment::new(a, b)?;
    let f = |x: f64| objective.eval(&line.at(x));
    let (fa, fb) = (objective.eval(a), objective.eval(b));
    check_finite_value(fa, a)?;
    check_finite_value(fb, b)?;

    let (ends, x_label) = if line.one_parameter {
        ((a[0], b[0]), "θ")
    } else {
        ((0.0, 1.0), "s, on θ = a + s (b − a)")
    };
    let x_range = options
        .x_range
        .unwrap_or_else(|| padded((ends.0.min(ends.1), ends.0.max(ends.1)), 0.25));
    let mut highlights = vec![(ends.0, fa), (ends.1, fb)];
    // The point t a + (1 − t) b, as an x coordinate, with the chord's value there, f there
    // and t itself.
    let point = t.map(|t| {
        let x = t * ends.0 + (1.0 - t) * ends.1;
        (x, t * fa + (1.0 - t) * fb, f(x), t)
    });
    if let Some((x, on_chord, on_curve, _)) = point {
        highlights.push((x, on_chord));
        if on_curve.is_finite() {
            highlights.push((x, on_curve));
        }
    }

    let mut scene = sampled_scene(f, x_range, options, &highlights)?;
    let title = title.unwrap_or_else(|| match point {
        Some((_, on_chord, on_curve, _)) if on_curve > on_chord => format!(
            "f lies {} above its chord: not convex",
            format_number(on_curve - on_chord)
        ),
        Some(_) => "f lies on or below its chord here".to_owned(),
        None => "Chord of f".to_owned(),
    });
    scene.labels(options, title, x_label, "loss");
    scene.layers.push(Layer::Line {
        points: vec![(ends.0, fa), (ends.1, fb)],
        color: GREEN,
        width: 1.0,
        dashed: false,
    });
    for end in [(ends.0, fa), (ends.1, fb)] {
        scene.layers.push(Layer::Marker {
            at: end,
            color: GREEN,
            filled: true,
        });
    }
    scene.legend.push(curve_entry());
    let end_names = if line.one_parameter {
        (
            format!("a = {}", format_number(a[0])),
            format!("b = {}", format_number(b[0])),
        )
    } else {
        ("a (s = 0)".to_owned(), "b (s = 1)".to_owned())
    };
    scene.legend.push((
        Icon::Line {
            color: GREEN,
            dashed: false,
        },
        format!("chord from {} to {}", end_names.0, end_names.1),
    ));
    if let Some((x, on_chord, on_curve, t)) = point {
        scene.layers.push(Layer::Line {
            points: vec![(x, on_chord), (x, on_curve)],
            color: RED,
            width: 0.75,
            dashed: true,
        });
        scene.layers.push(Layer::Marker {
            at: (x, on_chord),
            color: GREEN,
            filled: false,
        });
        scene.layers.push(Layer::Marker {
            at: (x, on_curve),
            color: RED,
            filled: true,
        });
        scene.legend.push((
            Icon::Marker {
                color: GREEN,
                filled: false,
            },
            format!(
                "t f(a) + (1 − t) f(b) = {} (t = {})",
                format_number(on_chord),
                format_number(t)
            ),
        ));
        scene.legend.push((
            Icon::Marker {
                color: RED,
                filled: true,
            },
            format!("f(t a + (1 − t) b) = {}", format_number(on_curve)),
        ));
    }
    canvas::render(&scene, options, format)
}

/// The x axis of a chord figure: θ itself for one parameter, otherwise s on the line
/// θ(s) = a + s (b − a).
struct Segment<'a> {
    a: &'a [f64],
    b: &'a [f64],
    one_parameter: bool,
}

impl<'a> Segment<'a> {
    fn new(a: &'a [f64], b: &'a [f64]) -> Result<Self> {
        let one_parameter = a.len() == 1;
        if !one_parameter && a == b {
            return Err(Error::InvalidParameter {
                name: "chord length",
                value: 0.0,
                expected: "must be > 0: give two different points a and b",
            });
        }
        Ok(Self {
            a,
            b,
            one_parameter,
        })
    }

    /// θ at x coordinate `x`.
    fn at(&self, x: f64) -> Vec<f64> {
        if self.one_parameter {
            vec![x]
        } else {
            self.a
                .iter()
                .zip(self.b)
                .map(|(&a, &b)| a + x * (b - a))
                .collect()
        }
    }
}
