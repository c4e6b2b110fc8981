//! The HebbFF network (Tyulmankov, Yang & Abbott, Neuron 2022; the model of the
//! HebbFF modularity study) and its gradient by backpropagation through the
//! plastic matrix A(t).
//!
//! Forward, for t = 1 … T with A₀ = 0:
//!   a(t) = (W₁ + A(t−1)) x(t) + b₁,  h(t) = σ(a(t)),
//!   ŷ(t) = σ(w₂·h(t) + b₂),
//!   A(t) = λ A(t−1) + η h(t) x(t)ᵀ        (λ ∈ [0, 1]; η < 0 is anti-Hebbian)
//! Loss: mean binary cross-entropy L = −(1/T) Σ [y ln ŷ + (1−y) ln(1−ŷ)].
//!
//! Backward (G = ∂L/∂A(t), flowing from later steps; G = 0 after the last):
//!   δz = (ŷ − y)/T,  u = G x(t),
//!   ∂L/∂h(t) = δz w₂ + η u,   ∂L/∂η += h(t)·u,   ∂L/∂λ += ⟨G, A(t−1)⟩,
//!   δa = ∂L/∂h ⊙ h(1−h),  ∂L/∂W₁ += δa x(t)ᵀ,  ∂L/∂b₁ += δa,
//!   G ← λ G + δa x(t)ᵀ.
//! ⟨G, A(t−1)⟩ needs the past A's. Storing all of them costs T·M·N values
//! (240 MB at the study's sizes), so A is checkpointed every `CHECKPOINT`
//! steps and each segment is recomputed during the backward pass (one extra
//! forward; Griewank & Walther, "Evaluating Derivatives", ch. 12).

use crate::error::{check_size, Error, Result};
use crate::hebbff::task::Stream;
use crate::rng;
use rand_distr::{Distribution, StandardNormal};

/// Steps between stored copies of A in the backward pass.
const CHECKPOINT: usize = 64;
/// Largest hidden layer M.
pub const MAX_M: usize = 4096;

#[inline]
fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Binary cross-entropy from the logit z, stable for large |z|:
/// −[y ln σ(z) + (1−y) ln(1−σ(z))] = max(z, 0) − y z + ln(1 + e^{−|z|}).
#[inline]
fn bce_logit(z: f64, y: f64) -> f64 {
    z.max(0.0) - y * z + (-z.abs()).exp().ln_1p()
}

/// Accuracy as the HebbFF modularity study's analysis code defines it
/// (gushiapi/flex_hebbff, `runDataPreparation.m`):
/// acc = (1 − f)·TPR + f·(1 − FPR), with f the fraction of repeats in the
/// stream, TPR = P(ŷ > ½ | repeat) and FPR = P(ŷ > ½ | new).
///
/// Unlike the fraction correct f·TPR + (1 − f)·(1 − FPR) it weights the
/// rarer class (repeats) by the frequent class's share: always answering
/// "new" scores f (⅓ at P = ½), always "familiar" 1 − f. With no repeats or
/// no new items one rate is undefined and the fraction correct is returned.
pub fn study_accuracy(out: &[f64], y: &[f64]) -> f64 {
    let (mut pos, mut neg, mut tp, mut fp) = (0usize, 0usize, 0usize, 0usize);
    for (&o, &t) in out.iter().zip(y) {
        let said = o > 0.5;
        if t > 0.5 {
            pos += 1;
            tp += usize::from(said);
        } else {
            neg += 1;
            fp += usize::from(said);
        }
    }
    if pos == 0 || neg == 0 {
        return (tp + neg - fp) as f64 / (pos + neg).max(1) as f64;
    }
    let f = pos as f64 / (pos + neg) as f64;
    let tpr = tp as f64 / pos as f64;
    let fpr = fp as f64 / neg as f64;
    (1.0 - f) * tpr + f * (1.0 - fpr)
}

/// HebbFF parameters. Matrices are row-major: `w1[i*n + j]` is input j → hidden i.
#[derive(Debug, Clone, PartialEq)]
pub struct HebbFF {
    /// Input dimension N (length of each item x(t)).
    pub n: usize,
    /// Hidden units M.
    pub m: usize,
    /// Trained (non-plastic) input → hidden weights W₁, M×N row-major.
    pub w1: Vec<f64>,
    /// Hidden biases b₁, length M.
    pub b1: Vec<f64>,
    /// Hidden → output readout weights w₂, length M.
    pub w2: Vec<f64>,
    /// Output bias b₂ (the output is ŷ = σ(w₂·h + b₂)).
    pub b2: f64,
    /// Decay λ of the plastic matrix, kept in [0, 1].
    pub lam: f64,
    /// Plasticity rate η.
    pub eta: f64,
}

/// Gradient of the loss, one field per parameter block.
#[derive(Debug, Clone, PartialEq)]
pub struct Grads {
    /// ∂L/∂W₁, M×N row-major like [`HebbFF::w1`].
    pub w1: Vec<f64>,
    /// ∂L/∂b₁, length M.
    pub b1: Vec<f64>,
    /// ∂L/∂w₂, length M.
    pub w2: Vec<f64>,
    /// ∂L/∂b₂.
    pub b2: f64,
    /// ∂L/∂λ = Σ_t ⟨G, A(t−1)⟩ through the plastic matrix.
    pub lam: f64,
    /// ∂L/∂η = Σ_t h(t)·G x(t) through the plastic matrix.
    pub eta: f64,
}

/// What one pass over a stream produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Pass {
    /// Mean BCE.
    pub loss: f64,
    /// Fraction of items with (ŷ > ½) = y.
    pub accuracy: f64,
    /// ŷ(t).
    pub out: Vec<f64>,
    /// Pre-activations a(t), T×M row-major (filled only when asked for).
    pub pre: Vec<f64>,
    /// Activations h(t), T×M row-major (filled only when asked for).
    pub post: Vec<f64>,
}

impl HebbFF {
    /// A fresh network: W ~ N(0, 1)/√fan_in, b ~ N(0, 1), λ = 0.99, η = −5/N.
    ///
    /// # Errors
    /// N outside 1..=4096 or M outside 1..=4096.
    pub fn new(n: usize, m: usize, seed: u64) -> Result<HebbFF> {
        check_size("n", n, 1, crate::hebbff::task::MAX_N)?;
        check_size("m (hidden units)", m, 1, MAX_M)?;
        let mut r = rng::seeded(seed);
        let mut normal = |k: usize, scale: f64| -> Vec<f64> {
            (0..k)
                .map(|_| {
                    let z: f64 = StandardNormal.sample(&mut r);
                    scale * z
                })
                .collect()
        };
        let w1 = normal(m * n, 1.0 / (n as f64).sqrt());
        let b1 = normal(m, 1.0);
        let w2 = normal(m, 1.0 / (m as f64).sqrt());
        let b2 = normal(1, 1.0)[0];
        Ok(HebbFF {
            n,
            m,
            w1,
            b1,
            w2,
            b2,
            lam: 0.99,
            eta: -5.0 / n as f64,
        })
    }

    /// Number of scalar parameters.
    pub fn n_params(&self) -> usize {
        self.m * self.n + 2 * self.m + 3
    }

    /// All parameters as one vector (w1, b1, w2, b2, λ, η) — for gradient checks.
    pub fn to_flat(&self) -> Vec<f64> {
        let mut v = Vec::with_capacity(self.n_params());
        v.extend_from_slice(&self.w1);
        v.extend_from_slice(&self.b1);
        v.extend_from_slice(&self.w2);
        v.extend_from_slice(&[self.b2, self.lam, self.eta]);
        v
    }

    /// Inverse of [`HebbFF::to_flat`].
    pub fn set_flat(&mut self, v: &[f64]) {
        let (mn, m) = (self.m * self.n, self.m);
        self.w1.copy_from_slice(&v[..mn]);
        self.b1.copy_from_slice(&v[mn..mn + m]);
        self.w2.copy_from_slice(&v[mn + m..mn + 2 * m]);
        self.b2 = v[mn + 2 * m];
        self.lam = v[mn + 2 * m + 1];
        self.eta = v[mn + 2 * m + 2];
    }

    fn check_stream(&self, s: &Stream) -> Result<()> {
        if s.n != self.n {
            return Err(Error::Shape(format!(
                "the stream has items of length {}, the network expects N = {}",
                s.n, self.n
            )));
        }
        if s.is_empty() {
            return Err(Error::Shape("the stream is empty".into()));
        }
        Ok(())
    }

    /// One step: a = (W₁ + A) x + b₁ into `a`, h = σ(a) into `h`; returns the logit z.
    #[inline]
    fn step(&self, plastic: &[f64], x: &[f64], a: &mut [f64], h: &mut [f64]) -> f64 {
        let n = self.n;
        let mut z = self.b2;
        for i in 0..self.m {
            let w = &self.w1[i * n..(i + 1) * n];
            let p = &plastic[i * n..(i + 1) * n];
            let mut s = self.b1[i];
            for j in 0..n {
                s += (w[j] + p[j]) * x[j];
            }
            a[i] = s;
            h[i] = sigmoid(s);
            z += self.w2[i] * h[i];
        }
        z
    }

    /// A ← λ A + η h xᵀ.
    #[inline]
    fn update(&self, plastic: &mut [f64], h: &[f64], x: &[f64]) {
        let n = self.n;
        for i in 0..self.m {
            let eh = self.eta * h[i];
            for (p, &xj) in plastic[i * n..(i + 1) * n].iter_mut().zip(x) {
                *p = self.lam * *p + eh * xj;
            }
        }
    }

    /// Run the network over a stream from A = 0; `record` keeps a(t) and h(t).
    ///
    /// # Errors
    /// The stream's N differs from the network's, or it is empty.
    ///
    /// # Complexity
    /// O(T M N) time, O(M N) memory (+ O(T M) when recording).
    pub fn run(&self, s: &Stream, record: bool) -> Result<Pass> {
        self.check_stream(s)?;
        let (m, t_len) = (self.m, s.len());
        let mut plastic = vec![0.0; m * self.n];
        let (mut a, mut h) = (vec![0.0; m], vec![0.0; m]);
        let mut out = Vec::with_capacity(t_len);
        let (mut pre, mut post) = if record {
            (Vec::with_capacity(t_len * m), Vec::with_capacity(t_len * m))
        } else {
            (Vec::new(), Vec::new())
        };
        let (mut loss, mut correct) = (0.0, 0usize);
        for t in 0..t_len {
            let x = s.item(t);
            let z = self.step(&plastic, x, &mut a, &mut h);
            self.update(&mut plastic, &h, x);
            let yhat = sigmoid(z);
            loss += bce_logit(z, s.y[t]);
            correct += usize::from((yhat > 0.5) == (s.y[t] > 0.5));
            out.push(yhat);
            if record {
                pre.extend_from_slice(&a);
                post.extend_from_slice(&h);
            }
        }
        Ok(Pass {
            loss: loss / t_len as f64,
            accuracy: correct as f64 / t_len as f64,
            out,
            pre,
            post,
        })
    }

    /// Mean BCE over the stream and its gradient by BPTT through A(t).
    ///
    /// # Errors
    /// As [`HebbFF::run`].
    ///
    /// # Complexity
    /// About three forward passes of time: O(T M N); memory O(T M + (T/64 + 64) M N).
    pub fn loss_and_grad(&self, s: &Stream) -> Result<(Pass, Grads)> {
        self.check_stream(s)?;
        let (m, n, t_len) = (self.m, self.n, s.len());
        let mn = m * n;
        // Forward: keep h(t), logits and A at every checkpoint.
        let mut plastic = vec![0.0; mn];
        let mut a = vec![0.0; m];
        let mut hs = vec![0.0; t_len * m];
        let mut zs = vec![0.0; t_len];
        let mut checkpoints: Vec<Vec<f64>> = Vec::with_capacity(t_len / CHECKPOINT + 1);
        let (mut loss, mut correct) = (0.0, 0usize);
        for t in 0..t_len {
            if t % CHECKPOINT == 0 {
                checkpoints.push(plastic.clone());
            }
            let x = s.item(t);
            let h = &mut hs[t * m..(t + 1) * m];
            let z = self.step(&plastic, x, &mut a, h);
            self.update(&mut plastic, h, x);
            zs[t] = z;
            loss += bce_logit(z, s.y[t]);
            correct += usize::from((sigmoid(z) > 0.5) == (s.y[t] > 0.5));
        }
        // Backward, one checkpoint segment at a time (last first).
        let mut g = Grads {
            w1: vec![0.0; mn],
            b1: vec![0.0; m],
            w2: vec![0.0; m],
            b2: 0.0,
            lam: 0.0,
            eta: 0.0,
        };
        let mut big_g = vec![0.0; mn]; // ∂L/∂A(t)
        let mut seg = vec![0.0; CHECKPOINT * mn]; // A(t−1) for each t of the segment
        let (mut u, mut da) = (vec![0.0; m], vec![0.0; m]);
        let inv_t = 1.0 / t_len as f64;
        for (c, start) in (0..t_len).step_by(CHECKPOINT).enumerate().rev() {
            let end = (start + CHECKPOINT).min(t_len);
            seg[..mn].copy_from_slice(&checkpoints[c]);
            for t in start..end - 1 {
                let k = t - start;
                let (prev, next) = seg.split_at_mut((k + 1) * mn);
                let cur = &mut next[..mn];
                cur.copy_from_slice(&prev[k * mn..]);
                self.update(cur, &hs[t * m..(t + 1) * m], s.item(t));
            }
            for t in (start..end).rev() {
                let prev_a = &seg[(t - start) * mn..(t - start + 1) * mn];
                let x = s.item(t);
                let h = &hs[t * m..(t + 1) * m];
                let dz = (sigmoid(zs[t]) - s.y[t]) * inv_t;
                g.b2 += dz;
                let mut lam_acc = 0.0;
                for i in 0..m {
                    let row = &big_g[i * n..(i + 1) * n];
                    let pa = &prev_a[i * n..(i + 1) * n];
                    let mut ui = 0.0;
                    for j in 0..n {
                        ui += row[j] * x[j];
                        lam_acc += row[j] * pa[j];
                    }
                    u[i] = ui;
                    g.w2[i] += dz * h[i];
                    g.eta += h[i] * ui;
                    let dh = dz * self.w2[i] + self.eta * ui;
                    da[i] = dh * h[i] * (1.0 - h[i]);
                    g.b1[i] += da[i];
                }
                g.lam += lam_acc;
                for i in 0..m {
                    let d = da[i];
                    let row = &mut big_g[i * n..(i + 1) * n];
                    let gw = &mut g.w1[i * n..(i + 1) * n];
                    for j in 0..n {
                        let dx = d * x[j];
                        gw[j] += dx;
                        row[j] = self.lam * row[j] + dx;
                    }
                }
            }
        }
        let pass = Pass {
            loss: loss * inv_t,
            accuracy: correct as f64 * inv_t,
            out: zs.iter().map(|&z| sigmoid(z)).collect(),
            pre: Vec::new(),
            post: Vec::new(),
        };
        Ok((pass, g))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hebbff::task::{generate, TaskParams};
    use crate::train::gradcheck::{central_diff, max_rel_err};

    fn flat_grad(g: &Grads) -> Vec<f64> {
        let mut v = g.w1.clone();
        v.extend_from_slice(&g.b1);
        v.extend_from_slice(&g.w2);
        v.extend_from_slice(&[g.b2, g.lam, g.eta]);
        v
    }

    /// Every parameter, including λ and η, against central differences —
    /// over more than two checkpoint segments so the recomputation is exercised.
    #[test]
    fn gradient_through_plastic_matrix_matches_finite_differences() {
        let task = TaskParams {
            n: 7,
            r_min: 2,
            r_max: 4,
            p: 0.5,
        };
        let s = generate(&task, 150, 3).unwrap();
        let mut net = HebbFF::new(7, 5, 11).unwrap();
        net.lam = 0.9;
        net.eta = -0.4; // strong plasticity so A matters
        let (pass, g) = net.loss_and_grad(&s).unwrap();
        assert!((pass.loss - net.run(&s, false).unwrap().loss).abs() < 1e-12);
        let theta = net.to_flat();
        let idx: Vec<usize> = (0..theta.len()).collect();
        let mut probe = net.clone();
        let num = central_diff(
            |v| {
                probe.set_flat(v);
                probe.run(&s, false).unwrap().loss
            },
            &theta,
            &idx,
            1e-5,
        );
        let err = max_rel_err(&flat_grad(&g), &num, 1e-6);
        assert!(err < 1e-5, "max relative error {err}");
        // λ and η get gradient only through A: they must be non-trivial here.
        assert!(
            g.lam.abs() > 1e-4 && g.eta.abs() > 1e-4,
            "{} {}",
            g.lam,
            g.eta
        );
    }

    #[test]
    fn anti_hebbian_plasticity_lowers_activity_for_repeats() {
        // With η < 0 a repeated x meets A x ≈ η λ^(R−1) N h(t−R) < 0: the summed
        // pre-activation of a repeat is lower than that of a fresh item.
        let s = generate(&TaskParams::study(), 2000, 5).unwrap();
        let net = HebbFF::new(100, 120, 2).unwrap();
        let pass = net.run(&s, true).unwrap();
        let (mut rep, mut new, mut nr, mut nn) = (0.0, 0.0, 0, 0);
        for t in 0..s.len() {
            let sum: f64 = pass.pre[t * 120..(t + 1) * 120].iter().sum();
            if s.y[t] == 1.0 {
                rep += sum;
                nr += 1;
            } else {
                new += sum;
                nn += 1;
            }
        }
        assert!(rep / (nr as f64) < new / (nn as f64) - 50.0);
    }

    #[test]
    fn mismatched_stream_is_an_error() {
        let s = generate(&TaskParams::study(), 10, 1).unwrap();
        let net = HebbFF::new(20, 4, 1).unwrap();
        assert!(net
            .run(&s, false)
            .unwrap_err()
            .to_string()
            .contains("N = 20"));
        assert!(HebbFF::new(0, 4, 1).is_err());
    }
}
