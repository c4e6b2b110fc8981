//! HebbFF exports: one instance trained and analysed by the core's
//! [`run_instance`] (each snapshot handed to a JS callback as it is taken),
//! the study's analyses over instances gathered by the page
//! ([`HebbffStudy`], the core's [`summarize`]), and the stream preview
//! (`drawHebbStream`, in [`super::charts`]: the page draws with the first module).
//!
//! Snapshots cross as the core's [`SnapshotMetrics`] serialised to a plain JS
//! object — the same keys as the CLI's JSON and CSV (`epoch`, `accuracy`,
//! `loss`, `lambda`, `eta`, `q`, `n_communities`, `system_flexibility`, …) —
//! with the bulk per-snapshot data (allegiance, order, histogram) as typed
//! arrays beside it.

use super::{from_js, js, object, to_js, JsResult, Matrix};
use crate::hebbff::study::InstanceResult;
use crate::hebbff::study::{run_instance, summarize, AnalysisParams, SnapshotMetrics};
use crate::hebbff::train::held_out;
use crate::hebbff::{HebbParams, RunParams};
use js_sys::{Float64Array, Uint32Array};
use ndarray::Array2;
use wasm_bindgen::prelude::*;

/// The page's HebbFF settings as the core's one [`RunParams`] (snake_case
/// keys as the CLI's flags; absent keys and 0 for `seq_len`, `epochs`,
/// `eval_every` take the defaults), validated by [`RunParams::check`]. The
/// page keeps every snapshot's allegiance (its animation) and allows at most
/// 20,000 items per training sequence.
fn run_params(params: JsValue) -> JsResult<(RunParams, HebbParams, Option<AnalysisParams>)> {
    let mut rp: RunParams = from_js("HebbFF parameters", params)?;
    rp.keep_allegiance = true;
    if rp.seq_len.is_some_and(|s| s > MAX_PAGE_SEQ_LEN) {
        return Err(JsError::new(&format!(
            "parameter `seq_len`: at most {MAX_PAGE_SEQ_LEN} in the page"
        )));
    }
    let (hp, ap) = rp.check().map_err(js)?;
    Ok((rp, hp, ap))
}

/// Most items per training sequence in the page (the core allows more).
pub const MAX_PAGE_SEQ_LEN: usize = 20_000;

/// Check HebbFF settings without running them: the core's
/// [`RunParams::check`] (the same object `runHebbffInstance` takes), so the
/// page reports a bad setting before it starts workers.
///
/// # Errors
/// The first setting out of range, named.
#[wasm_bindgen(js_name = checkHebbffParams)]
pub fn check_hebbff_params(params: JsValue) -> JsResult<()> {
    run_params(params).map(|_| ())
}

/// The snapshot's scalar fields as a plain object, and its bulk data as
/// typed arrays: `{snapshot, allegiance?, order?, borders?, hist_edges?,
/// hist_counts?}`.
fn snapshot_js(s: &SnapshotMetrics) -> JsResult<JsValue> {
    let mut scalars = s.clone();
    scalars.allegiance = None;
    scalars.order = None;
    scalars.activation_histogram = None;
    let mut fields = vec![("snapshot", to_js(&scalars)?)];
    if let Some(a) = &s.allegiance {
        fields.push(("allegiance", Float64Array::from(&a[..]).into()));
    }
    if let Some((o, b)) = &s.order {
        let o: Vec<u32> = o.iter().map(|&v| v as u32).collect();
        let b: Vec<u32> = b.iter().map(|&v| v as u32).collect();
        fields.push(("order", Uint32Array::from(&o[..]).into()));
        fields.push(("borders", Uint32Array::from(&b[..]).into()));
    }
    if let Some((e, c)) = &s.activation_histogram {
        let c: Vec<f64> = c.iter().map(|&v| v as f64).collect();
        fields.push(("hist_edges", Float64Array::from(&e[..]).into()));
        fields.push(("hist_counts", Float64Array::from(&c[..]).into()));
    }
    object(&fields)
}

/// Train one HebbFF instance with the core's `run_instance`, analysing the
/// held-out hidden activity at every snapshot (unless `analyse` is false).
///
/// `params`: the core's [`RunParams`] as one object (`{n, m, r_min, r_max,
/// p, data, seq_len, epochs, lr, eval_every, test_len, seed, analyse,
/// window, runs, gamma, gamma_neg, omega, null, null_samples, null_every,
/// record}`, absent keys at the CLI's defaults). `on_snapshot(s, train_accuracy,
/// epochs)` is called at each snapshot with `s` as [`snapshot_js`] builds it
/// and the training accuracy of every epoch so far; returning `false`
/// cancels. Returns `{instance, train_loss, train_accuracy, last, activity,
/// t, m}`: `instance` the core's `InstanceResult` (the CLI's JSON, snapshots
/// without bulk), `last` the final snapshot's bulk data, `activity` the
/// trained network's pre-activations a(t) on the held-out stream (T × M,
/// row-major).
///
/// # Errors
/// Bad parameters (named); training diverged; cancelled.
#[wasm_bindgen(js_name = runHebbffInstance)]
pub fn run_hebbff_instance(params: JsValue, on_snapshot: &js_sys::Function) -> JsResult<JsValue> {
    let (_, hp, ap) = run_params(params)?;
    let mut last: Option<SnapshotMetrics> = None;
    let mut train_loss = Vec::new();
    let mut train_acc = Vec::new();
    let mut failure: Option<JsValue> = None;
    let r = run_instance(hp.clone(), ap.as_ref(), &mut |tr, s| {
        let go = snapshot_js(s).map_err(JsValue::from).and_then(|v| {
            on_snapshot.call3(
                &JsValue::NULL,
                &v,
                &Float64Array::from(&tr.train_accuracy[..]).into(),
                &(tr.params.epochs as f64).into(),
            )
        });
        train_loss.clone_from(&tr.train_loss);
        train_acc.clone_from(&tr.train_accuracy);
        last = Some(s.clone());
        match go {
            Ok(v) => v.as_bool() != Some(false),
            Err(e) => {
                failure = Some(e);
                false
            }
        }
    });
    if let Some(e) = failure {
        return Err(JsError::new(&format!(
            "the snapshot callback failed: {}",
            e.as_string().unwrap_or_else(|| format!("{e:?}"))
        )));
    }
    let mut inst: InstanceResult = r.map_err(js)?;
    let model = inst
        .model
        .take()
        .ok_or_else(|| JsError::new("training kept no model"))?;
    let pass = model.run(&held_out(&hp).map_err(js)?, true).map_err(js)?;
    for s in &mut inst.snapshots {
        s.allegiance = None;
        s.order = None;
        s.activation_histogram = None;
    }
    let m = hp.m;
    let last = match &last {
        Some(s) => snapshot_js(s)?,
        None => JsValue::NULL,
    };
    object(&[
        ("instance", to_js(&inst)?),
        ("train_loss", Float64Array::from(&train_loss[..]).into()),
        ("train_accuracy", Float64Array::from(&train_acc[..]).into()),
        ("last", last),
        ("activity", Float64Array::from(&pass.pre[..]).into()),
        ("t", ((pass.pre.len() / m.max(1)) as f64).into()),
        ("m", (m as f64).into()),
    ])
}

/// A T × M activity matrix from row-major `data` (e.g. `runHebbffInstance`'s
/// `activity`), for the modularity panel.
#[wasm_bindgen(js_name = activityMatrix)]
pub fn activity_matrix(t: usize, m: usize, data: &[f64]) -> JsResult<Matrix> {
    crate::io::check_limits(&[t, m]).map_err(js)?;
    Array2::from_shape_vec((t, m), data.to_vec())
        .map(Matrix::wrap)
        .map_err(|e| JsError::new(&format!("activity: {e}")))
}

/// Instances of a study gathered in the page (from a pool of workers), and the
/// study's analyses over them.
#[wasm_bindgen]
#[derive(Default)]
pub struct HebbffStudy {
    inst: Vec<InstanceResult>,
}

#[wasm_bindgen]
impl HebbffStudy {
    /// An empty study.
    #[wasm_bindgen(constructor)]
    pub fn new() -> HebbffStudy {
        HebbffStudy::default()
    }

    /// Add one instance: its snapshots as an array of snapshot objects (the
    /// `snapshot` objects `runHebbffInstance` hands out).
    pub fn add(&mut self, seed: u64, snapshots: JsValue) -> JsResult<()> {
        let snaps: Vec<SnapshotMetrics> = serde_wasm_bindgen::from_value(snapshots)
            .map_err(|e| JsError::new(&format!("study snapshots: {e}")))?;
        if snaps.is_empty() {
            return Err(JsError::new("an instance needs at least one snapshot"));
        }
        self.inst
            .push(InstanceResult::from_snapshots(seed, snaps, None));
        Ok(())
    }

    /// Instances added.
    #[wasm_bindgen(getter)]
    pub fn instances(&self) -> usize {
        self.inst.len()
    }

    /// The study's analyses as the core's `StudySummary` (the CLI's
    /// `summary`): curves, within- and across-instance correlations over
    /// `window` snapshots, learning modes against `chance`, mediation.
    pub fn summary(&self, window: usize, chance: f64) -> JsResult<JsValue> {
        to_js(&summarize(&self.inst, window, chance).map_err(js)?)
    }
}
