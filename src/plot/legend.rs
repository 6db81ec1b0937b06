//! The legend box: its size from the labels, a position that covers no data, and drawing.

use super::canvas::{Chart, DrawResult, Icon, Layer, Scene, Style};
use super::geometry::clip_polyline;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Size of a legend box and of its parts, in pixels.
#[derive(Debug, Clone)]
pub(crate) struct Legend {
    width: i32,
    height: i32,
    row: i32,
    pad: i32,
    icon: i32,
    /// Width of each entry, icon and label.
    entries: Vec<i32>,
}

impl Legend {
    /// Measures the legend of `scene`; `None` when it has no entries.
    pub fn measure<DB>(
        area: &DrawingArea<DB, Shift>,
        scene: &Scene,
        style: &Style,
    ) -> DrawResult<Option<Self>>
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        if scene.legend.is_empty() {
            return Ok(None);
        }
        let font = style.font(style.legend);
        let row = (style.legend * 1.2).round() as i32;
        let pad = (style.legend * 0.5).round() as i32;
        let icon = (style.legend * 1.8).round() as i32;
        let mut entries = Vec::with_capacity(scene.legend.len());
        for (_, label) in &scene.legend {
            let (w, _) = area.estimate_text_size(label, &font)?;
            entries.push(icon + pad + w as i32);
        }
        let widest = entries.iter().copied().max().unwrap_or(0);
        Ok(Some(Self {
            width: pad + widest + pad,
            height: pad * 2 + row * scene.legend.len() as i32,
            row,
            pad,
            icon,
            entries,
        }))
    }

    /// Entries per row of a strip `width` pixels wide, filled left to right.
    fn strip_rows(&self, width: i32) -> Vec<Vec<usize>> {
        let gap = self.pad * 3;
        let mut rows: Vec<Vec<usize>> = Vec::new();
        let mut used = 0;
        for (i, &entry) in self.entries.iter().enumerate() {
            match rows.last_mut() {
                Some(row) if used + gap + entry <= width - 2 * self.pad => {
                    row.push(i);
                    used += gap + entry;
                }
                _ => {
                    rows.push(vec![i]);
                    used = entry;
                }
            }
        }
        rows
    }

    /// Height of a strip `width` pixels wide that fits the legend below the figure.
    pub fn strip_height(&self, width: u32) -> u32 {
        let rows = self.strip_rows(width as i32).len() as i32;
        (self.pad * 2 + self.row * rows).max(0) as u32
    }

    /// Draws the legend in `area`, a strip below the figure, with the entries side by side
    /// in centred rows.
    pub fn draw_strip<DB>(
        &self,
        area: &DrawingArea<DB, Shift>,
        scene: &Scene,
        style: &Style,
    ) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        let (w, _) = area.dim_in_pixel();
        let gap = self.pad * 3;
        let top = self.pad;
        for (r, row) in self.strip_rows(w as i32).iter().enumerate() {
            let row_width: i32 =
                row.iter().map(|&i| self.entries[i]).sum::<i32>() + gap * (row.len() as i32 - 1);
            let mut left = (w as i32 - row_width) / 2;
            let cy = top + self.row * r as i32 + self.row / 2;
            for &i in row {
                self.draw_entry(area, scene, style, i, left, cy)?;
                left += self.entries[i] + gap;
            }
        }
        Ok(())
    }

    /// Draws entry `i` with its icon starting at `left`, centred on `cy`.
    fn draw_entry<DB>(
        &self,
        area: &DrawingArea<DB, Shift>,
        scene: &Scene,
        style: &Style,
        i: usize,
        left: i32,
        cy: i32,
    ) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        let (sample, label) = &scene.legend[i];
        match *sample {
            Icon::Line { color, dashed } => {
                let shape = color.stroke_width(style.line);
                let points = vec![(left, cy), (left + self.icon, cy)];
                if dashed {
                    let dash = (style.legend * 0.3).max(2.0) as u32;
                    area.draw(&DashedPathElement::new(points, dash, dash, shape))?;
                } else {
                    area.draw(&PathElement::new(points, shape))?;
                }
            }
            Icon::Marker { color, filled } => {
                area.draw(&style.marker_at((left + self.icon / 2, cy), color, filled))?;
            }
        }
        area.draw(&Text::new(
            label.clone(),
            (left + self.icon + self.pad, cy),
            style
                .font(style.legend)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        Ok(())
    }

    /// Finds the candidate position that covers the fewest drawn points and returns its
    /// top-left corner, relative to the plotting area, with that count.
    ///
    /// Candidates are the four corners, the top and bottom middles and the left and right
    /// middles, tried in that order, so that ties go to the upper right.
    pub fn place<DB: DrawingBackend>(
        &self,
        chart: &Chart<'_, DB>,
        scene: &Scene,
    ) -> ((i32, i32), usize) {
        let (w, h) = chart.plotting_area().dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let inset = self.pad;
        let left = inset;
        let right = w - self.width - inset;
        let middle = (w - self.width) / 2;
        let top = inset;
        let bottom = h - self.height - inset;
        let centre = (h - self.height) / 2;

        let candidates = [
            (right, top),
            (left, top),
            (right, bottom),
            (left, bottom),
            (middle, top),
            (middle, bottom),
            (right, centre),
            (left, centre),
        ];

        let obstacles = obstacle_pixels(chart, scene);
        let margin = 4;
        let covered = |(x, y): (i32, i32)| {
            obstacles
                .iter()
                .filter(|&&(px, py)| {
                    (x - margin..=x + self.width + margin).contains(&px)
                        && (y - margin..=y + self.height + margin).contains(&py)
                })
                .count()
        };
        candidates
            .into_iter()
            .map(|at| (at, covered(at)))
            .min_by_key(|&(_, count)| count)
            .unwrap_or(((right, top), 0))
    }

    /// Draws the legend with its top-left corner at `at`, relative to the plotting area.
    pub fn draw<DB>(
        &self,
        chart: &Chart<'_, DB>,
        scene: &Scene,
        style: &Style,
        (x, y): (i32, i32),
    ) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        let area = chart.plotting_area().strip_coord_spec();
        let corners = [(x, y), (x + self.width, y + self.height)];
        area.draw(&Rectangle::new(corners, WHITE.mix(0.9).filled()))?;
        area.draw(&Rectangle::new(
            corners,
            RGBColor(190, 190, 190).stroke_width(1),
        ))?;
        for i in 0..scene.legend.len() {
            let cy = y + self.pad + self.row * i as i32 + self.row / 2;
            self.draw_entry(&area, scene, style, i, x + self.pad, cy)?;
        }
        Ok(())
    }
}

/// Collects the pixel positions, relative to the plotting area, of every point the legend
/// must avoid: the foreground layers' lines sampled every few pixels, markers, arrows and
/// bar areas.
fn obstacle_pixels<DB: DrawingBackend>(chart: &Chart<'_, DB>, scene: &Scene) -> Vec<(i32, i32)> {
    let (bx, by) = chart.plotting_area().get_base_pixel();
    let to_pixel = |p: (f64, f64)| {
        let (x, y) = chart.backend_coord(&p);
        (x - bx, y - by)
    };
    let mut pixels = Vec::new();
    let mut add_segment = |a: (i32, i32), b: (i32, i32)| {
        let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 3).max(1);
        for k in 0..=steps {
            let s = f64::from(k) / f64::from(steps);
            pixels.push((
                a.0 + (f64::from(b.0 - a.0) * s).round() as i32,
                a.1 + (f64::from(b.1 - a.1) * s).round() as i32,
            ));
        }
    };
    for layer in &scene.layers {
        match layer {
            Layer::Line { points, .. } => {
                for piece in clip_polyline(points, scene.x_range, scene.y_range) {
                    for pair in piece.windows(2) {
                        add_segment(to_pixel(pair[0]), to_pixel(pair[1]));
                    }
                }
            }
            Layer::Marker { at, .. } => add_segment(to_pixel(*at), to_pixel(*at)),
            Layer::Arrow { from, to, .. } => add_segment(to_pixel(*from), to_pixel(*to)),
            Layer::Bar { x0, x1, height, .. } => {
                // Vertical lines every few pixels cover the whole bar.
                let top = height.min(scene.y_range.1);
                let bottom = scene.y_range.0.max(0.0);
                let (left, right) = (to_pixel((*x0, bottom)).0, to_pixel((*x1, bottom)).0);
                let steps = ((right - left) / 3).max(1);
                for k in 0..=steps {
                    let x = x0 + (x1 - x0) * f64::from(k) / f64::from(steps);
                    add_segment(to_pixel((x, bottom)), to_pixel((x, top)));
                }
            }
        }
    }
    pixels
}
