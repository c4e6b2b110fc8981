//! Learning-regime exports: a curl-descent run (the core's [`curl::run`],
//! Ninou, Kadmon & Cayco-Gajic 2025) and one rich/lazy training run per
//! initial W₀ (the core's [`richlazy::run`], Liu et al. 2024), plus the
//! Spearman trend the page reports across ranks.
//!
//! Params cross as one plain JS object with the CLI's flag names in
//! snake_case; results as the core structs serialised to plain objects (the
//! CLI's JSON keys), with bulk numbers also as typed arrays.

use super::{from_js, js, to_js, JsResult};
use crate::curl::lyapunov::LyapunovParams;
use crate::curl::model::{Activation, CurlParams, InitKind, LossKind, Side};
use crate::curl::{self, RunOptions};
use crate::richlazy::{self, trend, InitChoice, Optimizer, RlTaskKind};
use js_sys::{Float64Array, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// The page's curl settings (the keys of `rnnscope curl`'s flags; missing
/// keys take the CLI's defaults; an unknown key is an error naming it, see
/// [`from_js`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CurlArgs {
    input_dim: usize,
    teacher: usize,
    student: usize,
    flipped_l1: usize,
    flipped_l2: usize,
    side: String,
    init_scale: f64,
    init: String,
    lr: f64,
    epochs: usize,
    batch_size: Option<usize>,
    n_train: usize,
    n_test: usize,
    activation: String,
    loss: String,
    normalize: bool,
    seed: u64,
    threshold_frac: f64,
    lyapunov: bool,
    lyap_transient: Option<usize>,
    lyap_renorm_every: usize,
    full_eigenvalues: bool,
    scan_points: usize,
    compare_gd: bool,
}

impl Default for CurlArgs {
    fn default() -> Self {
        let p = CurlParams::default();
        let o = RunOptions::default();
        CurlArgs {
            input_dim: p.input_dim,
            teacher: p.teacher,
            student: p.student,
            flipped_l1: 0,
            flipped_l2: 0,
            side: "col".into(),
            init_scale: p.init_scale,
            init: "uniform".into(),
            lr: p.lr,
            epochs: p.epochs,
            batch_size: None,
            n_train: p.n_train,
            n_test: p.n_test,
            activation: "tanh".into(),
            loss: "matching".into(),
            normalize: p.normalize,
            seed: p.seed,
            threshold_frac: o.threshold_frac,
            lyapunov: true,
            lyap_transient: None,
            lyap_renorm_every: LyapunovParams::default().renorm_every,
            full_eigenvalues: true,
            scan_points: o.scan_points,
            compare_gd: true,
        }
    }
}

impl CurlArgs {
    /// The core's params and options, exactly as `rnnscope curl` builds them.
    fn core(&self) -> crate::Result<(CurlParams, RunOptions)> {
        let p = CurlParams {
            input_dim: self.input_dim,
            teacher: self.teacher,
            student: self.student,
            flipped_l1: self.flipped_l1,
            flipped_l2: self.flipped_l2,
            side: Side::parse(&self.side)?,
            init_scale: self.init_scale,
            init: InitKind::parse(&self.init)?,
            lr: self.lr,
            epochs: self.epochs,
            batch_size: self.batch_size.unwrap_or(self.n_train),
            n_train: self.n_train,
            n_test: self.n_test,
            activation: Activation::parse(&self.activation)?,
            loss: LossKind::parse(&self.loss)?,
            normalize: self.normalize,
            seed: self.seed,
        };
        p.check()?;
        let o = RunOptions {
            threshold_frac: self.threshold_frac,
            lyapunov: self.lyapunov.then(|| LyapunovParams {
                transient: self.lyap_transient.unwrap_or(self.epochs / 2),
                renorm_every: self.lyap_renorm_every,
                ..LyapunovParams::default()
            }),
            jacobian: true,
            full_eigenvalues: self.full_eigenvalues,
            scan_points: self.scan_points,
            compare_gd: self.compare_gd,
            n_log: 100,
        };
        Ok((p, o))
    }
}

/// Set `key` of a JS object.
fn set(o: &JsValue, key: &str, v: &JsValue) -> JsResult<()> {
    Reflect::set(o, &JsValue::from_str(key), v)
        .map(|_| ())
        .map_err(|_| JsError::new("cannot build the result object"))
}

/// One curl-descent run: `params` has the keys of `rnnscope curl`'s flags
/// (`input_dim, teacher, student, flipped_l1, flipped_l2, side, init_scale,
/// lr, epochs, batch_size, n_train, n_test, seed, threshold_frac, lyapunov,
/// full_eigenvalues, scan_points, compare_gd, …`). Returns the core's
/// `CurlResult` as a plain object (the CLI's JSON keys) plus `eig`, the
/// Jacobian eigenvalues interleaved (re, im) as a Float64Array.
#[wasm_bindgen(js_name = curlRun)]
pub fn curl_run(params: JsValue) -> JsResult<JsValue> {
    let a: CurlArgs = from_js("curl parameters", params)?;
    let (p, o) = a.core().map_err(js)?;
    let r = curl::run(&p, &o).map_err(js)?;
    let eig: Vec<f64> = r
        .jacobian_eigenvalues
        .iter()
        .flat_map(|&(re, im)| [re, im])
        .collect();
    let out = to_js(&r)?;
    set(&out, "eig", &Float64Array::from(&eig[..]).into())?;
    Ok(out)
}

/// The page's rich/lazy settings (the keys of `rnnscope richlazy`'s flags
/// that one run uses; missing keys take the core's defaults).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RichLazyArgs {
    task: String,
    n: usize,
    g: f64,
    iters: usize,
    batch: usize,
    lr: f64,
    momentum: f64,
    optimizer: String,
    clip: f64,
    alpha: f64,
    input_noise: f64,
    probe: usize,
    ntk_trials: usize,
    record_every: usize,
}

impl Default for RichLazyArgs {
    fn default() -> Self {
        let p = richlazy::Params::new(RlTaskKind::Decision);
        RichLazyArgs {
            task: "decision".into(),
            n: p.n,
            g: p.g,
            iters: p.iters,
            batch: p.batch,
            lr: p.lr,
            momentum: p.momentum,
            optimizer: "sgd".into(),
            clip: p.clip,
            alpha: p.alpha,
            input_noise: p.input_noise,
            probe: p.probe,
            ntk_trials: p.ntk_trials,
            record_every: p.record_every,
        }
    }
}

impl RichLazyArgs {
    /// The core's params (one rank: `ranks` is the run's own).
    fn core(&self, init: InitChoice, seed: u64) -> crate::Result<richlazy::Params> {
        let mut p = richlazy::Params::new(RlTaskKind::parse(&self.task)?);
        p.n = self.n;
        p.g = self.g;
        p.iters = self.iters;
        p.batch = self.batch;
        p.lr = self.lr;
        p.momentum = self.momentum;
        p.optimizer = match self.optimizer.trim().to_ascii_lowercase().as_str() {
            "sgd" => Optimizer::Sgd,
            "adam" => Optimizer::Adam,
            o => {
                return Err(crate::Error::param(
                    "optimizer",
                    format!("unknown optimizer `{o}` (use sgd or adam)"),
                ))
            }
        };
        p.clip = self.clip;
        p.alpha = self.alpha;
        p.input_noise = self.input_noise;
        p.probe = self.probe;
        p.ntk_trials = self.ntk_trials;
        p.record_every = self.record_every;
        p.seed = seed;
        p.seeds = 1;
        (p.ranks, p.aligned) = match init {
            InitChoice::Rank(r) => (vec![r], false),
            InitChoice::Aligned => (vec![], true),
        };
        p.check()?;
        Ok(p)
    }
}

/// One rich/lazy training run from the W₀ of `rank` (0 = the task-aligned
/// low-rank W₀; a rank ≥ n is full rank) at `seed`. `params` has the keys of
/// `rnnscope richlazy`'s flags (`task, n, g, iters, batch, lr, momentum,
/// optimizer, clip, alpha, input_noise, probe, ntk_trials, record_every`).
/// Returns the core's `RunResult` as a plain object (`effective_rank,
/// weight_change, weight_change_rel, rep_alignment, kernel_alignment,
/// sign_similarity, loss, accuracy, …, curve`).
#[wasm_bindgen(js_name = richLazyRun)]
pub fn rich_lazy_run(params: JsValue, rank: usize, seed: u64) -> JsResult<JsValue> {
    let a: RichLazyArgs = from_js("rich/lazy parameters", params)?;
    let init = if rank == 0 {
        InitChoice::Aligned
    } else {
        InitChoice::Rank(rank)
    };
    let p = a.core(init, seed).map_err(js)?;
    let r = richlazy::run(&p, init, seed).map_err(js)?;
    to_js(&r)
}

/// Spearman's ρ of `y` against `x` with its two-sided p-value (the core's
/// trend test across ranks): `{rho, p, n}`.
#[wasm_bindgen(js_name = spearmanTrend)]
pub fn spearman_trend(x: &[f64], y: &[f64]) -> JsResult<JsValue> {
    let s = trend::spearman(x, y).map_err(js)?;
    to_js(&s)
}
