//! `train-experiment noise|perturb|both`: the poster's two experiments on
//! groups of motif-regularized networks (see `rnnscope::train::experiments`).
//! Progress goes to stderr, the JSON report to stdout.

use crate::experiment_shard;
use clap::{Args, ValueEnum};
use rnnscope::hebbff::shard::ShardSpec;
use rnnscope::train::experiments::{Experiment, ExperimentParams};
use rnnscope::train::TaskKind;
use rnnscope::{Error, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    /// Accuracy as input noise grows.
    Noise,
    /// Output deviation and PC distance after a kick to the hidden state.
    Perturb,
    /// Both, on the same trained networks.
    Both,
    /// Merge the shard files of `--shard K/S` runs: `merge DIR… --out OUT`.
    Merge,
}

#[derive(Args)]
pub struct TrainExperimentArgs {
    /// Which experiment.
    #[arg(value_enum)]
    which: Which,
    /// Task: flipflop, sine or decision.
    #[arg(long, default_value = "flipflop")]
    task: String,
    /// Networks (seeds) per group.
    #[arg(long, default_value_t = 5)]
    seeds: usize,
    /// Hidden units N.
    #[arg(long, default_value_t = 32)]
    n: usize,
    /// Adam steps per network.
    #[arg(long, default_value_t = 1500)]
    iters: u64,
    /// Trials per mini-batch.
    #[arg(long, default_value_t = 16)]
    batch: usize,
    /// Adam learning rate.
    #[arg(long, default_value_t = 0.02)]
    lr: f64,
    /// Motif-regulariser weight λ.
    #[arg(long, default_value_t = 0.001)]
    lambda: f64,
    /// Training input noise σ (default: the task's).
    #[arg(long)]
    input_noise: Option<f64>,
    /// A group's motif regularisation (repeat the flag; `none` = unregularized).
    /// Default: level1:+1 and level3:+1 (enrich level 1 / enrich level 3).
    #[arg(long = "group")]
    groups: Vec<String>,
    /// Input-noise levels of the sweep, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "0,0.25,0.5,0.75,1,1.5,2")]
    noise_levels: Vec<f64>,
    /// Held-out trials per noise level and network.
    #[arg(long, default_value_t = 128)]
    test_trials: usize,
    /// Kick size: ‖δh‖ = kick·√N.
    #[arg(long, default_value_t = 0.5)]
    kick: f64,
    /// Step at which the kick is added.
    #[arg(long, default_value_t = 50)]
    kick_step: usize,
    /// Steps followed after the kick.
    #[arg(long, default_value_t = 100)]
    horizon: usize,
    /// Perturbation trials per network.
    #[arg(long, default_value_t = 4)]
    trials: usize,
    /// Kicks per trial.
    #[arg(long, default_value_t = 8)]
    kicks: usize,
    /// Principal components for the latent distance.
    #[arg(long, default_value_t = 3)]
    pcs: usize,
    /// First network seed (network k of every group uses seed + k).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Seed of the test trials, noise and kicks.
    #[arg(long, default_value_t = 20_251_123)]
    test_seed: u64,
    /// No progress lines on stderr.
    #[arg(long)]
    quiet: bool,
    /// Compute only shard K of S (1-based): seed index k (0-based; network k
    /// of every group, seed `seed + k`) belongs to shard k mod S + 1. Writes
    /// DIR/shard-KKKK-of-SSSS.json (needs --out); a complete one is skipped.
    #[arg(long, value_name = "K/S")]
    shard: Option<String>,
    /// Output directory: report.json (one process or merge), or the shard file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// `merge` only: shard directories (every shard-*.json) or shard files.
    inputs: Vec<PathBuf>,
}

pub fn train_experiment(a: TrainExperimentArgs) -> Result<Value> {
    if a.which == Which::Merge {
        return experiment_shard::merge(&a.inputs, a.out.as_deref());
    }
    if let Some(p) = a.inputs.first() {
        return Err(Error::param(
            "inputs",
            format!(
                "unexpected argument {} (only `merge` takes files)",
                p.display()
            ),
        ));
    }
    let task = TaskKind::parse(&a.task)?;
    let d = ExperimentParams::default();
    let params = ExperimentParams {
        task,
        n: a.n,
        seeds: a.seeds,
        iters: a.iters,
        batch: a.batch,
        lr: a.lr,
        lambda: a.lambda,
        input_noise: a.input_noise.unwrap_or(task.defaults().1),
        seed: a.seed,
        groups: if a.groups.is_empty() {
            d.groups
        } else {
            a.groups
        },
        noise_levels: a.noise_levels,
        test_trials: a.test_trials,
        test_seed: a.test_seed,
        kick: a.kick,
        kick_step: a.kick_step,
        horizon: a.horizon,
        trials: a.trials,
        kicks: a.kicks,
        pcs: a.pcs,
    };
    if let Some(spec) = a.shard.as_deref() {
        let spec = ShardSpec::parse(spec)?;
        let dir = a.out.as_deref().ok_or_else(|| {
            Error::param(
                "out",
                "--shard needs --out DIR (the shard file is written there)",
            )
        })?;
        let (noise, perturb) = (a.which != Which::Perturb, a.which != Which::Noise);
        return experiment_shard::run_shard(params, noise, perturb, spec, dir, a.quiet);
    }
    let start = std::time::Instant::now();
    let mut exp = Experiment::new(params)?;
    let per_net = exp.params().iters.max(1);
    let quiet = a.quiet;
    exp.train(per_net, |done, total| {
        if !quiet {
            eprintln!(
                "trained network {}/{} ({:.0} s)",
                done / per_net,
                total / per_net,
                start.elapsed().as_secs_f64()
            );
        }
    })?;
    let trained = start.elapsed().as_secs_f64();
    let report = exp.report(a.which != Which::Perturb, a.which != Which::Noise)?;
    let mut out = serde_json::to_value(&report).map_err(|e| Error::Format(e.to_string()))?;
    if let Some(dir) = &a.out {
        experiment_shard::write_report(dir, &out)?;
    }
    out["seconds"] = json!({ "training": trained, "total": start.elapsed().as_secs_f64() });
    Ok(out)
}
