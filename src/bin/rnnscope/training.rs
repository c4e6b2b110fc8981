//! `train` subcommand: train a rate RNN on a task, JSON with the loss and
//! accuracy curves and the held-out accuracy; `--out` saves W.

use clap::Args;
use rnnscope::train::{
    L2Penalty, MotifPenalty, MotifRegSpec, TaskKind, TrainConfig, Trainer, WeightPenalty,
};
use rnnscope::{Error, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Args)]
pub struct TrainArgs {
    /// Task: flipflop, sine or decision.
    #[arg(long, default_value = "flipflop")]
    task: String,
    /// Hidden units N (1–1024).
    #[arg(long, default_value_t = 64)]
    n: usize,
    /// Training iterations (Adam steps, one mini-batch each).
    #[arg(long, default_value_t = 500)]
    iters: u64,
    /// Time steps per trial (default per task: flipflop 100, sine 100, decision 60).
    #[arg(long)]
    trial_steps: Option<usize>,
    /// Trials per mini-batch.
    #[arg(long, default_value_t = 32)]
    batch: usize,
    /// Adam learning rate.
    #[arg(long, default_value_t = 0.01)]
    lr: f64,
    /// Input noise σ (default per task: flipflop 0.1, sine 0, decision 1.0).
    #[arg(long)]
    input_noise: Option<f64>,
    /// BPTT window in steps (0 = full BPTT).
    #[arg(long, default_value_t = 0)]
    truncate: usize,
    /// Global gradient-norm clip (0 = off).
    #[arg(long, default_value_t = 1.0)]
    clip: f64,
    /// RNG seed (weights, batches, noise).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Motif regularization, e.g. level1:+1,level3:-1 or m5:-1: +1 enriches a
    /// level/motif, −1 suppresses it (loss = task − λ Σ_m sign_m c_m(W)).
    #[arg(long, default_value = "")]
    motif_reg: String,
    /// Use ½‖W‖² as the weight penalty (the motif-free penalty).
    #[arg(long)]
    l2: bool,
    /// Penalty weight λ.
    #[arg(long, default_value_t = 0.0)]
    lambda: f64,
    /// Record the curves every K iterations.
    #[arg(long, default_value_t = 10)]
    log_every: u64,
    /// Save the trained W (CSV or NPY by extension).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Largest N × trials × steps held in memory at once: BPTT keeps h and φ(h)
/// of every step (16 bytes an entry, plus temporaries): ≈ 1 GB.
const MAX_STATE_ENTRIES: usize = 40_000_000;
/// Held-out trials of the final evaluation (one batch).
const TEST_TRIALS: usize = 256;

/// Refuse a run whose stored BPTT states would exceed [`MAX_STATE_ENTRIES`].
fn train_budget(cfg: &TrainConfig) -> Result<()> {
    // Each flag's own range first, so an absurd single value is named alone.
    rnnscope::error::check_size("n", cfg.n, 1, rnnscope::train::rnn::MAX_UNITS)?;
    rnnscope::error::check_size("batch", cfg.batch, 1, rnnscope::train::tasks::MAX_BATCH)?;
    rnnscope::error::check_size(
        "trial_steps",
        cfg.steps,
        10,
        rnnscope::train::tasks::MAX_STEPS,
    )?;
    let trials = cfg.batch.max(TEST_TRIALS);
    let got = cfg.n.saturating_mul(trials).saturating_mul(cfg.steps);
    if got > MAX_STATE_ENTRIES {
        return Err(Error::TooLarge {
            what: "--n × max(--batch, 256 test trials) × --trial-steps (stored RNN states, 16 bytes each)",
            got,
            limit: MAX_STATE_ENTRIES,
        });
    }
    Ok(())
}

pub fn train(a: TrainArgs) -> Result<Value> {
    if let Some(p) = &a.out {
        super::output::check_matrix_out("out", p)?;
    }
    let kind = TaskKind::parse(&a.task)?;
    let mut cfg = TrainConfig::new(kind);
    cfg.n = a.n;
    if let Some(s) = a.trial_steps {
        cfg.steps = s;
    }
    if let Some(s) = a.input_noise {
        cfg.input_noise = s;
    }
    cfg.batch = a.batch;
    cfg.lr = a.lr;
    cfg.truncate = a.truncate;
    cfg.clip = a.clip;
    cfg.seed = a.seed;
    cfg.lambda = a.lambda;
    if a.iters == 0 || a.iters > 1_000_000 {
        return Err(Error::param("iters", "must be between 1 and 1000000"));
    }
    train_budget(&cfg)?;
    let spec = MotifRegSpec::parse(&a.motif_reg)?;
    if a.l2 && !spec.is_empty() {
        return Err(Error::param(
            "motif-reg",
            "use either --l2 or --motif-reg, not both",
        ));
    }
    let motif = MotifPenalty::enrich(&spec, cfg.n);
    let penalty: Option<Box<dyn WeightPenalty>> = if a.l2 {
        Some(Box::new(L2Penalty))
    } else if !spec.is_empty() {
        Some(Box::new(motif.clone()))
    } else {
        None
    };
    let start = std::time::Instant::now();
    let mut tr = Trainer::new(cfg.clone(), penalty)?;
    let levels_before = motif.counts_by_level(&tr.net.w)?;
    let log_every = a.log_every.max(1);
    let (mut it, mut loss, mut acc, mut pen) = (vec![], vec![], vec![], vec![]);
    let mut bar = super::output::Progress::new("train (iterations)", a.iters);
    for _ in 0..a.iters {
        let s = tr.step()?;
        bar.update(s.iter);
        if s.iter % log_every == 0 || s.iter == a.iters {
            it.push(s.iter);
            loss.push(s.loss);
            acc.push(s.accuracy);
            pen.push(s.penalty);
        }
    }
    bar.finish();
    let secs = start.elapsed().as_secs_f64();
    let (test_loss, test_acc, _, _) = tr.evaluate(TEST_TRIALS, a.seed.wrapping_add(1_000_003))?;
    let mut out = json!({
        "task": kind.name(), "n": cfg.n, "trial_steps": cfg.steps, "batch": cfg.batch,
        "iters": a.iters, "lr": cfg.lr, "input_noise": cfg.input_noise,
        "truncate": cfg.truncate, "seed": cfg.seed, "lambda": cfg.lambda,
        "motif_reg": { "levels": spec.levels, "applied": !spec.is_empty() && cfg.lambda > 0.0 },
        "motif_counts_by_level": {
            "presence_threshold": motif.presence.threshold,
            "before": levels_before,
            "after": motif.counts_by_level(&tr.net.w)?,
        },
        "curve": { "iter": it, "loss": loss, "accuracy": acc, "penalty": pen },
        "test_loss": test_loss, "test_accuracy": test_acc, "test_trials": 256,
        "seconds": secs,
    });
    if let Some(path) = a.out {
        super::connectivity::save_matrix(&path, &tr.net.w)?;
        out["out"] = json!(path.display().to_string());
    }
    Ok(out)
}
