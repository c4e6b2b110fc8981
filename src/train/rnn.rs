//! The discrete-time (Euler) rate RNN and its backpropagation through time.
//!
//! Model (W[i][j] = weight from unit j to unit i, r = tanh h):
//!   h₀ = 0,
//!   h_{t+1} = h_t + α(−h_t + W r_t + W_in x_t + b) + σ√α ξ_t,   α = dt/τ,
//!   y_t = W_out r_{t+1} + b_out,
//! with ξ_t ~ N(0, I) drawn from a seed (fixed during the backward pass).
//! The σ√α ξ_t term is the Euler–Maruyama step of the poster's η_i(t) in
//! dh_i/dt = −h_i/τ + Σ_j W_ij φ(h_j) + I_i(t) + η_i(t) with time in units of
//! τ (dt = α): white noise of intensity σ contributes σ√dt per step.
//! Loss: Σ_t Σ_b Σ_o mask·(y − target)² / Σ mask (masked mean squared error).
//!
//! BPTT (Werbos 1990) with carry δ_{t+1} = ∂L/∂h_{t+1}:
//!   D = δ_{t+1} + (W_outᵀ ∂L/∂y_t) ⊙ (1 − r_{t+1}²),
//!   ∂W += α D r_tᵀ,  ∂W_in += α D x_tᵀ,  ∂b += α D,
//!   δ_t = (1 − α) D + α (Wᵀ D) ⊙ (1 − r_t²).
//! Truncated BPTT (Williams & Peng 1990) with window k zeroes the carry at
//! every multiple of k, so gradients flow back at most k steps.
//!
//! Every product goes through [`crate::linalg::matmul`], tanh through
//! [`crate::fmath`] and normal draws through [`crate::rng::StandardNormal`]:
//! the same seed gives the same bits natively and in WebAssembly, so the page
//! and `rnnscope train` train the same network (issue 17).

use super::tasks::Batch;
use crate::error::{check_range, check_size, Error, Result};
use crate::linalg::matmul;
use crate::rng::{self, StandardNormal};
use ndarray::{Array1, Array2, Axis};
use rand::distr::Distribution;

/// Largest hidden size accepted (the page and CLI target N ≤ 256).
pub const MAX_UNITS: usize = 1024;

/// Parameters of the rate RNN.
#[derive(Debug, Clone, PartialEq)]
pub struct RateRnn {
    /// Recurrent weights, N × N, W[i][j] from j to i.
    pub w: Array2<f64>,
    /// Input weights, N × inputs.
    pub w_in: Array2<f64>,
    /// Bias, N.
    pub b: Array1<f64>,
    /// Readout, outputs × N.
    pub w_out: Array2<f64>,
    /// Readout bias, outputs.
    pub b_out: Array1<f64>,
    /// Euler step dt/τ in (0, 1].
    pub alpha: f64,
    /// Recurrent noise σ (per step the state gets σ√α ξ).
    pub noise: f64,
}

/// Gradients with the shapes of [`RateRnn`]'s parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct RnnGrads {
    /// ∂/∂W.
    pub w: Array2<f64>,
    /// ∂/∂W_in.
    pub w_in: Array2<f64>,
    /// ∂/∂b.
    pub b: Array1<f64>,
    /// ∂/∂W_out.
    pub w_out: Array2<f64>,
    /// ∂/∂b_out.
    pub b_out: Array1<f64>,
}

/// States and outputs of a forward pass (kept for the backward pass).
#[derive(Debug, Clone)]
pub struct Trace {
    /// h_0 … h_T, each batch × N.
    pub h: Vec<Array2<f64>>,
    /// r_t = tanh(h_t), same layout.
    pub r: Vec<Array2<f64>>,
    /// y_0 … y_{T−1}, each batch × outputs.
    pub y: Vec<Array2<f64>>,
}

impl RateRnn {
    /// A fresh network: W ~ N(0, g²/N), W_in ~ N(0, 1), W_out ~ N(0, 1/N), zero biases.
    ///
    /// # Errors
    /// `n` outside 1..=MAX_UNITS, `inputs`/`outputs` outside 1..=64, `g`, `alpha`,
    /// `noise` out of range.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        n: usize,
        inputs: usize,
        outputs: usize,
        g: f64,
        alpha: f64,
        noise: f64,
        seed: u64,
    ) -> Result<RateRnn> {
        check_size("n", n, 1, MAX_UNITS)?;
        check_size("inputs", inputs, 1, 64)?;
        check_size("outputs", outputs, 1, 64)?;
        check_range("g", g, 0.0, 10.0)?;
        check_range("alpha", alpha, 1e-6, 1.0)?;
        check_range("noise", noise, 0.0, 10.0)?;
        let mut r = rng::seeded(seed);
        let mut gauss = |rows: usize, cols: usize, sd: f64| {
            Array2::from_shape_simple_fn((rows, cols), || {
                sd * {
                    let z: f64 = StandardNormal.sample(&mut r);
                    z
                }
            })
        };
        let w = gauss(n, n, g / (n as f64).sqrt());
        let w_in = gauss(n, inputs, 1.0);
        let w_out = gauss(outputs, n, 1.0 / (n as f64).sqrt());
        Ok(RateRnn {
            w,
            w_in,
            b: Array1::zeros(n),
            w_out,
            b_out: Array1::zeros(outputs),
            alpha,
            noise,
        })
    }

    /// Hidden units N.
    pub fn n(&self) -> usize {
        self.w.nrows()
    }
    /// Input dimension.
    pub fn inputs(&self) -> usize {
        self.w_in.ncols()
    }
    /// Output dimension.
    pub fn outputs(&self) -> usize {
        self.w_out.nrows()
    }

    /// Zero gradients shaped like the parameters.
    pub fn zero_grads(&self) -> RnnGrads {
        RnnGrads {
            w: Array2::zeros(self.w.raw_dim()),
            w_in: Array2::zeros(self.w_in.raw_dim()),
            b: Array1::zeros(self.b.raw_dim()),
            w_out: Array2::zeros(self.w_out.raw_dim()),
            b_out: Array1::zeros(self.b_out.raw_dim()),
        }
    }

    /// Parameter blocks as flat mutable slices, in the order w, w_in, b, w_out, b_out
    /// (the order [`RnnGrads::blocks`] uses; for [`super::Adam`]).
    pub fn blocks_mut(&mut self) -> [&mut [f64]; 5] {
        [
            self.w.as_slice_mut().expect("owned standard layout"),
            self.w_in.as_slice_mut().expect("owned standard layout"),
            self.b.as_slice_mut().expect("owned standard layout"),
            self.w_out.as_slice_mut().expect("owned standard layout"),
            self.b_out.as_slice_mut().expect("owned standard layout"),
        ]
    }

    /// Sizes of the blocks of [`Self::blocks_mut`].
    pub fn block_sizes(&self) -> [usize; 5] {
        [
            self.w.len(),
            self.w_in.len(),
            self.b.len(),
            self.w_out.len(),
            self.b_out.len(),
        ]
    }

    fn check_batch(&self, batch: &Batch) -> Result<()> {
        batch.check()?;
        let (b, i) = batch.x[0].dim();
        let o = batch.target[0].ncols();
        if i != self.inputs() || o != self.outputs() {
            return Err(Error::Shape(format!(
                "the task has {i} inputs and {o} outputs but the network has {} and {}",
                self.inputs(),
                self.outputs()
            )));
        }
        if b == 0 {
            return Err(Error::Shape("the batch is empty".into()));
        }
        Ok(())
    }

    /// Run the batch forward. `noise_seed` fixes the recurrent noise ξ.
    ///
    /// # Errors
    /// Shape mismatch between the task and the network.
    /// Complexity: O(T·B·(N² + N·(I+O))).
    pub fn forward(&self, batch: &Batch, noise_seed: u64) -> Result<Trace> {
        self.check_batch(batch)?;
        let steps = batch.x.len();
        let bsz = batch.x[0].nrows();
        let n = self.n();
        let mut rng = rng::seeded(noise_seed);
        let mut h = vec![Array2::<f64>::zeros((bsz, n))];
        let mut r = vec![Array2::<f64>::zeros((bsz, n))];
        let mut y = Vec::with_capacity(steps);
        for t in 0..steps {
            let (next, rn, yt) = self.step_batch(&h[t], &r[t], &batch.x[t], &mut rng);
            h.push(next);
            r.push(rn);
            y.push(yt);
        }
        Ok(Trace { h, r, y })
    }

    /// Masked mean squared error of a trace.
    pub fn loss(&self, batch: &Batch, trace: &Trace) -> f64 {
        let (mut s, mut m) = (0.0, 0.0);
        for t in 0..trace.y.len() {
            ndarray::Zip::from(&trace.y[t])
                .and(&batch.target[t])
                .and(&batch.mask[t])
                .for_each(|y, z, k| {
                    s += k * (y - z) * (y - z);
                    m += k;
                });
        }
        if m > 0.0 {
            s / m
        } else {
            0.0
        }
    }

    /// Loss and gradients by BPTT. `truncate = 0` means full BPTT, otherwise the
    /// gradient flows back at most `truncate` steps (see module docs).
    ///
    /// # Errors
    /// Shape mismatch; a non-finite loss (diverged network).
    /// Complexity: about three times the forward pass; memory O(T·B·N).
    pub fn loss_grad(
        &self,
        batch: &Batch,
        noise_seed: u64,
        truncate: usize,
    ) -> Result<(f64, RnnGrads, Trace)> {
        let trace = self.forward(batch, noise_seed)?;
        let loss = self.loss(batch, &trace);
        if !loss.is_finite() {
            return Err(Error::Numeric(
                "the loss is not finite (the network diverged; lower lr or g)".into(),
            ));
        }
        let msum: f64 = batch.mask.iter().map(|m| m.sum()).sum();
        let scale = if msum > 0.0 { 2.0 / msum } else { 0.0 };
        let dy: Vec<Array2<f64>> = (0..trace.y.len())
            .map(|t| (&trace.y[t] - &batch.target[t]) * &batch.mask[t] * scale)
            .collect();
        let g = self.backward(&batch.x, &trace, &dy, truncate);
        Ok((loss, g, trace))
    }
}

impl RateRnn {
    /// BPTT for any loss of the outputs: given `dy[t]` = ∂L/∂y_t (batch ×
    /// outputs) for the trace of `x`, the gradients of L with respect to every
    /// parameter (recursion in the module docs). Used by the supervised loss
    /// and by policy-gradient training (`train::rl`).
    ///
    /// Complexity: O(T·B·(N² + N·(I+O))).
    pub fn backward(
        &self,
        x: &[Array2<f64>],
        trace: &Trace,
        dy: &[Array2<f64>],
        truncate: usize,
    ) -> RnnGrads {
        let a = self.alpha;
        let mut g = self.zero_grads();
        let (bsz, n) = trace.h[0].dim();
        let mut carry = Array2::<f64>::zeros((bsz, n));
        for t in (0..trace.y.len()).rev() {
            let dy = &dy[t];
            let r1 = &trace.r[t + 1];
            g.w_out += &matmul(&dy.t(), &r1.view());
            g.b_out += &dy.sum_axis(Axis(0));
            let mut d = matmul(&dy.view(), &self.w_out.view());
            ndarray::Zip::from(&mut d)
                .and(r1)
                .and(&carry)
                .for_each(|d, &r, &c| *d = *d * (1.0 - r * r) + c);
            let r0 = &trace.r[t];
            g.w.scaled_add(a, &matmul(&d.t(), &r0.view()));
            g.w_in.scaled_add(a, &matmul(&d.t(), &x[t].view()));
            g.b.scaled_add(a, &d.sum_axis(Axis(0)));
            if truncate > 0 && t % truncate == 0 {
                carry.fill(0.0);
            } else {
                let back = matmul(&d.view(), &self.w.view());
                ndarray::Zip::from(&mut carry)
                    .and(&d)
                    .and(&back)
                    .and(r0)
                    .for_each(|c, &d, &bk, &r| *c = (1.0 - a) * d + a * bk * (1.0 - r * r));
            }
        }
        g
    }

    /// One Euler step of a batch, with the same operation order as
    /// [`Self::forward`] (so a step-by-step run with the same noise stream is
    /// bit-identical): h' = (1 − α)h + α(W r + W_in x + b) + σ√α ξ, then
    /// r' = tanh h' and y = W_out r' + b_out. Returns (h', r', y).
    pub fn step_batch(
        &self,
        h: &Array2<f64>,
        r: &Array2<f64>,
        x: &Array2<f64>,
        noise: &mut crate::rng::Rng,
    ) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
        let a = self.alpha;
        let sd = self.noise * a.sqrt();
        let mut drive = matmul(&r.view(), &self.w.t()) + matmul(&x.view(), &self.w_in.t());
        drive += &self.b;
        let mut next = h * (1.0 - a) + drive * a;
        if sd > 0.0 {
            next.mapv_inplace(|v| {
                v + sd * {
                    let z: f64 = StandardNormal.sample(noise);
                    z
                }
            });
        }
        let rn = next.mapv(crate::fmath::tanh);
        let mut yt = matmul(&rn.view(), &self.w_out.t());
        yt += &self.b_out;
        (next, rn, yt)
    }
}

impl RnnGrads {
    /// Gradient blocks in the order of [`RateRnn::blocks_mut`].
    pub fn blocks_mut(&mut self) -> [&mut [f64]; 5] {
        [
            self.w.as_slice_mut().expect("owned standard layout"),
            self.w_in.as_slice_mut().expect("owned standard layout"),
            self.b.as_slice_mut().expect("owned standard layout"),
            self.w_out.as_slice_mut().expect("owned standard layout"),
            self.b_out.as_slice_mut().expect("owned standard layout"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::gradcheck::{central_diff, max_rel_err};
    use crate::train::tasks::{Task, TaskKind};

    #[allow(clippy::needless_range_loop)]
    fn check_block(truncate: usize, noise: f64) {
        let task = Task::new(TaskKind::FlipFlop, 30, 0.1).unwrap();
        let batch = task.batch(3, 5).unwrap();
        let net = RateRnn::new(6, 3, 3, 1.5, 0.3, noise, 2).unwrap();
        let (_, mut g, _) = net.loss_grad(&batch, 9, truncate).unwrap();
        let analytic: Vec<Vec<f64>> = g.blocks_mut().iter().map(|s| s.to_vec()).collect();
        for k in 0..5 {
            let mut probe = net.clone();
            let theta = probe.blocks_mut()[k].to_vec();
            let idx: Vec<usize> = (0..theta.len()).collect();
            let num = central_diff(
                |x| {
                    let mut p = net.clone();
                    p.blocks_mut()[k].copy_from_slice(x);
                    let tr = p.forward(&batch, 9).unwrap();
                    p.loss(&batch, &tr)
                },
                &theta,
                &idx,
                1e-5,
            );
            if truncate == 0 {
                let e = max_rel_err(&analytic[k], &num, 1e-6);
                assert!(e < 1e-5, "block {k}: rel err {e}");
            } else if k >= 3 {
                // The readout's gradient does not pass through time: exact either way.
                assert!(max_rel_err(&analytic[k], &num, 1e-6) < 1e-5);
            }
        }
    }

    #[test]
    fn full_bptt_matches_finite_differences() {
        check_block(0, 0.0);
    }

    #[test]
    fn full_bptt_matches_finite_differences_with_noise() {
        check_block(0, 0.2);
    }

    #[test]
    fn truncation_one_equals_hand_derived_one_step_gradient() {
        // With k = 1 nothing is carried: ∂W must equal Σ_t α D_tᵀ r_t with D_t
        // from the readout only. Compare against a long-window run: they differ.
        let task = Task::new(TaskKind::FlipFlop, 20, 0.1).unwrap();
        let batch = task.batch(2, 1).unwrap();
        let net = RateRnn::new(5, 3, 3, 1.2, 0.5, 0.0, 4).unwrap();
        let (_, g1, tr) = net.loss_grad(&batch, 0, 1).unwrap();
        let (_, gfull, _) = net.loss_grad(&batch, 0, 0).unwrap();
        let (_, gbig, _) = net.loss_grad(&batch, 0, 1000).unwrap();
        assert_eq!(gfull, gbig, "a window longer than T is full BPTT");
        let msum: f64 = batch.mask.iter().map(|m| m.sum()).sum();
        let mut w = Array2::<f64>::zeros((5, 5));
        for t in 0..20 {
            let dy = (&tr.y[t] - &batch.target[t]) * &batch.mask[t] * (2.0 / msum);
            let d = dy.dot(&net.w_out) * tr.r[t + 1].mapv(|r| 1.0 - r * r);
            w += &(d.t().dot(&tr.r[t]) * net.alpha);
        }
        assert!(max_rel_err(g1.w.as_slice().unwrap(), w.as_slice().unwrap(), 1e-9) < 1e-10);
        assert!(max_rel_err(g1.w.as_slice().unwrap(), gfull.w.as_slice().unwrap(), 1e-9) > 1e-3);
    }

    #[test]
    fn shape_mismatch_is_an_error() {
        let task = Task::new(TaskKind::Sine, 10, 0.0).unwrap();
        let batch = task.batch(2, 1).unwrap();
        let net = RateRnn::new(4, 3, 3, 1.0, 0.2, 0.0, 1).unwrap();
        assert!(matches!(net.forward(&batch, 0), Err(Error::Shape(_))));
        assert!(RateRnn::new(100_000, 1, 1, 1.0, 0.2, 0.0, 1).is_err());
    }
}
