//! The rich/lazy measures of Liu et al. (ICLR 2024), as the authors' code
//! computes them (`BioRNN_RichLazy/main.py`):
//!
//! - weight change ‖W_T − W₀‖_F (the paper's main measure), and relative to
//!   ‖W₀‖_F;
//! - sign similarity: the fraction of (step, trial, unit) entries of the
//!   hidden activity in the decision epoch on a fixed probe batch whose sign
//!   is unchanged by training;
//! - representation alignment: with K = R Rᵀ the Gram matrix of the hidden
//!   activity R (trials × units) at the last (decision) step,
//!   A(K₀, K_T) = ⟨K₀, K_T⟩_F / (‖K₀‖_F ‖K_T‖_F);
//! - tangent-kernel alignment: the same A between empirical tangent kernels
//!   K[(t,b,k),(t',b',k')] = ⟨∂y_{t,b,k}/∂W, ∂y_{t',b',k'}/∂W⟩_F taken w.r.t.
//!   the recurrent weights only, one row per (time, trial, output).
//!
//! Lazy learning ⇔ small weight change, alignments and sign similarity near 1.

// Dense kernels index several matrices at once.
#![allow(clippy::needless_range_loop)]

use super::init::frobenius;
use crate::error::{Error, Result};
use crate::train::rnn::{RateRnn, Trace};
use crate::train::tasks::Batch;
use ndarray::{Array2, ArrayView2};

/// ‖W_T − W₀‖_F and ‖W_T − W₀‖_F / ‖W₀‖_F (the latter 0 if W₀ = 0).
///
/// # Errors
/// Shapes differ.
pub fn weight_change(w0: &Array2<f64>, wt: &Array2<f64>) -> Result<(f64, f64)> {
    if w0.dim() != wt.dim() {
        return Err(Error::Shape(format!(
            "W₀ is {:?} but W_T is {:?}",
            w0.dim(),
            wt.dim()
        )));
    }
    let d = frobenius(&(wt - w0));
    let n0 = frobenius(w0);
    Ok((d, if n0 > 0.0 { d / n0 } else { 0.0 }))
}

/// Kernel alignment A(K₀, K₁) = ⟨K₀, K₁⟩_F / (‖K₀‖_F ‖K₁‖_F) (Cristianini et
/// al. 2001; Liu et al. 2024 for representations and tangent kernels).
/// 1 when K₁ ∝ K₀.
///
/// # Errors
/// Shapes differ; a zero kernel (alignment undefined).
///
/// # Complexity
/// O(size of K).
pub fn alignment(k0: ArrayView2<f64>, k1: ArrayView2<f64>) -> Result<f64> {
    if k0.dim() != k1.dim() {
        return Err(Error::Shape(format!(
            "kernels are {:?} and {:?}",
            k0.dim(),
            k1.dim()
        )));
    }
    let (mut dot, mut a, mut b) = (0.0, 0.0, 0.0);
    ndarray::Zip::from(k0).and(k1).for_each(|&x, &y| {
        dot += x * y;
        a += x * x;
        b += y * y;
    });
    if a == 0.0 || b == 0.0 {
        return Err(Error::Numeric(
            "a kernel is all zeros (silent network); alignment undefined".into(),
        ));
    }
    Ok(dot / (a.sqrt() * b.sqrt()))
}

/// Gram matrix K = R Rᵀ of activity R (trials × units).
pub fn gram(r: ArrayView2<f64>) -> Array2<f64> {
    r.dot(&r.t())
}

/// Hidden activity r_t = tanh(h_t) after input step t, trials × units
/// (`trace.r[t + 1]`).
pub fn activity_at(trace: &Trace, t: usize) -> ArrayView2<'_, f64> {
    trace.r[t + 1].view()
}

/// Fraction of entries of the decision-epoch activity (steps `from..T`, all
/// trials and units) whose sign agrees between two traces of the same batch
/// (`signum` of tanh h, so 0 only for h exactly 0).
///
/// # Errors
/// Traces of different shapes or `from` past the end.
pub fn sign_similarity(a: &Trace, b: &Trace, from: usize) -> Result<f64> {
    let steps = a.y.len();
    if b.y.len() != steps || from >= steps || a.r[1].dim() != b.r[1].dim() {
        return Err(Error::Shape(
            "sign similarity needs two traces of the same batch".into(),
        ));
    }
    let (mut same, mut tot) = (0usize, 0usize);
    for t in from..steps {
        ndarray::Zip::from(activity_at(a, t))
            .and(activity_at(b, t))
            .for_each(|&x, &y| {
                tot += 1;
                if x.signum() == y.signum() || (x == 0.0 && y == 0.0) {
                    same += 1;
                }
            });
    }
    Ok(same as f64 / tot as f64)
}

/// Per-(time, trial, output) gradients of the outputs w.r.t. the recurrent
/// weights: row p = (t·B + b)·O + k holds vec(∂y_{t,b,k}/∂W) (row-major W),
/// for the first `trials` trials of `batch`, with recurrent noise off.
///
/// Backward pass for one output y_{t,b,k} = W_out[k]·r_{t+1} + b_out[k]:
/// D_t = W_out[k] ⊙ (1 − r_{t+1}²), then for s = t, t−1, …, 0:
/// ∂W += α D_s r_sᵀ, D_{s−1} = ((1−α) D_s + α Wᵀ D_s) ⊙ … — i.e. the carry of
/// [`RateRnn::loss_grad`] with the readout error replaced by the unit vector e_k.
///
/// # Errors
/// Shape mismatch between batch and network; `trials` = 0 or above the batch.
///
/// # Complexity
/// O(trials · O · T² · N²) time, O(trials · O · T · N²) memory.
pub fn output_grads_w(net: &RateRnn, batch: &Batch, trials: usize) -> Result<Array2<f64>> {
    let bsz = batch.x.first().map_or(0, |x| x.nrows());
    if trials == 0 || trials > bsz {
        return Err(Error::param(
            "ntk_trials",
            format!("must be between 1 and the probe batch size {bsz}, got {trials}"),
        ));
    }
    let mut quiet = net.clone();
    quiet.noise = 0.0;
    let trace = quiet.forward(batch, 0)?;
    let (n, o, steps, a) = (net.n(), net.outputs(), batch.x.len(), net.alpha);
    let mut g = Array2::<f64>::zeros((steps * trials * o, n * n));
    for t in 0..steps {
        for b in 0..trials {
            for k in 0..o {
                let p = (t * trials + b) * o + k;
                let mut row = g.row_mut(p);
                let row = row
                    .as_slice_mut()
                    .ok_or_else(|| Error::Numeric("gradient row is not contiguous".into()))?;
                // D = ∂y/∂h_{t+1}.
                let r1 = trace.r[t + 1].row(b);
                let mut d: Vec<f64> = (0..n)
                    .map(|i| net.w_out[[k, i]] * (1.0 - r1[i] * r1[i]))
                    .collect();
                for s in (0..=t).rev() {
                    let r0 = trace.r[s].row(b);
                    for i in 0..n {
                        let ad = a * d[i];
                        if ad != 0.0 {
                            for j in 0..n {
                                row[i * n + j] += ad * r0[j];
                            }
                        }
                    }
                    if s > 0 {
                        // ∂y/∂h_s = (1−α) D + α (Wᵀ D) ⊙ (1 − r_s²).
                        let mut next = vec![0.0; n];
                        for j in 0..n {
                            let mut wd = 0.0;
                            for i in 0..n {
                                wd += net.w[[i, j]] * d[i];
                            }
                            next[j] = (1.0 - a) * d[j] + a * wd * (1.0 - r0[j] * r0[j]);
                        }
                        d = next;
                    }
                }
            }
        }
    }
    Ok(g)
}

/// Empirical tangent kernel w.r.t. W: K = G Gᵀ with G from [`output_grads_w`].
///
/// # Errors
/// As [`output_grads_w`].
///
/// # Complexity
/// O(P² N²) with P = T · trials · O.
pub fn tangent_kernel(net: &RateRnn, batch: &Batch, trials: usize) -> Result<Array2<f64>> {
    let g = output_grads_w(net, batch, trials)?;
    Ok(g.dot(&g.t()))
}
