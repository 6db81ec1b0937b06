//! Figures over one axis: a loss curve with a data rug, a θ marker, a tangent, one descent
//! step and a whole descent path.

use super::canvas::{self, BLUE, GREY, Icon, Layer, ORANGE, RED, Scene};
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
pub(super) fn sampled_scene(
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

pub(super) fn curve_entry() -> (Icon, String) {
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

pub(super) fn check_finite_value(value: f64, theta: &[f64]) -> Result<()> {
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
pub(super) fn subscript(n: usize) -> String {
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
