//! Figures over one axis: a loss curve with a data rug, a θ marker, a tangent, one descent
//! step, a whole descent path and a chord.

use super::canvas::{self, BLUE, GREEN, GREY, Icon, Layer, ORANGE, RED, Scene};
use super::{Column, PlotOptions, check_range, recorded_trace};
use crate::autodiff::value_and_gradient;
use crate::data::Dataset;
use crate::error::{Error, Result, check_finite, check_len};
use crate::objective::Objective;
use crate::optim::Solution;

/// Draws the loss f(θ) of a one-parameter objective over θ, with one column of `data` as a
/// rug in a panel below, on the same θ axis.
///
/// For the [`Constant`](crate::Constant) model θ is a prediction, so the rug of the targets
/// shows where the data sit along the loss curve. The x range defaults to the column's
/// range with a 5% margin.
///
/// # Errors
///
/// * [`Error::UnsupportedImageFormat`], [`Error::InvalidParameter`] (size) and
///   [`Error::InvalidRange`] for bad options.
/// * [`Error::DimensionMismatch`] when the objective does not have exactly one parameter.
/// * [`Error::InvalidParameter`] for a feature column that does not exist.
/// * [`Error::NonFiniteObjective`] when f is not finite anywhere on the x range.
/// * [`Error::Plot`] when drawing or writing fails.
pub fn loss_curve<O: Objective>(
    objective: &O,
    data: &Dataset,
    column: Column,
    options: &PlotOptions,
) -> Result<()> {
    let format = options.check()?;
    check_one_parameter(objective)?;
    let values = column.values(data)?;
    let x_range = options
        .x_range
        .unwrap_or_else(|| padded(span(&values), 0.05));
    let mut scene = curve_scene(objective, x_range, options, &[])?;
    scene.labels(options, "Loss over θ".to_owned(), "θ", "loss");
    if options.x_label.is_none() && !column.name(data).is_empty() {
        scene.x_label = format!("θ (rug: {})", column.name(data));
    }
    scene.rug = Some(values);
    canvas::render(&scene, options, format)
}

/// Draws the loss curve of a one-parameter objective with a marker at (θ, f(θ)).
///
/// The x range defaults to θ ± max(1, |θ|/2).
///
/// # Errors
///
/// As [`loss_curve`], and [`Error::NonFinite`] for a NaN or infinite `theta`.
pub fn theta_marker<O: Objective>(objective: &O, theta: f64, options: &PlotOptions) -> Result<()> {
    let format = options.check()?;
    check_one_parameter(objective)?;
    check_finite("theta", &[theta])?;
    let value = evaluate(objective, &[theta])?;
    let x_range = options.x_range.unwrap_or_else(|| around(theta));
    let mut scene = curve_scene(objective, x_range, options, &[(theta, value)])?;
    scene.labels(
        options,
        format!("θ = {}", format_number(theta)),
        "θ",
        "loss",
    );
    scene.layers.push(Layer::Marker {
        at: (theta, value),
        color: ORANGE,
        filled: true,
    });
    scene.legend.push(curve_entry());
    scene.legend.push((
        Icon::Marker {
            color: ORANGE,
            filled: true,
        },
        format!(
            "θ = {}, f(θ) = {}",
            format_number(theta),
            format_number(value)
        ),
    ));
    canvas::render(&scene, options, format)
}

/// Draws the loss curve of a one-parameter objective, a marker at (θ, f(θ)) and the tangent
/// line there, whose slope f′(θ) comes from the dual-number gradient.
///
/// The x range defaults to θ ± max(1, |θ|/2); the tangent is cut at the border of the
/// chart.
///
/// # Errors
///
/// As [`theta_marker`].
pub fn tangent_line<O: Objective>(objective: &O, theta: f64, options: &PlotOptions) -> Result<()> {
    let format = options.check()?;
    check_one_parameter(objective)?;
    check_finite("theta", &[theta])?;
    let (value, slope) = value_and_slope(objective, theta)?;
    let x_range = options.x_range.unwrap_or_else(|| around(theta));

    let mut scene = curve_scene(objective, x_range, options, &[(theta, value)])?;
    scene.labels(
        options,
        format!("Tangent at θ = {}", format_number(theta)),
        "θ",
        "loss",
    );
    scene.layers.push(tangent(theta, value, slope, x_range));
    scene.layers.push(Layer::Marker {
        at: (theta, value),
        color: ORANGE,
        filled: true,
    });
    scene.legend.push(curve_entry());
    scene.legend.push(tangent_entry("tangent", slope));
    scene.legend.push((
        Icon::Marker {
            color: ORANGE,
            filled: true,
        },
        format!(
            "θ = {}, f(θ) = {}",
            format_number(theta),
            format_number(value)
        ),
    ));
    canvas::render(&scene, options, format)
}

/// Draws step `step` of a recorded descent run on the loss curve: θₖ as a hollow marker,
/// θₖ₊₁ as a filled marker, an arrow between them and the tangent at θₖ, whose slope sets
/// the step.
///
/// Both markers sit on the curve at (θ, f(θ)), with f evaluated on the full objective, so a
/// stochastic run's steps show where each step lands on the full loss. The x range defaults
/// to the range of every recorded θ with a 10% margin, the same for every step of one run.
///
/// # Errors
///
/// As [`loss_curve`]; [`Error::MissingTrace`] when the run did not record a trace,
/// [`Error::Empty`] for an empty trace, [`Error::DimensionMismatch`] when the trace's θ does
/// not have one entry, and [`Error::InvalidParameter`] when `step + 1` is not a recorded
/// iterate.
pub fn descent_step<O: Objective>(
    objective: &O,
    solution: &Solution,
    step: usize,
    options: &PlotOptions,
) -> Result<()> {
    let format = options.check()?;
    check_one_parameter(objective)?;
    let trace = recorded_trace(solution, 1)?;
    if step.checked_add(1).is_none_or(|next| next >= trace.len()) {
        return Err(Error::InvalidParameter {
            name: "step",
            value: step as f64,
            expected: "must be below the number of recorded iterates minus one",
        });
    }
    let before = trace.get(step);
    let after = trace.get(step + 1);
    let (old, new) = (before.theta[0], after.theta[0]);
    let (old_value, slope) = value_and_slope(objective, old)?;
    let new_value = evaluate(objective, &[new])?;

    let thetas: Vec<f64> = trace.iter().map(|i| i.theta[0]).collect();
    let x_range = options
        .x_range
        .unwrap_or_else(|| padded(span(&thetas), 0.10));
    let points = [(old, old_value), (new, new_value)];
    let mut scene = curve_scene(objective, x_range, options, &points)?;
    let k = before.iteration;
    scene.labels(
        options,
        format!(
            "Step {k}: θ{} = θ{} − α f′(θ{})",
            subscript(k + 1),
            subscript(k),
            subscript(k)
        ),
        "θ",
        "loss",
    );
    scene.layers.push(tangent(old, old_value, slope, x_range));
    scene.layers.push(Layer::Arrow {
        from: (old, old_value),
        to: (new, new_value),
        color: GREY,
    });
    scene.layers.push(Layer::Marker {
        at: (old, old_value),
        color: ORANGE,
        filled: false,
    });
    scene.layers.push(Layer::Marker {
        at: (new, new_value),
        color: ORANGE,
        filled: true,
    });
    scene.legend.push(curve_entry());
    scene.legend.push(tangent_entry(
        &format!("tangent at θ{}", subscript(k)),
        slope,
    ));
    scene.legend.push((
        Icon::Marker {
            color: ORANGE,
            filled: false,
        },
        format!("θ{} = {} (before)", subscript(k), format_number(old)),
    ));
    let rate = if before.learning_rate.is_finite() {
        format!(", α = {}", format_number(before.learning_rate))
    } else {
        String::new()
    };
    scene.legend.push((
        Icon::Marker {
            color: ORANGE,
            filled: true,
        },
        format!(
            "θ{} = {} (after{rate})",
            subscript(k + 1),
            format_number(new)
        ),
    ));
    canvas::render(&scene, options, format)
}

/// Draws every recorded iterate of a descent run on the loss curve, joined in order: the
/// start θ₀ as a hollow marker and each later iterate as a filled marker, one `<circle>`
/// per iterate in SVG.
///
/// Iterates sit at (θ, f(θ)) with f evaluated on the full objective. The x range defaults
/// to the range of the recorded θ with a 10% margin.
///
/// # Errors
///
/// As [`descent_step`], without the step check.
pub fn descent_path<O: Objective>(
    objective: &O,
    solution: &Solution,
    options: &PlotOptions,
) -> Result<()> {
    let format = options.check()?;
    check_one_parameter(objective)?;
    let trace = recorded_trace(solution, 1)?;
    let mut points = Vec::with_capacity(trace.len());
    for iterate in trace.iter() {
        points.push((iterate.theta[0], evaluate(objective, iterate.theta)?));
    }
    let thetas: Vec<f64> = points.iter().map(|p| p.0).collect();
    let x_range = options
        .x_range
        .unwrap_or_else(|| padded(span(&thetas), 0.10));

    let mut scene = curve_scene(objective, x_range, options, &points)?;
    let last = trace.get(trace.len() - 1);
    scene.labels(
        options,
        format!("Descent path: {} iterates", trace.len()),
        "θ",
        "loss",
    );
    scene.layers.push(Layer::Line {
        points: points.clone(),
        color: ORANGE,
        width: 0.6,
        dashed: false,
    });
    for (i, &at) in points.iter().enumerate() {
        scene.layers.push(Layer::Marker {
            at,
            color: ORANGE,
            filled: i > 0,
        });
    }
    scene.legend.push(curve_entry());
    scene.legend.push((
        Icon::Line {
            color: ORANGE,
            dashed: false,
        },
        format!(
            "θ{} = {} (hollow) to θ{} = {}",
            subscript(trace.get(0).iteration),
            format_number(points[0].0),
            subscript(last.iteration),
            format_number(last.theta[0])
        ),
    ));
    canvas::render(&scene, options, format)
}

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
/// As [`loss_curve`] for the options; [`Error::DimensionMismatch`] when `a` or `b` does not
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
    let title = match point {
        Some((_, on_chord, on_curve, _)) if on_curve > on_chord => format!(
            "f lies {} above its chord: not convex",
            format_number(on_curve - on_chord)
        ),
        Some(_) => "f lies on or below its chord here".to_owned(),
        None => "Chord of f".to_owned(),
    };
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

/// Builds a scene with the curve of a one-parameter objective over `x_range`.
fn curve_scene<O: Objective>(
    objective: &O,
    x_range: (f64, f64),
    options: &PlotOptions,
    highlights: &[(f64, f64)],
) -> Result<Scene> {
    sampled_scene(|x| objective.eval(&[x]), x_range, options, highlights)
}

/// Builds a scene with the curve of `f` sampled over `x_range`, and a y range that covers
/// the curve and `highlights` unless the options set one.
fn sampled_scene(
    f: impl Fn(f64) -> f64,
    x_range: (f64, f64),
    options: &PlotOptions,
    highlights: &[(f64, f64)],
) -> Result<Scene> {
    check_range("x_range", x_range)?;
    // About two samples per pixel of width, enough for a smooth polyline.
    let n = (options.width as usize * 2).clamp(200, 4000);
    let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for i in 0..=n {
        let x = x_range.0 + (x_range.1 - x_range.0) * i as f64 / n as f64;
        let y = f(x);
        if y.is_finite() {
            if let Some(piece) = pieces.last_mut() {
                piece.push((x, y));
            }
        } else if pieces.last().is_some_and(|p| !p.is_empty()) {
            pieces.push(Vec::new());
        }
    }
    pieces.retain(|p| !p.is_empty());
    if pieces.is_empty() {
        let middle = (x_range.0 + x_range.1) / 2.0;
        return Err(Error::NonFiniteObjective {
            value: f(middle),
            theta: vec![middle],
        });
    }

    let y_range = match options.y_range {
        Some(range) => range,
        None => {
            let ys = pieces
                .iter()
                .flatten()
                .map(|p| p.1)
                .chain(
                    highlights
                        .iter()
                        .filter(|p| (x_range.0..=x_range.1).contains(&p.0))
                        .map(|p| p.1),
                )
                .filter(|y| y.is_finite());
            let (low, high) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
                (lo.min(y), hi.max(y))
            });
            padded_asymmetric((low, high), 0.05, 0.08)
        }
    };
    let mut scene = canvas::Scene::new(x_range, y_range);
    for points in pieces {
        scene.layers.push(Layer::Line {
            points,
            color: BLUE,
            width: 1.0,
            dashed: false,
        });
    }
    Ok(scene)
}

fn curve_entry() -> (Icon, String) {
    (
        Icon::Line {
            color: BLUE,
            dashed: false,
        },
        "f(θ)".to_owned(),
    )
}

fn tangent_entry(name: &str, slope: f64) -> (Icon, String) {
    (
        Icon::Line {
            color: RED,
            dashed: true,
        },
        format!("{name}, slope f′(θ) = {}", format_number(slope)),
    )
}

/// Builds the dashed tangent y = f(θ) + f′(θ)(x − θ) over `x_range`, which the canvas cuts
/// to the chart.
fn tangent(theta: f64, value: f64, slope: f64, (x0, x1): (f64, f64)) -> Layer {
    Layer::Line {
        points: vec![
            (x0, value + slope * (x0 - theta)),
            (x1, value + slope * (x1 - theta)),
        ],
        color: RED,
        width: 1.0,
        dashed: true,
    }
}

fn check_one_parameter<O: Objective>(objective: &O) -> Result<()> {
    check_len(
        "objective θ (this figure plots one parameter)",
        1,
        objective.dim(),
    )
}

/// Evaluates f(θ), or returns [`Error::NonFiniteObjective`] when it is NaN or infinite.
fn evaluate<O: Objective>(objective: &O, theta: &[f64]) -> Result<f64> {
    let value = objective.eval(theta);
    check_finite_value(value, theta)?;
    Ok(value)
}

fn check_finite_value(value: f64, theta: &[f64]) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFiniteObjective {
            value,
            theta: theta.to_vec(),
        })
    }
}

/// Evaluates f(θ) and f′(θ) of a one-parameter objective, exact from dual numbers.
fn value_and_slope<O: Objective>(objective: &O, theta: f64) -> Result<(f64, f64)> {
    let (value, gradient) = value_and_gradient(objective, &[theta])?;
    check_finite_value(value, &[theta])?;
    let slope = gradient[0];
    check_finite_value(slope, &[theta])?;
    Ok((value, slope))
}

/// Returns the smallest and largest of `values`, which must be finite and non-empty.
pub(crate) fn span(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// Widens `range` by `fraction` of its width on each side. A range of zero width becomes
/// ± max(1, |centre|/10) around its centre.
pub(crate) fn padded(range: (f64, f64), fraction: f64) -> (f64, f64) {
    padded_asymmetric(range, fraction, fraction)
}

fn padded_asymmetric((low, high): (f64, f64), below: f64, above: f64) -> (f64, f64) {
    let width = high - low;
    if width > 0.0 && width.is_finite() {
        (low - below * width, high + above * width)
    } else {
        let centre = if low.is_finite() { low } else { 0.0 };
        let half = (centre.abs() / 10.0).max(1.0);
        (centre - half, centre + half)
    }
}

/// Returns the range θ ± max(1, |θ|/2).
fn around(theta: f64) -> (f64, f64) {
    let half = (theta.abs() / 2.0).max(1.0);
    (theta - half, theta + half)
}

/// Writes `n` with Unicode subscript digits, as in θ₁₂.
fn subscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x2080 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// Formats `value` with four significant digits, in scientific notation when it is very
/// large or very small, and with a typographic minus sign (U+2212).
pub(crate) fn format_number(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor();
    let text = if (-3.0..5.0).contains(&magnitude) {
        let decimals = (3.0 - magnitude).max(0.0) as usize;
        let text = format!("{value:.decimals$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            text
        }
    } else {
        format!("{value:.3e}")
    };
    text.replace('-', "−")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_number_keeps_four_digits() {
        assert_eq!(format_number(14.658511131035242), "14.66");
        assert_eq!(format_number(0.2), "0.2");
        assert_eq!(format_number(-28.92), "−28.92");
        assert_eq!(format_number(0.00123456), "0.001235");
        assert_eq!(format_number(123456.0), "1.235e5");
        assert_eq!(format_number(-1.5e-7), "−1.500e−7");
        assert_eq!(format_number(0.0), "0");
    }

    #[test]
    fn subscript_digits() {
        assert_eq!(subscript(0), "₀");
        assert_eq!(subscript(17), "₁₇");
    }
}
