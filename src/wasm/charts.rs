//! Generic chart exports: heatmaps, spectra, line charts (with bands),
//! trajectories, community heatmaps and rasters, bar charts, the HebbFF
//! stream preview. Each converts
//! its JS arguments, checks them, and calls one chart of [`crate::plot`] on
//! the page backend ([`on_canvas`]).

use super::backend::on_canvas;
use super::{as_indices, from_js, js, pairs, square, JsResult, Matrix};
use crate::hebbff::{RunParams, TaskParams};
use crate::plot::{self, HeatmapOpts, SpectrumOpts};
use ndarray::Array2;
use plotters::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Check that `order` is a permutation of `0..n` (`what` names it).
fn permutation(order: &[f64], n: usize, what: &str) -> JsResult<Vec<usize>> {
    let ord = as_indices(order, n, what)?;
    let mut seen = vec![false; n];
    if ord.len() != n || ord.iter().any(|&i| std::mem::replace(&mut seen[i], true)) {
        return Err(JsError::new(&format!(
            "{what} must be a permutation of the {n} nodes (got {} values)",
            ord.len()
        )));
    }
    Ok(ord)
}

/// Draw a matrix heatmap with colour bar.
#[wasm_bindgen(js_name = drawHeatmap)]
pub fn draw_heatmap(canvas: HtmlCanvasElement, m: &Matrix, title: &str) -> JsResult<()> {
    let opts = HeatmapOpts {
        title: title.into(),
        ..Default::default()
    };
    on_canvas(canvas, |root| plot::heatmap(root, &m.inner, &opts))
}

/// Draw eigenvalues (interleaved re/im) with the circle |λ| = `circle` (NaN: none).
#[wasm_bindgen(js_name = drawSpectrum)]
pub fn draw_spectrum(
    canvas: HtmlCanvasElement,
    eigs: &[f64],
    circle: f64,
    title: &str,
) -> JsResult<()> {
    let opts = SpectrumOpts {
        title: title.into(),
        circle: circle.is_finite().then_some(circle),
        ..Default::default()
    };
    on_canvas(canvas, |root| plot::spectrum(root, &pairs(eigs), &opts))
}

/// SVG of a matrix heatmap, for export.
#[wasm_bindgen(js_name = heatmapSvg)]
pub fn heatmap_svg(m: &Matrix, title: &str, width: u32, height: u32) -> JsResult<String> {
    let opts = HeatmapOpts {
        title: title.into(),
        ..Default::default()
    };
    plot::to_svg(width, height, |root| plot::heatmap(root, &m.inner, &opts)).map_err(js)
}

/// Spectral radius of interleaved eigenvalues.
#[wasm_bindgen(js_name = spectralRadius)]
pub fn spectral_radius(eigs: &[f64]) -> f64 {
    crate::linalg::spectral_radius(&pairs(eigs))
}

/// Split flat JS arrays into chart series: `ys` (and `bands`, if any) hold
/// one run of `xs.len()` values per name; `names` are '\n'-separated;
/// `colors[k]` indexes the categorical palette (default k).
pub(crate) fn flat_series(
    what: &str,
    xs: &[f64],
    ys: &[f64],
    bands: Option<&[f64]>,
    names: &str,
    colors: &[u32],
) -> JsResult<Vec<plot::Series>> {
    let names: Vec<&str> = names.split('\n').collect();
    let n = xs.len();
    if n == 0 || ys.len() != n * names.len() || bands.is_some_and(|b| b.len() != ys.len()) {
        return Err(JsError::new(&format!(
            "{what}: {} y values{} for {} series of {n} points",
            ys.len(),
            bands.map_or(String::new(), |b| format!(" and {} band values", b.len())),
            names.len(),
        )));
    }
    Ok(names
        .iter()
        .enumerate()
        .map(|(k, nm)| plot::Series {
            name: nm.to_string(),
            xs: xs.to_vec(),
            ys: ys[k * n..(k + 1) * n].to_vec(),
            color: plot::colormap::CATEGORICAL[colors.get(k).map_or(k, |&c| c as usize) % 10],
            band: bands.map(|b| b[k * n..(k + 1) * n].to_vec()),
            points: false,
        })
        .collect())
}

/// The flat JS arguments of one line chart (see [`flat_series`]).
struct Flat<'a> {
    xs: &'a [f64],
    ys: &'a [f64],
    bands: Option<&'a [f64]>,
    names: &'a str,
    colors: &'a [u32],
}

/// The line chart behind the `drawLines*` exports (`what` names the export in
/// errors): the series of `flat`, the y-axis fixed to `y_range` if given
/// (finite, low < high), plus filled markers `marks = (one y per x, legend
/// name)` if given; then drawn on `canvas`.
fn line_chart(
    canvas: HtmlCanvasElement,
    what: &str,
    (title, x_label, y_label): (&str, &str, &str),
    flat: Flat<'_>,
    y_range: Option<(f64, f64)>,
    marks: Option<(&[f64], &str)>,
) -> JsResult<()> {
    let Flat {
        xs,
        ys,
        bands,
        names,
        colors,
    } = flat;
    let mut series = flat_series(what, xs, ys, bands, names, colors)?;
    if let Some((y_min, y_max)) = y_range {
        if !(y_min.is_finite() && y_max.is_finite() && y_min < y_max) {
            return Err(JsError::new(&format!(
                "{what}: the y-range [{y_min}, {y_max}] needs finite y_min < y_max"
            )));
        }
    }
    if let Some((marks, mark_name)) = marks {
        if marks.len() != xs.len() {
            return Err(JsError::new(&format!(
                "{what}: {} marks for {} points",
                marks.len(),
                xs.len()
            )));
        }
        series.push(plot::Series {
            name: mark_name.to_string(),
            xs: xs.to_vec(),
            ys: marks.to_vec(),
            color: RGBColor(20, 20, 20),
            band: None,
            points: true,
        });
    }
    on_canvas(canvas, |root| {
        plot::lines_in(root, title, x_label, y_label, &series, y_range)
    })
}

/// Line chart: `ys` holds `names.len()` series of `xs.len()` points back to back;
/// `names` separated by '\n'; `colors[k]` indexes the categorical palette for
/// series k (empty: 0, 1, 2, …). Non-finite points are skipped.
#[wasm_bindgen(js_name = drawLines)]
#[allow(clippy::too_many_arguments)] // a flat JS signature: canvas, labels, typed arrays
pub fn draw_lines(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    xs: &[f64],
    ys: &[f64],
    names: &str,
    colors: &[u32],
) -> JsResult<()> {
    let flat = Flat {
        xs,
        ys,
        bands: None,
        names,
        colors,
    };
    let labels = (title, x_label, y_label);
    line_chart(canvas, "drawLines", labels, flat, None, None)
}

/// As `drawLines` with the y-axis fixed to [`y_min`, `y_max`] (values off it
/// are clamped to its edges), so a near-silent trace is not blown up to fill
/// the chart (the Dynamics panel's fixed y-range).
#[wasm_bindgen(js_name = drawLinesFixed)]
#[allow(clippy::too_many_arguments)] // a flat JS signature: canvas, labels, typed arrays
pub fn draw_lines_fixed(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    xs: &[f64],
    ys: &[f64],
    names: &str,
    colors: &[u32],
    y_min: f64,
    y_max: f64,
) -> JsResult<()> {
    let flat = Flat {
        xs,
        ys,
        bands: None,
        names,
        colors,
    };
    let labels = (title, x_label, y_label);
    let range = Some((y_min, y_max));
    line_chart(canvas, "drawLinesFixed", labels, flat, range, None)
}

/// A 2-D trajectory (x, y interleaved) drawn as a path.
#[wasm_bindgen(js_name = drawTrajectory)]
pub fn draw_trajectory(
    canvas: HtmlCanvasElement,
    xy: &[f64],
    title: &str,
    x_label: &str,
    y_label: &str,
) -> JsResult<()> {
    let p = pairs(xy);
    let series = [plot::Series {
        name: String::new(),
        xs: p.iter().map(|q| q.0).collect(),
        ys: p.iter().map(|q| q.1).collect(),
        color: RGBColor(31, 119, 180),
        band: None,
        points: false,
    }];
    on_canvas(canvas, |root| {
        plot::lines(root, title, x_label, y_label, &series)
    })
}

/// Eigenvalues with highlighted points (e.g. a fixed point's Jacobian
/// eigenvalues), the circle |λ| = `circle` and the line Re λ = `vline` (NaN: none).
#[wasm_bindgen(js_name = drawSpectrumWith)]
pub fn draw_spectrum_with(
    canvas: HtmlCanvasElement,
    eigs: &[f64],
    highlight: &[f64],
    circle: f64,
    vline: f64,
    title: &str,
) -> JsResult<()> {
    let opts = SpectrumOpts {
        title: title.into(),
        circle: circle.is_finite().then_some(circle),
        vline: vline.is_finite().then_some(vline),
        highlight: pairs(highlight),
    };
    on_canvas(canvas, |root| plot::spectrum(root, &pairs(eigs), &opts))
}

/// Heatmap of an N×N matrix with rows/columns in `order` (a permutation of
/// the nodes) and community `borders`.
#[wasm_bindgen(js_name = drawCommunityHeatmap)]
pub fn draw_community_heatmap(
    canvas: HtmlCanvasElement,
    n: usize,
    data: &[f64],
    order: &[f64],
    borders: &[f64],
    title: &str,
) -> JsResult<()> {
    let m = square(n, data)?;
    let ord = permutation(order, n, "order")?;
    let re = Array2::from_shape_fn((n, n), |(i, j)| m[[ord[i], ord[j]]]);
    let opts = HeatmapOpts {
        title: title.into(),
        x_label: "node (by community)".into(),
        y_label: "node".into(),
        borders: as_indices(borders, n + 1, "borders")?,
        ..Default::default()
    };
    on_canvas(canvas, |root| plot::heatmap(root, &re, &opts))
}

/// Layers × nodes community raster (labels layer-major, nodes in `order`).
#[wasm_bindgen(js_name = drawRaster)]
pub fn draw_raster(
    canvas: HtmlCanvasElement,
    layers: usize,
    labels: &[f64],
    order: &[f64],
    title: &str,
) -> JsResult<()> {
    if layers == 0 || !labels.len().is_multiple_of(layers) {
        return Err(JsError::new("labels must hold layers × nodes values"));
    }
    let n = labels.len() / layers;
    // Canonical labels of L × N node-layers are < L·N = labels.len().
    let lab = as_indices(labels, labels.len(), "labels")?;
    let rows: Vec<Vec<usize>> = lab.chunks(n.max(1)).map(|c| c.to_vec()).collect();
    let ord = permutation(order, n, "order")?;
    on_canvas(canvas, |root| plot::raster(root, &rows, &ord, title))
}

/// Bar chart: values at x0, x0 + width, … (flexibility, histograms).
#[wasm_bindgen(js_name = drawBars)]
pub fn draw_bars(
    canvas: HtmlCanvasElement,
    values: &[f64],
    x0: f64,
    width: f64,
    title: &str,
    x_label: &str,
    y_label: &str,
) -> JsResult<()> {
    on_canvas(canvas, |root| {
        plot::bars(root, values, x0, width, (title, x_label, y_label), None)
    })
}

/// A 3-D trajectory, `xyz` interleaved `[x0, y0, z0, x1, …]`, viewed from
/// `yaw_deg` around the vertical axis and `pitch_deg` above.
#[wasm_bindgen(js_name = drawTrajectory3d)]
pub fn draw_trajectory3d(
    canvas: HtmlCanvasElement,
    xyz: &[f64],
    title: &str,
    yaw_deg: f64,
    pitch_deg: f64,
) -> JsResult<()> {
    if !xyz.len().is_multiple_of(3) {
        return Err(JsError::new("drawTrajectory3d needs x, y, z triples"));
    }
    let pts: Vec<(f64, f64, f64)> = xyz.chunks_exact(3).map(|c| (c[0], c[1], c[2])).collect();
    let opts = plot::Trajectory3dOpts {
        title: title.into(),
        yaw: yaw_deg.to_radians(),
        pitch: pitch_deg.to_radians(),
        ..Default::default()
    };
    on_canvas(canvas, |root| plot::trajectory3d(root, &pts, &opts))
}

/// Line chart with a ± band per series: like `drawLines`, plus `bands` (same
/// layout as `ys`) drawn as a shaded region y ± band.
#[wasm_bindgen(js_name = drawLinesBands)]
#[allow(clippy::too_many_arguments)] // a flat JS signature: canvas, labels, typed arrays
pub fn draw_lines_bands(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    xs: &[f64],
    ys: &[f64],
    bands: &[f64],
    names: &str,
    colors: &[u32],
) -> JsResult<()> {
    let flat = Flat {
        xs,
        ys,
        bands: Some(bands),
        names,
        colors,
    };
    let labels = (title, x_label, y_label);
    line_chart(canvas, "drawLinesBands", labels, flat, None, None)
}

/// `drawLinesBands` plus filled markers at `marks` (one y value per x; NaN:
/// no mark) named `mark_name` in the legend — e.g. the levels where a test
/// computed by the core is significant.
#[wasm_bindgen(js_name = drawLinesBandsMarks)]
#[allow(clippy::too_many_arguments)] // a flat JS signature: canvas, labels, typed arrays
pub fn draw_lines_bands_marks(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    xs: &[f64],
    ys: &[f64],
    bands: &[f64],
    names: &str,
    colors: &[u32],
    marks: &[f64],
    mark_name: &str,
) -> JsResult<()> {
    let flat = Flat {
        xs,
        ys,
        bands: Some(bands),
        names,
        colors,
    };
    let labels = (title, x_label, y_label);
    let marks = Some((marks, mark_name));
    line_chart(canvas, "drawLinesBandsMarks", labels, flat, None, marks)
}

/// Draw `items` items of the seeded familiarity stream of `params` (the
/// [`crate::hebbff::RunParams`] object `runHebbffInstance` takes; its task fields `n`,
/// `r_min`, `r_max`, `p` and `seed`) with repeats marked; returns the
/// fraction of repeats.
///
/// # Errors
/// Bad task settings (named); `items` outside 1…2000.
#[wasm_bindgen(js_name = drawHebbStream)]
pub fn draw_hebb_stream(
    canvas: HtmlCanvasElement,
    params: JsValue,
    items: usize,
    title: &str,
) -> JsResult<f64> {
    let rp: RunParams = from_js("HebbFF parameters", params)?;
    let task = TaskParams {
        n: rp.n,
        r_min: rp.r_min,
        r_max: rp.r_max,
        p: rp.p,
    };
    crate::error::check_size("preview items", items, 1, 2000).map_err(js)?;
    let s = crate::hebbff::generate(&task, items, rp.seed).map_err(js)?;
    on_canvas(canvas, |root| {
        plot::stream(root, task.n, &s.x, &s.y, 40, title)
    })?;
    Ok(s.repeat_fraction())
}
