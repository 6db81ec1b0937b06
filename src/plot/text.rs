//! Text measured, and drawn into PNG files, with the embedded DejaVu Sans through ab_glyph.
//!
//! plotters 0.3.7 draws bitmap text glyph by glyph from each glyph's own pixel box: it
//! drops the side bearings, so letters are unevenly spaced, and it loses some glyphs such
//! as the prime in f′. [`Typeset`] wraps a backend and lays text out on a sub-pixel pen
//! position instead. For SVG it only measures text, because the viewer draws the
//! `<text>` elements. It also draws thick bitmap polylines with round joins.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use std::sync::OnceLock;

/// DejaVu Sans 2.37; its license is in `assets/fonts/LICENSE-DejaVu.txt`.
pub(crate) static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The embedded font, parsed once per process; `None` if it cannot be parsed.
pub(crate) fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok())
        .as_ref()
}

/// A backend whose text is measured with [`FONT_BYTES`] and, when `rasterize` is set (for
/// bitmaps), drawn with it too.
pub(crate) struct Typeset<B> {
    inner: B,
    font: &'static FontRef<'static>,
    rasterize: bool,
}

impl<B> Typeset<B> {
    pub(crate) fn new(inner: B, font: &'static FontRef<'static>, rasterize: bool) -> Self {
        Self {
            inner,
            font,
            rasterize,
        }
    }

    /// The scale at which one em is `size / 1.24` pixels, the em plotters' SVG backend
    /// writes as `font-size` for a text style of size `size`.
    fn scale(&self, size: f64) -> PxScale {
        let em = (size / 1.24) as f32;
        let units = self.font.units_per_em().unwrap_or(2048.0);
        PxScale::from(em * self.font.height_unscaled() / units)
    }

    /// Width in pixels of `text` set at `scale`, with kerning.
    fn advance(&self, text: &str, scale: PxScale) -> f32 {
        let font = self.font.as_scaled(scale);
        let mut width = 0.0;
        let mut previous = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(previous) = previous {
                width += font.kern(previous, id);
            }
            width += font.h_advance(id);
            previous = Some(id);
        }
        width
    }
}

impl<B: DrawingBackend> DrawingBackend for Typeset<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let width = style.stroke_width();
        if !self.rasterize || width <= 1 {
            return self.inner.draw_path(path, style);
        }
        // plotters' bitmap backend joins thick polylines with unlimited miters, which turn
        // a sharp zig-zag into long spikes; draw each segment alone with round joins.
        let points: Vec<BackendCoord> = path.into_iter().collect();
        for (i, pair) in points.windows(2).enumerate() {
            self.inner.draw_path(pair.iter().copied(), style)?;
            if i > 0 {
                self.inner
                    .draw_circle(pair[0], width / 2, &style.color(), true)?;
            }
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let scale = self.scale(style.size());
        let width = self.advance(text, scale).ceil() as u32;
        let height = (style.size() / 1.24).ceil() as u32;
        Ok((width, height))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if !self.rasterize {
            return self.inner.draw_text(text, style, pos);
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let scale = self.scale(style.size());
        let em = (style.size() / 1.24) as f32;
        let width = self.advance(text, scale);
        let left = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        // Baselines as plotters' SVG backend places them: 0.76 em below a top anchor, and
        // half the cap height (0.73 em in DejaVu Sans) below a centre anchor.
        let baseline = match style.anchor().v_pos {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.365 * em,
            VPos::Bottom => -0.24 * em,
        };
        let transform = style.transform();
        let font = self.font.as_scaled(scale);

        let mut pen = left;
        let mut previous = None;
        let mut pixels = Vec::new();
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(previous) = previous {
                pen += font.kern(previous, id);
            }
            let glyph = id.with_scale_and_position(scale, point(pen, baseline));
            if let Some(outline) = self.font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                outline.draw(|x, y, coverage| {
                    if coverage > 0.0 {
                        pixels.push((
                            bounds.min.x as i32 + x as i32,
                            bounds.min.y as i32 + y as i32,
                            coverage,
                        ));
                    }
                });
            }
            pen += font.h_advance(id);
            previous = Some(id);
        }
        for (x, y, coverage) in pixels {
            let (dx, dy) = transform.transform(x, y);
            let shade = BackendColor {
                alpha: color.alpha * f64::from(coverage.min(1.0)),
                rgb: color.rgb,
            };
            self.inner.draw_pixel((pos.0 + dx, pos.1 + dy), shade)?;
        }
        Ok(())
    }
}
