//! The training loop: seeded mini-batches → BPTT → λ·penalty(W) → global-norm
//! clipping → Adam. Stepwise, so the CLI can run it to the end and the page can
//! run it in short chunks between progress messages (pause = stop calling).

use super::adam::{clip_global_norm, Adam};
use super::penalty::WeightPenalty;
use super::rnn::RateRnn;
use super::tasks::{Batch, Task, TaskKind};
use crate::error::{check_range, check_size, Result};
use ndarray::Array2;

/// Settings of a training run.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Task trained on.
    pub task: TaskKind,
    /// Hidden units N.
    pub n: usize,
    /// Steps per trial.
    pub steps: usize,
    /// Input noise σ.
    pub input_noise: f64,
    /// Trials per mini-batch.
    pub batch: usize,
    /// Adam learning rate.
    pub lr: f64,
    /// Global-norm clip (≤ 0 disables).
    pub clip: f64,
    /// BPTT window (0 = full).
    pub truncate: usize,
    /// Euler step α = dt/τ.
    pub alpha: f64,
    /// Recurrent noise σ: η_i(t) in the hidden state, σ√α per Euler step.
    pub rec_noise: f64,
    /// Initial gain, W ~ N(0, g²/N).
    pub g: f64,
    /// Weight-penalty λ.
    pub lambda: f64,
    /// Seed of weights, batches and noise.
    pub seed: u64,
}

impl TrainConfig {
    /// Defaults for a task: N = 64, batch 32, lr 0.01, clip 1, full BPTT,
    /// α = 0.2, recurrent noise 0.05, g = 0.9, λ = 0.
    pub fn new(task: TaskKind) -> TrainConfig {
        let (steps, input_noise) = task.defaults();
        TrainConfig {
            task,
            n: 64,
            steps,
            input_noise,
            batch: 32,
            lr: 0.01,
            clip: 1.0,
            truncate: 0,
            alpha: 0.2,
            rec_noise: 0.05,
            g: 0.9,
            lambda: 0.0,
            seed: 1,
        }
    }
}

/// One iteration's numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepStats {
    /// Iterations done after this step.
    pub iter: u64,
    /// Task loss (masked MSE) on the training batch.
    pub loss: f64,
    /// λ·penalty(W).
    pub penalty: f64,
    /// Accuracy on the training batch.
    pub accuracy: f64,
    /// Gradient norm before clipping.
    pub grad_norm: f64,
}

/// A network, its task and optimizer, advanced one iteration at a time.
pub struct Trainer {
    /// Settings.
    pub cfg: TrainConfig,
    /// The task.
    pub task: Task,
    /// The network.
    pub net: RateRnn,
    adam: Adam,
    penalty: Option<Box<dyn WeightPenalty>>,
    /// ‖W‖_F held here by projection after every step (matched controls).
    norm_target: Option<f64>,
    iter: u64,
}

/// Seed of mini-batch `iter` (SplitMix64 finaliser of seed ⊕ iter, so batches
/// don't depend on how the run was chunked).
pub(crate) fn mix(seed: u64, iter: u64) -> u64 {
    let mut z = seed ^ iter.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Largest N × batch × steps a trainer holds for BPTT (h and φ(h) of every
/// step, 16 bytes an entry plus temporaries: ≈ 1 GB).
pub const MAX_STATE_ENTRIES: usize = 40_000_000;

impl Trainer {
    /// # Errors
    /// Any setting out of range (named in the message); n × batch × steps
    /// over [`MAX_STATE_ENTRIES`].
    pub fn new(cfg: TrainConfig, penalty: Option<Box<dyn WeightPenalty>>) -> Result<Trainer> {
        check_size("batch", cfg.batch, 1, super::tasks::MAX_BATCH)?;
        let states = cfg.n.saturating_mul(cfg.batch).saturating_mul(cfg.steps);
        if states > MAX_STATE_ENTRIES {
            return Err(crate::Error::TooLarge {
                what: "n × batch × steps (stored BPTT states, 16 bytes each)",
                got: states,
                limit: MAX_STATE_ENTRIES,
            });
        }
        check_range("lambda", cfg.lambda, 0.0, 1e6)?;
        check_range("clip", cfg.clip, 0.0, 1e9)?;
        let task = Task::new(cfg.task, cfg.steps, cfg.input_noise)?;
        let (ni, no) = cfg.task.dims();
        let net = RateRnn::new(cfg.n, ni, no, cfg.g, cfg.alpha, cfg.rec_noise, cfg.seed)?;
        let adam = Adam::new(cfg.lr, &net.block_sizes())?;
        Ok(Trainer {
            cfg,
            task,
            net,
            adam,
            penalty,
            norm_target: None,
            iter: 0,
        })
    }

    /// Hold ‖W‖_F at `target` from now on: W is rescaled now and after every
    /// Adam step (projected gradient descent on the sphere ‖W‖_F = target;
    /// see `train::groups`).
    ///
    /// # Errors
    /// `target` not positive and finite, or W is all zeros.
    pub fn set_norm_target(&mut self, target: f64) -> Result<()> {
        super::groups::check_norm_target(&self.net.w, target)?;
        self.norm_target = Some(target);
        self.project();
        Ok(())
    }

    /// The norm target, if any.
    pub fn norm_target(&self) -> Option<f64> {
        self.norm_target
    }

    fn project(&mut self) {
        if let Some(t) = self.norm_target {
            super::groups::rescale_to_norm(&mut self.net.w, t);
        }
    }

    /// Iterations done.
    pub fn iterations(&self) -> u64 {
        self.iter
    }

    /// One Adam step on a fresh seeded mini-batch.
    ///
    /// # Errors
    /// The network diverged (non-finite loss or gradient); a penalty error.
    pub fn step(&mut self) -> Result<StepStats> {
        let s = mix(self.cfg.seed, self.iter);
        let batch = self.task.batch(self.cfg.batch, s)?;
        let (loss, mut g, trace) = self.net.loss_grad(&batch, s ^ 0x5EED, self.cfg.truncate)?;
        let mut penalty = 0.0;
        if let (Some(p), true) = (&self.penalty, self.cfg.lambda > 0.0) {
            let (v, pg) = p.value_grad(&self.net.w)?;
            penalty = self.cfg.lambda * v;
            g.w.scaled_add(self.cfg.lambda, &pg);
        }
        let mut gb = g.blocks_mut();
        let grad_norm = clip_global_norm(&mut gb, self.cfg.clip);
        let grads: Vec<&[f64]> = gb.iter().map(|x| &**x).collect();
        self.adam.step(&mut self.net.blocks_mut(), &grads)?;
        self.project();
        self.iter += 1;
        Ok(StepStats {
            iter: self.iter,
            loss,
            penalty,
            accuracy: self.task.accuracy(&batch, &trace.y),
            grad_norm,
        })
    }

    /// Loss and accuracy on a held-out batch (seed fixed by `seed`), with the
    /// batch and outputs for display.
    ///
    /// # Errors
    /// Shape errors only.
    pub fn evaluate(&self, size: usize, seed: u64) -> Result<(f64, f64, Batch, Vec<Array2<f64>>)> {
        self.evaluate_on(&self.task, size, seed)
    }

    /// As [`Self::evaluate`] on another task instance (e.g. the same task with
    /// more input noise): same trial seed and recurrent-noise seed, so with
    /// `task == self.task` the numbers are identical.
    ///
    /// # Errors
    /// Shape errors only.
    pub fn evaluate_on(
        &self,
        task: &Task,
        size: usize,
        seed: u64,
    ) -> Result<(f64, f64, Batch, Vec<Array2<f64>>)> {
        let batch = task.batch(size, seed)?;
        let trace = self.net.forward(&batch, seed ^ 0xE7A1)?;
        let loss = self.net.loss(&batch, &trace);
        let acc = task.accuracy(&batch, &trace.y);
        Ok((loss, acc, batch, trace.y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::penalty::L2Penalty;

    #[test]
    fn chunking_does_not_change_the_run() {
        let mut cfg = TrainConfig::new(TaskKind::FlipFlop);
        cfg.n = 8;
        cfg.steps = 20;
        cfg.batch = 4;
        let mut a = Trainer::new(cfg.clone(), None).unwrap();
        let mut b = Trainer::new(cfg, None).unwrap();
        for _ in 0..6 {
            a.step().unwrap();
        }
        for _ in 0..3 {
            b.step().unwrap();
        }
        for _ in 0..3 {
            b.step().unwrap();
        }
        assert_eq!(a.net, b.net);
    }

    #[test]
    fn l2_penalty_shrinks_w() {
        let mut cfg = TrainConfig::new(TaskKind::Sine);
        cfg.n = 16;
        cfg.steps = 30;
        cfg.batch = 4;
        let mut plain = Trainer::new(cfg.clone(), None).unwrap();
        cfg.lambda = 0.05;
        let mut reg = Trainer::new(cfg, Some(Box::new(L2Penalty))).unwrap();
        for _ in 0..60 {
            plain.step().unwrap();
            reg.step().unwrap();
        }
        let norm = |t: &Trainer| t.net.w.iter().map(|x| x * x).sum::<f64>();
        assert!(
            norm(&reg) < 0.8 * norm(&plain),
            "{} vs {}",
            norm(&reg),
            norm(&plain)
        );
    }
}
