//! One validated parameter set for a training run, shared by the CLI
//! (`rnnscope train`, flags → [`TrainParams`]) and the page (`new
//! Training(params)`, one JS object with the same snake_case keys), so the
//! same seed gives the same run in both.
//!
//! Penalty semantics (the same everywhere): loss = task + λ·penalty(W) with
//! - λ = 0: no penalty;
//! - λ > 0 and a motif spec (`motif_reg`, e.g. `level1:+1`): the poster's
//!   motif regulariser ([`MotifPenalty`]);
//! - λ > 0 and no motif spec: λ·½‖W‖²_F ([`L2Penalty`]).
//!
//! `l2 = true` asks for the L2 penalty explicitly (an error together with a
//! motif spec). Stopping: every `eval_every` iterations the network is
//! evaluated on `eval_trials` held-out trials drawn from `eval_seed`; the run
//! stops when that accuracy reaches `stop_at_accuracy` (0 = never) or after
//! `iters` iterations.

use super::penalty::{L2Penalty, MotifPenalty, MotifRegSpec, WeightPenalty};
use super::tasks::TaskKind;
use super::trainer::TrainConfig;
use crate::error::{check_range, check_size, Error, Result};
use serde::{Deserialize, Serialize};

/// Everything a training run is set up from (see the module docs for the
/// penalty and stopping rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainParams {
    /// Task: `flipflop`, `sine` or `decision`.
    pub task: String,
    /// Hidden units N (1–1024).
    pub n: usize,
    /// Maximum training iterations (Adam steps, one mini-batch each).
    pub iters: u64,
    /// Time steps per trial (`None`: the task's default).
    pub trial_steps: Option<usize>,
    /// Trials per mini-batch.
    pub batch: usize,
    /// Adam learning rate.
    pub lr: f64,
    /// Input noise σ (`None`: the task's default).
    pub input_noise: Option<f64>,
    /// BPTT window in steps (0 = full BPTT).
    pub truncate: usize,
    /// Global gradient-norm clip (0 = off).
    pub clip: f64,
    /// RNG seed (weights, batches, noise).
    pub seed: u64,
    /// Penalty weight λ.
    pub lambda: f64,
    /// Motif regularisation spec (`level1:+1,level3:-1`, `m5:-1`; empty: none).
    pub motif_reg: String,
    /// Use ½‖W‖² explicitly (λ > 0 without a motif spec does anyway).
    pub l2: bool,
    /// Stop when the held-out accuracy reaches this (0 = never).
    pub stop_at_accuracy: f64,
    /// Iterations between held-out evaluations.
    pub eval_every: u64,
    /// Held-out trials per evaluation.
    pub eval_trials: usize,
    /// Seed of the held-out trials.
    pub eval_seed: u64,
    /// Recurrent noise σ in the hidden state during training (σ√α per step).
    pub rec_noise: f64,
    /// Soft motif-presence threshold θ (`None`: 1/√N).
    pub motif_threshold: Option<f64>,
    /// Soft motif-presence temperature (`None`: θ/4).
    pub motif_temperature: Option<f64>,
}

impl Default for TrainParams {
    /// The page's defaults: flip-flop, N = 32, batch 16, lr 0.02, up to 3000
    /// iterations, stop at 0.95 held-out accuracy (128 trials, every 10
    /// iterations), no penalty.
    fn default() -> Self {
        TrainParams {
            task: "flipflop".into(),
            n: 32,
            iters: 3000,
            trial_steps: None,
            batch: 16,
            lr: 0.02,
            input_noise: None,
            truncate: 0,
            clip: 1.0,
            seed: 1,
            lambda: 0.0,
            motif_reg: String::new(),
            l2: false,
            stop_at_accuracy: 0.95,
            eval_every: 10,
            eval_trials: 128,
            eval_seed: 424_242,
            rec_noise: TrainConfig::new(TaskKind::FlipFlop).rec_noise,
            motif_threshold: None,
            motif_temperature: None,
        }
    }
}

impl TrainParams {
    /// Validate every field, naming the offending one.
    ///
    /// # Errors
    /// [`Error::Param`] for an unknown task, a bad motif spec, `l2` with a
    /// motif spec, or a value out of range.
    pub fn check(&self) -> Result<()> {
        TaskKind::parse(&self.task)?;
        check_size("n", self.n, 1, 1024)?;
        if self.iters == 0 || self.iters > 1_000_000 {
            return Err(Error::param("iters", "must be between 1 and 1000000"));
        }
        check_range("lambda", self.lambda, 0.0, 1e6)?;
        check_range("stop_at_accuracy", self.stop_at_accuracy, 0.0, 1.0)?;
        if self.eval_every == 0 || self.eval_every > 1_000_000 {
            return Err(Error::param("eval_every", "must be between 1 and 1000000"));
        }
        check_size("eval_trials", self.eval_trials, 1, 4096)?;
        if let Some(s) = self.input_noise {
            check_range("input_noise", s, 0.0, 100.0)?;
        }
        check_range("rec_noise", self.rec_noise, 0.0, 100.0)?;
        self.motif_penalty()?;
        let spec = MotifRegSpec::parse(&self.motif_reg)?;
        if self.l2 && !spec.is_empty() {
            return Err(Error::param(
                "motif-reg",
                "use either --l2 or --motif-reg, not both",
            ));
        }
        Ok(())
    }

    /// The task.
    ///
    /// # Errors
    /// Unknown task name.
    pub fn task_kind(&self) -> Result<TaskKind> {
        TaskKind::parse(&self.task)
    }

    /// The trainer's configuration (after [`check`](Self::check)).
    ///
    /// # Errors
    /// As [`check`](Self::check).
    pub fn config(&self) -> Result<TrainConfig> {
        self.check()?;
        let mut cfg = TrainConfig::new(self.task_kind()?);
        cfg.n = self.n;
        if let Some(s) = self.trial_steps {
            cfg.steps = s;
        }
        if let Some(s) = self.input_noise {
            cfg.input_noise = s;
        }
        cfg.batch = self.batch;
        cfg.lr = self.lr;
        cfg.truncate = self.truncate;
        cfg.clip = self.clip;
        cfg.seed = self.seed;
        cfg.lambda = self.lambda;
        cfg.rec_noise = self.rec_noise;
        Ok(cfg)
    }

    /// The motif penalty for reporting counts by level (whether or not it is
    /// applied), and the penalty the trainer applies (see the module docs).
    ///
    /// # Errors
    /// As [`check`](Self::check).
    pub fn penalty(&self) -> Result<(MotifPenalty, Option<Box<dyn WeightPenalty>>)> {
        self.check()?;
        let spec = MotifRegSpec::parse(&self.motif_reg)?;
        let motif = self.motif_penalty()?;
        let applied: Option<Box<dyn WeightPenalty>> = if self.lambda <= 0.0 {
            None
        } else if spec.is_empty() {
            Some(Box::new(L2Penalty))
        } else {
            Some(Box::new(motif.clone()))
        };
        Ok((motif, applied))
    }

    /// The motif penalty with the soft-presence threshold and temperature
    /// set (θ defaults to 1/√N, the temperature to θ/4 when only θ is set).
    fn motif_penalty(&self) -> Result<MotifPenalty> {
        let spec = MotifRegSpec::parse(&self.motif_reg)?;
        let mut motif = MotifPenalty::enrich(&spec, self.n.max(1));
        if let Some(t) = self.motif_threshold {
            motif.presence.threshold = t;
            if self.motif_temperature.is_none() {
                motif.presence.temperature = 0.25 * t;
            }
        }
        if let Some(t) = self.motif_temperature {
            motif.presence.temperature = t;
        }
        motif.presence.validate().map_err(|e| {
            Error::param(
                "motif_threshold",
                format!("--motif-threshold/--motif-temperature: {e}"),
            )
        })?;
        Ok(motif)
    }

    /// Which penalty is applied: `"none"`, `"l2"` or `"motif"`.
    pub fn penalty_kind(&self) -> &'static str {
        let motif = MotifRegSpec::parse(&self.motif_reg).is_ok_and(|s| !s.is_empty());
        match (self.lambda > 0.0, motif) {
            (false, _) => "none",
            (true, false) => "l2",
            (true, true) => "motif",
        }
    }

    /// True when the run should stop after an evaluation at `accuracy`.
    pub fn reached(&self, accuracy: f64) -> bool {
        self.stop_at_accuracy > 0.0 && accuracy >= self.stop_at_accuracy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn penalty_follows_lambda_and_spec() {
        let mut p = TrainParams::default();
        assert_eq!(p.penalty_kind(), "none");
        assert!(p.penalty().unwrap().1.is_none());
        p.lambda = 0.1;
        assert_eq!(p.penalty_kind(), "l2");
        // L2: ½‖W‖² of a 2 × 2 matrix of ones is 2, gradient W.
        let w = ndarray::Array2::ones((2, 2));
        let (v, g) = p.penalty().unwrap().1.unwrap().value_grad(&w).unwrap();
        assert_eq!(v, 2.0);
        assert_eq!(g, w);
        p.motif_reg = "level1:+1".into();
        assert_eq!(p.penalty_kind(), "motif");
        p.l2 = true;
        assert!(p.check().unwrap_err().to_string().contains("either --l2"));
    }

    #[test]
    fn bad_fields_are_named() {
        let bad = |f: fn(&mut TrainParams), name: &str| {
            let mut p = TrainParams::default();
            f(&mut p);
            let e = p.check().unwrap_err().to_string();
            assert!(e.contains(name), "{e} should name {name}");
        };
        bad(|p| p.n = 0, "n");
        bad(|p| p.iters = 0, "iters");
        bad(|p| p.stop_at_accuracy = 1.5, "stop_at_accuracy");
        bad(|p| p.lambda = -1.0, "lambda");
        bad(|p| p.task = "xor".into(), "unknown task");
        assert!(p_reached());
    }

    fn p_reached() -> bool {
        let p = TrainParams::default();
        p.reached(0.95) && !p.reached(0.949)
    }
}
