//! Seeded trial generators with accuracy readouts.
//!
//! - Flip-flop (Sussillo & Barak 2013): 3 channels; at each step each channel
//!   receives a ±1 pulse with probability 0.05; its output must hold the sign
//!   of the last pulse. Inputs carry additive Gaussian noise.
//!   Accuracy: fraction of (step, channel) with a defined target, from 3 steps
//!   after the last pulse on, where sign(y) = target.
//! - Sine generation: a static cue x ∈ [−1, 1] selects the period (10–40
//!   steps); the output must produce sin(2πt/period). Accuracy: fraction of
//!   steps (after the first 5) within 0.25 of the target.
//! - Two-choice decision (Mante et al. 2013 style): 5 fixation steps, then
//!   evidence c + noise for 60% of the trial (c ∈ ±{0.05, 0.1, 0.2, 0.4}),
//!   then a response period where the output must be sign(c). Accuracy:
//!   fraction of trials where the mean response-period output has sign(c).

// Trials are laid out per step across parallel arrays (x, target, mask, since),
// so index loops over t read more plainly than zipped iterators.
#![allow(clippy::needless_range_loop)]

use crate::error::{check_range, check_size, Error, Result};
use crate::rng;
use crate::rng::StandardNormal;
use ndarray::Array2;
use rand::distr::Distribution;
use rand::Rng;

/// Longest trial accepted.
pub const MAX_STEPS: usize = 2500;
/// Largest batch accepted.
pub const MAX_BATCH: usize = 1024;

/// Which task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// Flip-flop memory (Sussillo & Barak 2013): 3 channels, each output holds the sign of its last
    /// ±1 pulse.
    FlipFlop,
    /// Sine generation: a static cue selects the period (10–40 steps) of sin(2πt/period).
    Sine,
    /// Two-choice perceptual decision (Mante et al. 2013 style): report the sign of the noisy
    /// evidence c.
    Decision,
}

impl TaskKind {
    /// Parse `flipflop`, `sine` or `decision`.
    ///
    /// # Errors
    /// Any other name.
    pub fn parse(s: &str) -> Result<TaskKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "flipflop" | "flip-flop" => Ok(TaskKind::FlipFlop),
            "sine" => Ok(TaskKind::Sine),
            "decision" => Ok(TaskKind::Decision),
            other => Err(Error::param(
                "task",
                format!("unknown task `{other}` (use flipflop, sine or decision)"),
            )),
        }
    }

    /// The task's CLI name.
    pub fn name(self) -> &'static str {
        match self {
            TaskKind::FlipFlop => "flipflop",
            TaskKind::Sine => "sine",
            TaskKind::Decision => "decision",
        }
    }

    /// (inputs, outputs).
    pub fn dims(self) -> (usize, usize) {
        match self {
            TaskKind::FlipFlop => (3, 3),
            TaskKind::Sine | TaskKind::Decision => (1, 1),
        }
    }

    /// A reasonable default (steps, input noise).
    pub fn defaults(self) -> (usize, f64) {
        match self {
            TaskKind::FlipFlop => (100, 0.1),
            TaskKind::Sine => (100, 0.0),
            TaskKind::Decision => (60, 1.0),
        }
    }
}

/// A batch of trials laid out per step: `x[t]` is batch × inputs, `target[t]`
/// and `mask[t]` are batch × outputs. `label` is task-specific trial info
/// (decision: sign of c; others 0).
#[derive(Debug, Clone)]
pub struct Batch {
    /// Inputs per step, batch × inputs.
    pub x: Vec<Array2<f64>>,
    /// Targets per step, batch × outputs.
    pub target: Vec<Array2<f64>>,
    /// Loss mask per step (1 = scored), batch × outputs.
    pub mask: Vec<Array2<f64>>,
    /// Decision: ±1 per trial. Flip-flop: per step per channel steps since last pulse
    /// is kept in `since`.
    pub label: Vec<f64>,
    /// Flip-flop only: steps since the last pulse, per t, batch × outputs (∞ before).
    pub since: Vec<Array2<f64>>,
}

impl Batch {
    /// Consistent shapes and at least one step.
    pub fn check(&self) -> Result<()> {
        if self.x.is_empty() {
            return Err(Error::Shape("the batch has no time steps".into()));
        }
        let (b, i) = self.x[0].dim();
        let o = self.target[0].ncols();
        let ok = self.target.len() == self.x.len()
            && self.mask.len() == self.x.len()
            && self.x.iter().all(|a| a.dim() == (b, i))
            && self.target.iter().all(|a| a.dim() == (b, o))
            && self.mask.iter().all(|a| a.dim() == (b, o));
        if ok {
            Ok(())
        } else {
            Err(Error::Shape("batch arrays have inconsistent shapes".into()))
        }
    }
}

/// A task instance: kind, trial length and input noise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Task {
    /// Which task.
    pub kind: TaskKind,
    /// Steps per trial.
    pub steps: usize,
    /// Input noise σ.
    pub input_noise: f64,
}

impl Task {
    /// # Errors
    /// `steps` outside 10..=MAX_STEPS; `input_noise` outside [0, 10].
    pub fn new(kind: TaskKind, steps: usize, input_noise: f64) -> Result<Task> {
        check_size("steps", steps, 10, MAX_STEPS)?;
        check_range("input_noise", input_noise, 0.0, 10.0)?;
        Ok(Task {
            kind,
            steps,
            input_noise,
        })
    }

    /// `size` trials drawn from `seed`.
    ///
    /// # Errors
    /// `size` outside 1..=MAX_BATCH. Complexity O(size·steps·channels).
    pub fn batch(&self, size: usize, seed: u64) -> Result<Batch> {
        check_size("batch", size, 1, MAX_BATCH)?;
        let (ni, no) = self.kind.dims();
        let t_len = self.steps;
        let mut rng = rng::seeded(seed);
        let mut x = vec![Array2::<f64>::zeros((size, ni)); t_len];
        let mut target = vec![Array2::<f64>::zeros((size, no)); t_len];
        let mut mask = vec![Array2::<f64>::zeros((size, no)); t_len];
        let mut since = Vec::new();
        let mut label = vec![0.0; size];
        match self.kind {
            TaskKind::FlipFlop => {
                since = vec![Array2::<f64>::from_elem((size, no), f64::INFINITY); t_len];
                for b in 0..size {
                    for c in 0..no {
                        let (mut state, mut last) = (0.0, f64::INFINITY);
                        for t in 0..t_len {
                            if rng.random::<f64>() < 0.05 {
                                let s = if rng.random::<bool>() { 1.0 } else { -1.0 };
                                x[t][[b, c]] = s;
                                state = s;
                                last = 0.0;
                            } else {
                                last += 1.0;
                            }
                            target[t][[b, c]] = state;
                            mask[t][[b, c]] = if state != 0.0 { 1.0 } else { 0.0 };
                            since[t][[b, c]] = last;
                        }
                    }
                }
            }
            TaskKind::Sine => {
                for b in 0..size {
                    let cue: f64 = rng.random_range(-1.0..=1.0);
                    let period = 25.0 + 15.0 * cue;
                    for t in 0..t_len {
                        x[t][[b, 0]] = cue;
                        target[t][[b, 0]] =
                            crate::fmath::sin(2.0 * std::f64::consts::PI * t as f64 / period);
                        mask[t][[b, 0]] = if t >= 5 { 1.0 } else { 0.0 };
                    }
                }
            }
            TaskKind::Decision => {
                let (fix, stim_end) = decision_epochs(t_len);
                let cohs: [f64; 4] = [0.05, 0.1, 0.2, 0.4];
                for b in 0..size {
                    let c = cohs[rng.random_range(0..cohs.len())]
                        * if rng.random::<bool>() { 1.0 } else { -1.0 };
                    label[b] = c.signum();
                    for t in fix..stim_end {
                        x[t][[b, 0]] = c;
                    }
                    for t in 0..t_len {
                        target[t][[b, 0]] = if t >= stim_end { c.signum() } else { 0.0 };
                        mask[t][[b, 0]] = 1.0;
                    }
                }
            }
        }
        if self.input_noise > 0.0 {
            for xt in x.iter_mut() {
                xt.mapv_inplace(|v| {
                    v + self.input_noise * {
                        let z: f64 = StandardNormal.sample(&mut rng);
                        z
                    }
                });
            }
        }
        Ok(Batch {
            x,
            target,
            mask,
            label,
            since,
        })
    }

    /// Accuracy of outputs `y` (per step, batch × outputs) on `batch`, in [0, 1]
    /// (definitions in the module docs).
    pub fn accuracy(&self, batch: &Batch, y: &[Array2<f64>]) -> f64 {
        let (mut hit, mut tot) = (0.0, 0.0);
        match self.kind {
            TaskKind::FlipFlop => {
                for t in 0..y.len() {
                    ndarray::Zip::from(&y[t])
                        .and(&batch.target[t])
                        .and(&batch.since[t])
                        .for_each(|&yv, &z, &s| {
                            if z != 0.0 && s >= 3.0 && s.is_finite() {
                                tot += 1.0;
                                if yv.signum() == z {
                                    hit += 1.0;
                                }
                            }
                        });
                }
            }
            TaskKind::Sine => {
                for t in 0..y.len() {
                    ndarray::Zip::from(&y[t])
                        .and(&batch.target[t])
                        .and(&batch.mask[t])
                        .for_each(|&yv, &z, &m| {
                            if m > 0.0 {
                                tot += 1.0;
                                if (yv - z).abs() < 0.25 {
                                    hit += 1.0;
                                }
                            }
                        });
                }
            }
            TaskKind::Decision => {
                let (_, stim_end) = decision_epochs(y.len());
                for (b, &l) in batch.label.iter().enumerate() {
                    let m: f64 = (stim_end..y.len()).map(|t| y[t][[b, 0]]).sum();
                    tot += 1.0;
                    if m.signum() == l {
                        hit += 1.0;
                    }
                }
            }
        }
        if tot > 0.0 {
            hit / tot
        } else {
            0.0
        }
    }
}

/// (end of fixation, end of stimulus) for a decision trial of `t_len` steps.
fn decision_epochs(t_len: usize) -> (usize, usize) {
    let fix = 5.min(t_len / 4);
    (fix, fix + (t_len * 6) / 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flipflop_targets_hold_the_last_pulse() {
        let task = Task::new(TaskKind::FlipFlop, 200, 0.0).unwrap();
        let b = task.batch(4, 3).unwrap();
        for bi in 0..4 {
            for c in 0..3 {
                let mut state = 0.0;
                for t in 0..200 {
                    if b.x[t][[bi, c]] != 0.0 {
                        state = b.x[t][[bi, c]];
                    }
                    assert_eq!(b.target[t][[bi, c]], state);
                }
            }
        }
        // Perfect outputs score 1, flipped outputs 0.
        assert_eq!(task.accuracy(&b, &b.target), 1.0);
        let neg: Vec<_> = b.target.iter().map(|a| -a).collect();
        assert_eq!(task.accuracy(&b, &neg), 0.0);
    }

    #[test]
    fn same_seed_same_batch() {
        let task = Task::new(TaskKind::Decision, 50, 0.5).unwrap();
        let (a, b) = (task.batch(3, 9).unwrap(), task.batch(3, 9).unwrap());
        assert_eq!(a.x, b.x);
        assert_ne!(a.x, task.batch(3, 10).unwrap().x);
        assert_eq!(task.accuracy(&a, &a.target), 1.0);
    }

    #[test]
    fn sine_perfect_output_scores_one() {
        let task = Task::new(TaskKind::Sine, 80, 0.0).unwrap();
        let b = task.batch(3, 2).unwrap();
        assert_eq!(task.accuracy(&b, &b.target), 1.0);
        assert!(Task::new(TaskKind::Sine, 5, 0.0).is_err());
        assert!(TaskKind::parse("xor").is_err());
    }
}
