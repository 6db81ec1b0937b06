//! The one scene every figure is drawn as: a chart with layers, a legend, an optional rug
//! panel below it and an optional colour bar beside it, rendered to SVG or PNG.

use super::geometry::{clip_polyline, decimate};
use super::legend::Legend;
use super::panels::{Panels, TickFormat, X_TICKS, Y_TICKS, draw_colorbar, draw_rug};
use super::text::{self, Typeset};
use super::{Format, PlotOptions};
use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

/// The font family every text element names. SVG viewers with DejaVu Sans draw text with
/// the metrics the layout was measured with; others fall back to their sans-serif font.
// NOTE: an SVG viewer without DejaVu Sans draws text in a font whose widths were not
// measured, so a long legend label can run past its box by a few pixels there.
const FAMILY: &str = "DejaVu Sans, sans-serif";

pub(crate) const BLUE: RGBColor = RGBColor(31, 119, 180);
pub(crate) const ORANGE: RGBColor = RGBColor(230, 110, 0);
pub(crate) const GREEN: RGBColor = RGBColor(44, 160, 44);
pub(crate) const RED: RGBColor = RGBColor(214, 39, 40);
pub(crate) const PURPLE: RGBColor = RGBColor(148, 103, 189);
pub(crate) const GREY: RGBColor = RGBColor(90, 90, 90);
pub(crate) const INK: RGBColor = RGBColor(20, 20, 20);

/// Errors while drawing, before they are mapped to [`Error::Plot`].
pub(crate) type DrawResult<T = ()> =
    std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A polyline, a marker, an arrow or a bar, in data coordinates.
#[derive(Debug, Clone)]
pub(crate) enum Layer {
    /// A polyline; `width` scales the figure's line width.
    Line {
        points: Vec<(f64, f64)>,
        color: RGBColor,
        width: f64,
        dashed: bool,
    },
    /// A circle, filled or hollow, drawn as one `<circle>` element in SVG.
    Marker {
        at: (f64, f64),
        color: RGBColor,
        filled: bool,
    },
    /// A straight arrow with its head at `to`.
    Arrow {
        from: (f64, f64),
        to: (f64, f64),
        color: RGBColor,
    },
    /// A histogram bar from `x0` to `x1`, from 0 to `height`.
    Bar {
        x0: f64,
        x1: f64,
        height: f64,
        color: RGBColor,
    },
}

/// The sample drawn beside a legend label.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Icon {
    Line { color: RGBColor, dashed: bool },
    Marker { color: RGBColor, filled: bool },
}

/// A colour bar: the contour levels, lowest first, with their colours.
#[derive(Debug, Clone)]
pub(crate) struct Colorbar {
    pub title: String,
    pub levels: Vec<(f64, RGBColor)>,
}

/// Everything one figure shows.
#[derive(Debug, Clone)]
pub(crate) struct Scene {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// Layers the legend may cover, such as contour lines.
    pub background: Vec<Layer>,
    /// Layers the legend avoids.
    pub layers: Vec<Layer>,
    pub legend: Vec<(Icon, String)>,
    /// Data values drawn as ticks in a panel below the chart, sharing its x axis.
    pub rug: Option<Vec<f64>>,
    pub colorbar: Option<Colorbar>,
}

impl Scene {
    /// Creates a scene with the given ranges and nothing to draw yet.
    pub fn new(x_range: (f64, f64), y_range: (f64, f64)) -> Self {
        Self {
            title: String::new(),
            x_label: String::new(),
            y_label: String::new(),
            x_range,
            y_range,
            background: Vec::new(),
            layers: Vec::new(),
            legend: Vec::new(),
            rug: None,
            colorbar: None,
        }
    }

    /// Sets the title and axis labels, each from `options` when given there.
    pub fn labels(&mut self, options: &PlotOptions, title: String, x: &str, y: &str) {
        self.title = options.title.clone().unwrap_or(title);
        self.x_label = options.x_label.clone().unwrap_or_else(|| x.to_owned());
        self.y_label = options.y_label.clone().unwrap_or_else(|| y.to_owned());
    }
}

/// Font sizes and line widths for one figure size, in pixels.
pub(crate) struct Style {
    pub title: f64,
    pub label: f64,
    pub tick: f64,
    pub legend: f64,
    pub marker: i32,
    pub line: u32,
}

impl Style {
    /// Sizes chosen for 800 × 600 and scaled with the geometric mean of the width and
    /// height ratios, at most 1.5 times the smaller ratio so that a narrow figure still
    /// fits its text.
    fn new(width: u32, height: u32) -> Self {
        let (wide, high) = (f64::from(width) / 800.0, f64::from(height) / 600.0);
        let scale = (wide * high).sqrt().min(1.5 * wide.min(high));
        let px = |base: f64, minimum: f64| (base * scale).max(minimum);
        // Text sizes in plotters' unit, 1.24 times the em size written to SVG.
        Self {
            title: px(27.0, 11.0),
            label: px(22.0, 10.0),
            tick: px(18.0, 10.0),
            legend: px(18.0, 10.0),
            marker: px(5.5, 2.5).round() as i32,
            line: px(2.0, 1.0).round() as u32,
        }
    }

    pub fn font(&self, size: f64) -> TextStyle<'static> {
        TextStyle::from((FAMILY, size).into_font()).color(&INK)
    }

    /// Builds a marker circle at `at`, filled or drawn as a ring.
    pub fn marker_at<C>(&self, at: C, color: RGBColor, filled: bool) -> Circle<C, i32> {
        let shape = if filled {
            color.filled()
        } else {
            color.stroke_width(self.line.max(2))
        };
        Circle::new(at, self.marker, shape)
    }
}

/// Registers the embedded font with plotters under [`FAMILY`], once per process, for any
/// text plotters lays out without asking the backend.
fn register_font() {
    static REGISTERED: OnceLock<()> = OnceLock::new();
    REGISTERED.get_or_init(|| {
        // A failure leaves plotters without the font; `text::font()` reports the same
        // failure to the caller.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, text::FONT_BYTES);
    });
}

/// Draws `scene` into the file named by `options`, in `format`.
///
/// # Errors
///
/// [`Error::Plot`] when drawing or writing the file fails, naming the file and the cause.
pub(crate) fn render(scene: &Scene, options: &PlotOptions, format: Format) -> Result<()> {
    let style = Style::new(options.width, options.height);
    let size = (options.width, options.height);
    register_font();
    let outcome = match (text::font(), format) {
        (None, _) => Err("the embedded DejaVu Sans font could not be parsed".into()),
        (Some(font), Format::Svg) => draw_root(
            &Typeset::new(SVGBackend::new(&options.path, size), font, false).into_drawing_area(),
            scene,
            &style,
        ),
        (Some(font), Format::Png) => draw_root(
            &Typeset::new(BitMapBackend::new(&options.path, size), font, true).into_drawing_area(),
            scene,
            &style,
        ),
    };
    outcome.map_err(|error| Error::Plot {
        path: options.path.clone(),
        message: error.to_string(),
    })
}

fn draw_root<DB>(root: &DrawingArea<DB, Shift>, scene: &Scene, style: &Style) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let (width, height) = root.dim_in_pixel();
    let margin = (f64::from(width.min(height)) * 0.02).max(4.0) as u32;
    let area = root.margin(margin, margin, margin, margin);

    let title_height = (style.title * 1.6) as u32;
    let (title_area, body) = area.split_vertically(title_height);
    // A title wider than the figure is set smaller, down to 60% of the usual size, so that
    // it is not cut at the edges.
    let title_width = title_area.dim_in_pixel().0;
    let (text_width, _) = root.estimate_text_size(&scene.title, &style.font(style.title))?;
    let shrink = (f64::from(title_width) * 0.96 / f64::from(text_width.max(1))).clamp(0.6, 1.0);
    title_area.draw(&Text::new(
        scene.title.clone(),
        ((title_width / 2) as i32, (title_height / 2) as i32),
        style
            .font(style.title * shrink)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;

    // The legend goes inside the chart where it covers no data, and otherwise in a strip
    // below the figure. The choice is made on a chart built but not drawn, so an SVG
    // contains one pass only.
    let legend = Legend::measure(root, scene, style)?;
    let mut inside = None;
    if let Some(legend) = &legend {
        let panels = Panels::split(&body, scene, style)?;
        let chart = build_chart(&panels.chart, scene, style, &panels)?;
        let (at, covered) = legend.place(&chart, scene);
        if covered == 0 {
            inside = Some(at);
        }
    }
    let body = match (&legend, inside) {
        (Some(legend), None) => {
            let (w, h) = body.dim_in_pixel();
            let strip = legend.strip_height(w).min(h / 2);
            let (upper, lower) = body.split_vertically(h - strip);
            legend.draw_strip(&lower, scene, style)?;
            upper
        }
        _ => body,
    };

    let panels = Panels::split(&body, scene, style)?;
    let chart = draw_chart(&panels, scene, style)?;
    if let (Some(legend), Some(at)) = (&legend, inside) {
        legend.draw(&chart, scene, style, at)?;
    }
    if let (Some(values), Some(rug_area)) = (&scene.rug, &panels.rug) {
        draw_rug(rug_area, scene, values, style, &panels)?;
    }
    if let (Some(bar), Some(bar_area)) = (&scene.colorbar, &panels.colorbar) {
        draw_colorbar(bar_area, bar, style, panels.x_label_height)?;
    }

    // Writes the file. Without this call the backend writes it when dropped and discards
    // any error.
    // NOTE: plotters-svg 0.3.7 writes through a BufWriter that it drops without flushing
    // explicitly, so a failure in that last flush (possible for an SVG under 8 KiB) is lost.
    root.present()?;
    Ok(())
}

/// Draws the axes and every layer.
fn draw_chart<'a, DB>(
    panels: &'a Panels<DB>,
    scene: &Scene,
    style: &Style,
) -> DrawResult<Chart<'a, DB>>
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    let mut chart = build_chart(&panels.chart, scene, style, panels)?;
    let x_ticks = TickFormat::new(scene.x_range, X_TICKS);
    let y_ticks = TickFormat::new(scene.y_range, Y_TICKS);
    let x_format = |v: &f64| x_ticks.format(*v);
    let y_format = |v: &f64| y_ticks.format(*v);
    let no_label = |_: &f64| String::new();
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .axis_style(GREY)
        .label_style(style.font(style.tick))
        .axis_desc_style(style.font(style.label))
        .y_desc(scene.y_label.clone())
        .x_labels(X_TICKS)
        .y_labels(Y_TICKS)
        .y_label_formatter(&y_format);
    if panels.rug.is_none() {
        mesh.x_desc(scene.x_label.clone())
            .x_label_formatter(&x_format);
    } else {
        mesh.x_label_formatter(&no_label);
    }
    mesh.draw()?;

    let pixel = pixel_size(&chart, scene);
    for layer in scene.background.iter().chain(&scene.layers) {
        draw_layer(&mut chart, scene, layer, style, pixel)?;
    }
    Ok(chart)
}

/// Builds the chart's coordinate system on `area` without drawing anything.
fn build_chart<'a, DB>(
    area: &'a DrawingArea<DB, Shift>,
    scene: &Scene,
    style: &Style,
    panels: &Panels<DB>,
) -> DrawResult<Chart<'a, DB>>
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    let (x0, x1) = scene.x_range;
    let (y0, y1) = scene.y_range;
    Ok(ChartBuilder::on(area)
        .margin_right((style.tick * 1.5) as u32)
        .margin_top((style.tick * 0.6) as u32)
        .x_label_area_size(panels.chart_x_label_height())
        .y_label_area_size(panels.y_label_width)
        .build_cartesian_2d(x0..x1, y0..y1)?)
}

/// Data units per pixel along x and y in the plotting area.
fn pixel_size<DB: DrawingBackend>(chart: &Chart<'_, DB>, scene: &Scene) -> (f64, f64) {
    let (w, h) = chart.plotting_area().dim_in_pixel();
    (
        (scene.x_range.1 - scene.x_range.0) / f64::from(w.max(1)),
        (scene.y_range.1 - scene.y_range.0) / f64::from(h.max(1)),
    )
}

fn draw_layer<DB>(
    chart: &mut Chart<'_, DB>,
    scene: &Scene,
    layer: &Layer,
    style: &Style,
    pixel: (f64, f64),
) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    let inside = |(x, y): (f64, f64)| {
        (scene.x_range.0..=scene.x_range.1).contains(&x)
            && (scene.y_range.0..=scene.y_range.1).contains(&y)
    };
    match layer {
        Layer::Line {
            points,
            color,
            width,
            dashed,
        } => {
            let stroke = ((f64::from(style.line) * width).round() as u32).max(1);
            let shape = color.stroke_width(stroke);
            for piece in clip_polyline(points, scene.x_range, scene.y_range) {
                let piece = decimate(&piece, pixel);
                if *dashed {
                    let dash = (f64::from(style.line) * 4.0) as u32;
                    chart.draw_series(std::iter::once(DashedPathElement::new(
                        piece,
                        dash.max(3),
                        dash.max(3),
                        shape,
                    )))?;
                } else {
                    chart.draw_series(std::iter::once(PathElement::new(piece, shape)))?;
                }
            }
        }
        Layer::Marker { at, color, filled } => {
            if inside(*at) {
                chart.draw_series(std::iter::once(style.marker_at(*at, *color, *filled)))?;
            }
        }
        Layer::Arrow { from, to, color } => {
            if inside(*from) && inside(*to) {
                draw_arrow(chart, *from, *to, *color, style, pixel)?;
            }
        }
        Layer::Bar {
            x0,
            x1,
            height,
            color,
        } => {
            let left = x0.max(scene.x_range.0);
            let right = x1.min(scene.x_range.1);
            let top = height.min(scene.y_range.1);
            if left < right && top > scene.y_range.0 {
                let bottom = scene.y_range.0.max(0.0);
                let corners = [(left, bottom), (right, top)];
                chart.draw_series([
                    Rectangle::new(corners, color.mix(0.75).filled()),
                    Rectangle::new(corners, WHITE.stroke_width(1)),
                ])?;
            }
        }
    }
    Ok(())
}

/// Draws a shaft from `from` to `to` and a head of two strokes at `to`, the head's size in
/// pixels whatever the axis scales.
fn draw_arrow<DB>(
    chart: &mut Chart<'_, DB>,
    from: (f64, f64),
    to: (f64, f64),
    color: RGBColor,
    style: &Style,
    pixel: (f64, f64),
) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    let shape = color.stroke_width(style.line);
    // Work in pixel units (y up) so that the head keeps its shape on any axis scales.
    let dx = (to.0 - from.0) / pixel.0;
    let dy = (to.1 - from.1) / pixel.1;
    let length = dx.hypot(dy);
    if length < 1.0 {
        return Ok(());
    }
    // Stop the shaft at the rim of the target marker.
    let gap = f64::from(style.marker) + 1.0;
    let (ux, uy) = (dx / length, dy / length);
    let tip = (to.0 - ux * gap * pixel.0, to.1 - uy * gap * pixel.1);
    let start = (from.0 + ux * gap * pixel.0, from.1 + uy * gap * pixel.1);
    let head = (f64::from(style.marker) * 2.2).min(length / 2.0);
    let barb = |angle: f64| {
        let (sin, cos) = angle.sin_cos();
        let bx = -(ux * cos - uy * sin) * head;
        let by = -(ux * sin + uy * cos) * head;
        (tip.0 + bx * pixel.0, tip.1 + by * pixel.1)
    };
    chart.draw_series([
        PathElement::new(vec![start, tip], shape),
        PathElement::new(vec![barb(0.45), tip, barb(-0.45)], shape),
    ])?;
    Ok(())
}
