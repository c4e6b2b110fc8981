//! `richlazy` subcommand: the rank sweep of Liu et al. (ICLR 2024) — train
//! rate RNNs from W₀ of different effective rank and report how much the
//! weights, representations, activity signs and tangent kernel change.

use super::study_shard::{self, MergeCmd, Study};
use clap::Args;
use ndarray::Array2;
use rnnscope::ensembles::Ensemble;
use rnnscope::hebbff::shard::Merged;
use rnnscope::richlazy::init::Base;
use rnnscope::richlazy::study::{assemble, run_job};
use rnnscope::richlazy::{Optimizer, Params, RlTaskKind, RunResult, Sweep};
use rnnscope::{io, Error, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RichLazyArgs {
    /// `merge DIR… --out OUT`: merge the shard files of `--shard K/S` runs.
    #[command(subcommand)]
    merge: Option<MergeCmd>,
    /// Task: decision, dms or context.
    #[arg(long, default_value = "decision")]
    task: String,
    /// Hidden units N (2–512).
    #[arg(long, default_value_t = 64)]
    n: usize,
    /// Initial ranks, comma separated; `N` (or any r ≥ N) means full rank.
    #[arg(long, default_value = "1,8,32,N")]
    ranks: String,
    /// Also run the task-aligned low-rank W₀ (modes in the span of the input
    /// and readout weights) and a random W₀ of the same rank.
    #[arg(long)]
    aligned: bool,
    /// Seeds per W₀.
    #[arg(long, default_value_t = 3)]
    seeds: usize,
    /// First seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Base matrix before truncation: gaussian, lowrank, powerlaw, exponential, flat
    /// (rnnscope ensembles; --a/--b are their parameters), ignored with --w.
    #[arg(long, default_value = "gaussian")]
    base: String,
    /// First ensemble parameter (lowrank rank; powerlaw α; exponential κ).
    #[arg(long, default_value_t = 1.0)]
    a: f64,
    /// Second ensemble parameter (lowrank strength; random-mode overlap ρ).
    #[arg(long, default_value_t = 0.0)]
    b: f64,
    /// A user's N × N W (CSV/NPY) as the base (the paper's connectome-based W₀).
    #[arg(long)]
    w: Option<PathBuf>,
    /// Gain g of the base ensemble (authors: 1.25).
    #[arg(long, default_value_t = 1.25)]
    g: f64,
    /// Training iterations.
    #[arg(long, default_value_t = 1000)]
    iters: usize,
    /// Trials per mini-batch.
    #[arg(long, default_value_t = 32)]
    batch: usize,
    /// Learning rate.
    #[arg(long, default_value_t = 0.03)]
    lr: f64,
    /// SGD momentum.
    #[arg(long, default_value_t = 0.9)]
    momentum: f64,
    /// Optimiser: sgd (authors) or adam.
    #[arg(long, default_value = "sgd")]
    optimizer: String,
    /// Global gradient-norm clip (0 = off, as the authors).
    #[arg(long, default_value_t = 0.0)]
    clip: f64,
    /// Euler step α = dt/τ (authors: 1).
    #[arg(long, default_value_t = 1.0)]
    alpha: f64,
    /// Input noise σ per step.
    #[arg(long, default_value_t = 0.1)]
    input_noise: f64,
    /// Probe trials (representation alignment, sign similarity).
    #[arg(long, default_value_t = 128)]
    probe: usize,
    /// Probe trials used for the tangent kernel.
    #[arg(long, default_value_t = 16)]
    ntk_trials: usize,
    /// Record the along-training measures every K iterations (0 = only at the end).
    #[arg(long, default_value_t = 0)]
    record_every: usize,
    /// Leave the per-run results (and curves) out of the JSON.
    #[arg(long)]
    summary_only: bool,
    /// Compute only shard K of S (1-based): run i (0-based; W₀-major in
    /// --ranks order, then the aligned pair, then seeds) belongs to shard
    /// i mod S + 1. Writes DIR/shard-KKKK-of-SSSS.json (needs --out); a
    /// complete one is skipped.
    #[arg(long, value_name = "K/S")]
    shard: Option<String>,
    /// Output directory: report.json and timings.json (one process), or the
    /// shard file (with --shard).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// The `kind` of a richlazy shard file.
const KIND: &str = "richlazy";

/// FNV-1a (64-bit) of the shape and the entries' IEEE bits, row-major: the
/// fingerprint of a user's W in the shard parameters (the file path is not
/// stored; the same matrix read from another path merges).
fn fingerprint(m: &Array2<f64>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let (r, c) = m.dim();
    let words = [r as u64, c as u64]
        .into_iter()
        .chain(m.iter().map(|v| v.to_bits()));
    for w in words {
        for b in w.to_le_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn parse_ranks(s: &str, n: usize) -> Result<Vec<usize>> {
    s.split(',')
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            let t = t.trim();
            if t.eq_ignore_ascii_case("n") {
                Ok(n)
            } else {
                t.parse::<usize>().ok().filter(|&r| r >= 1).ok_or_else(|| {
                    Error::param("ranks", format!("`{t}` is not a positive integer or N"))
                })
            }
        })
        .collect()
}

pub fn richlazy(a: RichLazyArgs) -> Result<Value> {
    if let Some(MergeCmd::Merge(m)) = &a.merge {
        return study_shard::merge(KIND, m, report);
    }
    let mut p = Params::new(RlTaskKind::parse(&a.task)?);
    p.n = a.n;
    p.ranks = parse_ranks(&a.ranks, a.n)?;
    p.aligned = a.aligned;
    p.seeds = a.seeds;
    p.seed = a.seed;
    let base_desc;
    (p.base, base_desc) = match &a.w {
        Some(path) => {
            let m = io::read_square(&io::read_file(path)?)?;
            let d = json!({"matrix": {"rows": m.nrows(), "cols": m.ncols(),
                                      "fnv1a64": fingerprint(&m)}});
            (Base::Matrix(m), d)
        }
        None => match a.base.as_str() {
            "gaussian" | "lowrank" | "powerlaw" | "exponential" | "flat" => (
                Base::Ensemble(Ensemble::from_kind(&a.base, a.a, a.b)?),
                json!({"ensemble": a.base, "a": a.a, "b": a.b}),
            ),
            other => {
                return Err(Error::param(
                    "base",
                    format!("unknown base `{other}` (use gaussian, lowrank, powerlaw, exponential or flat, or --w FILE)"),
                ))
            }
        },
    };
    p.g = a.g;
    p.iters = a.iters;
    p.batch = a.batch;
    p.lr = a.lr;
    p.momentum = a.momentum;
    p.optimizer = match a.optimizer.as_str() {
        "sgd" => Optimizer::Sgd,
        "adam" => Optimizer::Adam,
        other => {
            return Err(Error::param(
                "optimizer",
                format!("unknown optimizer `{other}` (use sgd or adam)"),
            ))
        }
    };
    p.clip = a.clip;
    p.alpha = a.alpha;
    p.input_noise = a.input_noise;
    p.probe = a.probe;
    p.ntk_trials = a.ntk_trials;
    p.record_every = a.record_every;
    p.check()?;
    let sweep = Sweep::of(&p);
    let jobs = sweep.jobs();
    // `sweep` is all the assembly needs; the rest shapes each run and must
    // only match across shards.
    let params = json!({
        "sweep": study_shard::to_value(&sweep)?,
        "run": {"base": base_desc, "g": p.g, "batch": p.batch, "lr": p.lr,
                "momentum": p.momentum, "optimizer": p.optimizer, "clip": p.clip,
                "alpha": p.alpha, "input_noise": p.input_noise, "probe": p.probe,
                "ntk_trials": p.ntk_trials, "record_every": p.record_every},
        "summary_only": a.summary_only,
    });
    let study = Study {
        kind: KIND,
        name: KIND,
        items_key: "items",
        params: &params,
        total: jobs.len(),
    };
    study_shard::run(
        study,
        a.shard.as_deref(),
        a.out.as_deref(),
        |i| run_job(&p, jobs[i]),
        |i| format!("{:?} seed {}", jobs[i].0, jobs[i].1),
        report,
    )
}

/// The study (rows, trends, aligned pairing, runs unless `summary_only`)
/// from every run in sweep order and the stored parameters.
fn report(m: Merged<RunResult>) -> Result<Value> {
    let sweep: Sweep = study_shard::param(&m.params, "sweep")?;
    let summary_only: bool = study_shard::param(&m.params, "summary_only")?;
    let mut res = assemble(&sweep, m.items)?;
    if summary_only {
        res.runs.clear();
    }
    study_shard::to_value(&res)
}
