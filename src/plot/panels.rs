//! The panels of a figure body (chart, rug, colour bar), the rug and the colour bar, and
//! tick labels.

use super::canvas::{Colorbar, DrawResult, GREY, INK, Scene, Style};
use super::curve::format_number;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The areas of one figure body: the chart, the rug panel below it and the colour bar
/// beside them, with the label area sizes they share.
pub(super) struct Panels<DB: DrawingBackend> {
    pub chart: DrawingArea<DB, Shift>,
    pub rug: Option<DrawingArea<DB, Shift>>,
    pub colorbar: Option<DrawingArea<DB, Shift>>,
    /// Width of the y label area, the same for the chart and the rug so that they align.
    pub y_label_width: u32,
    /// Height of the x label area under the lowest panel.
    pub x_label_height: u32,
}

impl<DB> Panels<DB>
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    pub fn split(body: &DrawingArea<DB, Shift>, scene: &Scene, style: &Style) -> DrawResult<Self> {
        let (body, colorbar) = if scene.colorbar.is_some() {
            let (w, _) = body.dim_in_pixel();
            let bar_width = (f64::from(w) * 0.13).max(60.0) as u32;
            let (left, right) = body.split_horizontally(w.saturating_sub(bar_width));
            (left, Some(right))
        } else {
            (body.clone(), None)
        };
        let x_label_height = (style.label * 1.5 + style.tick * 1.8) as u32;
        let (chart, rug) = if scene.rug.is_some() {
            let (_, h) = body.dim_in_pixel();
            let rug_height = x_label_height + ((f64::from(h) * 0.09) as u32).max(16);
            let (top, bottom) = body.split_vertically(h.saturating_sub(rug_height));
            (top, Some(bottom))
        } else {
            (body, None)
        };
        Ok(Self {
            y_label_width: y_label_width(&chart, scene, style)?,
            chart,
            rug,
            colorbar,
            x_label_height,
        })
    }

    /// Height of the chart's own x label area: none when the rug panel below carries the
    /// x axis labels.
    pub fn chart_x_label_height(&self) -> u32 {
        if self.rug.is_some() {
            0
        } else {
            self.x_label_height
        }
    }
}

/// How many tick labels plotters is asked for, at most, on each axis.
pub(super) const X_TICKS: usize = 8;
pub(super) const Y_TICKS: usize = 7;

/// Tick labels with as many decimals as the tick spacing needs, so that no label shows
/// float noise such as 0.30000000000000004 and neighbouring labels differ.
pub(super) struct TickFormat {
    decimals: usize,
    scientific: bool,
}

impl TickFormat {
    pub fn new((low, high): (f64, f64), ticks: usize) -> Self {
        // plotters picks a step of 1, 2 or 5 times a power of ten, at least width / ticks.
        let step = (high - low) / ticks as f64;
        let exponent = step.log10().floor();
        let magnitude = low.abs().max(high.abs());
        Self {
            decimals: (-exponent).max(0.0) as usize,
            scientific: magnitude >= 1e6 || exponent < -5.0,
        }
    }

    pub fn format(&self, value: f64) -> String {
        let text = if self.scientific {
            format!("{value:.2e}")
        } else {
            format!("{value:.*}", self.decimals)
        };
        // "-0" and "-0.00" read as zero; other minus signs are typographic (U+2212).
        if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
            text[1..].to_owned()
        } else {
            text.replace('-', "−")
        }
    }
}

/// Width in pixels of the y label area: the axis label plus the widest tick label,
/// estimated from the range's ends.
fn y_label_width<DB>(area: &DrawingArea<DB, Shift>, scene: &Scene, style: &Style) -> DrawResult<u32>
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    let ticks = TickFormat::new(scene.y_range, Y_TICKS);
    let font = style.font(style.tick);
    let mut widest = 0;
    for value in [scene.y_range.0, scene.y_range.1] {
        let (w, _) = area.estimate_text_size(&ticks.format(value), &font)?;
        widest = widest.max(w);
    }
    Ok((f64::from(widest) + style.tick * 1.2 + style.label * 1.4) as u32)
}

/// Draws the rug: one tick per value, in a panel aligned with the chart above it.
pub(super) fn draw_rug<DB>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene,
    values: &[f64],
    style: &Style,
    panels: &Panels<DB>,
) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    let (y_label_width, x_label_height) = (panels.y_label_width, panels.x_label_height);

    let (x0, x1) = scene.x_range;
    let mut rug = ChartBuilder::on(area)
        .margin_right((style.tick * 1.5) as u32)
        .x_label_area_size(x_label_height)
        .y_label_area_size(y_label_width)
        .build_cartesian_2d(x0..x1, 0.0..1.0)?;
    let x_ticks = TickFormat::new(scene.x_range, X_TICKS);
    let x_format = |v: &f64| x_ticks.format(*v);
    rug.configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .axis_style(GREY)
        .label_style(style.font(style.tick))
        .axis_desc_style(style.font(style.label))
        .x_labels(X_TICKS)
        .x_label_formatter(&x_format)
        .x_desc(scene.x_label.clone())
        .draw()?;
    // Half-transparent ticks, so that repeated values show as darker ticks.
    let shape = INK.mix(0.35).stroke_width(style.line.max(1));
    rug.draw_series(
        values
            .iter()
            .filter(|v| (x0..=x1).contains(*v))
            .map(|&v| PathElement::new(vec![(v, 0.12), (v, 0.88)], shape)),
    )?;
    let (_, h) = area.dim_in_pixel();
    let plot_height = h.saturating_sub(x_label_height) as i32;
    area.draw(&Text::new(
        "data",
        (
            (y_label_width as i32) - (style.tick * 0.8) as i32,
            plot_height / 2,
        ),
        style
            .font(style.tick)
            .pos(Pos::new(HPos::Right, VPos::Center)),
    ))?;
    Ok(())
}

/// Draws the colour bar: one block per level, lowest at the bottom, each labelled with its
/// value.
pub(super) fn draw_colorbar<DB>(
    area: &DrawingArea<DB, Shift>,
    bar: &Colorbar,
    style: &Style,
    x_label_height: u32,
) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    if bar.levels.is_empty() {
        return Ok(());
    }
    let (w, h) = area.dim_in_pixel();
    let top = (style.label * 2.0) as i32;
    let bottom = h as i32 - x_label_height as i32;
    let left = (style.tick * 0.8) as i32;
    let block_w = ((w as i32) / 5).clamp(8, 24);
    let n = bar.levels.len() as i32;
    let block_h = ((bottom - top) / n).max(1);
    area.draw(&Text::new(
        bar.title.clone(),
        (left, top / 2),
        style
            .font(style.label)
            .pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    for (i, (level, color)) in bar.levels.iter().enumerate() {
        let y1 = bottom - block_h * i as i32;
        let y0 = y1 - block_h;
        area.draw(&Rectangle::new(
            [(left, y0), (left + block_w, y1)],
            color.filled(),
        ))?;
        area.draw(&Text::new(
            format_number(*level),
            (left + block_w + (style.tick * 0.4) as i32, y1 - block_h / 2),
            style
                .font(style.tick)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}
