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

// ---- dynamics ----

use crate::dynamics::{self as dyn_core, Activation, Input, NewtonOpts, Params, Simulator};

/// Draw W from a named ensemble (see `ensembles::Ensemble::from_kind`):
/// `gaussian`, `sparse` (a = p), `dale` (a = E fraction, b ≠ 0 balanced),
/// `lowrank` (a = rank, b = strength), `powerlaw` (a = α, b = overlap ρ),
/// `exponential` (a = κ, b = ρ), `flat` (b = ρ).
#[wasm_bindgen(js_name = makeEnsemble)]
pub fn make_ensemble(kind: &str, n: usize, g: f64, a: f64, b: f64, seed: u64) -> JsResult<Matrix> {
    ensembles::Ensemble::from_kind(kind, a, b)
        .and_then(|e| e.build(n, g, seed))
        .map(Matrix::wrap)
        .map_err(js)
}

/// Effective rank (PR of squared singular values) of a matrix.
#[wasm_bindgen(js_name = effectiveRank)]
pub fn effective_rank(m: &Matrix) -> JsResult<f64> {
    ensembles::effective_rank(&m.inner).map_err(js)
}

/// Fixed points by Newton from `starts` seeded starts. Returns a flat array:
/// `[count, n, then per point: stable (0/1), max Re λ, ‖F‖, ‖h*‖,
/// re0, im0, …, re(n−1), im(n−1)]` (Jacobian eigenvalues).
#[wasm_bindgen(js_name = fixedPoints)]
pub fn fixed_points(
    w: &Matrix,
    tau: f64,
    phi: &str,
    input: f64,
    starts: usize,
    seed: u64,
) -> JsResult<Vec<f64>> {
    let phi = Activation::parse(phi).map_err(js)?;
    let n = w.inner.nrows();
    let inp = if input != 0.0 { vec![input; n] } else { vec![] };
    let opts = NewtonOpts {
        starts,
        seed,
        ..Default::default()
    };
    let fps = dyn_core::find_fixed_points(&w.inner, tau, phi, &inp, &opts).map_err(js)?;
    let mut out = vec![fps.len() as f64, n as f64];
    for p in &fps {
        let norm = p.h.iter().map(|x| x * x).sum::<f64>().sqrt();
        out.extend([
            if p.stable { 1.0 } else { 0.0 },
            p.max_real,
            p.residual,
            norm,
        ]);
        out.extend(p.eigenvalues.iter().flat_map(|(re, im)| [*re, *im]));
    }
    Ok(out)
}

/// PR of simulated activity of W (seeded start, `burn` steps dropped,
/// `samples` states every `every` steps).
#[wasm_bindgen(js_name = activityPr)]
#[allow(clippy::too_many_arguments)]
pub fn activity_pr(
    w: &Matrix,
    tau: f64,
    dt: f64,
    sigma: f64,
    phi: &str,
    burn: usize,
    samples: usize,
    every: usize,
    seed: u64,
) -> JsResult<f64> {
    let params = Params {
        tau,
        dt,
        sigma,
        phi: Activation::parse(phi).map_err(js)?,
    };
    dyn_core::activity_pr(w.inner.clone(), params, burn, samples, every, seed)
        .map(|(pr, _)| pr)
        .map_err(js)
}

/// Participation ratio and explained variance of T × N activity:
/// `[PR, ev0, ev1, …]`.
#[wasm_bindgen(js_name = activityDimension)]
pub fn activity_dimension(x: &Matrix) -> JsResult<Vec<f64>> {
    let p = dyn_core::pca(&x.inner, 0).map_err(js)?;
    let mut out = vec![p.participation_ratio];
    out.extend(p.explained_variance);
    Ok(out)
}

/// Capacity of a live simulation's history (states kept for PCA / PR).
const HISTORY: usize = 240;

/// A live simulation kept in WebAssembly memory; the page steps it in chunks
/// per animation frame. It keeps the last [`HISTORY`] recorded states for PCA.
#[wasm_bindgen]
pub struct Simulation {
    sim: Simulator,
    history: Vec<f64>,
    head: usize,
    filled: usize,
    mean: Vec<f64>,
    axes: Vec<f64>,
    explained: Vec<f64>,
    total_var: f64,
}

#[wasm_bindgen]
impl Simulation {
    /// Start from a seeded random state h0 ~ N(0, 1).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        w: &Matrix,
        tau: f64,
        dt: f64,
        sigma: f64,
        phi: &str,
        input: f64,
        seed: u64,
    ) -> JsResult<Simulation> {
        let n = w.inner.nrows();
        Self::from_state(
            w,
            Simulator::random_state(n, 1.0, seed),
            tau,
            dt,
            sigma,
            phi,
            input,
            seed,
        )
    }

    /// Start from a given state h0 (e.g. to keep the state when τ or φ change).
    #[wasm_bindgen(js_name = fromState)]
    #[allow(clippy::too_many_arguments)]
    pub fn from_state(
        w: &Matrix,
        h0: Vec<f64>,
        tau: f64,
        dt: f64,
        sigma: f64,
        phi: &str,
        input: f64,
        seed: u64,
    ) -> JsResult<Simulation> {
        let n = w.inner.nrows();
        let params = Params {
            tau,
            dt,
            sigma,
            phi: Activation::parse(phi).map_err(js)?,
        };
        let inp = if input != 0.0 {
            Input::Constant(vec![input; n])
        } else {
            Input::None
        };
        let sim = Simulator::new(w.inner.clone(), h0, params, inp, seed).map_err(js)?;
        Ok(Simulation {
            sim,
            history: vec![0.0; HISTORY * n],
            head: 0,
            filled: 0,
            mean: vec![0.0; n],
            axes: vec![0.0; 2 * n],
            explained: vec![],
            total_var: 0.0,
        })
    }

    #[wasm_bindgen(getter)]
    pub fn n(&self) -> usize {
        self.sim.n()
    }

    #[wasm_bindgen(getter)]
    pub fn time(&self) -> f64 {
        self.sim.time()
    }

    /// Current state h (copy).
    pub fn state(&self) -> Vec<f64> {
        self.sim.state().to_vec()
    }

    #[wasm_bindgen(js_name = setSigma)]
    pub fn set_sigma(&mut self, sigma: f64) -> JsResult<()> {
        self.sim.set_sigma(sigma).map_err(js)
    }

    /// Constant input to every unit.
    #[wasm_bindgen(js_name = setInput)]
    pub fn set_input(&mut self, input: f64) -> JsResult<()> {
        let n = self.sim.n();
        let inp = if input != 0.0 {
            Input::Constant(vec![input; n])
        } else {
            Input::None
        };
        self.sim.set_input(inp).map_err(js)
    }

    /// Advance `k` steps without recording.
    pub fn step(&mut self, k: usize) -> JsResult<()> {
        self.sim.step(k).map_err(js)
    }

    /// Run `samples` × `every` steps; after each `every` steps store the state
    /// in the history and emit `[t, h_0 … h_{traces−1}, pc1, pc2]`
    /// (stride 3 + traces; PCs on the current axes, 0 before the first fit).
    #[wasm_bindgen(js_name = stepRecord)]
    pub fn step_record(
        &mut self,
        samples: usize,
        every: usize,
        traces: usize,
    ) -> JsResult<Vec<f64>> {
        let n = self.sim.n();
        let traces = traces.min(n);
        let mut out = Vec::with_capacity(samples * (3 + traces));
        for _ in 0..samples {
            self.sim.step(every.max(1)).map_err(js)?;
            let h = self.sim.state();
            self.history[self.head * n..(self.head + 1) * n].copy_from_slice(h);
            self.head = (self.head + 1) % HISTORY;
            self.filled = (self.filled + 1).min(HISTORY);
            out.push(self.sim.time());
            out.extend_from_slice(&h[..traces]);
            let (p1, p2) = self.project(h);
            out.extend([p1, p2]);
        }
        Ok(out)
    }

    fn project(&self, h: &[f64]) -> (f64, f64) {
        let n = h.len();
        let (mut a, mut b) = (0.0, 0.0);
        for i in 0..n {
            let d = h[i] - self.mean[i];
            a += d * self.axes[i];
            b += d * self.axes[n + i];
        }
        (a, b)
    }

    /// Fit PCA on the stored history; returns the participation ratio (NaN
    /// with fewer than 3 samples). Later `stepRecord` calls project on these axes.
    #[wasm_bindgen(js_name = fitPca)]
    pub fn fit_pca(&mut self) -> JsResult<f64> {
        let n = self.sim.n();
        if self.filled < 3 {
            return Ok(f64::NAN);
        }
        let x = Array2::from_shape_fn((self.filled, n), |(t, i)| {
            let row = (self.head + HISTORY - self.filled + t) % HISTORY;
            self.history[row * n + i]
        });
        let p = dyn_core::pca(&x, 2).map_err(js)?;
        self.mean = p.mean;
        self.axes.iter_mut().for_each(|v| *v = 0.0);
        for c in 0..p.components.nrows() {
            for i in 0..n {
                self.axes[c * n + i] = p.components[[c, i]];
            }
        }
        self.explained = p.explained_variance;
        self.total_var = p.eigenvalues.iter().sum();
        Ok(p.participation_ratio)
    }

    /// Total variance (sum of covariance eigenvalues) at the last fit.
    #[wasm_bindgen(getter, js_name = totalVariance)]
    pub fn total_variance(&self) -> f64 {
        self.total_var
    }

    /// Explained-variance ratios from the last fit.
    pub fn explained(&self) -> Vec<f64> {
        self.explained.clone()
    }

    /// The stored history projected on the current axes, `[pc1_0, pc2_0, pc1_1, …]` oldest first.
    #[wasm_bindgen(js_name = historyProjection)]
    pub fn history_projection(&self) -> Vec<f64> {
        let n = self.sim.n();
        (0..self.filled)
            .flat_map(|t| {
                let row = (self.head + HISTORY - self.filled + t) % HISTORY;
                let (a, b) = self.project(&self.history[row * n..(row + 1) * n]);
                [a, b]
            })
            .collect()
    }
}

const PALETTE: [(u8, u8, u8); 6] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
];

/// Line chart: `xs` shared, `ys` = `names.len()` series of `xs.len()` values
/// each, concatenated; names separated by `|` (empty: no legend).
#[wasm_bindgen(js_name = drawLines)]
pub fn draw_lines(
    canvas: HtmlCanvasElement,
    xs: &[f64],
    ys: &[f64],
    names: &str,
    title: &str,
    x_label: &str,
    y_label: &str,
) -> JsResult<()> {
    let names: Vec<&str> = names.split('|').collect();
    let len = xs.len();
    if len == 0 || ys.len() != len * names.len() {
        return Err(JsError::new(&format!(
            "drawLines: {} y values for {} series of {len} points",
            ys.len(),
            names.len()
        )));
    }
    let series: Vec<plot::Series> = names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let (r, g, b) = PALETTE[k % PALETTE.len()];
            plot::Series {
                name: name.to_string(),
                xs: xs.to_vec(),
                ys: ys[k * len..(k + 1) * len].to_vec(),
                color: RGBColor(r, g, b),
                band: None,
            }
        })
        .collect();
    on_canvas(canvas, |root| {
        plot::lines(root, title, x_label, y_label, &series)
    })
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
