//! The three tasks of Liu et al. (ICLR 2024), built natively after neurogym
//! (Molano-Mazón et al. 2022) with the authors' timings (dt = 100 ms,
//! 8-step trials, no fixation period).
//!
//! - `decision`: rnnscope's two-choice decision task
//!   ([`crate::train::TaskKind::Decision`], 10 steps, the minimum it accepts),
//!   reused as the perceptual decision-making task (1 input, 1 output ±1).
//! - `dms` (neurogym `DelayMatchSample-v0`): inputs [fixation, stim₁, stim₂],
//!   outputs [fixation, match, non-match]. Sample 1 step, delay 5, test 1,
//!   decision 1. The sample angle θ_s ∈ {0, π} is shown as
//!   stim_k = ½ + ½cos(θ_k − θ_s); the test equals the sample on a match and is
//!   θ_s + π otherwise. Noise N(0, σ²) on the stimulus channels during sample
//!   and test; the fixation input is 1 except at the decision step.
//! - `context` (neurogym `ContextDecisionMaking-v0`): inputs [fixation,
//!   stim1_mod1, stim2_mod1, stim1_mod2, stim2_mod2, context1, context2],
//!   outputs [fixation, choice1, choice2]. Stimulus 2 steps, delay 5,
//!   decision 1. Each modality m carries its own choice c_m ∈ {1, 2} and
//!   coherence κ_m ∈ {5, 15, 50}: stim1 = (1 + s_m/100)/2, stim2 = (1 − s_m/100)/2
//!   with s_m = ±κ_m (+ for choice 1). The context input (one-hot, every
//!   step) says which modality's choice is the answer. Noise N(0, σ²) on all
//!   inputs during the stimulus; every input but the context is 0 at the
//!   decision step.
//!
//! neurogym's σ = 1 scaled by 1/√dt gives σ = 0.1 per step, our default.
//! Targets are one-hot action vectors at every step (action 0 = fixate before
//! the decision), mask 1 everywhere: the MSE analogue of the authors'
//! cross-entropy over all time steps.

// Trials are laid out per step across parallel arrays.
#![allow(clippy::needless_range_loop)]

use crate::error::{check_range, check_size, Error, Result};
use crate::rng;
use crate::train::tasks::{Batch, Task, TaskKind, MAX_BATCH};
use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, Normal};

/// Which task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RlTaskKind {
    /// Perceptual two-choice decision (rnnscope's `decision`).
    Decision,
    /// Delayed match-to-sample.
    Dms,
    /// Context-dependent decision making.
    Context,
}

impl RlTaskKind {
    /// Parse `decision`, `dms` or `context`.
    ///
    /// # Errors
    /// Any other name (the error names `task`).
    pub fn parse(s: &str) -> Result<RlTaskKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "decision" | "2af" => Ok(RlTaskKind::Decision),
            "dms" => Ok(RlTaskKind::Dms),
            "context" | "cxt" => Ok(RlTaskKind::Context),
            other => Err(Error::param(
                "task",
                format!("unknown task `{other}` (use decision, dms or context)"),
            )),
        }
    }

    /// (inputs, outputs).
    pub fn dims(self) -> (usize, usize) {
        match self {
            RlTaskKind::Decision => (1, 1),
            RlTaskKind::Dms => (3, 3),
            RlTaskKind::Context => (7, 3),
        }
    }

    /// Steps per trial.
    pub fn steps(self) -> usize {
        match self {
            RlTaskKind::Decision => 10,
            RlTaskKind::Dms | RlTaskKind::Context => 8,
        }
    }
}

/// A batch with what the measures need to know about it.
#[derive(Debug, Clone)]
pub struct TrialBatch {
    /// Inputs, targets and masks in rnnscope's training layout.
    pub batch: Batch,
    /// Correct action per trial (1 or 2; for `decision`, 1 ⇔ c > 0).
    pub answer: Vec<usize>,
    /// First step of the decision epoch (it runs to the last step).
    pub decision_start: usize,
}

/// A task instance: kind and per-step input noise σ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RlTask {
    /// Which task.
    pub kind: RlTaskKind,
    /// Input noise σ per step (neurogym σ/√dt; default 0.1).
    pub sigma: f64,
}

impl RlTask {
    /// # Errors
    /// `sigma` outside [0, 10].
    pub fn new(kind: RlTaskKind, sigma: f64) -> Result<RlTask> {
        check_range("input_noise", sigma, 0.0, 10.0)?;
        Ok(RlTask { kind, sigma })
    }

    /// `size` trials drawn from `seed`.
    ///
    /// # Errors
    /// `size` outside 1..=MAX_BATCH.
    ///
    /// # Complexity
    /// O(size · steps · inputs).
    pub fn batch(&self, size: usize, seed: u64) -> Result<TrialBatch> {
        check_size("batch", size, 1, MAX_BATCH)?;
        match self.kind {
            RlTaskKind::Decision => {
                let task = Task::new(TaskKind::Decision, self.kind.steps(), self.sigma)?;
                let batch = task.batch(size, seed)?;
                let answer = batch
                    .label
                    .iter()
                    .map(|&l| if l > 0.0 { 1 } else { 2 })
                    .collect();
                // The response epoch is where the target is non-zero.
                let decision_start = (0..batch.target.len())
                    .find(|&t| batch.target[t][[0, 0]] != 0.0)
                    .unwrap_or(batch.target.len() - 1);
                Ok(TrialBatch {
                    batch,
                    answer,
                    decision_start,
                })
            }
            RlTaskKind::Dms => Ok(self.dms(size, seed)),
            RlTaskKind::Context => Ok(self.context(size, seed)),
        }
    }

    fn empty(&self, size: usize) -> Batch {
        let (ni, no) = self.kind.dims();
        let t_len = self.kind.steps();
        Batch {
            x: vec![Array2::zeros((size, ni)); t_len],
            target: vec![Array2::zeros((size, no)); t_len],
            mask: vec![Array2::ones((size, no)); t_len],
            label: vec![0.0; size],
            since: Vec::new(),
        }
    }

    /// One-hot targets: fixate (action 0) before `dec`, `answer` from `dec` on.
    fn set_targets(b: &mut Batch, trial: usize, answer: usize, dec: usize) {
        for t in 0..b.target.len() {
            let a = if t >= dec { answer } else { 0 };
            b.target[t][[trial, a]] = 1.0;
        }
    }

    fn dms(&self, size: usize, seed: u64) -> TrialBatch {
        let mut rng = rng::seeded(seed);
        let noise = Normal::new(0.0, self.sigma.max(0.0)).ok();
        let mut b = self.empty(size);
        let (sample_t, test_t, dec) = (0, 6, 7);
        let mut answer = vec![0; size];
        for tr in 0..size {
            let ans = if rng.random::<bool>() { 1 } else { 2 };
            let s = rng.random_range(0..2usize); // θ_s = s·π
            let test = if ans == 1 { s } else { 1 - s };
            for t in 0..dec {
                b.x[t][[tr, 0]] = 1.0;
            }
            for (t, k) in [(sample_t, s), (test_t, test)] {
                // ½ + ½cos(θ_c − θ_k) is 1 on channel k and 0 on the other.
                b.x[t][[tr, 1 + k]] = 1.0;
                for c in 1..3 {
                    if let (Some(nz), true) = (&noise, self.sigma > 0.0) {
                        b.x[t][[tr, c]] += nz.sample(&mut rng);
                    }
                }
            }
            Self::set_targets(&mut b, tr, ans, dec);
            b.label[tr] = ans as f64;
            answer[tr] = ans;
        }
        TrialBatch {
            batch: b,
            answer,
            decision_start: dec,
        }
    }

    fn context(&self, size: usize, seed: u64) -> TrialBatch {
        const COHS: [f64; 3] = [5.0, 15.0, 50.0];
        let mut rng = rng::seeded(seed);
        let noise = Normal::new(0.0, self.sigma.max(0.0)).ok();
        let mut b = self.empty(size);
        let (stim_end, dec) = (2, 7);
        let mut answer = vec![0; size];
        for tr in 0..size {
            let ans = rng.random_range(1..=2usize);
            let other = rng.random_range(1..=2usize);
            let ctx = rng.random_range(0..2usize);
            let k0 = COHS[rng.random_range(0..3)];
            let k1 = COHS[rng.random_range(0..3)];
            let (c0, c1) = if ctx == 0 { (ans, other) } else { (other, ans) };
            let s0 = if c0 == 1 { k0 } else { -k0 };
            let s1 = if c1 == 1 { k1 } else { -k1 };
            for t in 0..b.x.len() {
                b.x[t][[tr, 5 + ctx]] = 1.0;
                if t < dec {
                    b.x[t][[tr, 0]] = 1.0;
                }
            }
            for t in 0..stim_end {
                b.x[t][[tr, 1]] += (1.0 + s0 / 100.0) / 2.0;
                b.x[t][[tr, 2]] += (1.0 - s0 / 100.0) / 2.0;
                b.x[t][[tr, 3]] += (1.0 + s1 / 100.0) / 2.0;
                b.x[t][[tr, 4]] += (1.0 - s1 / 100.0) / 2.0;
                if let (Some(nz), true) = (&noise, self.sigma > 0.0) {
                    for c in 0..7 {
                        b.x[t][[tr, c]] += nz.sample(&mut rng);
                    }
                }
            }
            Self::set_targets(&mut b, tr, ans, dec);
            b.label[tr] = ans as f64;
            answer[tr] = ans;
        }
        TrialBatch {
            batch: b,
            answer,
            decision_start: dec,
        }
    }

    /// Fraction of trials answered correctly. `decision`: rnnscope's readout
    /// (sign of the mean response-epoch output); `dms`/`context`: the argmax
    /// of the 3 outputs at the last step equals the correct action.
    pub fn accuracy(&self, tb: &TrialBatch, y: &[Array2<f64>]) -> f64 {
        if let RlTaskKind::Decision = self.kind {
            return Task {
                kind: TaskKind::Decision,
                steps: self.kind.steps(),
                input_noise: self.sigma,
            }
            .accuracy(&tb.batch, y);
        }
        let Some(last) = y.last() else { return 0.0 };
        let mut hit = 0usize;
        for (tr, &ans) in tb.answer.iter().enumerate() {
            let row = last.row(tr);
            let best = (0..row.len())
                .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                .unwrap_or(0);
            if best == ans {
                hit += 1;
            }
        }
        hit as f64 / tb.answer.len().max(1) as f64
    }
}
