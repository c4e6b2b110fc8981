//! HebbFF exports: one instance trained and analysed by the core's
//! [`run_instance`] (each snapshot handed to a JS callback as it is taken),
//! the study's analyses over instances gathered by the page
//! ([`HebbffStudy`], the core's [`summarize`]), and the stream preview.
//!
//! Snapshots cross as the core's [`SnapshotMetrics`] serialised to a plain JS
//! object — the same keys as the CLI's JSON and CSV (`epoch`, `accuracy`,
//! `loss`, `lambda`, `eta`, `q`, `n_communities`, `system_flexibility`, …) —
//! with the bulk per-snapshot data (allegiance, order, histogram) as typed
//! arrays beside it.

use super::backend::on_canvas;
use super::{js, object, to_js, JsResult, Matrix};
use crate::hebbff::study::InstanceResult;
use crate::hebbff::study::{run_instance, summarize, AnalysisParams, Record, SnapshotMetrics};
use crate::hebbff::train::held_out;
use crate::hebbff::{HebbParams, TaskParams};
use crate::modularity::null::NullParams;
use crate::plot;
use js_sys::{Float64Array, Uint32Array};
use ndarray::Array2;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The page's HebbFF run settings (one JS object, snake_case keys as the
/// CLI's flags). Zero `seq_len`, `epochs`, `eval_every` take the data mode's
/// defaults (fresh: 100, 1500, 50; fixed: 2500, 1000, 10).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunArgs {
    n: usize,
    m: usize,
    r_min: usize,
    r_max: usize,
    p: f64,
    data: String,
    #[serde(default)]
    seq_len: usize,
    #[serde(default)]
    epochs: usize,
    lr: f64,
    #[serde(default)]
    eval_every: usize,
    test_len: usize,
    window: usize,
    runs: usize,
    seed: u64,
    #[serde(default = "yes")]
    analyse: bool,
    /// Null model per snapshot (`connectional`, `nodal`, `temporal`; the
    /// CLI's `--null`); absent = none.
    #[serde(default)]
    null: Option<String>,
    /// Null samples K (the CLI's `--null-samples`).
    #[serde(default)]
    null_samples: usize,
}

fn yes() -> bool {
    true
}

impl RunArgs {
    /// Into the core's parameters (validated there).
    fn into_core(self) -> JsResult<(HebbParams, AnalysisParams, bool)> {
        let mut hp = match self.data.as_str() {
            "fresh" => HebbParams::default(),
            "fixed" => HebbParams::study(),
            d => {
                return Err(JsError::new(&format!(
                    "parameter `data`: expected fresh or fixed, got {d:?}"
                )))
            }
        };
        hp.task = TaskParams {
            n: self.n,
            r_min: self.r_min,
            r_max: self.r_max,
            p: self.p,
        };
        hp.m = self.m;
        hp.lr = self.lr;
        hp.test_len = self.test_len;
        hp.seed = self.seed;
        if self.seq_len > 0 {
            hp.seq_len = self.seq_len;
        }
        if self.epochs > 0 {
            hp.epochs = self.epochs;
        }
        if self.eval_every > 0 {
            hp.eval_every = self.eval_every;
        }
        if self.seq_len > 20_000 {
            return Err(JsError::new(
                "parameter `seq_len`: at most 20000 in the page",
            ));
        }
        hp.validate().map_err(js)?;
        let mut ap = AnalysisParams {
            keep_allegiance: true,
            ..AnalysisParams::default()
        };
        ap.activity.window = self.window;
        ap.activity.multilayer.runs = self.runs;
        ap.record = Record::Pre;
        if let Some(k) = self.null.as_deref().filter(|k| !k.is_empty()) {
            let np = NullParams {
                kind: k.parse().map_err(js)?,
                samples: self.null_samples,
                seed: self.seed,
            };
            np.check().map_err(js)?;
            ap.null = Some(np);
        }
        Ok((hp, ap, self.analyse))
    }
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
/// `params`: `{n, m, r_min, r_max, p, data, seq_len, epochs, lr, eval_every,
/// test_len, window, runs, seed, analyse}`. `on_snapshot(s, train_accuracy,
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
    let args: RunArgs = serde_wasm_bindgen::from_value(params)
        .map_err(|e| JsError::new(&format!("HebbFF parameters: {e}")))?;
    let (hp, ap, analyse) = args.into_core()?;
    let mut last: Option<SnapshotMetrics> = None;
    let mut train_loss = Vec::new();
    let mut train_acc = Vec::new();
    let mut failure: Option<JsValue> = None;
    let r = run_instance(hp.clone(), analyse.then_some(&ap), &mut |tr, s| {
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

/// Draw `t` items of a seeded familiarity stream with repeats marked;
/// returns the fraction of repeats.
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
