//! `train-experiment noise|perturb|both|rl`: the poster's experiments on
//! groups of motif-regularized networks (see `rnnscope::train::experiments`
//! and `rnnscope::train::rl_experiment`), with Welch/permutation tests
//! between groups. Progress goes to stderr, the JSON report to stdout.

use crate::experiment_shard;
use clap::{Args, ValueEnum};
use rnnscope::hebbff::shard::ShardSpec;
use rnnscope::train::experiments::{Experiment, ExperimentParams, NoiseKind};
use rnnscope::train::rl::{Bandit, RlConfig};
use rnnscope::train::rl_experiment::{RlExperiment, RlExperimentParams};
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
    /// Reinforcement learning on the reversal bandit: learning curves,
    /// episodes to criterion, held-out reward.
    Rl,
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
    /// Adam steps per network (default 1500; rl: 400 updates).
    #[arg(long)]
    iters: Option<u64>,
    /// Trials per mini-batch (rl: episodes per update).
    #[arg(long, default_value_t = 16)]
    batch: usize,
    /// Adam learning rate (default 0.02; rl: 0.01).
    #[arg(long)]
    lr: Option<f64>,
    /// Motif-regulariser weight λ.
    #[arg(long, default_value_t = 0.001)]
    lambda: f64,
    /// Training input noise σ (default: the task's).
    #[arg(long)]
    input_noise: Option<f64>,
    /// Training recurrent noise σ: η_i(t) in the hidden state, σ√α per Euler
    /// step (default 0.05; rl: 0).
    #[arg(long)]
    rec_noise: Option<f64>,
    /// Which noise the sweep varies: input (the task input) or recurrent
    /// (η_i(t) in the hidden state).
    #[arg(long, default_value = "input")]
    noise_kind: String,
    /// Permutations per permutation test (0 = Welch only).
    #[arg(long, default_value_t = 2000)]
    permutations: usize,
    /// perturb/both: also return network 0's kicked and unkicked
    /// trajectories per group in PC1–PC3.
    #[arg(long)]
    trajectories: bool,
    /// rl: trials per episode.
    #[arg(long, default_value_t = 50)]
    episode_trials: usize,
    /// rl: reward probability of the good arm.
    #[arg(long, default_value_t = 0.8)]
    p_good: f64,
    /// rl: probability of a reversal after each trial.
    #[arg(long, default_value_t = 0.05)]
    hazard: f64,
    /// rl: criterion on the running mean reward per trial.
    #[arg(long, default_value_t = 0.65)]
    criterion: f64,
    /// rl: updates in the criterion's running mean.
    #[arg(long, default_value_t = 20)]
    window: usize,
    /// rl: updates per point of the reported reward curve.
    #[arg(long, default_value_t = 25)]
    block: usize,
    /// A group: a motif regularisation (`level1:+1`), `none` (unregularized) or
    /// `matched` (no motif preference, ‖W‖_F projected onto the Level-3
    /// group's mean). Repeat the flag. Default: level1:+1 and level3:+1.
    #[arg(long = "group")]
    groups: Vec<String>,
    /// Input-noise levels of the sweep, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "0,0.25,0.5,0.75,1,1.5,2")]
    noise_levels: Vec<f64>,
    /// Held-out trials per noise level and network (rl: held-out episodes).
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
    /// Principal components for the latent distance (default: min(3, --n)).
    #[arg(long)]
    pcs: Option<usize>,
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
    if a.which == Which::Rl {
        return rl_experiment(a);
    }
    let task = TaskKind::parse(&a.task)?;
    if let Some(k) = a.pcs {
        if k > a.n {
            return Err(Error::param(
                "pcs",
                format!("--pcs {k} is more than --n {} hidden units", a.n),
            ));
        }
    }
    let d = ExperimentParams::default();
    let params = ExperimentParams {
        task,
        n: a.n,
        seeds: a.seeds,
        iters: a.iters.unwrap_or(d.iters),
        batch: a.batch,
        lr: a.lr.unwrap_or(d.lr),
        lambda: a.lambda,
        input_noise: a.input_noise.unwrap_or(task.defaults().1),
        rec_noise: a.rec_noise.unwrap_or(d.rec_noise),
        noise_kind: NoiseKind::parse(&a.noise_kind)?,
        permutations: a.permutations,
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
        pcs: a.pcs.unwrap_or(3.min(a.n.max(1))),
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
    if a.trajectories && a.which != Which::Noise {
        out["trajectories"] =
            serde_json::to_value(exp.trajectories(0)?).map_err(|e| Error::Format(e.to_string()))?;
    }
    if let Some(dir) = &a.out {
        experiment_shard::write_report(dir, &out)?;
    }
    out["seconds"] = json!({ "training": trained, "total": start.elapsed().as_secs_f64() });
    Ok(out)
}

/// `train-experiment rl`: groups of policy networks on the reversal bandit.
fn rl_experiment(a: TrainExperimentArgs) -> Result<Value> {
    if a.shard.is_some() {
        return Err(Error::param(
            "shard",
            "`train-experiment rl` runs in one process (its shards are not implemented); drop --shard",
        ));
    }
    if let Some(dir) = &a.out {
        super::output::check_dir_out("out", dir)?;
    }
    let d = RlExperimentParams::default();
    let params = RlExperimentParams {
        cfg: RlConfig {
            bandit: Bandit {
                trials: a.episode_trials,
                p_good: a.p_good,
                hazard: a.hazard,
            },
            n: a.n,
            rec_noise: a.rec_noise.unwrap_or(d.cfg.rec_noise),
            lr: a.lr.unwrap_or(d.cfg.lr),
            batch: a.batch,
            lambda: a.lambda,
            seed: a.seed,
            ..d.cfg
        },
        seeds: a.seeds,
        iters: a.iters.unwrap_or(d.iters),
        groups: if a.groups.is_empty() {
            d.groups
        } else {
            a.groups
        },
        criterion: a.criterion,
        window: a.window,
        block: a.block,
        test_episodes: a.test_trials,
        test_seed: a.test_seed,
        permutations: a.permutations,
    };
    let start = std::time::Instant::now();
    let per_net = params.iters.max(1);
    let mut exp = RlExperiment::new(params)?;
    let quiet = a.quiet;
    exp.train(per_net, |done, total| {
        if !quiet {
            eprintln!(
                "trained policy {}/{} ({:.0} s)",
                done / per_net,
                total / per_net,
                start.elapsed().as_secs_f64()
            );
        }
    })?;
    let trained = start.elapsed().as_secs_f64();
    let mut out = serde_json::to_value(exp.report()?).map_err(|e| Error::Format(e.to_string()))?;
    if let Some(dir) = &a.out {
        experiment_shard::write_report(dir, &out)?;
    }
    out["seconds"] = json!({ "training": trained, "total": start.elapsed().as_secs_f64() });
    Ok(out)
}
