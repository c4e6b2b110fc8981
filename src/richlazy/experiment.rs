//! One training run and the rank sweep of Liu et al. (ICLR 2024).
//!
//! Per seed: one base matrix W (gain g), one set of input/readout weights and
//! one sequence of training batches are shared by every initial rank (a
//! paired design; the authors' script redraws W_in/W_out per rank). The
//! network is rnnscope's rate RNN ([`RateRnn`], tanh, α = dt/τ; α = 1 as in
//! the authors' dt = τ = 100 ms) with W_in, W_out ~ U(±1/√fan_in) (PyTorch's
//! `nn.Linear` default the authors use) and biases fixed at 0 (the authors'
//! layers have none). Training: masked MSE to one-hot targets, SGD with
//! momentum 0.9 (the authors' optimiser; Adam optional) on all of W, W_in,
//! W_out.

use super::init::{effective_rank, frobenius, task_aligned, truncate_rank, Base};
use super::measures::{
    activity_at, alignment, gram, sign_similarity, tangent_kernel, weight_change,
};
use super::tasks::{RlTask, RlTaskKind, TrialBatch};
use crate::error::{check_range, check_size, Error, Result};
use crate::hebbff::study::nan_f64;
use crate::rng;
use crate::train::adam::{clip_global_norm, Adam};
use crate::train::rnn::{RateRnn, Trace};
use ndarray::{Array1, Array2};
use rand::Rng;
use serde::{Deserialize, Serialize};

/// Optimiser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Optimizer {
    /// SGD with heavy-ball momentum (PyTorch form v ← μv + g, θ ← θ − lr·v).
    Sgd,
    /// Adam (rnnscope's [`Adam`]).
    Adam,
}

/// Which initial W₀ a run starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitChoice {
    /// The base matrix truncated to this rank and rescaled to its ‖·‖_F.
    Rank(usize),
    /// The task-aligned low-rank W₀ ([`task_aligned`]) at the base's ‖·‖_F.
    Aligned,
}

/// Settings of the study.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Task.
    pub task: RlTaskKind,
    /// Hidden units N (authors: 300).
    pub n: usize,
    /// Initial ranks r (r ≥ N means full rank).
    pub ranks: Vec<usize>,
    /// Also run the task-aligned low-rank W₀.
    pub aligned: bool,
    /// Independent seeds per rank.
    pub seeds: usize,
    /// First seed (seeds are `seed, seed+1, …`).
    pub seed: u64,
    /// Base matrix (Gaussian by default).
    pub base: Base,
    /// Gain g of the base (authors' W0sig = 1.25).
    pub g: f64,
    /// Training iterations (authors: 10 000).
    pub iters: usize,
    /// Trials per mini-batch (authors: 32).
    pub batch: usize,
    /// Learning rate.
    pub lr: f64,
    /// Momentum μ for SGD (authors: 0.9).
    pub momentum: f64,
    /// Optimiser.
    pub optimizer: Optimizer,
    /// Global-norm gradient clip (0 = none, as the authors).
    pub clip: f64,
    /// Euler step α = dt/τ (authors: 1).
    pub alpha: f64,
    /// Input noise σ per step (neurogym 1/√dt = 0.1).
    pub input_noise: f64,
    /// Probe trials for representation alignment and sign similarity (authors: 320).
    pub probe: usize,
    /// Probe trials for the tangent kernel (authors: 32).
    pub ntk_trials: usize,
    /// Record the along-training measures every this many iterations (0 = only at the end).
    pub record_every: usize,
}

impl Params {
    /// Defaults after the authors' script, scaled to a laptop: N = 64,
    /// ranks 1, 8, 32, N, 3 seeds, g = 1.25, 1000 iterations of batch 32,
    /// SGD lr 0.03 momentum 0.9, α = 1, σ = 0.1, probe 128 trials, tangent
    /// kernel on 16 trials.
    pub fn new(task: RlTaskKind) -> Params {
        Params {
            task,
            n: 64,
            ranks: vec![1, 8, 32, 64],
            aligned: false,
            seeds: 3,
            seed: 1,
            base: Base::Ensemble(crate::ensembles::Ensemble::Gaussian),
            g: 1.25,
            iters: 1000,
            batch: 32,
            lr: 0.03,
            momentum: 0.9,
            optimizer: Optimizer::Sgd,
            clip: 0.0,
            alpha: 1.0,
            input_noise: 0.1,
            probe: 128,
            ntk_trials: 16,
            record_every: 0,
        }
    }

    /// Validate every setting.
    ///
    /// # Errors
    /// The first out-of-range setting, named.
    pub fn check(&self) -> Result<()> {
        check_size("n", self.n, 2, 512)?;
        if self.ranks.is_empty() && !self.aligned {
            return Err(Error::param("ranks", "give at least one rank"));
        }
        for &r in &self.ranks {
            check_size("ranks", r, 1, 1_000_000)?;
        }
        check_size("seeds", self.seeds, 1, 1000)?;
        check_range("g", self.g, 0.0, 10.0)?;
        check_size("iters", self.iters, 1, 1_000_000)?;
        check_size("batch", self.batch, 1, 1024)?;
        check_range("lr", self.lr, 1e-9, 10.0)?;
        check_range("momentum", self.momentum, 0.0, 0.999)?;
        check_range("clip", self.clip, 0.0, 1e9)?;
        check_range("alpha", self.alpha, 1e-3, 1.0)?;
        check_range("input_noise", self.input_noise, 0.0, 10.0)?;
        check_size("probe", self.probe, 2, 1024)?;
        check_size("ntk_trials", self.ntk_trials, 1, self.probe)?;
        let p = self.task.steps() * self.ntk_trials * self.task.dims().1;
        if p * self.n * self.n > 200_000_000 {
            return Err(Error::TooLarge {
                what: "tangent-kernel Jacobian (steps·ntk_trials·outputs·N²)",
                got: p * self.n * self.n,
                limit: 200_000_000,
            });
        }
        Ok(())
    }
}

/// Measures at one point of training (Deserialize: shard files; JSON `null`
/// reads back as NaN).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Iterations done.
    pub iter: usize,
    /// Loss on the probe batch.
    #[serde(deserialize_with = "nan_f64")]
    pub loss: f64,
    /// Accuracy on the probe batch.
    #[serde(deserialize_with = "nan_f64")]
    pub accuracy: f64,
    /// ‖W − W₀‖_F.
    #[serde(deserialize_with = "nan_f64")]
    pub weight_change: f64,
    /// Representation alignment with the initial network.
    #[serde(deserialize_with = "nan_f64")]
    pub rep_alignment: f64,
    /// Sign similarity with the initial network.
    #[serde(deserialize_with = "nan_f64")]
    pub sign_similarity: f64,
}

/// Result of one run (one W₀, one seed). (Deserialize: shard files; JSON
/// `null` reads back as NaN.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Which W₀.
    pub init: InitChoice,
    /// Seed.
    pub seed: u64,
    /// Realised effective rank (Σs²)²/Σs⁴ of W₀.
    #[serde(deserialize_with = "nan_f64")]
    pub effective_rank: f64,
    /// ‖W₀‖_F.
    #[serde(deserialize_with = "nan_f64")]
    pub w0_norm: f64,
    /// ‖W_T − W₀‖_F.
    #[serde(deserialize_with = "nan_f64")]
    pub weight_change: f64,
    /// ‖W_T − W₀‖_F / ‖W₀‖_F.
    #[serde(deserialize_with = "nan_f64")]
    pub weight_change_rel: f64,
    /// A(K₀, K_T) of decision-time activity Gram matrices.
    #[serde(deserialize_with = "nan_f64")]
    pub rep_alignment: f64,
    /// A of the tangent kernels w.r.t. W at init and after training.
    #[serde(deserialize_with = "nan_f64")]
    pub kernel_alignment: f64,
    /// Sign similarity of decision-epoch activity.
    #[serde(deserialize_with = "nan_f64")]
    pub sign_similarity: f64,
    /// Probe loss before training.
    #[serde(deserialize_with = "nan_f64")]
    pub loss_init: f64,
    /// Probe loss after training.
    #[serde(deserialize_with = "nan_f64")]
    pub loss: f64,
    /// Probe accuracy before training.
    #[serde(deserialize_with = "nan_f64")]
    pub accuracy_init: f64,
    /// Probe accuracy after training.
    #[serde(deserialize_with = "nan_f64")]
    pub accuracy: f64,
    /// Along-training measures (empty unless `record_every` > 0).
    pub curve: Vec<Checkpoint>,
}

/// Seed of mini-batch `iter` (SplitMix64 finaliser), independent of W₀.
fn mix(seed: u64, iter: u64) -> u64 {
    let mut z = seed ^ iter.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The network of seed `seed` with recurrent weights `w0`: W_in, W_out ~
/// U(±1/√fan_in), zero biases, no recurrent noise.
///
/// # Errors
/// `w0` not N × N.
pub fn network(p: &Params, w0: Array2<f64>, seed: u64) -> Result<RateRnn> {
    let n = p.n;
    if w0.dim() != (n, n) {
        return Err(Error::Shape(format!(
            "W₀ is {:?}, expected {n}×{n}",
            w0.dim()
        )));
    }
    let (ni, no) = p.task.dims();
    let mut r = rng::seeded(seed ^ 0x1A2B_3C4D);
    let mut unif = |rows: usize, cols: usize, fan_in: usize| {
        let b = 1.0 / (fan_in as f64).sqrt();
        Array2::from_shape_simple_fn((rows, cols), || r.random_range(-b..b))
    };
    let w_in = unif(n, ni, ni);
    let w_out = unif(no, n, n);
    Ok(RateRnn {
        w: w0,
        w_in,
        b: Array1::zeros(n),
        w_out,
        b_out: Array1::zeros(no),
        alpha: p.alpha,
        noise: 0.0,
    })
}

/// W₀ for `init` at seed `seed` (and the base's ‖·‖_F).
///
/// # Errors
/// As [`Base::build`], [`truncate_rank`], [`task_aligned`].
pub fn initial_w(p: &Params, init: InitChoice, seed: u64) -> Result<Array2<f64>> {
    let base = p.base.build(p.n, p.g, seed)?;
    match init {
        InitChoice::Rank(r) => truncate_rank(&base, r),
        InitChoice::Aligned => {
            let probe = network(p, Array2::zeros((p.n, p.n)), seed)?;
            task_aligned(&probe.w_in, &probe.w_out, frobenius(&base), seed ^ 0xA11)
        }
    }
}

struct Probe {
    task: RlTask,
    tb: TrialBatch,
}

impl Probe {
    fn eval(&self, net: &RateRnn) -> Result<(Trace, f64, f64)> {
        let tr = net.forward(&self.tb.batch, 0)?;
        let loss = net.loss(&self.tb.batch, &tr);
        let acc = self.task.accuracy(&self.tb, &tr.y);
        Ok((tr, loss, acc))
    }
}

/// Train one network from `init` and measure it.
///
/// # Errors
/// Invalid parameters; the network diverged (non-finite loss).
///
/// # Complexity
/// O(iters · batch · T · N²) training plus O((T·ntk·O)² N²) for the kernels.
pub fn run(p: &Params, init: InitChoice, seed: u64) -> Result<RunResult> {
    p.check()?;
    let task = RlTask::new(p.task, p.input_noise)?;
    let w0 = initial_w(p, init, seed)?;
    let mut net = network(p, w0.clone(), seed)?;
    // The probe batch is the same for every seed and rank.
    let probe = Probe {
        task,
        tb: task.batch(p.probe, 0xC0FFEE)?,
    };
    let last = p.task.steps() - 1;
    let (tr0, loss_init, accuracy_init) = probe.eval(&net)?;
    let k0 = gram(activity_at(&tr0, last));
    let ntk0 = tangent_kernel(&net, &probe.tb.batch, p.ntk_trials)?;

    let sizes = net.block_sizes();
    let mut adam = Adam::new(p.lr, &sizes)?;
    let mut vel: Vec<Vec<f64>> = sizes.iter().map(|&s| vec![0.0; s]).collect();
    let mut curve = Vec::new();
    let measure = |net: &RateRnn, iter: usize| -> Result<Checkpoint> {
        let (tr, loss, accuracy) = probe.eval(net)?;
        Ok(Checkpoint {
            iter,
            loss,
            accuracy,
            weight_change: weight_change(&w0, &net.w)?.0,
            rep_alignment: alignment(k0.view(), gram(activity_at(&tr, last)).view())?,
            sign_similarity: sign_similarity(&tr0, &tr, probe.tb.decision_start)?,
        })
    };
    if p.record_every > 0 {
        curve.push(measure(&net, 0)?);
    }
    for it in 0..p.iters {
        let tb = task.batch(p.batch, mix(seed, it as u64))?;
        let (_, mut g, _) = net.loss_grad(&tb.batch, 0, 0)?;
        // Biases stay at 0, as in the authors' bias-free layers.
        g.b.fill(0.0);
        g.b_out.fill(0.0);
        let mut gb = g.blocks_mut();
        if p.clip > 0.0 {
            clip_global_norm(&mut gb, p.clip);
        }
        if gb.iter().any(|b| b.iter().any(|v| !v.is_finite())) {
            return Err(Error::Numeric(format!(
                "the gradient is not finite at iteration {it} (lower --lr or --g)"
            )));
        }
        match p.optimizer {
            Optimizer::Adam => {
                let grads: Vec<&[f64]> = gb.iter().map(|x| &**x).collect();
                adam.step(&mut net.blocks_mut(), &grads)?;
            }
            Optimizer::Sgd => {
                for ((theta, grad), v) in net.blocks_mut().into_iter().zip(gb.iter()).zip(&mut vel)
                {
                    for ((t, &gv), vv) in theta.iter_mut().zip(grad.iter()).zip(v.iter_mut()) {
                        *vv = p.momentum * *vv + gv;
                        *t -= p.lr * *vv;
                    }
                }
            }
        }
        if p.record_every > 0 && (it + 1) % p.record_every == 0 {
            curve.push(measure(&net, it + 1)?);
        }
    }
    let (tr, loss, accuracy) = probe.eval(&net)?;
    if !loss.is_finite() {
        return Err(Error::Numeric(
            "the trained network diverged (lower --lr or --g)".into(),
        ));
    }
    let ntk_t = tangent_kernel(&net, &probe.tb.batch, p.ntk_trials)?;
    let (dw, dw_rel) = weight_change(&w0, &net.w)?;
    Ok(RunResult {
        init,
        seed,
        effective_rank: effective_rank(&w0)?,
        w0_norm: frobenius(&w0),
        weight_change: dw,
        weight_change_rel: dw_rel,
        rep_alignment: alignment(k0.view(), gram(activity_at(&tr, last)).view())?,
        kernel_alignment: alignment(ntk0.view(), ntk_t.view())?,
        sign_similarity: sign_similarity(&tr0, &tr, probe.tb.decision_start)?,
        loss_init,
        loss,
        accuracy_init,
        accuracy,
        curve,
    })
}
