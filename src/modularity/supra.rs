//! The supra-modularity matrix of a multilayer network (Mucha et al.,
//! Science 328, 876, 2010; signed layers as in the Network Community
//! Toolbox), built from the layer matrices and scanned by the Louvain engine;
//! see [`super::multilayer`] for the formula and the analysis around it.

use super::fc::{MAX_LAYERS, MAX_UNITS};
use super::louvain::{quality, Quality};
use super::multilayer::{Coupling, MultilayerParams, MAX_GAMMA, MAX_NODE_LAYERS, MAX_OMEGA};
use super::rowscan::sum4;
use crate::error::{check_range, check_size, Error, Result};
use ndarray::Array2;

/// The supra-modularity matrix, stored as L dense N×N blocks plus ω.
pub struct MultiB {
    n: usize,
    l: usize,
    blocks: Vec<f64>,
    omega: f64,
    coupling: Coupling,
    /// 2μ.
    pub two_mu: f64,
    scale: f64,
    /// Unnormalised Q of one community holding every node-layer.
    q_one: f64,
}

fn per_layer(name: &'static str, g: &[f64], l: usize) -> Result<Vec<f64>> {
    let v = match g.len() {
        1 => vec![g[0]; l],
        k if k == l => g.to_vec(),
        k => {
            return Err(Error::param(
                name,
                format!("needs 1 value or one per layer ({l}), got {k}"),
            ))
        }
    };
    for &x in &v {
        check_range(name, x, 0.0, MAX_GAMMA)?;
    }
    Ok(v)
}

/// Append `f(a_j, p_j, m_j)` for every j to `out` and add their |·| to
/// `abs_sum` one by one, in order (a sequential sum, so the same bits as
/// summing the finished B), eight entries at a time: the entries of the next
/// eight (vectorised, with their divisions) are computed while the additions
/// of the previous eight wait on each other.
#[inline(always)]
fn push_row(
    out: &mut Vec<f64>,
    abs_sum: &mut f64,
    a: &[f64],
    kp: &[f64],
    kn: &[f64],
    f: impl Fn(f64, f64, f64) -> f64,
) {
    let mut s = *abs_sum;
    let mut buf = [0.0f64; 8];
    let (ac, pc, mc) = (a.chunks_exact(8), kp.chunks_exact(8), kn.chunks_exact(8));
    let (ar, pr, mr) = (ac.remainder(), pc.remainder(), mc.remainder());
    for ((x, p), m) in ac.zip(pc).zip(mc) {
        for k in 0..8 {
            buf[k] = f(x[k], p[k], m[k]);
        }
        out.extend_from_slice(&buf);
        for v in buf {
            s += v.abs();
        }
    }
    for ((&x, &p), &m) in ar.iter().zip(pr).zip(mr) {
        let v = f(x, p, m);
        out.push(v);
        s += v.abs();
    }
    *abs_sum = s;
}

impl MultiB {
    /// Build B from layer matrices (each symmetric N×N, possibly signed).
    ///
    /// # Errors
    /// No layers, differing or non-square shapes, asymmetric layers, N·L too
    /// large, bad ω/γ, or 2μ = 0 (nothing to normalise by).
    pub fn new(layers: &[Array2<f64>], p: &MultilayerParams) -> Result<MultiB> {
        let l = layers.len();
        check_size("layers", l, 1, MAX_LAYERS)?;
        let n = layers[0].nrows();
        check_size("nodes per layer", n, 1, MAX_UNITS)?;
        if n * l > MAX_NODE_LAYERS {
            return Err(Error::TooLarge {
                what: "multilayer network (nodes × layers)",
                got: n * l,
                limit: MAX_NODE_LAYERS,
            });
        }
        check_range("omega", p.omega, 0.0, MAX_OMEGA)?;
        let gp = per_layer("gamma_pos", &p.gamma_pos, l)?;
        let gn = per_layer("gamma_neg", &p.gamma_neg, l)?;
        let mut blocks: Vec<f64> = Vec::with_capacity(l * n * n);
        // Σ|B| in storage order (one sequential sum, as `scale` always was),
        // and per node-layer B_vv + (Σ of the row left of the diagonal) +
        // (Σ right of it), summed as `quality` sums them with every label
        // equal: Q of one community without a second pass over B.
        let mut abs_sum = 0.0;
        let mut one_rows: Vec<f64> = Vec::with_capacity(l * n);
        let mut two_mu = 0.0;
        let mut scratch = Vec::new();
        for (k, a) in layers.iter().enumerate() {
            if a.dim() != (n, n) {
                let want = if k == 0 {
                    "layers must be square (N × N)".to_string()
                } else {
                    format!("but layer 1 is {n} × {n}")
                };
                return Err(Error::Shape(format!(
                    "layer {} is {} × {}, {want}",
                    k + 1,
                    a.nrows(),
                    a.ncols()
                )));
            }
            let s = super::signed::checked_split(a)
                .map_err(|e| Error::Shape(format!("layer {}: {e}", k + 1)))?;
            two_mu += s.s_pos + s.s_neg;
            let (kp, kn) = (&s.k_pos[..], &s.k_neg[..]);
            // B_ij = A_ij − γ⁺ k⁺_i k⁺_j / s⁺ + γ⁻ k⁻_i k⁻_j / s⁻, evaluated left
            // to right as written (γ k_i first), written once per entry.
            for (arow, i) in a.rows().into_iter().zip(0..) {
                let arow = match arow.to_slice() {
                    Some(r) => r,
                    None => {
                        scratch.clear();
                        scratch.extend(arow.iter().copied());
                        &scratch[..]
                    }
                };
                let (gkp, gkn) = (gp[k] * kp[i], gn[k] * kn[i]);
                let (sp, sn) = (s.s_pos, s.s_neg);
                let at = blocks.len();
                match (sp > 0.0, sn > 0.0) {
                    (true, true) => push_row(&mut blocks, &mut abs_sum, arow, kp, kn, |v, p, m| {
                        v - gkp * p / sp + gkn * m / sn
                    }),
                    (true, false) => {
                        push_row(&mut blocks, &mut abs_sum, arow, kp, kn, |v, p, _| {
                            v - gkp * p / sp
                        })
                    }
                    (false, true) => {
                        push_row(&mut blocks, &mut abs_sum, arow, kp, kn, |v, _, m| {
                            v + gkn * m / sn
                        })
                    }
                    (false, false) => {
                        push_row(&mut blocks, &mut abs_sum, arow, kp, kn, |v, _, _| v)
                    }
                }
                let out = &blocks[at..];
                let r = out[i] + sum4(&out[..i]);
                one_rows.push(r + sum4(&out[i + 1..]));
            }
        }
        let links = match p.coupling {
            Coupling::Ordinal => 2.0 * (n * (l - 1)) as f64,
            Coupling::Categorical => (n * l * (l - 1)) as f64,
        };
        two_mu += p.omega * links;
        if two_mu <= 0.0 {
            return Err(Error::Shape(
                "all layers are empty and ω = 0: multilayer modularity is undefined".into(),
            ));
        }
        let scale = abs_sum / blocks.len() as f64 + p.omega;
        let mut b = MultiB {
            n,
            l,
            blocks,
            omega: p.omega,
            coupling: p.coupling,
            two_mu,
            scale,
            q_one: 0.0,
        };
        // Every coupling entry joins one community with itself.
        b.q_one = one_rows.iter().enumerate().fold(0.0, |q, (v, &r0)| {
            let mut r = r0;
            b.for_extra(v, |_, w| r += w);
            q + r
        });
        Ok(b)
    }

    /// Q (normalised) of flat labels (node-layer v = l·N + i).
    pub fn q(&self, flat: &[usize]) -> f64 {
        quality(self, flat) / self.two_mu
    }

    /// [`MultiB::q`] of one community holding every node-layer, to the bit
    /// (kept from the construction of B).
    ///
    /// Complexity: O(1).
    pub fn q_one_community(&self) -> f64 {
        self.q_one / self.two_mu
    }

    /// [`MultiB::q`] of [`MultiB::singletons`], to the bit, without a scan
    /// of B: within a layer no two nodes share a label, so each row adds
    /// B_vv, two empty masked sums (+0) and every coupling entry (node i
    /// keeps label i in every layer), in the order `quality` adds them.
    ///
    /// Complexity: O(N L) ordinal, O(N L²) categorical.
    pub fn q_singletons(&self) -> f64 {
        let q = (0..self.n * self.l).fold(0.0, |q, v| {
            let mut r = self.diag(v) + 0.0;
            r += 0.0;
            self.for_extra(v, |_, w| r += w);
            q + r
        });
        q / self.two_mu
    }

    /// Nodes per layer N.
    pub fn nodes(&self) -> usize {
        self.n
    }

    /// Layers L.
    pub fn layers(&self) -> usize {
        self.l
    }

    /// (q_intra, q_inter) of flat labels: the within-layer sum
    /// Σ_l Σ_ij B_ijl δ(g_il, g_jl) and the coupling sum Σ_{jlr} C_jlr δ(g_jl, g_jr),
    /// each over 2μ. Their sum is [`MultiB::q`] up to rounding.
    pub fn q_split(&self, flat: &[usize]) -> (f64, f64) {
        let (n, l) = (self.n, self.l);
        let mut intra = 0.0;
        for layer in 0..l {
            let lab = &flat[layer * n..(layer + 1) * n];
            let blk = &self.blocks[layer * n * n..(layer + 1) * n * n];
            for i in 0..n {
                let row = &blk[i * n..(i + 1) * n];
                for (j, &b) in row.iter().enumerate() {
                    if lab[i] == lab[j] {
                        intra += b;
                    }
                }
            }
        }
        let mut same = 0usize;
        for layer in 0..l {
            for r in 0..l {
                let coupled = match self.coupling {
                    Coupling::Ordinal => layer.abs_diff(r) == 1,
                    Coupling::Categorical => layer != r,
                };
                if coupled {
                    same += (0..n)
                        .filter(|&i| flat[layer * n + i] == flat[r * n + i])
                        .count();
                }
            }
        }
        (intra / self.two_mu, self.omega * same as f64 / self.two_mu)
    }

    /// Flat labels of the unit-constant singletons (node-layer l·N + i → i).
    pub fn singletons(&self) -> Vec<usize> {
        (0..self.n * self.l).map(|v| v % self.n).collect()
    }
}

impl Quality for MultiB {
    fn n(&self) -> usize {
        self.n * self.l
    }
    fn dense_row(&self, v: usize) -> (usize, &[f64]) {
        let (n, layer) = (self.n, v / self.n);
        (layer * n, &self.blocks[v * n..(v + 1) * n])
    }
    #[inline(always)]
    fn for_extra(&self, v: usize, mut f: impl FnMut(usize, f64)) {
        if self.omega > 0.0 {
            let (n, layer, i) = (self.n, v / self.n, v % self.n);
            match self.coupling {
                Coupling::Ordinal => {
                    if layer > 0 {
                        f(v - n, self.omega);
                    }
                    if layer + 1 < self.l {
                        f(v + n, self.omega);
                    }
                }
                Coupling::Categorical => {
                    for r in (0..self.l).filter(|&r| r != layer) {
                        f(r * n + i, self.omega);
                    }
                }
            }
        }
    }
    fn diag(&self, v: usize) -> f64 {
        let (n, i) = (self.n, v % self.n);
        self.blocks[v * n + i]
    }
    fn scale(&self) -> f64 {
        self.scale
    }
    fn row_len(&self) -> f64 {
        let coupled = match self.coupling {
            _ if self.omega <= 0.0 => 0,
            Coupling::Ordinal => 2.min(self.l - 1),
            Coupling::Categorical => self.l - 1,
        };
        (self.n + coupled) as f64
    }
}
