//! Reinforcement learning with the rate RNN as the policy: a two-armed
//! bandit with reversals in the meta-RL style of Wang et al. (2018, "Prefrontal
//! cortex as a meta-reinforcement learning system", Nat. Neurosci. 21:860).
//!
//! **Task.** An episode has `trials` trials. One arm pays 1 with probability
//! `p_good`, the other with 1 − `p_good`; which arm is good is drawn at the
//! start and swaps after each trial with probability `hazard` (reversals).
//! On trial t the network sees the previous action (one-hot, 2 inputs) and
//! the previous reward (1 input); zeros on trial 0 — so it must learn, within
//! the episode and in its activity, which arm is currently good.
//!
//! **Policy.** One Euler step of the RNN per trial ([`RateRnn::step_batch`]);
//! outputs y = (z₀, z₁, V): π = softmax(z₀, z₁), V the value estimate.
//!
//! **Learning.** Advantage actor-critic with Monte-Carlo returns (REINFORCE
//! with a learned baseline, Williams 1992; Mnih et al. 2016), through full
//! BPTT over the episode. With G_t = Σ_{k≥t} γ^{k−t} r_k and the advantage
//! A_t = G_t − V_t held fixed (no gradient), the surrogate loss over B episodes
//! of T trials is
//!
//! L = 1/(BT) Σ_{b,t} [ −A_t log π(a_t) + c_v·½(V_t − G_t)² − c_e·H(π_t) ],
//!
//! whose output gradients are ∂L/∂z_k = [−A(1{k=a} − π_k) + c_e π_k(log π_k + H)]/(BT)
//! and ∂L/∂V = c_v(V − G)/(BT); [`RateRnn::backward`] carries them through
//! time. For fixed sampled actions this is an ordinary differentiable function
//! of the parameters — the gradient check in the tests compares it with
//! central finite differences.

use super::adam::{clip_global_norm, Adam};
use super::penalty::WeightPenalty;
use super::rnn::{RateRnn, RnnGrads, Trace};
use crate::error::{check_range, check_size, Error, Result};
use crate::rng;
use ndarray::Array2;
use rand::Rng;
use serde::{Deserialize, Serialize};

/// Settings of the bandit task.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bandit {
    /// Trials per episode.
    pub trials: usize,
    /// Reward probability of the good arm (the other pays 1 − p_good).
    pub p_good: f64,
    /// Probability that the arms swap after a trial.
    pub hazard: f64,
}

impl Default for Bandit {
    /// 50 trials, p_good = 0.8, hazard 0.05 (a reversal every 20 trials on average).
    fn default() -> Self {
        Bandit {
            trials: 50,
            p_good: 0.8,
            hazard: 0.05,
        }
    }
}

/// Settings of policy training. [`RlConfig::check`] validates them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RlConfig {
    /// The task.
    pub bandit: Bandit,
    /// Hidden units.
    pub n: usize,
    /// Euler step α = dt/τ.
    pub alpha: f64,
    /// Recurrent noise σ (σ√α per step).
    pub rec_noise: f64,
    /// Initial gain: W ~ N(0, g²/N).
    pub g: f64,
    /// Adam learning rate.
    pub lr: f64,
    /// Episodes per update.
    pub batch: usize,
    /// Discount γ of the returns.
    pub gamma: f64,
    /// Value-loss weight c_v.
    pub value_coef: f64,
    /// Entropy-bonus weight c_e.
    pub entropy_coef: f64,
    /// Global-norm gradient clip (0 = off).
    pub clip: f64,
    /// Weight-penalty λ (motif regulariser).
    pub lambda: f64,
    /// Seed of the weights, episodes, actions and noise.
    pub seed: u64,
}

impl Default for RlConfig {
    /// N = 32, α = 0.5, no recurrent noise, g = 0.9, lr 0.01, 16 episodes
    /// per update, γ = 0.5, c_v = 0.5, c_e = 0.05, clip 1, λ = 0, seed 1.
    fn default() -> Self {
        RlConfig {
            bandit: Bandit::default(),
            n: 32,
            alpha: 0.5,
            rec_noise: 0.0,
            g: 0.9,
            lr: 0.01,
            batch: 16,
            gamma: 0.5,
            value_coef: 0.5,
            entropy_coef: 0.05,
            clip: 1.0,
            lambda: 0.0,
            seed: 1,
        }
    }
}

impl RlConfig {
    /// Check every setting; errors name the parameter.
    ///
    /// # Errors
    /// [`Error::Param`] for a value out of range.
    pub fn check(&self) -> Result<()> {
        check_size("trials", self.bandit.trials, 1, 10_000)?;
        check_range("p_good", self.bandit.p_good, 0.0, 1.0)?;
        check_range("hazard", self.bandit.hazard, 0.0, 1.0)?;
        check_size("batch", self.batch, 1, 4096)?;
        check_range("gamma", self.gamma, 0.0, 1.0)?;
        check_range("value_coef", self.value_coef, 0.0, 1e3)?;
        check_range("entropy_coef", self.entropy_coef, 0.0, 1e3)?;
        check_range("clip", self.clip, 0.0, 1e9)?;
        check_range("lambda", self.lambda, 0.0, 1e6)?;
        Ok(())
    }
}

/// A batch of played episodes: inputs, trace, actions and rewards.
#[derive(Debug, Clone)]
pub struct Episodes {
    /// Inputs x_t (batch × 3): previous action one-hot, previous reward.
    pub x: Vec<Array2<f64>>,
    /// The network's trace on `x`.
    pub trace: Trace,
    /// Action a_t[b] ∈ {0, 1}.
    pub actions: Vec<Vec<usize>>,
    /// Reward r_t[b] ∈ {0, 1}.
    pub rewards: Vec<Vec<f64>>,
    /// Whether a_t[b] was the good arm.
    pub correct: Vec<Vec<bool>>,
}

impl Episodes {
    /// Mean reward per trial.
    pub fn mean_reward(&self) -> f64 {
        mean2(&self.rewards)
    }

    /// Fraction of trials on which the good arm was chosen.
    pub fn good_choice(&self) -> f64 {
        let c: Vec<Vec<f64>> = self
            .correct
            .iter()
            .map(|r| r.iter().map(|&c| f64::from(u8::from(c))).collect())
            .collect();
        mean2(&c)
    }
}

fn mean2(x: &[Vec<f64>]) -> f64 {
    let n: usize = x.iter().map(Vec::len).sum();
    x.iter().flatten().sum::<f64>() / n.max(1) as f64
}

/// Softmax of the first two outputs, stably.
fn policy(y: ndarray::ArrayView1<f64>) -> [f64; 2] {
    let m = y[0].max(y[1]);
    let (e0, e1) = (crate::fmath::exp(y[0] - m), crate::fmath::exp(y[1] - m));
    [e0 / (e0 + e1), e1 / (e0 + e1)]
}

/// Play `batch` episodes with the network's stochastic policy. The arms,
/// reversals and rewards come from `env_seed`, the action draws from
/// `action_seed`, the recurrent noise from `noise_seed`.
///
/// # Errors
/// The network is not 3 inputs × 3 outputs; a bad task setting.
/// Complexity: O(batch · trials · N²).
pub fn play(
    net: &RateRnn,
    bandit: &Bandit,
    batch: usize,
    env_seed: u64,
    action_seed: u64,
) -> Result<Episodes> {
    if net.inputs() != 3 || net.outputs() != 3 {
        return Err(Error::Shape(
            "the bandit policy needs 3 inputs (previous action ×2, reward) and 3 outputs (2 logits, value)"
                .into(),
        ));
    }
    check_size("batch", batch, 1, 4096)?;
    let n = net.n();
    let mut env = rng::seeded(env_seed);
    let mut act = rng::seeded(action_seed);
    let mut noise = rng::seeded(env_seed ^ 0x0005_EED0_FA11);
    let mut good: Vec<usize> = (0..batch).map(|_| env.random_range(0..2)).collect();
    let mut h = Array2::<f64>::zeros((batch, n));
    let mut r = Array2::<f64>::zeros((batch, n));
    let mut trace = Trace {
        h: vec![h.clone()],
        r: vec![r.clone()],
        y: Vec::new(),
    };
    let mut xs = Vec::with_capacity(bandit.trials);
    let mut x = Array2::<f64>::zeros((batch, 3));
    let (mut actions, mut rewards, mut correct) = (vec![], vec![], vec![]);
    for _ in 0..bandit.trials {
        let (hn, rn, y) = net.step_batch(&h, &r, &x, &mut noise);
        let mut a_t = Vec::with_capacity(batch);
        let mut r_t = Vec::with_capacity(batch);
        let mut c_t = Vec::with_capacity(batch);
        let mut xn = Array2::<f64>::zeros((batch, 3));
        for b in 0..batch {
            let pi = policy(y.row(b));
            if !pi[0].is_finite() {
                return Err(Error::Numeric(
                    "the policy is not finite (the network diverged; lower lr)".into(),
                ));
            }
            let a = usize::from(act.random::<f64>() >= pi[0]);
            let p = if a == good[b] {
                bandit.p_good
            } else {
                1.0 - bandit.p_good
            };
            let rew = f64::from(u8::from(env.random::<f64>() < p));
            c_t.push(a == good[b]);
            if env.random::<f64>() < bandit.hazard {
                good[b] = 1 - good[b];
            }
            xn[[b, a]] = 1.0;
            xn[[b, 2]] = rew;
            a_t.push(a);
            r_t.push(rew);
        }
        xs.push(x);
        x = xn;
        trace.h.push(hn.clone());
        trace.r.push(rn.clone());
        trace.y.push(y);
        h = hn;
        r = rn;
        actions.push(a_t);
        rewards.push(r_t);
        correct.push(c_t);
    }
    Ok(Episodes {
        x: xs,
        trace,
        actions,
        rewards,
        correct,
    })
}

/// Discounted returns G_t = r_t + γ G_{t+1} (per trial, per episode).
pub fn returns(rewards: &[Vec<f64>], gamma: f64) -> Vec<Vec<f64>> {
    let mut g = rewards.to_vec();
    for t in (0..g.len().saturating_sub(1)).rev() {
        for b in 0..g[t].len() {
            g[t][b] += gamma * g[t + 1][b];
        }
    }
    g
}

/// Advantages A_t = G_t − V_t from a trace (held fixed in the loss).
pub fn advantages(trace: &Trace, g: &[Vec<f64>]) -> Vec<Vec<f64>> {
    g.iter()
        .enumerate()
        .map(|(t, gt)| {
            gt.iter()
                .enumerate()
                .map(|(b, &v)| v - trace.y[t][[b, 2]])
                .collect()
        })
        .collect()
}

/// The actor-critic surrogate loss (module docs) of `trace`'s outputs for
/// fixed `actions`, advantages `adv` and returns `g`, and ∂L/∂y_t.
///
/// Complexity: O(T · B).
pub fn surrogate(
    trace: &Trace,
    actions: &[Vec<usize>],
    adv: &[Vec<f64>],
    g: &[Vec<f64>],
    cfg: &RlConfig,
) -> (f64, Vec<Array2<f64>>) {
    let steps = trace.y.len();
    let bsz = trace.y.first().map_or(0, |y| y.nrows());
    let scale = 1.0 / (steps * bsz).max(1) as f64;
    let mut loss = 0.0;
    let mut dy = Vec::with_capacity(steps);
    for t in 0..steps {
        let mut d = Array2::<f64>::zeros((bsz, 3));
        for b in 0..bsz {
            let y = trace.y[t].row(b);
            let pi = policy(y);
            let a = actions[t][b];
            let logp = [
                crate::fmath::ln(pi[0].max(1e-300)),
                crate::fmath::ln(pi[1].max(1e-300)),
            ];
            let ent = -(pi[0] * logp[0] + pi[1] * logp[1]);
            let v = y[2];
            loss += scale
                * (-adv[t][b] * logp[a] + cfg.value_coef * 0.5 * (v - g[t][b]).powi(2)
                    - cfg.entropy_coef * ent);
            for k in 0..2 {
                let ind = f64::from(u8::from(k == a));
                d[[b, k]] = scale
                    * (-adv[t][b] * (ind - pi[k]) + cfg.entropy_coef * pi[k] * (logp[k] + ent));
            }
            d[[b, 2]] = scale * cfg.value_coef * (v - g[t][b]);
        }
        dy.push(d);
    }
    (loss, dy)
}

/// One update's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RlStats {
    /// Updates done.
    pub iter: u64,
    /// Mean reward per trial in this update's episodes.
    pub reward: f64,
    /// Fraction of good-arm choices in this update's episodes.
    pub good_choice: f64,
    /// Surrogate loss (without the weight penalty).
    pub loss: f64,
    /// Gradient norm before clipping.
    pub grad_norm: f64,
}

/// A policy network and its optimizer, advanced one update at a time.
pub struct RlTrainer {
    /// Settings.
    pub cfg: RlConfig,
    /// The policy network (3 inputs, 3 outputs).
    pub net: RateRnn,
    adam: Adam,
    penalty: Option<Box<dyn WeightPenalty>>,
    norm_target: Option<f64>,
    iter: u64,
}

impl RlTrainer {
    /// A fresh policy (W ~ N(0, g²/N) from `cfg.seed`).
    ///
    /// # Errors
    /// As [`RlConfig::check`] and [`RateRnn::new`].
    pub fn new(cfg: RlConfig, penalty: Option<Box<dyn WeightPenalty>>) -> Result<RlTrainer> {
        cfg.check()?;
        let net = RateRnn::new(cfg.n, 3, 3, cfg.g, cfg.alpha, cfg.rec_noise, cfg.seed)?;
        let adam = Adam::new(cfg.lr, &net.block_sizes())?;
        Ok(RlTrainer {
            cfg,
            net,
            adam,
            penalty,
            norm_target: None,
            iter: 0,
        })
    }

    /// Updates done.
    pub fn iterations(&self) -> u64 {
        self.iter
    }

    /// Hold ‖W‖_F at `target` by rescaling now and after every update (the
    /// matched control; see `train::groups`).
    ///
    /// # Errors
    /// `target` not positive and finite; W = 0.
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

    /// Loss and parameter gradients of one batch of played episodes.
    ///
    /// # Errors
    /// A penalty error.
    pub fn loss_grad(&self, ep: &Episodes) -> Result<(f64, RnnGrads)> {
        let g = returns(&ep.rewards, self.cfg.gamma);
        let adv = advantages(&ep.trace, &g);
        let (loss, dy) = surrogate(&ep.trace, &ep.actions, &adv, &g, &self.cfg);
        Ok((loss, self.net.backward(&ep.x, &ep.trace, &dy, 0)))
    }

    /// Play a fresh seeded batch of episodes and take one Adam step.
    ///
    /// # Errors
    /// The network diverged; a penalty error.
    /// Complexity: O(batch · trials · N²) plus O(N³) with a motif penalty.
    pub fn step(&mut self) -> Result<RlStats> {
        let s = crate::train::trainer::mix(self.cfg.seed, self.iter);
        let ep = play(&self.net, &self.cfg.bandit, self.cfg.batch, s, s ^ 0xAC7)?;
        let (loss, mut g) = self.loss_grad(&ep)?;
        if !loss.is_finite() {
            return Err(Error::Numeric(
                "the RL loss is not finite (the network diverged; lower lr)".into(),
            ));
        }
        if let (Some(p), true) = (&self.penalty, self.cfg.lambda > 0.0) {
            let (_, pg) = p.value_grad(&self.net.w)?;
            g.w.scaled_add(self.cfg.lambda, &pg);
        }
        let mut gb = g.blocks_mut();
        let grad_norm = clip_global_norm(&mut gb, self.cfg.clip);
        let grads: Vec<&[f64]> = gb.iter().map(|x| &**x).collect();
        self.adam.step(&mut self.net.blocks_mut(), &grads)?;
        self.project();
        self.iter += 1;
        Ok(RlStats {
            iter: self.iter,
            reward: ep.mean_reward(),
            good_choice: ep.good_choice(),
            loss,
            grad_norm,
        })
    }

    /// Mean reward and good-arm fraction on `episodes` held-out episodes
    /// (stochastic policy; environment and actions from `seed`).
    ///
    /// # Errors
    /// As [`play`].
    pub fn evaluate(&self, episodes: usize, seed: u64) -> Result<(f64, f64)> {
        let ep = play(&self.net, &self.cfg.bandit, episodes, seed, seed ^ 0xE7A1)?;
        Ok((ep.mean_reward(), ep.good_choice()))
    }
}

/// Episodes to criterion: the number of training episodes (updates × batch)
/// after which the mean reward of the last `window` updates first reaches
/// `criterion`; None if it never does.
///
/// Complexity: O(len).
pub fn episodes_to_criterion(
    rewards: &[f64],
    batch: usize,
    window: usize,
    criterion: f64,
) -> Option<usize> {
    let w = window.max(1);
    if rewards.len() < w {
        return None;
    }
    let mut s: f64 = rewards[..w].iter().sum();
    for end in w..=rewards.len() {
        if end > w {
            s += rewards[end - 1] - rewards[end - 1 - w];
        }
        if s / w as f64 >= criterion {
            return Some(end * batch);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::gradcheck::{central_diff, max_rel_err};

    #[test]
    fn returns_by_hand() {
        let g = returns(&[vec![1.0], vec![0.0], vec![1.0]], 0.5);
        assert_eq!(g, vec![vec![1.25], vec![0.5], vec![1.0]]);
    }

    #[test]
    fn criterion_by_hand() {
        let r = [0.5, 0.5, 0.7, 0.9, 0.9];
        // Windows of 2: 0.5, 0.6, 0.8 ≥ 0.75 after 4 updates → 4 × 8 episodes.
        assert_eq!(episodes_to_criterion(&r, 8, 2, 0.75), Some(32));
        assert_eq!(episodes_to_criterion(&r, 8, 2, 0.95), None);
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn policy_gradient_matches_finite_differences_for_fixed_actions() {
        let cfg = RlConfig {
            n: 5,
            rec_noise: 0.3,
            bandit: Bandit {
                trials: 6,
                ..Bandit::default()
            },
            ..RlConfig::default()
        };
        let t = RlTrainer::new(cfg.clone(), None).unwrap();
        let ep = play(&t.net, &cfg.bandit, 3, 11, 12).unwrap();
        let g = returns(&ep.rewards, cfg.gamma);
        let adv = advantages(&ep.trace, &g); // held fixed below
        let (_, dy) = surrogate(&ep.trace, &ep.actions, &adv, &g, &cfg);
        let mut an = t.net.backward(&ep.x, &ep.trace, &dy, 0);
        let analytic: Vec<Vec<f64>> = an.blocks_mut().iter().map(|s| s.to_vec()).collect();
        // The same forward pass on the recorded inputs (same noise stream).
        let forward = |net: &RateRnn| {
            let mut noise = rng::seeded(11 ^ 0x0005_EED0_FA11);
            let (mut h, mut r) = (ep.trace.h[0].clone(), ep.trace.r[0].clone());
            let mut tr = Trace {
                h: vec![h.clone()],
                r: vec![r.clone()],
                y: vec![],
            };
            for x in &ep.x {
                let (hn, rn, y) = net.step_batch(&h, &r, x, &mut noise);
                tr.h.push(hn.clone());
                tr.r.push(rn.clone());
                tr.y.push(y);
                h = hn;
                r = rn;
            }
            tr
        };
        assert_eq!(forward(&t.net).y, ep.trace.y, "replay is bit-identical");
        for k in 0..5 {
            let mut probe = t.net.clone();
            let theta = probe.blocks_mut()[k].to_vec();
            let idx: Vec<usize> = (0..theta.len()).collect();
            let num = central_diff(
                |x| {
                    let mut p = t.net.clone();
                    p.blocks_mut()[k].copy_from_slice(x);
                    surrogate(&forward(&p), &ep.actions, &adv, &g, &cfg).0
                },
                &theta,
                &idx,
                1e-5,
            );
            let e = max_rel_err(&analytic[k], &num, 1e-7);
            assert!(e < 1e-5, "block {k}: rel err {e}");
        }
    }

    #[test]
    fn same_seed_same_run() {
        let cfg = RlConfig {
            n: 8,
            batch: 4,
            ..RlConfig::default()
        };
        let mut a = RlTrainer::new(cfg.clone(), None).unwrap();
        let mut b = RlTrainer::new(cfg, None).unwrap();
        for _ in 0..3 {
            assert_eq!(a.step().unwrap(), b.step().unwrap());
        }
        assert_eq!(a.net, b.net);
    }
}
