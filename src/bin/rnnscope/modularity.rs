//! `modularity`, `multilayer` and `stats` subcommands.

use clap::Args;
use ndarray::{Array2, Ix3};
use rnnscope::modularity::multilayer::{multilayer_from_layers, Coupling, MultilayerResult};
use rnnscope::modularity::null::{null_test, warn_if_null, NullKind, NullParams};
use rnnscope::modularity::{community_louvain, multilayer_pipeline, ActivityParams, Signed};
use rnnscope::{io, stats, Error, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Args)]
pub struct ModularityArgs {
    /// Symmetric weight matrix: CSV (no header), NPY, NPZ, safetensors or MAT.
    file: PathBuf,
    /// Array to read from an NPZ, safetensors or MAT file.
    #[arg(long)]
    array: Option<String>,
    /// Resolution γ.
    #[arg(long, default_value_t = 1.0)]
    gamma: f64,
    /// Negative weights: none (error if any), sym or asym (BCT).
    #[arg(long, default_value = "none")]
    signed: String,
    /// Independent runs; the best Q is reported.
    #[arg(long, default_value_t = 10)]
    runs: usize,
    /// RNG seed (run k uses seed + k).
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Args)]
pub struct MultilayerArgs {
    /// Activity (T rows × M units: CSV, NPY, NPZ, safetensors, MAT) or a stack of L×N×N layer matrices.
    activity: PathBuf,
    /// Array to read from an NPZ, safetensors or MAT file.
    #[arg(long)]
    array: Option<String>,
    /// Window length Z (samples); required for activity, ignored for a stack.
    #[arg(long)]
    window: Option<usize>,
    /// Step between windows (default: Z, disjoint windows).
    #[arg(long)]
    step: Option<usize>,
    /// Inter-layer coupling ω.
    #[arg(long, default_value_t = 1.0)]
    omega: f64,
    /// Resolution γ⁺ of the positive part (HebbFF preset: 1.02).
    #[arg(long, default_value_t = 1.02)]
    gamma: f64,
    /// Resolution γ⁻ of the negative part (--gamma-neg).
    #[arg(long, default_value_t = 1.0)]
    gamma_neg: f64,
    /// Couple every pair of layers (categorical) instead of neighbours (ordinal).
    #[arg(long)]
    categorical: bool,
    /// Independent optimiser runs; the best Q is reported (floored by the trivial partitions).
    #[arg(long, default_value_t = 10)]
    runs: usize,
    /// RNG seed of the optimiser (run k uses seed + k) and of the null.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Null model to compare Q, #communities and flexibility with:
    /// connectional, nodal or temporal (Bassett et al. 2011).
    #[arg(long)]
    null: Option<String>,
    /// Number of null networks K (each is optimised with the same --runs).
    #[arg(long, default_value_t = 20)]
    null_samples: usize,
}

#[derive(Args)]
pub struct StatsArgs {
    /// Activity (T rows × M units): CSV, NPY, NPZ, safetensors or MAT.
    activity: PathBuf,
    /// Array to read from an NPZ, safetensors or MAT file.
    #[arg(long)]
    array: Option<String>,
    /// Histogram bins.
    #[arg(long, default_value_t = 40)]
    bins: usize,
}

fn rows(m: &Array2<f64>) -> Vec<Vec<f64>> {
    m.rows().into_iter().map(|r| r.to_vec()).collect()
}

pub fn modularity(a: ModularityArgs) -> Result<Value> {
    let w = io::read_square_named(&io::read_file(&a.file)?, a.array.as_deref())?;
    let signed: Signed = a.signed.parse()?;
    let r = community_louvain(&w, a.gamma, signed, a.runs, a.seed)?;
    Ok(json!({
        "q": r.q, "q_intra": r.q, "q_inter": 0.0,
        "communities": r.communities, "n_communities": r.n_communities,
        "gamma": a.gamma, "signed": a.signed, "runs": a.runs, "seed": a.seed, "run_q": r.run_q,
    }))
}

/// Largest multilayer supra-matrix, layers × N² entries (8 bytes each: 512 MB).
const MAX_SUPRA: usize = 64 * 1024 * 1024;

pub fn multilayer(a: MultilayerArgs) -> Result<Value> {
    let arr = io::read_array_named(&io::read_file(&a.activity)?, a.array.as_deref())?;
    let mut bar = super::output::Progress::new("multilayer (Louvain runs)", a.runs as u64);
    let mut p = ActivityParams::hebbff();
    p.step = a.step;
    let ml = &mut p.multilayer;
    ml.omega = a.omega;
    ml.gamma_pos = vec![a.gamma];
    ml.gamma_neg = vec![a.gamma_neg];
    ml.runs = a.runs;
    ml.seed = a.seed;
    if a.categorical {
        ml.coupling = Coupling::Categorical;
    }
    let null = a
        .null
        .as_deref()
        .map(|k| -> Result<NullParams> {
            let np = NullParams {
                kind: k.parse::<NullKind>()?,
                samples: a.null_samples,
                seed: a.seed,
            };
            np.check()?;
            Ok(np)
        })
        .transpose()?;
    let mut order = None;
    let (layers, mut r): (Vec<Array2<f64>>, MultilayerResult) = match arr.ndim() {
        3 => {
            let s = arr
                .into_dimensionality::<Ix3>()
                .map_err(|e| Error::Shape(e.to_string()))?;
            let layers: Vec<Array2<f64>> = s.outer_iter().map(|l| l.to_owned()).collect();
            let r = multilayer_from_layers(&layers, &p.multilayer, &mut |d, t| {
                bar.total_hint(t as u64);
                bar.update(d as u64)
            })?;
            (layers, r)
        }
        2 => {
            let x = arr
                .into_dimensionality::<ndarray::Ix2>()
                .map_err(|e| Error::Shape(e.to_string()))?;
            p.window = a.window.ok_or_else(|| {
                Error::param(
                    "window",
                    "required for activity input (T × M); e.g. --window 50",
                )
            })?;
            let (t, m) = x.dim();
            let step = a.step.unwrap_or(p.window).max(1);
            let layers = t.saturating_sub(p.window) / step + 1;
            let supra = layers.saturating_mul(m).saturating_mul(m);
            if supra > MAX_SUPRA {
                return Err(Error::TooLarge {
                    what: "(windows from --window/--step) × units² (multilayer matrix entries)",
                    got: supra,
                    limit: MAX_SUPRA,
                });
            }
            // The page's pipeline (src/modularity/pipeline.rs): same numbers, plus the order.
            let out = multilayer_pipeline(x.view(), &p, &mut |d, t| {
                bar.total_hint(t as u64);
                bar.update(d as u64)
            })?;
            order = Some((out.order, out.borders));
            (out.fc, out.result)
        }
        d => {
            return Err(Error::Shape(format!(
                "expected activity (T × M) or a stack of layers (L × N × N), got a {d}-D array"
            )))
        }
    };
    bar.finish();
    let null_res = match &null {
        Some(np) => {
            let nr = null_test(&layers, &p.multilayer, &r, np, &mut |_, _| {})?;
            warn_if_null(&mut r, &nr);
            Some(nr)
        }
        None => None,
    };
    for w in &r.warnings {
        super::output::warn(w);
    }
    let mut out = json!({
        "q": r.q, "q_intra": r.q_intra, "q_inter": r.q_inter,
        "floor": r.floor, "q_singletons": r.q_singletons, "q_one_community": r.q_one_community,
        "labels": r.labels, "n_communities": r.n_communities,
        "communities_per_layer": r.communities_per_layer,
        "allegiance": rows(&r.allegiance), "flexibility": r.flexibility,
        "system_flexibility": r.system_flexibility, "run_q": r.run_q, "warnings": r.warnings,
    });
    if let Some(nr) = null_res {
        out["null"] = serde_json::to_value(nr).map_err(|e| Error::Format(e.to_string()))?;
    }
    if let Some((o, b)) = order {
        out["order"] = json!(o);
        out["borders"] = json!(b);
    }
    Ok(out)
}

pub fn stats(a: StatsArgs) -> Result<Value> {
    let x = io::read_timeseries_named(&io::read_file(&a.activity)?, a.array.as_deref())?;
    let s = stats::activity_stats(x.view(), a.bins)?;
    for w in &s.warnings {
        super::output::warn(w);
    }
    serde_json::to_value(&s).map_err(|e| Error::Format(e.to_string()))
}
