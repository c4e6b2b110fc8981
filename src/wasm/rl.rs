//! Reinforcement-learning exports: one policy run ([`RlTraining`], the
//! core's [`RlRun`] from the keys of `rnnscope rl`'s flags) and the RL group
//! comparison ([`RlGroupExperiment`], the core's [`RlExperiment`] from the
//! keys of `train-experiment rl`'s report `params`). Thin wrappers: the
//! worker advances them in chunks; results are the core's result types.

use super::{advanced, from_js, js, json_text, JsResult};
use crate::train::rl::RlConfig;
use crate::train::rl_experiment::{RlExperiment, RlExperimentParams};
use crate::train::rl_run::{RlParams, RlRun};
use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

/// One policy network trained on the reversal bandit.
#[wasm_bindgen]
pub struct RlTraining {
    inner: RlRun,
}

#[wasm_bindgen]
impl RlTraining {
    /// New run from a params object with the keys of the core's `RlParams`
    /// (`{n, iters, batch, trials, p_good, hazard, lr, gamma, alpha, g,
    /// entropy, rec_noise, motif_reg, lambda, criterion, window,
    /// test_episodes, seed}`; missing keys take `rnnscope rl`'s defaults; an
    /// unknown key is an error naming it).
    #[wasm_bindgen(constructor)]
    pub fn new(params: JsValue) -> JsResult<RlTraining> {
        let p: RlParams = from_js("RL parameters", params)?;
        RlRun::new(p).map(|inner| RlTraining { inner }).map_err(js)
    }

    /// Up to `k` more updates; returns the updates done.
    pub fn advance(&mut self, k: u32) -> JsResult<f64> {
        advanced(self.inner.advance(u64::from(k)))
    }

    /// Updates done.
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> f64 {
        self.inner.iterations() as f64
    }

    /// Updates asked for.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> f64 {
        self.inner.params().iters as f64
    }

    /// Mean reward per trial of every update so far.
    pub fn reward(&self) -> Float64Array {
        Float64Array::from(&self.inner.curve().reward[..])
    }

    /// Episodes to criterion on the curve so far (NaN: not reached).
    #[wasm_bindgen(js_name = episodesToCriterion)]
    pub fn episodes_to_criterion(&self) -> f64 {
        self.inner
            .episodes_to_criterion()
            .map_or(f64::NAN, |e| e as f64)
    }

    /// The report (`rnnscope rl`'s JSON without `seconds`) as JSON text.
    pub fn report(&self) -> JsResult<String> {
        json_text(&self.inner.report().map_err(js)?)
    }
}

/// Groups of policy networks on the bandit, compared with the `tests` schema.
#[wasm_bindgen]
pub struct RlGroupExperiment {
    inner: RlExperiment,
}

#[wasm_bindgen]
impl RlGroupExperiment {
    /// New experiment from an object with the keys of `RlExperimentParams`
    /// (`{cfg: {n, batch, lr, lambda, seed, bandit: {…}, …}, seeds, iters,
    /// groups, criterion, window, block, test_episodes, test_seed,
    /// permutations}`; missing keys take the CLI's defaults).
    #[wasm_bindgen(constructor)]
    pub fn new(params: JsValue) -> JsResult<RlGroupExperiment> {
        let p: RlExperimentParams = super::from_js_nested(
            "RL experiment parameters",
            params,
            &[("cfg", super::struct_fields::<RlConfig>)],
        )?;
        RlExperiment::new(p)
            .map(|inner| RlGroupExperiment { inner })
            .map_err(js)
    }

    /// Up to `k` more updates (network after network); returns the updates done.
    pub fn advance(&mut self, k: u32) -> JsResult<f64> {
        advanced(self.inner.advance(u64::from(k)))
    }

    /// Updates of all networks together.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> f64 {
        self.inner.total_iterations() as f64
    }

    /// The report (`train-experiment rl`'s report.json without `seconds`)
    /// as JSON text.
    pub fn report(&self) -> JsResult<String> {
        json_text(&self.inner.report().map_err(js)?)
    }
}
