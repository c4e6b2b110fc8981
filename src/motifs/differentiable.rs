//! Differentiable motif counts c_m(W) and the analytic gradient of a weighted
//! sum of them (Zhang, Sun, Yao & Zhang, "Functional building blocks of neural
//! networks: from network motifs to collective dynamics", poster; the c₁
//! formula there is the model).
//!
//! Adjacency convention: `w[[i, j]]` is the edge `i → j`. An RNN matrix with
//! `W[i][j]` = weight from j to i must be transposed first.
//!
//! With soft presence `P = p(W)` (see [`SoftPresence`]) and absence `Q = 1 − P`,
//! a motif with labelled edge set E on nodes (0, 1, 2) and `|Aut|` automorphisms
//! has
//!
//! `c_m(W) = 1/|Aut| · Σ_{i,j,k distinct} Π_{a≠b} F^{ab}_{x_a x_b}`, with
//! `F^{ab} = P` if `a → b ∈ E`, else `Q`, and `(x_0, x_1, x_2) = (i, j, k)`.
//!
//! Grouping the two directions of each node pair into a *dyad matrix*
//! (`Dn = Q∘Qᵀ`, `Df = P∘Qᵀ`, `Db = Dfᵀ`, `Dm = P∘Pᵀ`, diagonals zeroed so
//! that i, j, k are distinct) gives `c_m = tr(X·Y·Z)/|Aut|`, the poster's
//! `Lᵀ[(W̄∘Ẅᵀ)(Ẅ∘W̄ᵀ)∘Ẅᵀ∘Ẅ]L` in general form. On a 0/1 matrix every factor
//! is exactly 0 or 1, so c_m is the exact induced count.

use super::{automorphisms, MOTIFS};
use crate::error::{check_range, Error, Result};
use ndarray::Array2;

/// Largest N accepted (the cost is O(N³) dense matrix products).
pub const MAX_N: usize = 4096;

/// Smooth soft presence of an edge, an even C^∞ function of the weight:
///
/// `p(w) = (σ(k(w² − θ²)) − σ(−kθ²)) / (σ(k(1 − θ²)) − σ(−kθ²))`, `k = 1/(2θT)`,
///
/// with σ the logistic function, θ = `threshold`, T = `temperature`. It is
/// exactly 0 at w = 0 and exactly 1 at |w| = 1 (so a 0/1 matrix gives exact
/// counts), rises through ≈ ½ near |w| = θ over a width ≈ T, and is flat
/// (p′ = 0) at w = 0. For |w| > 1 it exceeds 1 by at most
/// `σ(−kθ²)/(σ(k(1−θ²)) − σ(−kθ²))` (≈ 0.7 % at the defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SoftPresence {
    /// θ ∈ (0, 1): the |w| at which an edge is "half present". Default 0.5.
    pub threshold: f64,
    /// T > 0: width of the transition, in units of |w|. Default 0.1.
    pub temperature: f64,
}

impl Default for SoftPresence {
    fn default() -> Self {
        SoftPresence {
            threshold: 0.5,
            temperature: 0.1,
        }
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + crate::fmath::exp(-z))
    } else {
        let e = crate::fmath::exp(z);
        e / (1.0 + e)
    }
}

impl SoftPresence {
    /// Check the parameters.
    ///
    /// # Errors
    /// θ outside (0, 1) or T outside (0, 10].
    pub fn validate(&self) -> Result<()> {
        check_range("threshold", self.threshold, 1e-6, 1.0 - 1e-6)?;
        check_range("temperature", self.temperature, 1e-6, 10.0)?;
        Ok(())
    }

    fn consts(&self) -> (f64, f64, f64, f64) {
        let th2 = self.threshold * self.threshold;
        let k = 1.0 / (2.0 * self.threshold * self.temperature);
        let s0 = sigmoid(-k * th2);
        let s1 = sigmoid(k * (1.0 - th2));
        (k, th2, s0, s1 - s0)
    }

    /// `p(w)`.
    pub fn value(&self, w: f64) -> f64 {
        let (k, th2, s0, span) = self.consts();
        (sigmoid(k * (w * w - th2)) - s0) / span
    }

    /// `dp/dw`.
    pub fn derivative(&self, w: f64) -> f64 {
        let (k, th2, _, span) = self.consts();
        let s = sigmoid(k * (w * w - th2));
        s * (1.0 - s) * k * 2.0 * w / span
    }
}

fn check_w(w: &Array2<f64>, map: &SoftPresence) -> Result<()> {
    map.validate()?;
    let (r, c) = w.dim();
    if r == 0 || r != c {
        return Err(Error::Shape(format!(
            "differentiable motif counts need a non-empty square matrix, got {r} × {c}"
        )));
    }
    if r > MAX_N {
        return Err(Error::TooLarge {
            what: "N for differentiable motif counts",
            got: r,
            limit: MAX_N,
        });
    }
    if let Some(((i, j), v)) = w.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(Error::Format(format!(
            "entry ({}, {}) is {v}; NaN and Inf are not allowed",
            i + 1,
            j + 1
        )));
    }
    Ok(())
}

/// Dyad type of the node pair (a, b) in a motif: 0 none, 1 a→b only, 2 b→a only, 3 mutual.
fn dyad(edges: &[(u8, u8)], a: u8, b: u8) -> usize {
    let f = edges.contains(&(a, b)) as usize;
    let r = edges.contains(&(b, a)) as usize;
    f + 2 * r
}

/// The (X, Y, Z) dyad types of each motif for pairs (0,1), (1,2), (2,0).
fn motif_dyads() -> [[usize; 3]; 13] {
    let mut out = [[0; 3]; 13];
    for (m, motif) in MOTIFS.iter().enumerate() {
        out[m] = [
            dyad(motif.edges, 0, 1),
            dyad(motif.edges, 1, 2),
            dyad(motif.edges, 2, 0),
        ];
    }
    out
}

struct Dyads {
    p: Array2<f64>,
    q: Array2<f64>,
    d: [Array2<f64>; 4],
}

fn dyads(w: &Array2<f64>, map: &SoftPresence) -> Dyads {
    let n = w.nrows();
    let mut p = w.mapv(|x| map.value(x));
    p.diag_mut().fill(0.0);
    let mut q = p.mapv(|x| 1.0 - x);
    q.diag_mut().fill(0.0);
    let mut dn = &q * &q.t();
    let mut df = &p * &q.t();
    let mut dm = &p * &p.t();
    for a in [&mut dn, &mut df, &mut dm] {
        a.diag_mut().fill(0.0);
    }
    let db = df.t().to_owned();
    debug_assert_eq!(dn.nrows(), n);
    Dyads {
        p,
        q,
        d: [dn, df, db, dm],
    }
}

/// Lazily computed products `D_a · D_b` of dyad matrices.
struct Products<'a> {
    d: &'a [Array2<f64>; 4],
    cache: [[Option<Array2<f64>>; 4]; 4],
}

impl<'a> Products<'a> {
    fn get(&mut self, a: usize, b: usize) -> &Array2<f64> {
        let d = self.d;
        self.cache[a][b].get_or_insert_with(|| crate::linalg::matmul(&d[a].view(), &d[b].view()))
    }
}

/// Differentiable counts of the 13 motifs (index `id − 1`).
///
/// Arguments: `w` (N × N, adjacency convention, any real weights), `map` the
/// soft presence.
/// Returns: c_m(W); on a 0/1 (or 0/±1) matrix these equal the exact induced
/// counts of [`super::census`].
/// Errors: non-square/empty `w`, N > [`MAX_N`], NaN/Inf entries, bad `map`.
/// Complexity: O(N³) — at most 16 dense N × N products.
pub fn soft_counts(w: &Array2<f64>, map: &SoftPresence) -> Result<[f64; 13]> {
    check_w(w, map)?;
    let dy = dyads(w, map);
    let aut = automorphisms();
    let types = motif_dyads();
    let mut prods = Products {
        d: &dy.d,
        cache: Default::default(),
    };
    let mut out = [0.0; 13];
    for m in 0..13 {
        let [x, y, z] = types[m];
        let xy = prods.get(x, y);
        // tr(XY·Z) = Σ (XY ∘ Zᵀ)
        let tr: f64 = ndarray::Zip::from(xy)
            .and(&dy.d[z].t())
            .fold(0.0, |acc, a, b| acc + a * b);
        out[m] = tr / aut[m] as f64;
    }
    Ok(out)
}

/// Weighted motif penalty `L(W) = Σ_m s_m c_m(W)` and its gradient `∂L/∂W`.
///
/// Arguments: `w` (N × N, adjacency convention), `map`, `s` the 13 motif
/// weights (index `id − 1`; e.g. −1 on Level-1 motifs to enrich them).
/// Returns: `(L, G)` with `G[[i, j]] = ∂L/∂w_ij` (zero on the diagonal).
/// Errors: as [`soft_counts`], or a non-finite `s_m`.
/// Complexity: O(N³) — at most 16 dense products plus O(N²) per motif.
///
/// Derivation: ∂tr(XYZ)/∂X = (YZ)ᵀ (cyclic), and each dyad matrix is a
/// Hadamard product of P, Q and their transposes, so the chain rule gives
/// ∂L/∂P; then ∂L/∂W = ∂L/∂P ∘ p′(W).
pub fn soft_penalty_grad(
    w: &Array2<f64>,
    map: &SoftPresence,
    s: &[f64; 13],
) -> Result<(f64, Array2<f64>)> {
    check_w(w, map)?;
    if let Some(k) = s.iter().position(|v| !v.is_finite()) {
        return Err(Error::param(
            "s",
            format!("motif weight for id {} is {}; must be finite", k + 1, s[k]),
        ));
    }
    let n = w.nrows();
    let dy = dyads(w, map);
    let aut = automorphisms();
    let types = motif_dyads();
    let mut prods = Products {
        d: &dy.d,
        cache: Default::default(),
    };
    let mut loss = 0.0;
    // Gradient w.r.t. each dyad matrix, accumulated transposed: gt[t] = (∂L/∂D_t)ᵀ.
    let mut gt: [Array2<f64>; 4] = std::array::from_fn(|_| Array2::zeros((n, n)));
    for m in 0..13 {
        if s[m] == 0.0 {
            continue;
        }
        let c = s[m] / aut[m] as f64;
        let [x, y, z] = types[m];
        let tr: f64 = ndarray::Zip::from(prods.get(x, y))
            .and(&dy.d[z].t())
            .fold(0.0, |acc, a, b| acc + a * b);
        loss += c * tr;
        // ∂/∂X = (YZ)ᵀ, ∂/∂Y = (ZX)ᵀ, ∂/∂Z = (XY)ᵀ
        gt[x].scaled_add(c, prods.get(y, z));
        gt[y].scaled_add(c, prods.get(z, x));
        gt[z].scaled_add(c, prods.get(x, y));
    }
    let [gn, gf, gb, gm] = gt.map(|g| g.reversed_axes());
    // Db = Dfᵀ → ∂L/∂Df += (∂L/∂Db)ᵀ.
    let gf = gf + gb.t();
    let (p, q) = (&dy.p, &dy.q);
    // Dn_ij = Q_ij Q_ji ; Df_ij = P_ij Q_ji ; Dm_ij = P_ij P_ji  (∂Q/∂P = −1)
    let sym_n = &gn + &gn.t();
    let sym_m = &gm + &gm.t();
    let mut gp = -(&sym_n * &q.t()) + &(&gf * &q.t()) - &(&gf.t() * &p.t()) + &(&sym_m * &p.t());
    gp.diag_mut().fill(0.0);
    let grad = ndarray::Zip::from(&gp)
        .and(w)
        .map_collect(|&g, &x| g * map.derivative(x));
    Ok((loss, grad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_is_exact_at_0_and_1() {
        let m = SoftPresence::default();
        assert_eq!(m.value(0.0), 0.0);
        assert_eq!(m.value(1.0), 1.0);
        assert_eq!(m.value(-1.0), 1.0);
        assert!((m.value(0.5) - 0.5).abs() < 0.05);
        let h = 1e-6;
        for x in [-1.3, -0.4, 0.2, 0.55, 0.9] {
            let fd = (m.value(x + h) - m.value(x - h)) / (2.0 * h);
            assert!((fd - m.derivative(x)).abs() < 1e-6, "{x}");
        }
    }
}
