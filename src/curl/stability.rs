//! Stability of the solution manifold under the curl rule: the Jacobian of the
//! flow `F = −D ∇L` at a zero-loss point and its eigenvalues, split into the
//! zero modes along the manifold and the normal modes.
//!
//! At a point θ* fitting every training sample (all residuals r_μ = 0) the
//! Hessian is the Gauss–Newton matrix `H = (1/n) G Q Gᵀ`, `G = [∂a₂/∂θ]_μ`
//! (P × n), `Q = diag(q_μ)` (q_μ = ψ'(a₂) for the matching loss, ψ'² for MSE).
//! With `G Q^{1/2} = U S Vᵀ` (thin SVD, rank r) the Jacobian is
//! `J = −D U S² Uᵀ / n`. Every direction in `ker Uᵀ` (dimension P − r) is a zero
//! mode: moving along it leaves all training outputs unchanged to first order —
//! the tangent space of the solution manifold (plus directions the finite data
//! cannot see). The other r eigenvalues are exactly those of the r × r matrix
//! `N = −S Uᵀ D U S / n` (AB and BA share their non-zero spectrum), the normal
//! modes. The manifold is linearly stable at θ* iff every normal eigenvalue has
//! Re < 0. For D = I, `N = −S²/n` ≺ 0: gradient flow is always stable.
//!
//! Linear network, col side (the paper's analytically solved case): the normal
//! block is similar to `−(W₁ᵀ D₂ W₁ + ‖w₂‖² D₁) Σ̂` on the end-to-end map
//! (`Σ̂ = XᵀX/n`), the matrix of the authors' eigenvalue notebook.

use super::dynamics::jacobian;
use super::model::{Activation, CurlParams, Dataset, LossKind, Net};
use crate::error::{Error, Result};
use crate::linalg::eigenvalues;
use nalgebra::DMatrix;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Largest P for which the full P × P Jacobian spectrum is computed.
pub const MAX_FULL_EIG: usize = 1500;

/// Eigen-analysis of the flow's Jacobian at one point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stability {
    /// Parameter count P.
    pub n_params: usize,
    /// Rank r of the normal space (non-zero modes).
    pub normal_dim: usize,
    /// Zero modes P − r (tangent to the solution manifold / invisible to the data).
    pub zero_modes: usize,
    /// Normal-mode eigenvalues (re, im), sorted by real part.
    pub normal_eigenvalues: Vec<(f64, f64)>,
    /// max Re over the normal modes.
    pub max_re_normal: f64,
    /// All P eigenvalues of the full Jacobian −D H (None when P > [`MAX_FULL_EIG`]
    /// or not requested).
    pub full_eigenvalues: Option<Vec<(f64, f64)>>,
    /// Eigenvalues of the full Jacobian with |λ| ≤ 1e-8·max|λ| (should equal `zero_modes`).
    pub full_zero_count: Option<usize>,
    /// Stable: max Re over normal modes < −tol (tol = 1e-10·max|λ|).
    pub stable: bool,
    /// Train ½·MSE at the point (≈ 0 at a solution; the split is exact only there).
    pub residual_mse: f64,
}

/// `U S` of the thin SVD of `G Q^{1/2}` at `net` (P × r), the basis of the normal
/// space, computed from the eigen-decomposition of the smaller Gram matrix.
///
/// # Errors
/// Non-finite weights or data.
pub fn normal_basis(
    net: &Net,
    data: &Dataset,
    act: Activation,
    loss: LossKind,
) -> Result<DMatrix<f64>> {
    let (d, k) = (net.d, net.k);
    let p = net.theta.len();
    let n = data.len();
    let mut g = DMatrix::<f64>::zeros(p, n);
    let mut h = vec![0.0; k];
    for m in 0..n {
        let x = data.xi(m);
        let yh = act.f(net.hidden(x, act, &mut h));
        let d1 = act.df(yh);
        let q = match loss {
            LossKind::Matching => d1,
            LossKind::Mse => d1 * d1,
        };
        let sq = q.max(0.0).sqrt();
        for i in 0..k {
            let c = sq * net.w2(i) * act.df(h[i]);
            for j in 0..d {
                g[(i * d + j, m)] = c * x[j];
            }
            g[(k * d + i, m)] = sq * h[i];
        }
    }
    // U S from a symmetric eigen-decomposition of the smaller Gram matrix
    // (robust for rank-deficient G): GᵀG = V S² Vᵀ ⇒ U S = G V; or G Gᵀ = U S² Uᵀ.
    let (vecs, vals, left) = if n <= p {
        let e = (g.transpose() * &g).symmetric_eigen();
        (e.eigenvectors, e.eigenvalues, false)
    } else {
        let e = (&g * g.transpose()).symmetric_eigen();
        (e.eigenvectors, e.eigenvalues, true)
    };
    let lmax = vals.iter().cloned().fold(0.0, f64::max);
    if !lmax.is_finite() {
        return Err(Error::Numeric(
            "non-finite Gram matrix in the normal basis".into(),
        ));
    }
    let tol = lmax * (p.max(n) as f64) * f64::EPSILON * 100.0;
    let keep: Vec<usize> = (0..vals.len()).filter(|&i| vals[i] > tol).collect();
    let mut us = DMatrix::<f64>::zeros(p, keep.len());
    for (c, &i) in keep.iter().enumerate() {
        if left {
            let s = vals[i].sqrt();
            for a in 0..p {
                us[(a, c)] = vecs[(a, i)] * s;
            }
        } else {
            let col = &g * vecs.column(i);
            us.set_column(c, &col);
        }
    }
    Ok(us)
}

/// Normal-mode eigenvalues `eig(−(US)ᵀ D (US) / n)` for sign vector `signs`.
///
/// # Errors
/// Eigen-solver failure.
pub fn normal_eigenvalues(us: &DMatrix<f64>, signs: &[f64], n: usize) -> Result<Vec<(f64, f64)>> {
    let r = us.ncols();
    if r == 0 {
        return Ok(vec![]);
    }
    let mut ds = us.clone();
    for (a, s) in signs.iter().enumerate() {
        if *s < 0.0 {
            ds.row_mut(a).neg_mut();
        }
    }
    let m = us.transpose() * ds * (-1.0 / n as f64);
    let arr = Array2::from_shape_fn((r, r), |(i, j)| m[(i, j)]);
    eigenvalues(&arr)
}

/// Full stability analysis at `net` for the rule with signs `signs`.
///
/// # Errors
/// Numeric failure of SVD/eigen-solvers.
///
/// # Complexity
/// O(P n min(P, n)) for the SVD, O(r³) for the normal block, plus O(n P² + P³)
/// if `full` and P ≤ [`MAX_FULL_EIG`].
pub fn stability_at(
    net: &Net,
    data: &Dataset,
    act: Activation,
    loss: LossKind,
    signs: &[f64],
    full: bool,
) -> Result<Stability> {
    let p = net.theta.len();
    let us = normal_basis(net, data, act, loss)?;
    let normal = normal_eigenvalues(&us, signs, data.len())?;
    let (full_ev, full_zero) = if full && p <= MAX_FULL_EIG {
        let ev = eigenvalues(&jacobian(net, data, act, loss, signs))?;
        let scale = ev.iter().map(|(a, b)| a.hypot(*b)).fold(0.0, f64::max);
        let z = ev
            .iter()
            .filter(|(a, b)| a.hypot(*b) <= 1e-8 * scale)
            .count();
        (Some(ev), Some(z))
    } else {
        (None, None)
    };
    let scale = normal.iter().map(|(a, b)| a.hypot(*b)).fold(0.0, f64::max);
    let max_re = normal.iter().map(|e| e.0).fold(f64::NEG_INFINITY, f64::max);
    let max_re_normal = if max_re.is_finite() { max_re } else { 0.0 };
    Ok(Stability {
        n_params: p,
        normal_dim: us.ncols(),
        zero_modes: p - us.ncols(),
        normal_eigenvalues: normal,
        max_re_normal,
        full_eigenvalues: full_ev,
        full_zero_count: full_zero,
        stable: max_re_normal < -1e-10 * scale,
        residual_mse: super::model::mse(net, data, act),
    })
}

/// Which layer's flips a scan varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// Layer 1 (input→hidden weights).
    L1,
    /// Layer 2 (hidden→output weights).
    L2,
}

impl Layer {
    /// Parse `l1` or `l2`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "l1" => Ok(Self::L1),
            "l2" => Ok(Self::L2),
            _ => Err(Error::param(
                "layer",
                format!("must be l1 or l2, got {s:?}"),
            )),
        }
    }
}

/// max Re of the normal modes as a function of the number of flipped neurons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriticalScan {
    /// The layer whose flips vary (the other layer has none).
    pub layer: Layer,
    /// (flips, max Re normal) on the scanned grid (0 … capacity, ≤ `max_points` values).
    pub curve: Vec<(usize, f64)>,
    /// Smallest scanned number of flips with max Re normal > 0 (`None`: stable throughout).
    pub critical: Option<usize>,
    /// Largest scanned number of flips below `critical` (the critical value lies in
    /// (`last_stable`, `critical`]).
    pub last_stable: Option<usize>,
}

/// Scan the number of flipped neurons in `layer` (0 … capacity, at most
/// `max_points` evenly spaced values) at `net` (a solution), reusing one normal basis.
///
/// # Errors
/// Numeric failure.
pub fn critical_scan(
    p: &CurlParams,
    net: &Net,
    data: &Dataset,
    layer: Layer,
    max_points: usize,
) -> Result<CriticalScan> {
    let us = normal_basis(net, data, p.activation, p.loss)?;
    let (c1, c2) = p.flip_capacity();
    let cap = if layer == Layer::L1 { c1 } else { c2 };
    let pts = max_points.max(2).min(cap + 1);
    let mut grid: Vec<usize> = (0..pts)
        .map(|i| ((i as f64) * cap as f64 / (pts - 1).max(1) as f64).round() as usize)
        .collect();
    grid.dedup();
    let mut curve = Vec::with_capacity(grid.len());
    let mut critical = None;
    let mut last_stable = None;
    for f in grid {
        let mut q = p.clone();
        (q.flipped_l1, q.flipped_l2) = if layer == Layer::L1 { (f, 0) } else { (0, f) };
        let ev = normal_eigenvalues(&us, &q.signs(), data.len())?;
        let scale = ev.iter().map(|(a, b)| a.hypot(*b)).fold(0.0, f64::max);
        let m = ev.iter().map(|e| e.0).fold(f64::NEG_INFINITY, f64::max);
        let m = if m.is_finite() { m } else { 0.0 };
        if critical.is_none() {
            if m > 1e-10 * scale {
                critical = Some(f);
            } else {
                last_stable = Some(f);
            }
        }
        curve.push((f, m));
    }
    Ok(CriticalScan {
        layer,
        curve,
        critical,
        last_stable,
    })
}
