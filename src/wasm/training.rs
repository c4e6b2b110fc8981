//! Training exports: a [`Training`] run built from one params object (the
//! core's [`TrainParams`], the same the CLI's flags fill in), and the
//! poster's [`TrainExperiment`].

use super::{advanced, count, from_js, js, json_text, object, JsResult, Matrix};
use crate::train::{TrainParams, Trainer};
use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

/// Iterations one `step` call may run.
const MAX_CHUNK: usize = 1_000_000;

/// A training run held in WebAssembly memory; the worker advances it in chunks.
#[wasm_bindgen]
pub struct Training {
    inner: Trainer,
    motif: crate::train::MotifPenalty,
    params: TrainParams,
}

#[wasm_bindgen]
impl Training {
    /// New run from a params object with the keys of the core's
    /// `TrainParams` (`{task, n, batch, lr, iters, input_noise, truncate,
    /// seed, lambda, motif_reg, stop_at_accuracy, eval_every, eval_trials,
    /// eval_seed, …}`; missing keys take the defaults; serde-wasm-bindgen reads
    /// only the declared keys, so a misspelt key is ignored, not an error). Penalty: λ > 0 applies the motif regulariser when `motif_reg`
    /// is set, else λ·½‖W‖² — as `rnnscope train`.
    #[wasm_bindgen(constructor)]
    pub fn new(params: JsValue) -> JsResult<Training> {
        let p: TrainParams = from_js("training parameters", params)?;
        let cfg = p.config().map_err(js)?;
        let (motif, pen) = p.penalty().map_err(js)?;
        Trainer::new(cfg, pen)
            .map(|inner| Training {
                inner,
                motif,
                params: p,
            })
            .map_err(js)
    }

    /// The validated parameters, defaults filled in (a plain object).
    pub fn params(&self) -> JsResult<JsValue> {
        super::to_js(&self.params)
    }

    /// True when a held-out accuracy `acc` meets the stop-at-accuracy rule.
    pub fn reached(&self, acc: f64) -> bool {
        self.params.reached(acc)
    }

    /// Soft motif counts of the current W grouped by stability level 1–3.
    #[wasm_bindgen(js_name = levelCounts)]
    pub fn level_counts(&self) -> JsResult<Vec<f64>> {
        self.motif
            .counts_by_level(&self.inner.net.w)
            .map(|c| c.to_vec())
            .map_err(js)
    }

    /// Run `k` iterations; returns `{iter, loss, accuracy, penalty,
    /// grad_norm}`, a Float64Array of `k` values each (one per iteration).
    pub fn step(&mut self, k: usize) -> JsResult<JsValue> {
        let k = count("iterations per call", k, MAX_CHUNK)?;
        let mut cols: [Vec<f64>; 5] = std::array::from_fn(|_| Vec::with_capacity(k));
        for _ in 0..k {
            let s = self.inner.step().map_err(js)?;
            for (c, v) in
                cols.iter_mut()
                    .zip([s.iter as f64, s.loss, s.accuracy, s.penalty, s.grad_norm])
            {
                c.push(v);
            }
        }
        let names = ["iter", "loss", "accuracy", "penalty", "grad_norm"];
        let fields: Vec<(&str, JsValue)> = names
            .iter()
            .zip(&cols)
            .map(|(n, c)| (*n, Float64Array::from(&c[..]).into()))
            .collect();
        object(&fields)
    }

    /// `{loss, accuracy}` on `size` held-out trials drawn from `seed`.
    pub fn evaluate(&self, size: usize, seed: u64) -> JsResult<JsValue> {
        let (l, a, _, _) = self.inner.evaluate(size, seed).map_err(js)?;
        object(&[("loss", l.into()), ("accuracy", a.into())])
    }

    /// One held-out trial: `{steps, inputs, outputs, x, target, y, mask}`
    /// with `x` (steps × inputs), `target`, `y`, `mask` (steps × outputs)
    /// row-major Float64Arrays.
    pub fn example(&self, seed: u64) -> JsResult<JsValue> {
        let (_, _, b, y) = self.inner.evaluate(1, seed).map_err(js)?;
        let (t, i, o) = (y.len(), b.x[0].ncols(), b.target[0].ncols());
        let flat = |v: &[ndarray::Array2<f64>]| -> JsValue {
            let d: Vec<f64> = v.iter().flat_map(|a| a.row(0).to_vec()).collect();
            Float64Array::from(&d[..]).into()
        };
        object(&[
            ("steps", (t as f64).into()),
            ("inputs", (i as f64).into()),
            ("outputs", (o as f64).into()),
            ("x", flat(&b.x)),
            ("target", flat(&b.target)),
            ("y", flat(&y)),
            ("mask", flat(&b.mask)),
        ])
    }

    /// Recurrent weights W (row-major N × N, W[i][j] from j to i).
    pub fn weights(&self) -> Matrix {
        Matrix::wrap(self.inner.net.w.clone())
    }

    /// Iterations done.
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> f64 {
        self.inner.iterations() as f64
    }
}

/// The poster's two experiments (`train::experiments`): groups of
/// motif-regularized networks trained in chunks in the worker, then the noise
/// sweep and the perturbation experiment as one JSON report.
#[wasm_bindgen]
pub struct TrainExperiment {
    inner: crate::train::Experiment,
}

#[wasm_bindgen]
impl TrainExperiment {
    /// New experiment from an object with the keys of the report's `params`
    /// (`ExperimentParams`: `{task, n, seeds, iters, batch, lr, lambda,
    /// input_noise, rec_noise, noise_kind, permutations, seed, groups,
    /// noise_levels, test_trials, test_seed, kick, kick_step, horizon,
    /// trials, kicks, pcs}`); missing keys take the CLI's defaults
    /// (`ExperimentParams::from_json`), an unknown key is an error.
    /// (The one constructor: the page and tests pass one params object.)
    #[wasm_bindgen(js_name = fromParams)]
    pub fn from_params(params: JsValue) -> JsResult<TrainExperiment> {
        let v: serde_json::Value = from_js("experiment parameters", params)?;
        let p = crate::train::ExperimentParams::from_json(v).map_err(js)?;
        crate::train::Experiment::new(p)
            .map(|inner| TrainExperiment { inner })
            .map_err(js)
    }

    /// Up to `k` more Adam steps (network after network); returns the steps done.
    pub fn advance(&mut self, k: u32) -> JsResult<f64> {
        advanced(self.inner.advance(u64::from(k)))
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
        self.report_of(true, true)
    }

    /// The report of the chosen experiments (`train-experiment
    /// noise|perturb|both`'s report.json without `seconds`) as JSON text.
    #[wasm_bindgen(js_name = reportOf)]
    pub fn report_of(&self, noise: bool, perturb: bool) -> JsResult<String> {
        json_text(&self.inner.report(noise, perturb).map_err(js)?)
    }
}
