//! `train` subcommand: train a rate RNN on a task, JSON with the loss and
//! accuracy curves and the held-out accuracy; `--out` saves W.

use clap::Args;
use rnnscope::train::{MotifRegSpec, TrainConfig, TrainParams, Trainer};
use rnnscope::{Error, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

/// `rnnscope train` flags: each one a field of [`TrainParams`] (defaults
/// from `TrainParams::default()`, the page's), validated by its `check()`.
#[derive(Args)]
pub struct TrainArgs {
    /// Task: flipflop, sine or decision.
    #[arg(long, default_value_t = TrainParams::default().task)]
    task: String,
    /// Hidden units N (1–1024).
    #[arg(long, default_value_t = TrainParams::default().n)]
    n: usize,
    /// Maximum training iterations (Adam steps, one mini-batch each).
    #[arg(long, default_value_t = TrainParams::default().iters)]
    iters: u64,
    /// Time steps per trial (default per task: flipflop 100, sine 100, decision 60).
    #[arg(long)]
    trial_steps: Option<usize>,
    /// Trials per mini-batch.
    #[arg(long, default_value_t = TrainParams::default().batch)]
    batch: usize,
    /// Adam learning rate.
    #[arg(long, default_value_t = TrainParams::default().lr)]
    lr: f64,
    /// Input noise σ (default per task: flipflop 0.1, sine 0, decision 1.0).
    #[arg(long)]
    input_noise: Option<f64>,
    /// Recurrent noise σ: η_i(t) in the hidden state, σ√α per Euler step.
    #[arg(long, default_value_t = 0.05)]
    rec_noise: f64,
    /// Soft motif presence threshold θ (|w| at which an edge is half present;
    /// default 1/√N).
    #[arg(long)]
    motif_threshold: Option<f64>,
    /// Soft motif presence temperature T (transition width; default θ/4).
    #[arg(long)]
    motif_temperature: Option<f64>,
    /// BPTT window in steps (0 = full BPTT).
    #[arg(long, default_value_t = TrainParams::default().truncate)]
    truncate: usize,
    /// Global gradient-norm clip (0 = off).
    #[arg(long, default_value_t = TrainParams::default().clip)]
    clip: f64,
    /// RNG seed (weights, batches, noise).
    #[arg(long, default_value_t = TrainParams::default().seed)]
    seed: u64,
    /// Motif regularization, e.g. level1:+1,level3:-1 or m5:-1: +1 enriches a
    /// level/motif, −1 suppresses it (loss = task − λ Σ_m sign_m c_m(W)).
    #[arg(long, default_value = "")]
    motif_reg: String,
    /// Use ½‖W‖² as the weight penalty (also the default when λ > 0 and no --motif-reg).
    #[arg(long)]
    l2: bool,
    /// Penalty weight λ (> 0: the motif regulariser with --motif-reg, else λ·½‖W‖²).
    #[arg(long, default_value_t = TrainParams::default().lambda)]
    lambda: f64,
    /// Stop once the held-out accuracy (checked every --eval-every iterations
    /// on 128 trials) reaches this; 0 = run all --iters.
    #[arg(long, default_value_t = TrainParams::default().stop_at_accuracy)]
    stop_at_accuracy: f64,
    /// Iterations between held-out checks for --stop-at-accuracy.
    #[arg(long, default_value_t = TrainParams::default().eval_every)]
    eval_every: u64,
    /// Record the curves every K iterations.
    #[arg(long, default_value_t = 10)]
    log_every: u64,
    /// Save the trained W (CSV or NPY by extension).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Largest N × trials × steps held in memory at once: BPTT keeps h and φ(h)
/// of every step (16 bytes an entry, plus temporaries): ≈ 1 GB.
const MAX_STATE_ENTRIES: usize = rnnscope::train::trainer::MAX_STATE_ENTRIES;
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

impl TrainArgs {
    /// The shared, validated parameter set.
    fn params(&self) -> Result<TrainParams> {
        let p = TrainParams {
            task: self.task.clone(),
            n: self.n,
            iters: self.iters,
            trial_steps: self.trial_steps,
            batch: self.batch,
            lr: self.lr,
            input_noise: self.input_noise,
            truncate: self.truncate,
            clip: self.clip,
            seed: self.seed,
            lambda: self.lambda,
            motif_reg: self.motif_reg.clone(),
            l2: self.l2,
            stop_at_accuracy: self.stop_at_accuracy,
            eval_every: self.eval_every,
            rec_noise: self.rec_noise,
            motif_threshold: self.motif_threshold,
            motif_temperature: self.motif_temperature,
            ..TrainParams::default()
        };
        p.check()?;
        Ok(p)
    }
}

pub fn train(a: TrainArgs) -> Result<Value> {
    if let Some(p) = &a.out {
        super::output::check_matrix_out("out", p)?;
    }
    let params = a.params()?;
    let kind = params.task_kind()?;
    let cfg = params.config()?;
    train_budget(&cfg)?;
    let (motif, penalty) = params.penalty()?;
    let spec = MotifRegSpec::parse(&params.motif_reg)?;
    let start = std::time::Instant::now();
    let mut tr = Trainer::new(cfg.clone(), penalty)?;
    let levels_before = motif.counts_by_level(&tr.net.w)?;
    let log_every = a.log_every.max(1);
    let (mut it, mut loss, mut acc, mut pen) = (vec![], vec![], vec![], vec![]);
    let mut stopped = None;
    let mut bar = super::output::Progress::new("train (iterations)", params.iters);
    for _ in 0..params.iters {
        let s = tr.step()?;
        bar.update(s.iter);
        if s.iter % log_every == 0 || s.iter == params.iters {
            it.push(s.iter);
            loss.push(s.loss);
            acc.push(s.accuracy);
            pen.push(s.penalty);
        }
        if params.stop_at_accuracy > 0.0 && s.iter % params.eval_every == 0 {
            let (_, held, _, _) = tr.evaluate(params.eval_trials, params.eval_seed)?;
            if params.reached(held) {
                stopped = Some((s.iter, held));
                break;
            }
        }
    }
    bar.finish();
    let secs = start.elapsed().as_secs_f64();
    let (test_loss, test_acc, _, _) = tr.evaluate(TEST_TRIALS, a.seed.wrapping_add(1_000_003))?;
    // The page's readout: the held-out set it checks every chunk (bit-identical
    // to the page's last numbers for the same seed and settings).
    let (held_loss, held_acc, _, _) = tr.evaluate(params.eval_trials, params.eval_seed)?;
    let mut out = json!({
        "task": kind.name(), "n": cfg.n, "trial_steps": cfg.steps, "batch": cfg.batch,
        "iters": tr.iterations(), "max_iters": params.iters, "lr": cfg.lr,
        "input_noise": cfg.input_noise,
        "truncate": cfg.truncate, "seed": cfg.seed, "lambda": cfg.lambda,
        "penalty": params.penalty_kind(),
        "rec_noise": cfg.rec_noise,
        "motif_reg": { "levels": spec.levels, "applied": params.penalty_kind() == "motif" },
        "stop_at_accuracy": params.stop_at_accuracy,
        "stopped_early": stopped.map(|(i, acc)| json!({"iter": i, "held_out_accuracy": acc})),
        "motif_counts_by_level": {
            "presence_threshold": motif.presence.threshold,
            "presence_temperature": motif.presence.temperature,
            "before": levels_before,
            "after": motif.counts_by_level(&tr.net.w)?,
        },
        "curve": { "iter": it, "loss": loss, "accuracy": acc, "penalty": pen },
        "test_loss": test_loss, "test_accuracy": test_acc, "test_trials": 256,
        "held_out": { "trials": params.eval_trials, "seed": params.eval_seed,
                      "loss": held_loss, "accuracy": held_acc },
        "seconds": secs,
    });
    if let Some(path) = a.out {
        super::connectivity::save_matrix(&path, &tr.net.w)?;
        out["out"] = json!(path.display().to_string());
    }
    Ok(out)
}

#[derive(Args)]
pub struct RlArgs {
    /// Task: bandit (two-armed bandit with reversals, Wang et al. 2018).
    #[arg(long, default_value = "bandit")]
    task: String,
    /// Hidden units N.
    #[arg(long, default_value_t = 32)]
    n: usize,
    /// Updates (Adam steps, one batch of episodes each).
    #[arg(long, default_value_t = 400)]
    iters: u64,
    /// Episodes per update.
    #[arg(long, default_value_t = 16)]
    batch: usize,
    /// Trials per episode.
    #[arg(long, default_value_t = 50)]
    trials: usize,
    /// Reward probability of the good arm.
    #[arg(long, default_value_t = 0.8)]
    p_good: f64,
    /// Probability of a reversal after each trial.
    #[arg(long, default_value_t = 0.05)]
    hazard: f64,
    /// Adam learning rate.
    #[arg(long, default_value_t = 0.01)]
    lr: f64,
    /// Discount γ.
    #[arg(long, default_value_t = 0.5)]
    gamma: f64,
    /// Euler step α = dt/τ (1 = a discrete vanilla RNN).
    #[arg(long)]
    alpha: Option<f64>,
    /// Initial gain g.
    #[arg(long)]
    g: Option<f64>,
    /// Entropy-bonus weight.
    #[arg(long, default_value_t = 0.05)]
    entropy: f64,
    /// Recurrent noise σ.
    #[arg(long, default_value_t = 0.0)]
    rec_noise: f64,
    /// Motif regularization (as for `train`), weight --lambda.
    #[arg(long, default_value = "")]
    motif_reg: String,
    /// Penalty weight λ.
    #[arg(long, default_value_t = 0.0)]
    lambda: f64,
    /// Criterion on the running mean reward per trial.
    #[arg(long, default_value_t = 0.65)]
    criterion: f64,
    /// Updates in the criterion's running mean.
    #[arg(long, default_value_t = 20)]
    window: usize,
    /// Held-out episodes.
    #[arg(long, default_value_t = 256)]
    test_episodes: usize,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// `rl`: train one policy network on the bandit; reward curve, episodes to
/// criterion, held-out reward (`rnnscope::train::rl_run`, the page's run too).
pub fn rl(a: RlArgs) -> Result<Value> {
    use rnnscope::train::rl_run::{RlParams, RlRun};
    let d = RlParams::default();
    let params = RlParams {
        task: a.task,
        n: a.n,
        iters: a.iters,
        batch: a.batch,
        trials: a.trials,
        p_good: a.p_good,
        hazard: a.hazard,
        lr: a.lr,
        gamma: a.gamma,
        alpha: a.alpha.unwrap_or(d.alpha),
        g: a.g.unwrap_or(d.g),
        entropy: a.entropy,
        rec_noise: a.rec_noise,
        motif_reg: a.motif_reg,
        lambda: a.lambda,
        criterion: a.criterion,
        window: a.window,
        test_episodes: a.test_episodes,
        seed: a.seed,
    };
    let start = std::time::Instant::now();
    let mut run = RlRun::new(params)?;
    run.advance(u64::MAX)?;
    let mut out = serde_json::to_value(run.report()?).map_err(|e| Error::Format(e.to_string()))?;
    out["seconds"] = serde_json::json!(start.elapsed().as_secs_f64());
    Ok(out)
}
