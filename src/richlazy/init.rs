//! Initial recurrent weights W₀ for the rich/lazy study (Liu et al., ICLR 2024).
//!
//! The paper's knob is the effective rank of W₀. As in the authors' code
//! (`BioRNN_RichLazy/main.py`), a base matrix W (Gaussian, W_ij ~ N(0, g²/N),
//! g = 1.25 by default) is truncated by SVD to its top r modes and rescaled so
//! that ‖W₀‖_F = ‖W‖_F:
//!
//!   W₀ = (‖W‖_F / ‖W_r‖_F) · W_r,   W_r = Σ_{k≤r} s_k u_k v_kᵀ.
//!
//! Besides the Gaussian base, rnnscope's ensembles (low-rank-plus-random,
//! random-mode) or a user's W can be the base, and [`task_aligned`] builds the
//! paper's exception: a low-rank W₀ whose modes lie in the span of the task's
//! input and readout directions.

// Dense kernels index several matrices at once.
#![allow(clippy::needless_range_loop)]

use crate::ensembles::{self, Ensemble};
use crate::error::{check_range, check_size, Error, Result};
use crate::linalg::to_nalgebra;
use crate::rng;
use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};

/// Where the full-rank base matrix comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Base {
    /// An rnnscope ensemble (`Ensemble::Gaussian` is the paper's default).
    Ensemble(Ensemble),
    /// A user's N × N matrix (the paper's connectome-based initialisations).
    Matrix(Array2<f64>),
}

impl Base {
    /// The base matrix for `n` units, gain `g` and `seed` (a user matrix is
    /// returned as is; its size must be `n`).
    ///
    /// # Errors
    /// A user matrix that is not `n × n` or has non-finite entries; the
    /// ensemble's own parameter errors.
    pub fn build(&self, n: usize, g: f64, seed: u64) -> Result<Array2<f64>> {
        match self {
            Base::Ensemble(e) => e.build(n, g, seed),
            Base::Matrix(m) => {
                if m.dim() != (n, n) {
                    return Err(Error::param(
                        "w",
                        format!("the matrix is {:?} but --n is {n}", m.dim()),
                    ));
                }
                if m.iter().any(|v| !v.is_finite()) {
                    return Err(Error::param("w", "the matrix has NaN or Inf entries"));
                }
                Ok(m.clone())
            }
        }
    }
}

/// Frobenius norm ‖A‖_F = √Σ a_ij².
pub fn frobenius(a: &Array2<f64>) -> f64 {
    a.iter().map(|v| v * v).sum::<f64>().sqrt()
}

/// Truncate `w` to its top `rank` singular modes and rescale to ‖w‖_F (the
/// authors' `rr` knob). `rank ≥ min(rows, cols)` returns `w` unchanged.
///
/// # Errors
/// `rank = 0`; an all-zero or non-finite `w`.
///
/// # Complexity
/// O(N³) (one SVD).
pub fn truncate_rank(w: &Array2<f64>, rank: usize) -> Result<Array2<f64>> {
    check_size("rank", rank, 1, usize::MAX)?;
    if w.iter().any(|v| !v.is_finite()) {
        return Err(Error::Numeric("W has NaN or Inf entries".into()));
    }
    let full = frobenius(w);
    if full == 0.0 {
        return Err(Error::param("w", "W is all zeros; nothing to truncate"));
    }
    let (rows, cols) = w.dim();
    if rank >= rows.min(cols) {
        return Ok(w.clone());
    }
    let svd = to_nalgebra(w).svd(true, true);
    let (u, vt) = match (svd.u, svd.v_t) {
        (Some(u), Some(vt)) => (u, vt),
        _ => return Err(Error::Numeric("SVD failed".into())),
    };
    // nalgebra does not sort singular values: pick the top `rank` by value.
    let order = crate::linalg::argsort(svd.singular_values.as_slice(), true);
    let mut out = Array2::<f64>::zeros((rows, cols));
    for &k in order.iter().take(rank) {
        let s = svd.singular_values[k];
        for i in 0..rows {
            let us = u[(i, k)] * s;
            for j in 0..cols {
                out[[i, j]] += us * vt[(k, j)];
            }
        }
    }
    let trunc = frobenius(&out);
    if trunc == 0.0 {
        return Err(Error::Numeric("the truncated matrix is zero".into()));
    }
    out.mapv_inplace(|v| v * full / trunc);
    Ok(out)
}

/// Orthonormal basis (columns) of the span of the columns of `a` (N × m),
/// by Gram–Schmidt with re-orthogonalisation; columns below 1e-10 relative
/// norm are dropped.
fn orthonormal_columns(a: &Array2<f64>) -> Vec<Vec<f64>> {
    let mut basis: Vec<Vec<f64>> = Vec::new();
    for c in 0..a.ncols() {
        let mut v: Vec<f64> = a.column(c).to_vec();
        let n0 = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        for _ in 0..2 {
            for q in &basis {
                let d: f64 = v.iter().zip(q).map(|(x, y)| x * y).sum();
                v.iter_mut().zip(q).for_each(|(x, y)| *x -= d * y);
            }
        }
        let nv = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if n0 > 0.0 && nv > 1e-10 * n0 {
            v.iter_mut().for_each(|x| *x /= nv);
            basis.push(v);
        }
    }
    basis
}

/// The task-aligned low-rank W₀ (the paper's exception): W₀ = Q_out M Q_inᵀ,
/// where the columns of Q_in are an orthonormal basis of the input directions
/// (columns of W_in), those of Q_out of the readout directions (rows of
/// W_out), and M is a d_out × d_in Gaussian matrix. So W₀'s right singular
/// vectors lie in the input span and its left singular vectors in the readout
/// span: it maps what the task writes into the network onto what it reads
/// out (Liu et al.'s two-layer theory: lazier learning when W₀'s modes align
/// with the task's input–output map). Rank ≤ min(inputs, outputs). W₀ is
/// rescaled to Frobenius norm `frob` (pass ‖W_Gauss‖_F to compare with the
/// truncated Gaussian initialisations at equal norm).
///
/// # Errors
/// Shape mismatch between `w_in` (N × I) and `w_out` (O × N); all-zero
/// weights; `frob` not finite and positive.
///
/// # Complexity
/// O(N² · min(I, O)).
pub fn task_aligned(
    w_in: &Array2<f64>,
    w_out: &Array2<f64>,
    frob: f64,
    seed: u64,
) -> Result<Array2<f64>> {
    let n = w_in.nrows();
    if w_out.ncols() != n {
        return Err(Error::Shape(format!(
            "W_in has {n} rows but W_out has {} columns",
            w_out.ncols()
        )));
    }
    check_range("frob", frob, 1e-12, 1e12)?;
    let q_in = orthonormal_columns(w_in);
    let q_out = orthonormal_columns(&w_out.t().to_owned());
    if q_in.is_empty() || q_out.is_empty() {
        return Err(Error::param(
            "w_in",
            "input or readout weights are all zero",
        ));
    }
    let mut r = rng::seeded(seed);
    let m = Array2::from_shape_simple_fn((q_out.len(), q_in.len()), || {
        let z: f64 = StandardNormal.sample(&mut r);
        z
    });
    let mut w = Array2::<f64>::zeros((n, n));
    for (k, qo) in q_out.iter().enumerate() {
        for (l, qi) in q_in.iter().enumerate() {
            let mkl = m[[k, l]];
            for i in 0..n {
                let a = qo[i] * mkl;
                for j in 0..n {
                    w[[i, j]] += a * qi[j];
                }
            }
        }
    }
    let f = frobenius(&w);
    if f == 0.0 {
        return Err(Error::Numeric("the aligned matrix is zero".into()));
    }
    w.mapv_inplace(|v| v * frob / f);
    Ok(w)
}

/// Effective rank (Σ s²)² / Σ s⁴ of `w` (participation ratio of the squared
/// singular values; see [`ensembles::effective_rank`]).
///
/// # Errors
/// Empty or non-finite `w`.
pub fn effective_rank(w: &Array2<f64>) -> Result<f64> {
    ensembles::effective_rank(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_modes_lie_in_the_task_span() {
        let w_in = Array2::from_shape_fn((6, 1), |(i, _)| i as f64 - 2.0);
        let w_out = Array2::from_shape_fn((1, 6), |(_, j)| if j % 2 == 0 { 1.0 } else { 0.0 });
        let w = task_aligned(&w_in, &w_out, 3.0, 1).unwrap();
        assert!((frobenius(&w) - 3.0).abs() < 1e-12);
        // Rank one: W₀ = ±3 · ŵ_out ŵ_inᵀ with unit vectors of the two directions.
        let u = w_out.row(0).to_owned() / w_out.row(0).dot(&w_out.row(0)).sqrt();
        let v = w_in.column(0).to_owned() / w_in.column(0).dot(&w_in.column(0)).sqrt();
        let s = u.dot(&w.dot(&v));
        assert!((s.abs() - 3.0).abs() < 1e-12, "{s}");
        for i in 0..6 {
            for j in 0..6 {
                assert!((w[[i, j]] - s * u[i] * v[j]).abs() < 1e-12);
            }
        }
    }
}
