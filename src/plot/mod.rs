//! Figures: loss curves with a data rug, θ markers, tangents, descent steps and paths,
//! chords and convexity witnesses, histograms and 2-D contours with descent paths
//! (feature `plot`).
//!
//! Each figure is one function that reads the crate's own types (an [`Objective`], a
//! [`Solution`]'s trace, a [`Dataset`], a [`ConvexityReport`]'s witness) and writes one image file described by
//! [`PlotOptions`]: the path, the size in pixels, the title, the axis labels and the ranges.
//! The file extension chooses the format:
//!
//! * `.svg`: plotters' SVG backend. Text is written as `<text>` elements in the
//!   `sans-serif` family, so the viewer draws it with its own font.
//! * `.png`: plotters' bitmap backend. Text is drawn in pure Rust (ab_glyph) with DejaVu
//!   Sans, which is embedded in the crate, so no system library or installed font is needed.
//!
//! ```
//! use dualopt::plot::{PlotOptions, descent_path};
//! use dualopt::prelude::*;
//!
//! let data = Dataset::from_targets(vec![12.1, 12.8, 14.9, 16.3, 17.2])?;
//! let mse = EmpiricalRisk::new(Constant, SquaredError, &data)?;
//! let solution = GradientDescent::new()
//!     .learning_rate(0.2)
//!     .step_tolerance(0.001)
//!     .gradient_tolerance(None)
//!     .record_trace(true)
//!     .minimize(&mse, &[0.0])?;
//!
//! let folder = tempfile::tempdir().unwrap();
//! let options = PlotOptions::new(folder.path().join("path.svg"))
//!     .size(640, 480)
//!     .title("Gradient descent on MSE, α = 0.2");
//! descent_path(&mse, &solution, &options)?;
//! assert!(folder.path().join("path.svg").exists());
//! # Ok::<(), dualopt::Error>(())
//! ```
//!
//! # Ranges
//!
//! A range left unset is chosen from what the figure shows: the data for a loss curve or
//! histogram, the recorded iterates for a path, the two ends of a chord, with a margin.
//! The y range of a curve then covers the curve and every marker over the x range. A
//! line that leaves a range set by the caller is cut at the border, and a marker outside
//! it is not drawn.
//!
//! # Limitations
//!
//! Contours are line contours from marching squares on a grid of about one node per six
//! pixels, so a feature of the objective narrower than that grid can be missed.
//!
//! [`Objective`]: crate::Objective
//! [`Solution`]: crate::Solution
//! [`Dataset`]: crate::Dataset
//! [`ConvexityReport`]: crate::check::convexity::ConvexityReport

mod canvas;
mod chord;
mod contour;
mod curve;
mod geometry;
mod histogram;
mod legend;
mod panels;
mod text;

pub use chord::{chord, convexity_witness};
pub use contour::contour;
pub use curve::{descent_path, descent_step, loss_curve, tangent_line, theta_marker};
pub use histogram::histogram;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::optim::{Solution, Trace};
use std::path::{Path, PathBuf};

/// Output file, size, title, axis labels and ranges of one figure.
///
/// ```
/// use dualopt::plot::PlotOptions;
///
/// let options = PlotOptions::new("figures/loss.png")
///     .size(1200, 800)
///     .title("MSE on the tips data")
///     .x_range(10.0, 20.0);
/// assert_eq!(options.path().to_str(), Some("figures/loss.png"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PlotOptions {
    path: PathBuf,
    width: u32,
    height: u32,
    title: Option<String>,
    x_label: Option<String>,
    y_label: Option<String>,
    x_range: Option<(f64, f64)>,
    y_range: Option<(f64, f64)>,
}

impl PlotOptions {
    /// Smallest accepted width or height, in pixels: room for a title, axes and a legend.
    pub const MIN_SIZE: u32 = 200;

    /// Largest accepted width or height, in pixels (a PNG of 8192 × 8192 takes 192 MiB
    /// while it is drawn).
    pub const MAX_SIZE: u32 = 8192;

    /// Options for a figure written to `path`, 800 × 600 pixels, with default title, labels
    /// and ranges.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            width: 800,
            height: 600,
            title: None,
            x_label: None,
            y_label: None,
            x_range: None,
            y_range: None,
        }
    }

    /// Sets the size in pixels, each side between [`MIN_SIZE`](Self::MIN_SIZE) and
    /// [`MAX_SIZE`](Self::MAX_SIZE); checked when the figure is drawn.
    #[must_use]
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    /// Sets the title drawn above the figure, in place of the figure's default.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the label of the x axis, in place of the figure's default.
    #[must_use]
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = Some(label.into());
        self
    }

    /// Sets the label of the y axis, in place of the figure's default.
    #[must_use]
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = Some(label.into());
        self
    }

    /// Sets the x range shown, `low < high`; checked when the figure is drawn.
    #[must_use]
    pub fn x_range(mut self, low: f64, high: f64) -> Self {
        self.x_range = Some((low, high));
        self
    }

    /// Sets the y range shown, `low < high`; checked when the figure is drawn.
    #[must_use]
    pub fn y_range(mut self, low: f64, high: f64) -> Self {
        self.y_range = Some((low, high));
        self
    }

    /// The output file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checks the size and the ranges and returns the format named by the extension.
    fn check(&self) -> Result<Format> {
        let format = Format::from_path(&self.path)?;
        for (name, value) in [("width", self.width), ("height", self.height)] {
            if !(Self::MIN_SIZE..=Self::MAX_SIZE).contains(&value) {
                return Err(Error::InvalidParameter {
                    name,
                    value: f64::from(value),
                    expected: "must be between 200 and 8192 pixels",
                });
            }
        }
        if let Some(range) = self.x_range {
            check_range("x_range", range)?;
        }
        if let Some(range) = self.y_range {
            check_range("y_range", range)?;
        }
        Ok(format)
    }
}

/// A column of a [`Dataset`]: the target or one feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The target column.
    Target,
    /// The feature at this index, counted from 0 in the dataset's feature order.
    Feature(usize),
}

impl Column {
    /// The column's values, in row order.
    fn values(self, data: &Dataset) -> Result<Vec<f64>> {
        match self {
            Column::Target => Ok(data.targets().to_vec()),
            Column::Feature(j) if j < data.n_features() => Ok(data.features().column(j).to_vec()),
            Column::Feature(j) => Err(Error::InvalidParameter {
                name: "Column::Feature index",
                value: j as f64,
                expected: "must be below the dataset's feature count; use Column::Target \
                           for the target",
            }),
        }
    }

    /// The column's name in the dataset (`y`, `x0`, … or the CSV header).
    fn name(self, data: &Dataset) -> &str {
        match self {
            Column::Target => data.target_name(),
            Column::Feature(j) => data.feature_names().get(j).map_or("", String::as_str),
        }
    }
}

/// Image format of an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
}

impl Format {
    fn from_path(path: &Path) -> Result<Self> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(Error::UnsupportedImageFormat {
                path: path.to_owned(),
            }),
        }
    }
}

fn check_range(name: &'static str, (low, high): (f64, f64)) -> Result<()> {
    if low.is_finite() && high.is_finite() && low < high {
        Ok(())
    } else {
        Err(Error::InvalidRange { name, low, high })
    }
}

/// The recorded trace of `solution`, checked to be non-empty and of dimension `dim`.
fn recorded_trace(solution: &Solution, dim: usize) -> Result<&Trace> {
    let trace = solution.trace.as_ref().ok_or(Error::MissingTrace)?;
    if trace.is_empty() {
        return Err(Error::Empty {
            what: "solution trace",
            item: "recorded iterate (call record_trace(true) on the minimizer)",
        });
    }
    crate::error::check_len("trace θ", dim, trace.get(0).theta.len())?;
    for iterate in trace.iter() {
        crate::error::check_finite("trace θ", iterate.theta)?;
    }
    Ok(trace)
}
