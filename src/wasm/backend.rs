//! The backend every page chart draws on — a `<canvas>`, or an SVG string
//! while an export is being captured (`beginSvg()` … `takeSvg()`) — and
//! [`on_canvas`], the one way the chart exports reach it.

use super::{js, JsResult};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Run a chart function on a canvas, sized by the canvas's own width/height.
/// Between `beginSvg()` and `takeSvg()` the same chart is rendered to an SVG
/// string of the canvas's size instead (see [`begin_svg`]).
pub(crate) fn on_canvas<F>(canvas: HtmlCanvasElement, draw: F) -> JsResult<()>
where
    F: for<'a> FnOnce(&DrawingArea<PageBackend<'a>, Shift>) -> crate::Result<()>,
{
    if canvas.width() < 50 || canvas.height() < 50 {
        return Err(JsError::new(
            "canvas is too small to draw on (needs ≥ 50×50 pixels)",
        ));
    }
    if svg_capturing() {
        return capture_svg(canvas.width(), canvas.height(), draw);
    }
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("cannot get a 2-D context from the canvas"))?;
    let root = PageBackend::Canvas(backend).into_drawing_area();
    draw(&root).map_err(js)?;
    root.present().map_err(|e| JsError::new(&e.to_string()))
}

/// The backend every page chart draws on: the canvas, or an SVG string when
/// an export asked for one. One enum (rather than a second set of `draw*`
/// functions) so each chart has exactly one drawing path for both.
pub enum PageBackend<'a> {
    /// Drawing on a `<canvas>`.
    Canvas(CanvasBackend),
    /// Drawing into an SVG string (export).
    Svg(SVGBackend<'a>),
}

/// A backend error, as text (the two backends' error types differ).
#[derive(Debug)]
pub struct PageBackendError(String);

impl std::fmt::Display for PageBackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PageBackendError {}

fn conv<E: std::error::Error + Send + Sync>(
    e: DrawingErrorKind<E>,
) -> DrawingErrorKind<PageBackendError> {
    match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(PageBackendError(e.to_string()))
        }
        DrawingErrorKind::FontError(f) => DrawingErrorKind::FontError(f),
    }
}

/// Forward one backend call to whichever backend is active.
macro_rules! both {
    ($self:expr, $b:ident => $call:expr) => {
        match $self {
            PageBackend::Canvas($b) => $call.map_err(conv),
            PageBackend::Svg($b) => $call.map_err(conv),
        }
    };
}

impl DrawingBackend for PageBackend<'_> {
    type ErrorType = PageBackendError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            PageBackend::Canvas(b) => b.get_size(),
            PageBackend::Svg(b) => b.get_size(),
        }
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.ensure_prepared())
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.present())
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.draw_pixel(point, color))
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.draw_line(from, to, style))
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.draw_rect(upper_left, bottom_right, style, fill))
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.draw_path(path, style))
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.draw_circle(center, radius, style, fill))
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.fill_polygon(vert, style))
    }
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.draw_text(text, style, pos))
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.estimate_text_size(text, style))
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<PageBackendError>> {
        both!(self, b => b.blit_bitmap(pos, size, src))
    }
}

thread_local! {
    /// `Some` while an SVG export is being captured; holds the last chart drawn.
    static SVG_CAPTURE: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn svg_capturing() -> bool {
    SVG_CAPTURE.with(|c| c.borrow().is_some())
}

fn capture_svg<F>(w: u32, h: u32, draw: F) -> JsResult<()>
where
    F: for<'a> FnOnce(&DrawingArea<PageBackend<'a>, Shift>) -> crate::Result<()>,
{
    let mut out = String::new();
    {
        let root = PageBackend::Svg(SVGBackend::with_string(&mut out, (w, h))).into_drawing_area();
        draw(&root).map_err(js)?;
        root.present().map_err(|e| JsError::new(&e.to_string()))?;
    }
    SVG_CAPTURE.with(|c| *c.borrow_mut() = Some(out));
    Ok(())
}

/// Start capturing: the next chart drawn on any canvas is rendered as SVG
/// (same size and content) instead of touching the canvas.
#[wasm_bindgen(js_name = beginSvg)]
pub fn begin_svg() {
    SVG_CAPTURE.with(|c| *c.borrow_mut() = Some(String::new()));
}

/// Stop capturing and return the SVG document of the last chart drawn since
/// `beginSvg()`.
///
/// # Errors
/// No chart was drawn in between.
#[wasm_bindgen(js_name = takeSvg)]
pub fn take_svg() -> JsResult<String> {
    match SVG_CAPTURE.with(|c| c.borrow_mut().take()) {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(JsError::new("no chart was drawn to export as SVG")),
    }
}
