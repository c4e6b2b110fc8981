//! The WebAssembly boundary — the only file with `#[wasm_bindgen]`.
//!
//! Thin by design: opaque handles ([`Matrix`]) and typed arrays in and out,
//! every core error turned into a JS `Error` with the core's message. A panic
//! hook records the panic message in `globalThis.__rnnscopePanic` (and the
//! console) before the trap, so the page's loader can report it and
//! re-instantiate the module (see `www/js/wasm.js`).

use crate::plot::{self, HeatmapOpts, SpectrumOpts};
use crate::{ensembles, io, linalg, Error};
use js_sys::Reflect;
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

type JsResult<T> = std::result::Result<T, JsError>;

fn js(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("rnnscope internal error (please report): {info}");
        let _ = Reflect::set(
            &js_sys::global(),
            &"__rnnscopePanic".into(),
            &msg.clone().into(),
        );
        web_sys::console::error_1(&msg.into());
    }));
}

/// Deliberately panic — used by the tests that prove a panic becomes a JS
/// error and the page recovers.
#[wasm_bindgen(js_name = debugPanic)]
pub fn debug_panic() {
    panic!("debugPanic called");
}

/// A dense matrix owned by WebAssembly memory (row-major).
#[wasm_bindgen]
pub struct Matrix {
    inner: Array2<f64>,
}

impl Matrix {
    pub(crate) fn wrap(inner: Array2<f64>) -> Matrix {
        Matrix { inner }
    }
}

#[wasm_bindgen]
impl Matrix {
    /// Build from row-major `data` of length `rows × cols`.
    #[wasm_bindgen(constructor)]
    pub fn new(rows: usize, cols: usize, data: &[f64]) -> JsResult<Matrix> {
        io::check_limits(&[rows, cols]).map_err(js)?;
        if rows.checked_mul(cols) != Some(data.len()) {
            return Err(JsError::new(&format!(
                "matrix data has {} numbers but {rows} × {cols} needs {}",
                data.len(),
                rows.saturating_mul(cols)
            )));
        }
        if let Some(i) = data.iter().position(|v| !v.is_finite()) {
            return Err(JsError::new(&format!(
                "entry ({}, {}) is {}; NaN and Inf are not allowed",
                i / cols.max(1) + 1,
                i % cols.max(1) + 1,
                data[i]
            )));
        }
        Array2::from_shape_vec((rows, cols), data.to_vec())
            .map(Matrix::wrap)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Parse an uploaded file's bytes (CSV or NPY, sniffed).
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> JsResult<Matrix> {
        io::read_matrix(bytes).map(Matrix::wrap).map_err(js)
    }

    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        self.inner.nrows()
    }

    #[wasm_bindgen(getter)]
    pub fn cols(&self) -> usize {
        self.inner.ncols()
    }

    /// Row-major copy of the entries.
    pub fn data(&self) -> Vec<f64> {
        self.inner.iter().copied().collect()
    }

    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self) -> String {
        io::write_csv(&self.inner)
    }

    #[wasm_bindgen(js_name = toNpy)]
    pub fn to_npy(&self) -> JsResult<Vec<u8>> {
        io::write_npy(&self.inner).map_err(js)
    }
}

/// Gaussian random connectivity W_ij ~ N(0, g²/N); `seed` is a BigInt.
#[wasm_bindgen(js_name = randomGaussian)]
pub fn random_gaussian(n: usize, g: f64, seed: u64) -> JsResult<Matrix> {
    ensembles::gaussian(n, g, seed)
        .map(Matrix::wrap)
        .map_err(js)
}

/// Eigenvalues of a square matrix, interleaved `[re0, im0, re1, im1, …]`.
#[wasm_bindgen]
pub fn eigenvalues(m: &Matrix) -> JsResult<Vec<f64>> {
    let ev = linalg::eigenvalues(&m.inner).map_err(js)?;
    Ok(ev.into_iter().flat_map(|(re, im)| [re, im]).collect())
}

fn pairs(interleaved: &[f64]) -> Vec<(f64, f64)> {
    interleaved.chunks_exact(2).map(|c| (c[0], c[1])).collect()
}

/// Run a chart function on a canvas, sized by the canvas's own width/height.
fn on_canvas<F>(canvas: HtmlCanvasElement, draw: F) -> JsResult<()>
where
    F: FnOnce(&DrawingArea<CanvasBackend, Shift>) -> crate::Result<()>,
{
    if canvas.width() < 50 || canvas.height() < 50 {
        return Err(JsError::new(
            "canvas is too small to draw on (needs ≥ 50×50 pixels)",
        ));
    }
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("cannot get a 2-D context from the canvas"))?;
    let root = backend.into_drawing_area();
    draw(&root).map_err(js)?;
    root.present().map_err(|e| JsError::new(&e.to_string()))
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
    linalg::spectral_radius(&pairs(eigs))
}

// ---- modularity ----

use crate::modularity::multilayer::Coupling;
use crate::modularity::{partition, synthetic};

/// Seeded synthetic activity (T × M) with planted, drifting modules.
#[wasm_bindgen(js_name = plantedActivity)]
pub fn planted_activity(
    units: usize,
    modules: usize,
    windows: usize,
    window: usize,
    drift: usize,
    noise: f64,
    seed: u64,
) -> JsResult<Matrix> {
    synthetic::planted_activity(units, modules, windows, window, drift, noise, seed)
        .map(|(x, _)| Matrix::wrap(x))
        .map_err(js)
}

/// Result of [`multilayer_activity`]: labels, Q, allegiance, flexibility.
#[wasm_bindgen]
pub struct Multilayer {
    r: crate::modularity::MultilayerResult,
    fc_mean: Array2<f64>,
    order: Vec<usize>,
    borders: Vec<usize>,
}

#[wasm_bindgen]
impl Multilayer {
    #[wasm_bindgen(getter)]
    pub fn q(&self) -> f64 {
        self.r.q
    }
    #[wasm_bindgen(getter)]
    pub fn layers(&self) -> usize {
        self.r.labels.len()
    }
    #[wasm_bindgen(getter)]
    pub fn nodes(&self) -> usize {
        self.r.flexibility.len()
    }
    #[wasm_bindgen(getter, js_name = nCommunities)]
    pub fn n_communities(&self) -> usize {
        self.r.n_communities
    }
    #[wasm_bindgen(getter, js_name = systemFlexibility)]
    pub fn system_flexibility(&self) -> f64 {
        self.r.system_flexibility
    }
    /// Labels, layer-major (L × N).
    pub fn labels(&self) -> Vec<f64> {
        self.r.labels.iter().flatten().map(|&v| v as f64).collect()
    }
    #[wasm_bindgen(js_name = communitiesPerLayer)]
    pub fn communities_per_layer(&self) -> Vec<f64> {
        self.r
            .communities_per_layer
            .iter()
            .map(|&v| v as f64)
            .collect()
    }
    /// Allegiance (N × N, row-major).
    pub fn allegiance(&self) -> Vec<f64> {
        self.r.allegiance.iter().copied().collect()
    }
    /// FC averaged over the windows (N × N, row-major).
    #[wasm_bindgen(js_name = fcMean)]
    pub fn fc_mean(&self) -> Vec<f64> {
        self.fc_mean.iter().copied().collect()
    }
    pub fn flexibility(&self) -> Vec<f64> {
        self.r.flexibility.clone()
    }
    /// Node order grouping the consensus communities of the allegiance.
    pub fn order(&self) -> Vec<f64> {
        self.order.iter().map(|&v| v as f64).collect()
    }
    /// Community borders in `order`.
    pub fn borders(&self) -> Vec<f64> {
        self.borders.iter().map(|&v| v as f64).collect()
    }
    pub fn warnings(&self) -> String {
        self.r.warnings.join("\n")
    }
}

/// Windowed FC → multilayer communities. `step` 0 = disjoint windows;
/// `categorical` couples all layers; `progress(done, total)` after each run.
#[wasm_bindgen(js_name = multilayerActivity)]
#[allow(clippy::too_many_arguments)]
pub fn multilayer_activity(
    activity: &Matrix,
    window: usize,
    step: usize,
    omega: f64,
    gamma_pos: f64,
    gamma_neg: f64,
    categorical: bool,
    runs: usize,
    seed: u64,
    progress: &js_sys::Function,
) -> JsResult<Multilayer> {
    let mut p = crate::modularity::ActivityParams::hebbff();
    p.window = window;
    p.step = (step > 0).then_some(step);
    p.multilayer.omega = omega;
    p.multilayer.gamma_pos = vec![gamma_pos];
    p.multilayer.gamma_neg = vec![gamma_neg];
    p.multilayer.runs = runs;
    p.multilayer.seed = seed;
    if categorical {
        p.multilayer.coupling = Coupling::Categorical;
    }
    let x = activity.inner.view();
    let fc = crate::modularity::windowed_fc(x, window, p.step).map_err(js)?;
    let mut r =
        crate::modularity::multilayer_from_layers(&fc.layers, &p.multilayer, &mut |d, t| {
            let _ = progress.call2(&JsValue::NULL, &(d as f64).into(), &(t as f64).into());
        })
        .map_err(js)?;
    r.warnings = fc.warnings;
    let l = fc.layers.len() as f64;
    let fc_mean = fc
        .layers
        .iter()
        .fold(Array2::zeros(fc.layers[0].dim()), |a, b| a + b)
        / l;
    let refs: Vec<&[usize]> = r.labels.iter().map(|v| v.as_slice()).collect();
    let cons = partition::consensus(&refs, 0.5, 5, seed).map_err(js)?;
    let (order, borders) = partition::order_by_community(&cons);
    Ok(Multilayer {
        r,
        fc_mean,
        order,
        borders,
    })
}

/// Activation statistics: [mean, std, skewness, excess kurtosis, mean
/// correlation, Gaussian entropy, ridge, #constant units].
#[wasm_bindgen(js_name = activityStats)]
pub fn activity_stats(activity: &Matrix, bins: usize) -> JsResult<ActivityStats> {
    crate::stats::activity_stats(activity.inner.view(), bins)
        .map(|s| ActivityStats { s })
        .map_err(js)
}

/// Activation statistics handle.
#[wasm_bindgen]
pub struct ActivityStats {
    s: crate::stats::ActivityStats,
}

#[wasm_bindgen]
impl ActivityStats {
    /// [mean, std, skewness, excess kurtosis, mean correlation, entropy, ridge].
    pub fn summary(&self) -> Vec<f64> {
        let s = &self.s;
        vec![
            s.mean,
            s.std,
            s.skewness,
            s.excess_kurtosis,
            s.mean_correlation,
            s.gaussian_entropy,
            s.entropy_ridge,
        ]
    }
    #[wasm_bindgen(js_name = activationEdges)]
    pub fn activation_edges(&self) -> Vec<f64> {
        self.s.activation_histogram.edges.clone()
    }
    #[wasm_bindgen(js_name = activationCounts)]
    pub fn activation_counts(&self) -> Vec<f64> {
        self.s
            .activation_histogram
            .counts
            .iter()
            .map(|&c| c as f64)
            .collect()
    }
    #[wasm_bindgen(js_name = correlationEdges)]
    pub fn correlation_edges(&self) -> Vec<f64> {
        self.s.correlation_histogram.edges.clone()
    }
    #[wasm_bindgen(js_name = correlationCounts)]
    pub fn correlation_counts(&self) -> Vec<f64> {
        self.s
            .correlation_histogram
            .counts
            .iter()
            .map(|&c| c as f64)
            .collect()
    }
    pub fn warnings(&self) -> String {
        self.s.warnings.join("\n")
    }
}

fn square(n: usize, data: &[f64]) -> JsResult<Array2<f64>> {
    Array2::from_shape_vec((n, n), data.to_vec()).map_err(|_| {
        JsError::new(&format!(
            "expected {n}×{n} = {} numbers, got {}",
            n * n,
            data.len()
        ))
    })
}

fn as_indices(v: &[f64], n: usize) -> JsResult<Vec<usize>> {
    v.iter()
        .map(|&x| {
            if x >= 0.0 && x.fract() == 0.0 && (x as usize) < n.max(1) * 1_000_000 {
                Ok(x as usize)
            } else {
                Err(JsError::new(&format!("bad index or label {x}")))
            }
        })
        .collect()
}

/// Heatmap of an N×N matrix with rows/columns in `order` and community `borders`.
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
    let ord = as_indices(order, n)?;
    if ord.len() != n || ord.iter().any(|&i| i >= n) {
        return Err(JsError::new("order must be a permutation of the nodes"));
    }
    let re = Array2::from_shape_fn((n, n), |(i, j)| m[[ord[i], ord[j]]]);
    let opts = HeatmapOpts {
        title: title.into(),
        x_label: "node (by community)".into(),
        y_label: "node".into(),
        borders: as_indices(borders, n)?,
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
    if layers == 0 || labels.len() % layers != 0 {
        return Err(JsError::new("labels must hold layers × nodes values"));
    }
    let n = labels.len() / layers;
    let lab = as_indices(labels, n * layers)?;
    let rows: Vec<Vec<usize>> = lab.chunks(n).map(|c| c.to_vec()).collect();
    let ord = as_indices(order, n)?;
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
