//! Thin entry points for `make bench` (scripts/bench/wasm.mjs), only with
//! the cargo feature `bench` (the page build leaves it off): the same core
//! calls the native benches time, so native and WASM do equal work.

use super::{js, JsResult, Matrix};
use ndarray::Array2;
use wasm_bindgen::prelude::*;

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

/// A HebbFF training run with the settings of examples/bench.rs's
/// `hebbff_epoch` case (N = 100, M = 120, R = 5, P = ½, fresh streams of
/// `seq_len` items, Adam lr 1e-3, clip 10, seed 1).
#[wasm_bindgen(js_name = BenchHebbff)]
pub struct BenchHebbff {
    inner: crate::hebbff::HebbTrainer,
}

#[wasm_bindgen(js_class = BenchHebbff)]
impl BenchHebbff {
    /// A fresh run on training sequences of `seq_len` items.
    ///
    /// # Errors
    /// `seq_len` out of range (2..=200,000).
    #[wasm_bindgen(constructor)]
    pub fn new(seq_len: usize) -> JsResult<BenchHebbff> {
        let p = crate::hebbff::HebbParams {
            seq_len,
            test_len: 100,
            ..crate::hebbff::HebbParams::default()
        };
        Ok(BenchHebbff {
            inner: crate::hebbff::HebbTrainer::new(p).map_err(js)?,
        })
    }

    /// Run `reps` epochs (fresh stream, BPTT through A, clipping, Adam each);
    /// returns the training losses of those epochs.
    ///
    /// # Errors
    /// A diverged (non-finite) gradient.
    pub fn step(&mut self, reps: usize) -> JsResult<Vec<f64>> {
        (0..reps)
            .map(|_| self.inner.step().map(|p| p.loss).map_err(js))
            .collect()
    }
}
