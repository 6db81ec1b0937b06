//! Line contours of a two-parameter objective with descent paths drawn over them.

use super::canvas::{self, Colorbar, Icon, Layer, ORANGE, PURPLE, RED, Scene};
use super::curve::padded;
use super::{PlotOptions, check_range, recorded_trace};
use crate::error::{Error, Result, check_len};
use crate::objective::Objective;
use crate::optim::Solution;
use plotters::style::RGBColor;
use plotters::style::colors::colormaps::ViridisRGB;
use std::collections::HashMap;

/// Number of contour levels.
const LEVELS: usize = 12;

/// Path colours, in the order the paths are given; they cycle after the last.
const PATH_COLORS: [RGBColor; 4] = [RED, RGBColor(0, 0, 0), ORANGE, PURPLE];

/// Draws line contours of a two-parameter objective over θ₀ (x) and θ₁ (y), with the
/// recorded trace of each `(label, solution)` in `paths` drawn over them.
///
/// The twelve levels sit at quantiles (k/13)², k = 1…12, of f over the grid, so that they
/// crowd towards the minimum where descent paths end. A colour bar beside the chart gives
/// their values. Each path is a polyline through its iterates in order, with a hollow
/// marker at the start and a filled marker at the end, and the legend names each path
/// with its number of iterates. Without a range in the options, each axis covers the
/// paths' iterates with a 10% margin.
///
/// # Errors
///
/// [`Error::UnsupportedImageFormat`], [`Error::InvalidParameter`] (size) and
/// [`Error::InvalidRange`] for bad options; [`Error::DimensionMismatch`] when the objective
/// or a trace does not have two parameters; [`Error::MissingTrace`] or [`Error::Empty`]
/// for a path without recorded iterates; [`Error::Empty`] when `paths` is empty and the
/// options do not set both ranges; [`Error::NonFiniteObjective`] when f is not finite
/// anywhere on the grid; [`Error::Plot`] when drawing or writing fails.
pub fn contour<O: Objective>(
    objective: &O,
    paths: &[(&str, &Solution)],
    options: &PlotOptions,
) -> Result<()> {
    let format = options.check()?;
    check_len(
        "objective θ (a contour plots two parameters)",
        2,
        objective.dim(),
    )?;
    let mut traces = Vec::with_capacity(paths.len());
    for &(label, solution) in paths {
        let trace = recorded_trace(solution, 2)?;
        let points: Vec<(f64, f64)> = trace.iter().map(|i| (i.theta[0], i.theta[1])).collect();
        traces.push((label, points));
    }

    let all = || traces.iter().flat_map(|(_, points)| points.iter());
    let x_range = match options.x_range {
        Some(range) => range,
        None if traces.is_empty() => return Err(missing_range()),
        None => padded(span(all().map(|p| p.0)), 0.10),
    };
    let y_range = match options.y_range {
        Some(range) => range,
        None if traces.is_empty() => return Err(missing_range()),
        None => padded(span(all().map(|p| p.1)), 0.10),
    };
    check_range("x_range", x_range)?;
    check_range("y_range", y_range)?;

    // About one grid node per six pixels, and at least 40 × 40.
    let nx = (options.width as usize / 6).clamp(40, 400);
    let ny = (options.height as usize / 6).clamp(40, 400);
    let grid = Grid::evaluate(objective, x_range, y_range, nx, ny);
    let levels = grid.levels()?;

    let mut scene = Scene::new(x_range, y_range);
    scene.labels(
        options,
        "Loss contours with descent paths".to_owned(),
        "θ₀",
        "θ₁",
    );
    let n_levels = levels.len();
    let mut colorbar = Vec::with_capacity(n_levels);
    for (k, &level) in levels.iter().enumerate() {
        // Viridis from dark (low loss) to green; its pale yellow end is hard to see on white.
        let color = ViridisRGB::get_color(0.85 * k as f64 / (n_levels.max(2) - 1) as f64);
        colorbar.push((level, color));
        for points in grid.contour_lines(level) {
            scene.background.push(Layer::Line {
                points,
                color,
                width: 0.6,
                dashed: false,
            });
        }
    }
    scene.colorbar = Some(Colorbar {
        title: "loss".to_owned(),
        levels: colorbar,
    });

    for (i, (label, points)) in traces.into_iter().enumerate() {
        let color = PATH_COLORS[i % PATH_COLORS.len()];
        let width = if i == 0 { 1.2 } else { 0.7 };
        let (first, last) = (points[0], points[points.len() - 1]);
        scene.legend.push((
            Icon::Line {
                color,
                dashed: false,
            },
            format!("{label}: {} iterates", points.len()),
        ));
        scene.layers.push(Layer::Line {
            points,
            color,
            width,
            dashed: false,
        });
        scene.layers.push(Layer::Marker {
            at: first,
            color,
            filled: false,
        });
        scene.layers.push(Layer::Marker {
            at: last,
            color,
            filled: true,
        });
    }
    if !scene.legend.is_empty() {
        let grey = RGBColor(60, 60, 60);
        scene.legend.push((
            Icon::Marker {
                color: grey,
                filled: false,
            },
            "start".to_owned(),
        ));
        scene.legend.push((
            Icon::Marker {
                color: grey,
                filled: true,
            },
            "end".to_owned(),
        ));
    }
    canvas::render(&scene, options, format)
}

fn missing_range() -> Error {
    Error::Empty {
        what: "contour paths",
        item: "path, or set both x_range and y_range in the options",
    }
}

fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// f on a regular grid of nodes, row by row from the lowest y.
struct Grid {
    xs: Vec<f64>,
    ys: Vec<f64>,
    values: Vec<f64>,
}

/// A cell edge: horizontal from node (i, j) to (i + 1, j), or vertical from (i, j) to
/// (i, j + 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Edge {
    Horizontal(usize, usize),
    Vertical(usize, usize),
}

impl Grid {
    fn evaluate<O: Objective>(
        objective: &O,
        (x0, x1): (f64, f64),
        (y0, y1): (f64, f64),
        nx: usize,
        ny: usize,
    ) -> Self {
        let xs: Vec<f64> = (0..nx)
            .map(|i| x0 + (x1 - x0) * i as f64 / (nx - 1) as f64)
            .collect();
        let ys: Vec<f64> = (0..ny)
            .map(|j| y0 + (y1 - y0) * j as f64 / (ny - 1) as f64)
            .collect();
        let mut values = Vec::with_capacity(nx * ny);
        for &y in &ys {
            for &x in &xs {
                values.push(objective.eval(&[x, y]));
            }
        }
        Self { xs, ys, values }
    }

    fn value(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.xs.len() + i]
    }

    /// Levels at the quantiles (k/13)², k = 1…12, of the finite grid values, without
    /// repeats.
    fn levels(&self) -> Result<Vec<f64>> {
        let mut sorted: Vec<f64> = self
            .values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        if sorted.is_empty() {
            return Err(Error::NonFiniteObjective {
                value: self.values.first().copied().unwrap_or(f64::NAN),
                theta: vec![self.xs[0], self.ys[0]],
            });
        }
        sorted.sort_by(f64::total_cmp);
        let last = sorted.len() - 1;
        let mut levels: Vec<f64> = (1..=LEVELS)
            .map(|k| {
                let q = (k as f64 / (LEVELS + 1) as f64).powi(2);
                sorted[((q * last as f64).round() as usize).min(last)]
            })
            .collect();
        levels.dedup();
        Ok(levels)
    }

    /// Finds where `edge` crosses `level`, by linear interpolation between its two nodes.
    fn crossing(&self, edge: Edge, level: f64) -> (f64, f64) {
        let ((i0, j0), (i1, j1)) = match edge {
            Edge::Horizontal(i, j) => ((i, j), (i + 1, j)),
            Edge::Vertical(i, j) => ((i, j), (i, j + 1)),
        };
        let (v0, v1) = (self.value(i0, j0), self.value(i1, j1));
        let s = ((level - v0) / (v1 - v0)).clamp(0.0, 1.0);
        (
            self.xs[i0] + s * (self.xs[i1] - self.xs[i0]),
            self.ys[j0] + s * (self.ys[j1] - self.ys[j0]),
        )
    }

    /// Traces the contour of f at `level` by marching squares, joined into polylines.
    ///
    /// Cells with a non-finite corner are skipped. A saddle cell (opposite corners on the
    /// same side) is resolved by the mean of its four corners.
    fn contour_lines(&self, level: f64) -> Vec<Vec<(f64, f64)>> {
        let mut segments: Vec<(Edge, Edge)> = Vec::new();
        for j in 0..self.ys.len() - 1 {
            for i in 0..self.xs.len() - 1 {
                let corners = [
                    self.value(i, j),
                    self.value(i + 1, j),
                    self.value(i + 1, j + 1),
                    self.value(i, j + 1),
                ];
                if corners.iter().any(|v| !v.is_finite()) {
                    continue;
                }
                let above = corners.map(|v| v > level);
                let bottom = Edge::Horizontal(i, j);
                let right = Edge::Vertical(i + 1, j);
                let top = Edge::Horizontal(i, j + 1);
                let left = Edge::Vertical(i, j);
                // Crossed edges, in the order bottom, right, top, left.
                let crossed: Vec<Edge> = [
                    (above[0] != above[1], bottom),
                    (above[1] != above[2], right),
                    (above[2] != above[3], top),
                    (above[3] != above[0], left),
                ]
                .into_iter()
                .filter_map(|(crosses, edge)| crosses.then_some(edge))
                .collect();
                match crossed.as_slice() {
                    [a, b] => segments.push((*a, *b)),
                    [_, _, _, _] => {
                        let centre_above = corners.iter().sum::<f64>() / 4.0 > level;
                        if centre_above == above[0] {
                            // Corners 0 and 2 join through the centre: cut off 1 and 3.
                            segments.push((bottom, right));
                            segments.push((top, left));
                        } else {
                            segments.push((left, bottom));
                            segments.push((right, top));
                        }
                    }
                    _ => {}
                }
            }
        }
        self.join(&segments, level)
    }

    /// Joins segments that share an edge into polylines, open chains first.
    fn join(&self, segments: &[(Edge, Edge)], level: f64) -> Vec<Vec<(f64, f64)>> {
        let mut at_edge: HashMap<Edge, Vec<usize>> = HashMap::new();
        for (k, &(a, b)) in segments.iter().enumerate() {
            at_edge.entry(a).or_default().push(k);
            at_edge.entry(b).or_default().push(k);
        }
        let mut used = vec![false; segments.len()];
        let mut lines = Vec::new();
        let open_ends: Vec<Edge> = segments
            .iter()
            .flat_map(|&(a, b)| [a, b])
            .filter(|e| at_edge.get(e).is_some_and(|s| s.len() == 1))
            .collect();
        let starts = open_ends
            .into_iter()
            .chain(segments.iter().map(|&(a, _)| a));
        for start in starts {
            let mut edge = start;
            let mut line = vec![self.crossing(edge, level)];
            while let Some(&k) = at_edge
                .get(&edge)
                .and_then(|ks| ks.iter().find(|&&k| !used[k]))
            {
                used[k] = true;
                let (a, b) = segments[k];
                edge = if a == edge { b } else { a };
                line.push(self.crossing(edge, level));
            }
            if line.len() > 1 {
                lines.push(line);
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f(x, y) = x² + y², whose level sets are circles.
    struct Bowl;

    impl Objective for Bowl {
        fn dim(&self) -> usize {
            2
        }
        fn eval<S: crate::Scalar>(&self, theta: &[S]) -> S {
            theta[0] * theta[0] + theta[1] * theta[1]
        }
    }

    #[test]
    fn bowl_contour_is_one_closed_circle() {
        let grid = Grid::evaluate(&Bowl, (-2.0, 2.0), (-2.0, 2.0), 81, 81);
        let lines = grid.contour_lines(1.0);
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_eq!(line.first(), line.last(), "a circle closes on itself");
        for &(x, y) in line {
            // Linear interpolation of x² + y² on a 0.05 grid is off by at most h²/4.
            assert!((x.hypot(y) - 1.0).abs() < 2e-3, "({x}, {y})");
        }
    }

    #[test]
    fn levels_rise_and_do_not_repeat() {
        let grid = Grid::evaluate(&Bowl, (-2.0, 2.0), (-2.0, 2.0), 41, 41);
        let levels = grid.levels().unwrap();
        assert_eq!(levels.len(), LEVELS);
        assert!(levels.windows(2).all(|w| w[0] < w[1]), "{levels:?}");
    }
}
