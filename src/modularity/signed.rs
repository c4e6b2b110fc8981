//! Modularity matrices for weighted, possibly signed, undirected networks —
//! the forms of the Brain Connectivity Toolbox's `community_louvain`.
//!
//! Split W = W⁺ − W⁻ (W⁺ = max(W, 0), W⁻ = max(−W, 0)), strengths
//! k±_i = Σ_j W±_ij, totals s± = Σ_ij W±_ij (= 2m±). With
//! B± = W± − γ k± k±ᵀ / s±:
//! - unsigned (`None`): B = B⁺ / s⁺ (Newman 2006; requires W ≥ 0);
//! - `Sym`  (BCT `negative_sym`):  B = (B⁺ − B⁻)/(s⁺ + s⁻) (Gómez, Jensen &
//!   Arenas 2009: Q = (2m⁺Q⁺ − 2m⁻Q⁻)/(2m⁺ + 2m⁻));
//! - `Asym` (BCT `negative_asym`): B = B⁺/s⁺ − B⁻/(s⁺ + s⁻) (Rubinov & Sporns 2011).
//!
//! and Q = Σ_ij B_ij δ(g_i, g_j). A part with s = 0 contributes nothing.

use crate::error::{Error, Result};
use ndarray::Array2;

/// How negative weights are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Signed {
    /// Classic modularity; negative weights are an error.
    None,
    /// BCT `negative_sym`.
    Sym,
    /// BCT `negative_asym`.
    Asym,
}

impl std::str::FromStr for Signed {
    type Err = Error;
    fn from_str(s: &str) -> Result<Signed> {
        match s {
            "none" => Ok(Signed::None),
            "sym" => Ok(Signed::Sym),
            "asym" => Ok(Signed::Asym),
            _ => Err(Error::param(
                "signed",
                format!("must be none, sym or asym, got {s:?}"),
            )),
        }
    }
}

/// Check that `w` is square, finite and symmetric.
pub fn check_symmetric(w: &Array2<f64>) -> Result<()> {
    let n = w.nrows();
    if n == 0 || w.ncols() != n {
        return Err(Error::Shape(format!(
            "the weight matrix must be square and non-empty, got {} × {}",
            w.nrows(),
            w.ncols()
        )));
    }
    let mut amax = 0f64;
    for (idx, v) in w.indexed_iter() {
        if !v.is_finite() {
            return Err(Error::Shape(format!(
                "weight ({}, {}) is {v}; NaN and Inf are not allowed",
                idx.0 + 1,
                idx.1 + 1
            )));
        }
        amax = amax.max(v.abs());
    }
    for i in 0..n {
        for j in 0..i {
            if (w[[i, j]] - w[[j, i]]).abs() > 1e-9 * amax.max(1.0) {
                return Err(Error::Shape(format!(
                    "the weight matrix must be symmetric (undirected): entry ({}, {}) = {} but ({}, {}) = {}",
                    i + 1, j + 1, w[[i, j]], j + 1, i + 1, w[[j, i]]
                )));
            }
        }
    }
    Ok(())
}

/// Positive part, negative part (as magnitudes), their strengths and totals.
pub struct SignedParts {
    /// W⁺ = max(W, 0), N×N.
    pub pos: Array2<f64>,
    /// W⁻ = max(−W, 0), N×N (magnitudes of the negative weights).
    pub neg: Array2<f64>,
    /// Positive strengths k⁺_i = Σ_j W⁺_ij.
    pub k_pos: Vec<f64>,
    /// Negative strengths k⁻_i = Σ_j W⁻_ij.
    pub k_neg: Vec<f64>,
    /// Positive total s⁺ = Σ_ij W⁺_ij (= 2m⁺).
    pub s_pos: f64,
    /// Negative total s⁻ = Σ_ij W⁻_ij (= 2m⁻).
    pub s_neg: f64,
}

/// Split W into W⁺ and W⁻ with strengths and totals.
pub fn split(w: &Array2<f64>) -> SignedParts {
    let pos = w.mapv(|v| v.max(0.0));
    let neg = w.mapv(|v| (-v).max(0.0));
    let k_pos: Vec<f64> = pos.rows().into_iter().map(|r| r.sum()).collect();
    let k_neg: Vec<f64> = neg.rows().into_iter().map(|r| r.sum()).collect();
    let s_pos = k_pos.iter().sum();
    let s_neg = k_neg.iter().sum();
    SignedParts {
        pos,
        neg,
        k_pos,
        k_neg,
        s_pos,
        s_neg,
    }
}

/// The scaled modularity matrix B of the module docs.
///
/// # Errors
/// See [`check_symmetric`]; negative weights with [`Signed::None`]; no
/// positive weight at all; γ not finite and > 0.
///
/// # Complexity
/// O(N²) time and memory.
pub fn modularity_matrix(w: &Array2<f64>, gamma: f64, signed: Signed) -> Result<Array2<f64>> {
    check_symmetric(w)?;
    if !(gamma.is_finite() && gamma > 0.0) {
        return Err(Error::param("gamma", format!("must be > 0, got {gamma}")));
    }
    let p = split(w);
    if signed == Signed::None && p.s_neg > 0.0 {
        return Err(Error::param(
            "signed",
            "the matrix has negative weights: choose --signed sym or asym",
        ));
    }
    if p.s_pos <= 0.0 {
        return Err(Error::Shape(
            "the network has no positive weight, so modularity is undefined".into(),
        ));
    }
    let n = w.nrows();
    let (pos_scale, neg_scale) = match signed {
        Signed::None => (1.0 / p.s_pos, 0.0),
        Signed::Sym => (1.0 / (p.s_pos + p.s_neg), 1.0 / (p.s_pos + p.s_neg)),
        Signed::Asym => (1.0 / p.s_pos, 1.0 / (p.s_pos + p.s_neg)),
    };
    let mut b = Array2::zeros((n, n));
    for i in 0..n {
        for j in 0..n {
            let bp = (p.pos[[i, j]] - gamma * p.k_pos[i] * p.k_pos[j] / p.s_pos) * pos_scale;
            let bn = if p.s_neg > 0.0 && neg_scale > 0.0 {
                (p.neg[[i, j]] - gamma * p.k_neg[i] * p.k_neg[j] / p.s_neg) * neg_scale
            } else {
                0.0
            };
            b[[i, j]] = bp - bn;
        }
    }
    Ok(b)
}

/// Q of a given partition (labels per node) under the BCT form.
///
/// # Errors
/// As [`modularity_matrix`]; `labels.len() != N`.
pub fn modularity(w: &Array2<f64>, labels: &[usize], gamma: f64, signed: Signed) -> Result<f64> {
    if labels.len() != w.nrows() {
        return Err(Error::Shape(format!(
            "{} labels for {} nodes",
            labels.len(),
            w.nrows()
        )));
    }
    let b = modularity_matrix(w, gamma, signed)?;
    let mut q = 0.0;
    for ((i, j), v) in b.indexed_iter() {
        if labels[i] == labels[j] {
            q += v;
        }
    }
    Ok(q)
}
