//! `richlazy` subcommand: the rank sweep of Liu et al. (ICLR 2024) — train
//! rate RNNs from W₀ of different effective rank and report how much the
//! weights, representations, activity signs and tangent kernel change.

use clap::Args;
use rnnscope::ensembles::Ensemble;
use rnnscope::richlazy::init::Base;
use rnnscope::richlazy::{study, Optimizer, Params, RlTaskKind};
use rnnscope::{io, Error, Result};
use serde_json::Value;
use std::path::PathBuf;

#[derive(Args)]
pub struct RichLazyArgs {
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
    let mut p = Params::new(RlTaskKind::parse(&a.task)?);
    p.n = a.n;
    p.ranks = parse_ranks(&a.ranks, a.n)?;
    p.aligned = a.aligned;
    p.seeds = a.seeds;
    p.seed = a.seed;
    p.base = match &a.w {
        Some(path) => Base::Matrix(io::read_square(&io::read_file(path)?)?),
        None => match a.base.as_str() {
            "gaussian" | "lowrank" | "powerlaw" | "exponential" | "flat" => {
                Base::Ensemble(Ensemble::from_kind(&a.base, a.a, a.b)?)
            }
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
    let mut res = study(&p)?;
    if a.summary_only {
        res.runs.clear();
    }
    serde_json::to_value(&res).map_err(|e| Error::Format(format!("JSON: {e}")))
}
