//! Charts, generic over plotters' [`DrawingBackend`]: the page draws them on a
//! `<canvas>` (plotters-canvas), the CLI and tests render SVG.
//!
//! Every chart function takes a `&DrawingArea<DB, Shift>` it fills completely
//! (background included), so callers choose the size and the backend.

pub mod colormap;
mod community;
mod heatmap;
mod lines;
mod motif_bars;
mod spectrum;
mod stream;
mod trajectory3d;

use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

pub use colormap::ColorMap;
pub use community::{bars, community_color, raster};
pub use heatmap::{auto_scale, heatmap, HeatmapOpts};
pub use lines::{lines, lines_in, Series};
pub use motif_bars::{level_color, motif_bars, motif_network, MotifBarsOpts, NETWORK_MAX_N};
pub use spectrum::{spectrum, SpectrumOpts};
pub use stream::stream;
pub use trajectory3d::{trajectory3d, Trajectory3dOpts};

/// Font family used by every chart.
pub const FONT: &str = "sans-serif";

/// Convert any plotters error into ours.
pub(crate) fn perr<E: std::fmt::Display>(e: E) -> Error {
    Error::Plot(e.to_string())
}

/// Render a chart to an SVG string of `w × h` pixels.
pub fn to_svg<F>(w: u32, h: u32, draw: F) -> Result<String>
where
    F: FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<()>,
{
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        draw(&root)?;
        root.present().map_err(perr)?;
    }
    Ok(out)
}

/// Min and max of finite values, or `(0, 1)` for none.
/// An autoscaled axis narrower than this (absolute) is float noise around a
/// constant (a network at rest reads 1e-180, not a "big oscillation"): it is
/// drawn as a flat line on a unit-wide axis instead. See [`widen_flat`].
pub(crate) const FLAT_SPAN: f64 = 1e-9;

/// Widen a (lo, hi) range narrower than max([`FLAT_SPAN`], 10⁻⁹·|centre|)
/// to a unit-wide (or 10 %-of-centre-wide) range around its centre, so that
/// numerically constant data is drawn flat with readable ticks.
pub(crate) fn widen_flat(lo: f64, hi: f64) -> (f64, f64) {
    let c = 0.5 * (lo + hi);
    let floor = FLAT_SPAN.max(c.abs() * 1e-9);
    if hi - lo >= floor {
        return (lo, hi);
    }
    let c = if c.abs() < FLAT_SPAN { 0.0 } else { c };
    let half = if c == 0.0 { 0.5 } else { 0.05 * c.abs() };
    (c - half, c + half)
}

/// Largest |coordinate| an axis spans. Plotters derives its tick step from
/// hi − lo by a loop that multiplies the step by ten until few ticks remain:
/// past f64::MAX that span is +inf and the loop never ends (and a NaN bound
/// fails its assertion, which in WebAssembly aborts the instance). Clamping
/// every axis bound to ±10³⁰⁷ keeps the span finite; data beyond the bound
/// is drawn at the axis edge.
pub(crate) const AXIS_LIMIT: f64 = 1e307;

/// An axis range plotters can draw: bounds clamped to ±[`AXIS_LIMIT`], a NaN
/// bound replaced by the other bound (or 0), and an empty range widened by
/// [`widen_flat`].
pub(crate) fn axis(lo: f64, hi: f64) -> std::ops::Range<f64> {
    let fix = |v: f64, other: f64| {
        let v = if v.is_nan() {
            if other.is_nan() {
                0.0
            } else {
                other
            }
        } else {
            v
        };
        v.clamp(-AXIS_LIMIT, AXIS_LIMIT)
    };
    let (lo, hi) = (fix(lo, hi), fix(hi, lo));
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        widen_flat(lo, lo)
    };
    lo..hi
}

/// The range of the finite values, each bound clamped to ±[`AXIS_LIMIT`]
/// (so the span and any 5–15 % padding stay finite), or (0, 1) if none is finite.
pub(crate) fn finite_range<'a>(vals: impl IntoIterator<Item = &'a f64>) -> (f64, f64) {
    let (lo, hi) = vals
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        (0.0, 1.0)
    } else {
        (
            lo.clamp(-AXIS_LIMIT, AXIS_LIMIT),
            hi.clamp(-AXIS_LIMIT, AXIS_LIMIT),
        )
    }
}
