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

// ---- training ----

/// A training run held in WebAssembly memory; the worker advances it in chunks.
#[wasm_bindgen]
pub struct Training {
    inner: crate::train::Trainer,
}

#[wasm_bindgen]
impl Training {
    /// New run. `task`: flipflop | sine | decision; `trial_steps = 0` and
    /// `input_noise < 0` pick the task's defaults; `l2_lambda > 0` adds λ·½‖W‖².
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        task: &str,
        n: usize,
        trial_steps: usize,
        batch: usize,
        lr: f64,
        input_noise: f64,
        truncate: usize,
        seed: u64,
        l2_lambda: f64,
    ) -> JsResult<Training> {
        use crate::train::{L2Penalty, TaskKind, TrainConfig, Trainer, WeightPenalty};
        let kind = TaskKind::parse(task).map_err(js)?;
        let mut cfg = TrainConfig::new(kind);
        cfg.n = n;
        if trial_steps > 0 {
            cfg.steps = trial_steps;
        }
        if input_noise >= 0.0 {
            cfg.input_noise = input_noise;
        }
        cfg.batch = batch;
        cfg.lr = lr;
        cfg.truncate = truncate;
        cfg.seed = seed;
        cfg.lambda = l2_lambda.max(0.0);
        let pen: Option<Box<dyn WeightPenalty>> =
            (l2_lambda > 0.0).then(|| Box::new(L2Penalty) as Box<dyn WeightPenalty>);
        Trainer::new(cfg, pen)
            .map(|inner| Training { inner })
            .map_err(js)
    }

    /// Run `k` iterations; returns `[iter, loss, accuracy, penalty, grad_norm]` per iteration.
    pub fn step(&mut self, k: usize) -> JsResult<Vec<f64>> {
        let mut out = Vec::with_capacity(5 * k);
        for _ in 0..k {
            let s = self.inner.step().map_err(js)?;
            out.extend([s.iter as f64, s.loss, s.accuracy, s.penalty, s.grad_norm]);
        }
        Ok(out)
    }

    /// `[loss, accuracy]` on `size` held-out trials drawn from `seed`.
    pub fn evaluate(&self, size: usize, seed: u64) -> JsResult<Vec<f64>> {
        let (l, a, _, _) = self.inner.evaluate(size, seed).map_err(js)?;
        Ok(vec![l, a])
    }

    /// One held-out trial: `[T, inputs, outputs, x (T×I), target (T×O), y (T×O), mask (T×O)]`.
    pub fn example(&self, seed: u64) -> JsResult<Vec<f64>> {
        let (_, _, b, y) = self.inner.evaluate(1, seed).map_err(js)?;
        let (t, i, o) = (y.len(), b.x[0].ncols(), b.target[0].ncols());
        let mut out = vec![t as f64, i as f64, o as f64];
        out.extend(b.x.iter().flat_map(|a| a.row(0).to_vec()));
        out.extend(b.target.iter().flat_map(|a| a.row(0).to_vec()));
        out.extend(y.iter().flat_map(|a| a.row(0).to_vec()));
        out.extend(b.mask.iter().flat_map(|a| a.row(0).to_vec()));
        Ok(out)
    }

    /// Recurrent weights W (row-major N × N, W[i][j] from j to i).
    pub fn weights(&self) -> Matrix {
        Matrix::wrap(self.inner.net.w.clone())
    }

    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> f64 {
        self.inner.iterations() as f64
    }
}

/// Line chart: `ys` holds `names.len()` series of `xs.len()` points back to back;
/// `names` separated by '\n'; `colors[k]` indexes the categorical palette for
/// series k (empty: 0, 1, 2, …). Non-finite points are skipped.
#[wasm_bindgen(js_name = drawLines)]
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
    let names: Vec<&str> = names.split('\n').collect();
    if xs.is_empty() || ys.len() != xs.len() * names.len() {
        return Err(JsError::new(&format!(
            "drawLines: {} y values for {} series of {} points",
            ys.len(),
            names.len(),
            xs.len()
        )));
    }
    let series: Vec<plot::Series> = names
        .iter()
        .enumerate()
        .map(|(k, nm)| plot::Series {
            name: nm.to_string(),
            xs: xs.to_vec(),
            ys: ys[k * xs.len()..(k + 1) * xs.len()].to_vec(),
            color: plot::colormap::CATEGORICAL[colors.get(k).map_or(k, |&c| c as usize) % 10],
            band: None,
        })
        .collect();
    on_canvas(canvas, |root| {
        plot::lines(root, title, x_label, y_label, &series)
    })
}
