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
/// Between `beginSvg()` and `takeSvg()` the same chart is rendered to an SVG
/// string of the canvas's size instead (see the `product` section).
fn on_canvas<F>(canvas: HtmlCanvasElement, draw: F) -> JsResult<()>
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
    motif: crate::train::MotifPenalty,
}

#[wasm_bindgen]
impl Training {
    /// New run. `task`: flipflop | sine | decision; `trial_steps = 0` and
    /// `input_noise < 0` pick the task's defaults. `lambda > 0` adds a weight
    /// penalty: the motif regulariser when `motif_reg` is set (e.g.
    /// `level1:+1`, +1 = enrich), else λ·½‖W‖².
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
        lambda: f64,
        motif_reg: &str,
    ) -> JsResult<Training> {
        use crate::train::{
            L2Penalty, MotifPenalty, MotifRegSpec, TaskKind, TrainConfig, Trainer, WeightPenalty,
        };
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
        cfg.lambda = lambda.max(0.0);
        let spec = MotifRegSpec::parse(motif_reg).map_err(js)?;
        let motif = MotifPenalty::enrich(&spec, n);
        let pen: Option<Box<dyn WeightPenalty>> = if lambda <= 0.0 {
            None
        } else if spec.is_empty() {
            Some(Box::new(L2Penalty))
        } else {
            Some(Box::new(motif.clone()))
        };
        Trainer::new(cfg, pen)
            .map(|inner| Training { inner, motif })
            .map_err(js)
    }

    /// Soft motif counts of the current W grouped by stability level 1–3.
    #[wasm_bindgen(js_name = levelCounts)]
    pub fn level_counts(&self) -> JsResult<Vec<f64>> {
        self.motif
            .counts_by_level(&self.inner.net.w)
            .map(|c| c.to_vec())
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

/// Split flat JS arrays into chart series: `ys` (and `bands`, if any) hold
/// one run of `xs.len()` values per name; `names` are '\n'-separated;
/// `colors[k]` indexes the categorical palette (default k).
fn flat_series(
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
        })
        .collect())
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
    let series = flat_series("drawLines", xs, ys, None, names, colors)?;
    on_canvas(canvas, |root| {
        plot::lines(root, title, x_label, y_label, &series)
    })
}

// ---- motifs ----

use crate::motifs::{self as motif_core, Digraph, NullModel};

/// A directed graph for motif analysis (adjacency convention: edge i → j).
#[wasm_bindgen]
pub struct MotifGraph {
    inner: Digraph,
}

#[wasm_bindgen]
impl MotifGraph {
    /// Parse an uploaded file: an edge list (CSV with header
    /// `source,target[,weight]`) or a square matrix (CSV/NPY). With `rnn`, a
    /// matrix is read as W[i][j] = weight from j to i (edge j → i).
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8], rnn: bool) -> JsResult<MotifGraph> {
        use crate::io::edgelist::{is_edge_list, parse_edge_list};
        let inner = if is_edge_list(bytes) {
            if rnn {
                return Err(JsError::new(
                    "the RNN orientation applies to matrices; an edge list already says source → target",
                ));
            }
            let e = parse_edge_list(bytes).map_err(js)?;
            Digraph::from_edges(e.n, &e.edges).map_err(js)?
        } else {
            let m = io::read_square(bytes).map_err(js)?;
            let m = if rnn { m.t().to_owned() } else { m };
            Digraph::from_matrix(&m).map_err(js)?
        };
        Ok(MotifGraph { inner })
    }

    /// Random directed graph G(N, p), seeded (`seed` is a BigInt).
    pub fn random(n: usize, density: f64, seed: u64) -> JsResult<MotifGraph> {
        motif_core::erdos_renyi(n, density, seed)
            .map(|inner| MotifGraph { inner })
            .map_err(js)
    }

    /// Build from flattened edge pairs `[i0, j0, i1, j1, …]`.
    #[wasm_bindgen(js_name = fromEdges)]
    pub fn from_edges(n: usize, pairs: &[u32]) -> JsResult<MotifGraph> {
        if pairs.len() % 2 != 0 {
            return Err(JsError::new("edge pairs must have an even length"));
        }
        let e: Vec<_> = pairs
            .chunks_exact(2)
            .map(|c| (c[0] as usize, c[1] as usize, 1.0))
            .collect();
        Digraph::from_edges(n, &e)
            .map(|inner| MotifGraph { inner })
            .map_err(js)
    }

    #[wasm_bindgen(getter)]
    pub fn n(&self) -> usize {
        self.inner.n()
    }

    #[wasm_bindgen(getter)]
    pub fn m(&self) -> usize {
        self.inner.m()
    }

    /// Edges flattened `[i0, j0, i1, j1, …]`.
    pub fn edges(&self) -> Vec<u32> {
        self.inner
            .edges()
            .iter()
            .flat_map(|&(i, j, _)| [i, j])
            .collect()
    }

    /// Census: `[13 counts, then 13 × N participation row-major]`.
    pub fn census(&self) -> JsResult<Vec<f64>> {
        let c = motif_core::census(&self.inner).map_err(js)?;
        let mut out: Vec<f64> = c.counts.iter().map(|&v| v as f64).collect();
        out.extend(c.per_node.iter().map(|&v| v as f64));
        Ok(out)
    }

    /// Weighted census: `[13 intensities, 13 coherences]`.
    pub fn weighted(&self) -> JsResult<Vec<f64>> {
        let w = motif_core::weighted_census(&self.inner).map_err(js)?;
        Ok(w.intensity
            .iter()
            .chain(w.coherence.iter())
            .copied()
            .collect())
    }

    /// Counts of null samples `start .. start + count`, flattened 13 per sample.
    /// `model` is "swap" or "er". Sample k is the same whichever chunk computes it.
    #[wasm_bindgen(js_name = nullSamples)]
    pub fn null_samples(
        &self,
        model: &str,
        seed: u64,
        start: u32,
        count: u32,
    ) -> JsResult<Vec<f64>> {
        let model: NullModel = model.parse().map_err(js)?;
        let mut out = Vec::with_capacity(13 * count as usize);
        for k in start..start.saturating_add(count) {
            let c =
                motif_core::null_sample_counts(&self.inner, model, seed, k as u64).map_err(js)?;
            out.extend(c.iter().map(|&v| v as f64));
        }
        Ok(out)
    }

    /// Up to `limit` instances of motif index `m` (0–12), flattened triples.
    pub fn instances(&self, m: usize, limit: usize) -> JsResult<Vec<u32>> {
        let t = motif_core::instances(&self.inner, m, limit).map_err(js)?;
        Ok(t.iter().flatten().map(|&u| u as u32).collect())
    }
}

/// Null statistics of `observed` (13 counts) against `samples` (13 per
/// sample): `[mean ×13, std ×13, z ×13, profile ×13]`; undefined z (zero
/// null variance) is NaN — the page shows it as "n/a".
#[wasm_bindgen(js_name = motifNullStats)]
pub fn motif_null_stats(observed: &[f64], samples: &[f64]) -> JsResult<Vec<f64>> {
    if observed.len() != 13 || samples.len() % 13 != 0 {
        return Err(JsError::new(
            "observed needs 13 counts and samples a multiple of 13",
        ));
    }
    let obs: [u64; 13] = std::array::from_fn(|m| observed[m].max(0.0) as u64);
    let s: Vec<[u64; 13]> = samples
        .chunks_exact(13)
        .map(|c| std::array::from_fn(|m| c[m].max(0.0) as u64))
        .collect();
    let st = motif_core::null_stats(&obs, &s).map_err(js)?;
    let mut out = Vec::with_capacity(52);
    out.extend(st.mean);
    out.extend(st.std);
    out.extend(st.z.iter().map(|z| z.unwrap_or(f64::NAN)));
    out.extend(st.profile.iter().map(|z| z.unwrap_or(f64::NAN)));
    Ok(out)
}

/// The motif table as JSON text (not a hot path): id, name, edges, level, conditions.
#[wasm_bindgen(js_name = motifTable)]
pub fn motif_table() -> String {
    let levels = motif_core::motif_levels();
    let rows: Vec<serde_json::Value> = motif_core::MOTIFS
        .iter()
        .enumerate()
        .map(|(m, t)| {
            serde_json::json!({
                "id": t.id, "name": t.name,
                "edges": t.edges.iter().map(|&(a, b)| [a, b]).collect::<Vec<_>>(),
                "level": levels[m],
                "conditions": motif_core::level_conditions(levels[m]),
            })
        })
        .collect();
    serde_json::Value::Array(rows).to_string()
}

/// Draw 13 values as a bar chart coloured by stability level with motif
/// glyphs; `selected` < 0 for none. Returns `[left, right]`, the plot's
/// x-range in canvas pixels, for mapping clicks to motifs.
#[wasm_bindgen(js_name = drawMotifBars)]
pub fn draw_motif_bars(
    canvas: HtmlCanvasElement,
    values: &[f64],
    title: &str,
    y_label: &str,
    log: bool,
    selected: i32,
) -> JsResult<Vec<f64>> {
    if values.len() != 13 {
        return Err(JsError::new("drawMotifBars needs 13 values"));
    }
    let v: [f64; 13] = std::array::from_fn(|m| values[m]);
    let opts = plot::MotifBarsOpts {
        title: title.into(),
        y_label: y_label.into(),
        log,
        selected: usize::try_from(selected).ok().filter(|&s| s < 13),
    };
    let mut range = (0.0, 0.0);
    on_canvas(canvas, |root| {
        range = plot::motif_bars(root, &v, &opts)?;
        Ok(())
    })?;
    Ok(vec![range.0, range.1])
}

/// Draw a small network (N ≤ 300) on a circle, highlighting instance triples
/// (flattened) in the colour of `level`.
#[wasm_bindgen(js_name = drawMotifNetwork)]
pub fn draw_motif_network(
    canvas: HtmlCanvasElement,
    n: usize,
    edges: &[u32],
    triples: &[u32],
    level: u8,
    title: &str,
) -> JsResult<()> {
    let e: Vec<(usize, usize)> = edges
        .chunks_exact(2)
        .map(|c| (c[0] as usize, c[1] as usize))
        .collect();
    let t: Vec<[usize; 3]> = triples
        .chunks_exact(3)
        .map(|c| [c[0] as usize, c[1] as usize, c[2] as usize])
        .collect();
    on_canvas(canvas, |root| {
        plot::motif_network(root, n, &e, &t, level, title)
    })
}

/// Draw the 13 × N participation table (row-major) as a heatmap with motif/node axis labels.
#[wasm_bindgen(js_name = drawMotifParticipation)]
pub fn draw_motif_participation(
    canvas: HtmlCanvasElement,
    n: usize,
    data: &[f64],
    title: &str,
) -> JsResult<()> {
    let m = Array2::from_shape_vec((13, n), data.to_vec()).map_err(|_| {
        JsError::new(&format!(
            "participation needs 13 × {n} = {} numbers, got {}",
            13 * n,
            data.len()
        ))
    })?;
    let opts = HeatmapOpts {
        title: title.into(),
        x_label: "node u".into(),
        y_label: "motif id − 1".into(),
        ..Default::default()
    };
    on_canvas(canvas, |root| plot::heatmap(root, &m, &opts))
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
            axes: vec![0.0; 3 * n],
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
        let (pc1, pc2) = self.axes.split_at(n);
        h.iter().zip(&self.mean).zip(pc1.iter().zip(pc2)).fold(
            (0.0, 0.0),
            |(a, b), ((x, m), (u, v))| {
                let d = x - m;
                (a + d * u, b + d * v)
            },
        )
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
        // Three axes: the 2-D view uses the first two, the 3-D view all three.
        let p = dyn_core::pca(&x, 3).map_err(js)?;
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

// ---- hebbff ----

use crate::hebbff::study::{
    across_instance_correlation, band, learning_modes, mediation, snapshot_metrics,
    within_window_correlation, AnalysisParams, InstanceResult, Metric, Record, SnapshotMetrics,
};
use crate::hebbff::{DataMode, HebbParams, HebbTrainer, TaskParams};

/// Values per snapshot in [`HebbffRun::snapshot`] and [`HebbffStudy::add`]:
/// epoch, accuracy, loss, λ, η, Q, #communities, flexibility, mean activation,
/// skewness, excess kurtosis, mean correlation, entropy.
pub const HEBB_SNAPSHOT_LEN: usize = 13;

fn snapshot_row(s: &SnapshotMetrics) -> [f64; HEBB_SNAPSHOT_LEN] {
    [
        s.epoch as f64,
        s.accuracy,
        s.loss,
        s.lam,
        s.eta,
        s.q,
        s.n_communities as f64,
        s.system_flexibility,
        s.mean_activation,
        s.skewness,
        s.excess_kurtosis,
        s.mean_correlation,
        s.entropy,
    ]
}

/// A HebbFF training run with per-snapshot network analysis, advanced by the worker.
#[wasm_bindgen]
pub struct HebbffRun {
    tr: HebbTrainer,
    ap: AnalysisParams,
    analyse: bool,
    last: Option<(SnapshotMetrics, Vec<f64>)>,
}

#[wasm_bindgen]
impl HebbffRun {
    /// New run. `data`: "fresh" or "fixed"; `seq_len`, `epochs`, `eval_every`
    /// of 0 take the mode's defaults (fresh: 100, 1500, 50; fixed: 2500, 1000, 10).
    /// `analyse = false` records accuracy only.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        n: usize,
        m: usize,
        r_min: usize,
        r_max: usize,
        p: f64,
        data: &str,
        seq_len: usize,
        epochs: usize,
        lr: f64,
        eval_every: usize,
        test_len: usize,
        window: usize,
        runs: usize,
        seed: u64,
        analyse: bool,
    ) -> JsResult<HebbffRun> {
        let mut hp = match data {
            "fresh" => HebbParams::default(),
            "fixed" => HebbParams::study(),
            d => {
                return Err(JsError::new(&format!(
                    "parameter `data`: expected fresh or fixed, got {d:?}"
                )))
            }
        };
        hp.task = TaskParams { n, r_min, r_max, p };
        hp.m = m;
        hp.lr = lr;
        hp.test_len = test_len;
        hp.seed = seed;
        if seq_len > 0 {
            hp.seq_len = seq_len;
        }
        if epochs > 0 {
            hp.epochs = epochs;
        }
        if eval_every > 0 {
            hp.eval_every = eval_every;
        }
        if hp.data == DataMode::Fixed && hp.seq_len > 20_000 {
            return Err(JsError::new(
                "parameter `seq_len`: at most 20000 in the page",
            ));
        }
        if analyse && window > test_len {
            return Err(JsError::new(&format!(
                "parameter `window`: {window} is longer than the held-out stream ({test_len})"
            )));
        }
        let mut ap = AnalysisParams {
            keep_allegiance: true,
            ..AnalysisParams::default()
        };
        ap.activity.window = window;
        ap.activity.multilayer.runs = runs;
        ap.record = Record::Pre;
        let tr = HebbTrainer::new(hp).map_err(js)?;
        Ok(HebbffRun {
            tr,
            ap,
            analyse,
            last: None,
        })
    }

    /// Run up to `k` epochs, stopping early when a snapshot is due; returns
    /// `[epoch, train loss, train accuracy]` per epoch run.
    pub fn step(&mut self, k: usize) -> JsResult<Vec<f64>> {
        let mut out = Vec::with_capacity(3 * k);
        for _ in 0..k {
            if self.tr.finished() {
                break;
            }
            let pass = self.tr.step().map_err(js)?;
            out.extend([self.tr.epoch() as f64, pass.loss, pass.accuracy]);
            if self.tr.snapshot_due() {
                break;
            }
        }
        Ok(out)
    }

    #[wasm_bindgen(getter)]
    pub fn epoch(&self) -> usize {
        self.tr.epoch()
    }
    #[wasm_bindgen(getter)]
    pub fn epochs(&self) -> usize {
        self.tr.params.epochs
    }
    #[wasm_bindgen(getter)]
    pub fn finished(&self) -> bool {
        self.tr.finished()
    }
    #[wasm_bindgen(getter, js_name = snapshotDue)]
    pub fn snapshot_due(&self) -> bool {
        self.tr.snapshot_due()
    }
    #[wasm_bindgen(getter)]
    pub fn hidden(&self) -> usize {
        self.tr.params.m
    }

    /// Evaluate on the held-out stream and analyse it: the [`HEBB_SNAPSHOT_LEN`]
    /// values (network fields NaN without analysis).
    pub fn snapshot(&mut self) -> JsResult<Vec<f64>> {
        let s = self.tr.snapshot().map_err(js)?;
        let m = self.tr.params.m;
        let metrics = if self.analyse {
            snapshot_metrics(&s, m, &self.ap).map_err(js)?
        } else {
            SnapshotMetrics::accuracy_only(&s)
        };
        let row = snapshot_row(&metrics).to_vec();
        self.last = Some((metrics, s.pre));
        Ok(row)
    }

    /// Allegiance of the last snapshot (M × M row-major; empty without analysis).
    #[wasm_bindgen(js_name = lastAllegiance)]
    pub fn last_allegiance(&self) -> Vec<f64> {
        self.last
            .as_ref()
            .and_then(|(s, _)| s.allegiance.clone())
            .unwrap_or_default()
    }

    /// `[order (M)…, borders…]` of the last snapshot's consensus communities.
    #[wasm_bindgen(js_name = lastOrder)]
    pub fn last_order(&self) -> Vec<f64> {
        self.last
            .as_ref()
            .and_then(|(s, _)| s.order.as_ref())
            .map(|(o, b)| o.iter().chain(b).map(|&v| v as f64).collect())
            .unwrap_or_default()
    }

    /// Activation histogram of the last snapshot: `[edges (B+1)…, counts (B)…]`.
    #[wasm_bindgen(js_name = lastHistogram)]
    pub fn last_histogram(&self) -> Vec<f64> {
        self.last
            .as_ref()
            .and_then(|(s, _)| s.activation_histogram.as_ref())
            .map(|(e, c)| {
                e.iter()
                    .copied()
                    .chain(c.iter().map(|&v| v as f64))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Hidden pre-activations a(t) of the last snapshot (T × M), for the modularity panel.
    #[wasm_bindgen(js_name = lastActivity)]
    pub fn last_activity(&self) -> JsResult<Matrix> {
        let (_, pre) = self
            .last
            .as_ref()
            .ok_or_else(|| JsError::new("no snapshot has been taken yet"))?;
        let m = self.tr.params.m;
        Array2::from_shape_vec((pre.len() / m, m), pre.clone())
            .map(Matrix::wrap)
            .map_err(|e| JsError::new(&e.to_string()))
    }
}

/// Draw `t` items of a seeded familiarity stream with repeats marked.
#[wasm_bindgen(js_name = drawHebbStream)]
#[allow(clippy::too_many_arguments)]
pub fn draw_hebb_stream(
    canvas: HtmlCanvasElement,
    n: usize,
    r_min: usize,
    r_max: usize,
    p: f64,
    t: usize,
    seed: u64,
    title: &str,
) -> JsResult<f64> {
    let task = TaskParams { n, r_min, r_max, p };
    crate::error::check_size("preview items", t, 1, 2000).map_err(js)?;
    let s = crate::hebbff::generate(&task, t, seed).map_err(js)?;
    on_canvas(canvas, |root| plot::stream(root, n, &s.x, &s.y, 40, title))?;
    Ok(s.repeat_fraction())
}

/// Instances of a study gathered in the page (from a pool of workers), and the
/// study's analyses over them.
#[wasm_bindgen]
#[derive(Default)]
pub struct HebbffStudy {
    inst: Vec<InstanceResult>,
}

fn metric_at(k: usize) -> JsResult<Metric> {
    Metric::ALL
        .get(k)
        .copied()
        .ok_or_else(|| JsError::new(&format!("metric index {k} is not 0..{}", Metric::ALL.len())))
}

fn band_flat(b: crate::hebbff::study::Band) -> Vec<f64> {
    b.x.into_iter().chain(b.mean).chain(b.sd).collect()
}

#[wasm_bindgen]
impl HebbffStudy {
    #[wasm_bindgen(constructor)]
    pub fn new() -> HebbffStudy {
        HebbffStudy::default()
    }

    /// Add one instance: its snapshots as rows of [`HEBB_SNAPSHOT_LEN`] values.
    pub fn add(&mut self, seed: u64, rows: &[f64]) -> JsResult<()> {
        if rows.is_empty() || rows.len() % HEBB_SNAPSHOT_LEN != 0 {
            return Err(JsError::new(&format!(
                "an instance needs rows of {HEBB_SNAPSHOT_LEN} values, got {}",
                rows.len()
            )));
        }
        let snaps: Vec<SnapshotMetrics> = rows
            .chunks(HEBB_SNAPSHOT_LEN)
            .map(|r| SnapshotMetrics {
                epoch: r[0].max(0.0) as usize,
                accuracy: r[1],
                loss: r[2],
                lam: r[3],
                eta: r[4],
                q: r[5],
                n_communities: r[6].max(0.0) as usize,
                system_flexibility: r[7],
                mean_activation: r[8],
                skewness: r[9],
                excess_kurtosis: r[10],
                mean_correlation: r[11],
                entropy: r[12],
                allegiance: None,
                order: None,
                activation_histogram: None,
            })
            .collect();
        self.inst
            .push(InstanceResult::from_snapshots(seed, snaps, None));
        Ok(())
    }

    #[wasm_bindgen(getter)]
    pub fn instances(&self) -> usize {
        self.inst.len()
    }

    /// Metric `k` (index in [`Metric::ALL`]) over epochs: `[x…, mean…, sd…]`.
    pub fn band(&self, k: usize) -> JsResult<Vec<f64>> {
        band(&self.inst, metric_at(k)?).map(band_flat).map_err(js)
    }

    /// Within-instance correlation with accuracy over windows of `window` snapshots.
    #[wasm_bindgen(js_name = withinCorrelation)]
    pub fn within_correlation(&self, k: usize, window: usize) -> JsResult<Vec<f64>> {
        within_window_correlation(&self.inst, metric_at(k)?, window)
            .map(band_flat)
            .map_err(js)
    }

    /// Across-instance correlation with accuracy at each snapshot: `[x…, r…, 0…]`.
    #[wasm_bindgen(js_name = acrossCorrelation)]
    pub fn across_correlation(&self, k: usize) -> JsResult<Vec<f64>> {
        across_instance_correlation(&self.inst, metric_at(k)?)
            .map(band_flat)
            .map_err(js)
    }

    /// Learning modes: `[mode per instance…, plateau epochs per instance…]`.
    pub fn modes(&self, chance: f64) -> JsResult<Vec<f64>> {
        let m = learning_modes(&self.inst, chance).map_err(js)?;
        Ok(m.mode
            .iter()
            .map(|&v| v as f64)
            .chain(m.plateau_epochs.iter().map(|&v| v as f64))
            .collect())
    }

    /// Mediation strength → Q → accuracy: `[a, b, c, c′, b|x, indirect]` betas
    /// followed by their p-values (indirect: NaN).
    pub fn mediation(&self) -> JsResult<Vec<f64>> {
        let m = mediation(&self.inst, 0).map_err(js)?;
        let e = [&m.a, &m.b, &m.c, &m.c_prime, &m.b_given_x];
        Ok(e.iter()
            .map(|x| x.beta)
            .chain([m.indirect])
            .chain(e.iter().map(|x| x.p))
            .chain([f64::NAN])
            .collect())
    }
}

// ---- product ----
// SVG export of every chart, the 3-D PCA trajectory, and the live
// simulation's activity for other panels.

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use std::cell::RefCell;

/// The backend every page chart draws on: the canvas, or an SVG string when
/// an export asked for one. One enum (rather than a second set of `draw*`
/// functions) so each chart has exactly one drawing path for both.
pub enum PageBackend<'a> {
    Canvas(CanvasBackend),
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
    if xyz.len() % 3 != 0 {
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

#[wasm_bindgen]
impl Simulation {
    /// The stored history on the first three axes of the last fit,
    /// `[pc1_0, pc2_0, pc3_0, pc1_1, …]` oldest first (0 before the first fit).
    #[wasm_bindgen(js_name = historyProjection3d)]
    pub fn history_projection3d(&self) -> Vec<f64> {
        let n = self.sim.n();
        let axis = |c: usize| &self.axes[c * n..(c + 1) * n];
        (0..self.filled)
            .flat_map(|t| {
                let row = (self.head + HISTORY - self.filled + t) % HISTORY;
                let h = &self.history[row * n..(row + 1) * n];
                let dot = |u: &[f64]| -> f64 {
                    h.iter()
                        .zip(&self.mean)
                        .zip(u)
                        .map(|((x, m), a)| (x - m) * a)
                        .sum()
                };
                [dot(axis(0)), dot(axis(1)), dot(axis(2))]
            })
            .collect()
    }

    /// The stored history as a T × N activity matrix (oldest first), for
    /// analyses in other panels.
    ///
    /// # Errors
    /// Fewer than 2 samples recorded.
    #[wasm_bindgen(js_name = historyActivity)]
    pub fn history_activity(&self) -> JsResult<Matrix> {
        let n = self.sim.n();
        if self.filled < 2 {
            return Err(JsError::new(
                "the simulation has recorded fewer than 2 states",
            ));
        }
        let x = Array2::from_shape_fn((self.filled, n), |(t, i)| {
            let row = (self.head + HISTORY - self.filled + t) % HISTORY;
            self.history[row * n + i]
        });
        Ok(Matrix::wrap(x))
    }
}

// ---- training experiments ----

/// The poster's two experiments (`train::experiments`): groups of
/// motif-regularized networks trained in chunks in the worker, then the noise
/// sweep and the perturbation experiment as one JSON report.
#[wasm_bindgen]
pub struct TrainExperiment {
    inner: crate::train::Experiment,
}

#[wasm_bindgen]
impl TrainExperiment {
    /// New experiment. `groups`: one motif-regularisation spec per line
    /// (`level1:+1\nlevel3:+1`; `none` = unregularized); `noise_levels`: the
    /// sweep's input-noise σ values; `kick`: ‖δh‖ = kick·√N, added at step 50
    /// and followed for 100 steps (4 trials × 8 kicks, 3 PCs). Other settings
    /// as `ExperimentParams::default()`.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)] // a flat JS signature of numbers
    pub fn new(
        task: &str,
        n: usize,
        seeds: usize,
        iters: u32,
        batch: usize,
        lr: f64,
        lambda: f64,
        seed: u64,
        groups: &str,
        noise_levels: &[f64],
        test_trials: usize,
        kick: f64,
    ) -> JsResult<TrainExperiment> {
        let kind = crate::train::TaskKind::parse(task).map_err(js)?;
        let params = crate::train::ExperimentParams {
            task: kind,
            n,
            seeds,
            iters: u64::from(iters),
            batch,
            lr,
            lambda,
            input_noise: kind.defaults().1,
            seed,
            groups: groups.lines().map(str::to_string).collect(),
            noise_levels: noise_levels.to_vec(),
            test_trials,
            kick,
            ..Default::default()
        };
        crate::train::Experiment::new(params)
            .map(|inner| TrainExperiment { inner })
            .map_err(js)
    }

    /// Up to `k` more Adam steps (network after network); returns the steps done.
    pub fn advance(&mut self, k: u32) -> JsResult<f64> {
        self.inner
            .advance(u64::from(k))
            .map(|d| d as f64)
            .map_err(js)
    }

    /// Adam steps of all networks together.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> f64 {
        self.inner.total_iterations() as f64
    }

    /// The full report as JSON text (small; not a hot path): networks with
    /// motif counts by level, group means, `noise` and `perturbation` curves
    /// with sd and sem across networks.
    pub fn report(&self) -> JsResult<String> {
        let r = self.inner.report(true, true).map_err(js)?;
        serde_json::to_string(&r).map_err(|e| JsError::new(&e.to_string()))
    }
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
    let series = flat_series("drawLinesBands", xs, ys, Some(bands), names, colors)?;
    on_canvas(canvas, |root| {
        plot::lines(root, title, x_label, y_label, &series)
    })
}

// ---- bench ----
// Thin entry points for `make bench` (scripts/bench/wasm.mjs): the same core
// calls examples/bench.rs times natively, so native and WASM do equal work.

/// Signed Louvain (BCT negative_asym), one run: returns `[Q, #communities]`.
#[wasm_bindgen(js_name = benchLouvain)]
pub fn bench_louvain(w: &Matrix, gamma: f64, seed: u64) -> JsResult<Vec<f64>> {
    let r = crate::modularity::community_louvain(
        &w.inner,
        gamma,
        crate::modularity::Signed::Asym,
        1,
        seed,
    )
    .map_err(js)?;
    Ok(vec![r.q, r.n_communities as f64])
}

/// Multilayer Louvain on the positive part of windowed FC (disjoint windows),
/// ordinal coupling ω, one run: returns `[Q, #communities, #layers]`.
#[wasm_bindgen(js_name = benchMultilayer)]
pub fn bench_multilayer(
    activity: &Matrix,
    window: usize,
    omega: f64,
    seed: u64,
) -> JsResult<Vec<f64>> {
    let layers: Vec<Array2<f64>> =
        crate::modularity::windowed_fc(activity.inner.view(), window, None)
            .map_err(js)?
            .layers
            .into_iter()
            .map(|l| l.mapv(|v| v.max(0.0)))
            .collect();
    let p = crate::modularity::multilayer::MultilayerParams {
        omega,
        runs: 1,
        seed,
        ..Default::default()
    };
    let r = crate::modularity::multilayer_from_layers(&layers, &p, &mut |_, _| {}).map_err(js)?;
    Ok(vec![r.q, r.n_communities as f64, layers.len() as f64])
}

// HebbFF training epoch: hook. src/hebbff/ (see the hebbff section) is not
// timed by `make bench` yet: add `benchHebbffEpoch(...)` here, time it in
// scripts/bench/wasm.mjs and examples/bench.rs.
