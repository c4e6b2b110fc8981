//! Null models for multilayer modularity (Bassett, Wymbs, Porter, Mucha,
//! Carlson & Grafton, PNAS 108, 7641, 2011, "Dynamic reconfiguration of human
//! brain networks during learning", Fig. 2 and SI "Null models").
//!
//! Each null scrambles one ingredient of the multilayer network, the same
//! optimiser is run on K scrambled copies, and the observed statistic x
//! (Q, #communities, system flexibility) is compared with the K null values:
//!
//! z = (x − mean_null) / sd_null  (sd with the K − 1 denominator),
//! p = (1 + #{null ≥ x}) / (1 + K)   for Q (one-sided: "more modular than the null"),
//! p = min(1, 2 · min(p_≥, p_≤))     for #communities and flexibility (two-sided;
//! Bassett et al. found differences in both directions depending on the null).
//!
//! The three nulls:
//! - **connectional**: within each layer, the off-diagonal weights are
//!   permuted among the node pairs of the same sign (positive weights among
//!   the positive pairs, negative among the negative pairs, zeros stay). This
//!   keeps each layer's sign pattern, its multiset of positive and of negative
//!   weights (hence 2m⁺ and 2m⁻) and symmetry, and destroys which pairs carry
//!   the strong weights. It is a weight permutation, not BCT's
//!   `null_model_und_sign` (which also approximately keeps node strengths by
//!   degree-preserving rewiring); Bassett et al. 2011 rewired edges keeping the
//!   degree distribution. Our choice is the stricter null for dense FC, where
//!   every pair is an edge and degree-preserving rewiring would change little.
//! - **nodal**: the inter-layer identity links are permuted: node i in layer
//!   l is coupled to node π_{l+1}(π_l⁻¹(i)) of layer l + 1 for uniformly random
//!   permutations π_l. We implement it by relabelling the nodes of every layer
//!   l ≥ 1 by π_l (A'_l[π_l(i), π_l(j)] = A_l[i, j]) and keeping the identity
//!   coupling, which is the same supra-adjacency up to node-layer names. Flexibility
//!   of the null is measured along the permuted chains.
//! - **temporal**: the order of the layers is permuted uniformly at random
//!   (meaningful for ordinal coupling only; for categorical coupling every
//!   order gives the same network, so the null is refused).

use super::multilayer::{multilayer_from_layers, Coupling, MultilayerParams, MultilayerResult};
use crate::error::{check_size, Error, Result};
use crate::rng;
use ndarray::Array2;
use rand::seq::SliceRandom;
use serde::Serialize;

/// Largest number of null samples.
pub const MAX_NULL_SAMPLES: usize = 10_000;

/// Which ingredient of the multilayer network the null scrambles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NullKind {
    /// Permute each layer's weights within sign (intra-layer topology).
    Connectional,
    /// Permute the inter-layer identity links (node identity across layers).
    Nodal,
    /// Permute the order of the layers (time).
    Temporal,
}

impl std::str::FromStr for NullKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<NullKind> {
        match s {
            "connectional" => Ok(NullKind::Connectional),
            "nodal" => Ok(NullKind::Nodal),
            "temporal" => Ok(NullKind::Temporal),
            _ => Err(Error::param(
                "null",
                format!("expected connectional, nodal or temporal, got {s:?}"),
            )),
        }
    }
}

/// Parameters of a null-model comparison.
#[derive(Debug, Clone)]
pub struct NullParams {
    /// Which null.
    pub kind: NullKind,
    /// Number of null networks K (≥ 2 so that an SD exists).
    pub samples: usize,
    /// Seed of the scrambling (the optimiser of null k uses the observed
    /// optimiser's seed + 7919·(k + 1), so nulls and observation never share
    /// node orders by accident).
    pub seed: u64,
}

impl NullParams {
    /// Validate.
    ///
    /// # Errors
    /// `samples` outside 2…[`MAX_NULL_SAMPLES`].
    pub fn check(&self) -> Result<()> {
        check_size("null-samples", self.samples, 2, MAX_NULL_SAMPLES).map(|_| ())
    }
}

/// One statistic compared with its null distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NullStat {
    /// Observed value.
    pub observed: f64,
    /// Mean over the null samples.
    pub mean: f64,
    /// Standard deviation over the null samples (K − 1 denominator).
    pub sd: f64,
    /// (observed − mean)/sd; `None` (JSON null) when sd = 0 and observed ≠ mean.
    pub z: Option<f64>,
    /// Empirical p-value (one-sided for Q, two-sided otherwise; see module docs).
    pub p: f64,
}

/// Result of [`null_test`]: the JSON `"null"` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NullResult {
    /// Which null.
    pub kind: NullKind,
    /// K.
    pub samples: usize,
    /// Mean Q of the nulls.
    pub q_mean: f64,
    /// SD of the nulls' Q.
    pub q_sd: f64,
    /// z of the observed Q (`None` if the nulls have no spread and differ from it).
    pub z: Option<f64>,
    /// (1 + #{Q_null ≥ Q}) / (1 + K).
    pub p: f64,
    /// Number of communities vs the null (two-sided p).
    pub n_communities: NullStat,
    /// System flexibility vs the null (two-sided p).
    pub flexibility: NullStat,
    /// The within-layer part q_intra vs the null (one-sided p, like Q): a
    /// connectional null also breaks the cross-layer consistency of the
    /// layers, so Q can beat it through q_inter alone; this says whether
    /// the within-layer part does.
    pub q_intra: NullStat,
    /// Q of every null sample.
    pub q_samples: Vec<f64>,
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let k = v.len() as f64;
    let m = v.iter().sum::<f64>() / k;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (k - 1.0).max(1.0);
    (m, var.sqrt())
}

fn z_of(obs: f64, m: f64, sd: f64) -> Option<f64> {
    // Relative tolerance: optimiser round-off must not read as spread.
    let tol = 1e-12 * obs.abs().max(m.abs()).max(1e-300);
    if sd > tol {
        Some((obs - m) / sd)
    } else if (obs - m).abs() <= tol {
        Some(0.0)
    } else {
        None
    }
}

/// Compare `obs` with null values `v`.
fn stat(obs: f64, v: &[f64], two_sided: bool) -> NullStat {
    let (mean, sd) = mean_sd(v);
    let k = v.len() as f64;
    let tol = 1e-12 * obs.abs().max(1e-300);
    let ge = v.iter().filter(|&&x| x >= obs - tol).count() as f64;
    let le = v.iter().filter(|&&x| x <= obs + tol).count() as f64;
    let p_ge = (1.0 + ge) / (1.0 + k);
    let p = if two_sided {
        (2.0 * p_ge.min((1.0 + le) / (1.0 + k))).min(1.0)
    } else {
        p_ge
    };
    NullStat {
        observed: obs,
        mean,
        sd,
        z: z_of(obs, mean, sd),
        p,
    }
}

/// Connectional null of one symmetric layer: off-diagonal weights permuted
/// among the pairs (i < j) of the same sign; diagonal and zeros kept.
pub fn connectional_layer(a: &Array2<f64>, r: &mut rng::Rng) -> Array2<f64> {
    let n = a.nrows();
    let mut out = a.clone();
    let mut pos = Vec::new();
    let mut neg = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let v = a[[i, j]];
            if v > 0.0 {
                pos.push((i, j));
            } else if v < 0.0 {
                neg.push((i, j));
            }
        }
    }
    for pairs in [pos, neg] {
        let mut w: Vec<f64> = pairs.iter().map(|&(i, j)| a[[i, j]]).collect();
        w.shuffle(r);
        for (&(i, j), v) in pairs.iter().zip(w) {
            out[[i, j]] = v;
            out[[j, i]] = v;
        }
    }
    out
}

/// Nodal null: every layer l ≥ 1 relabelled by a uniform random permutation
/// π_l (A'_l[π_l(i), π_l(j)] = A_l[i, j]); returns the layers and the π_l
/// (π_0 = identity).
pub fn nodal(layers: &[Array2<f64>], r: &mut rng::Rng) -> (Vec<Array2<f64>>, Vec<Vec<usize>>) {
    let n = layers.first().map_or(0, |a| a.nrows());
    let mut perms = Vec::with_capacity(layers.len());
    let mut out = Vec::with_capacity(layers.len());
    for (k, a) in layers.iter().enumerate() {
        let mut pi: Vec<usize> = (0..n).collect();
        if k > 0 {
            pi.shuffle(r);
        }
        let mut b = Array2::zeros((n, n));
        for i in 0..n {
            for j in 0..n {
                b[[pi[i], pi[j]]] = a[[i, j]];
            }
        }
        out.push(b);
        perms.push(pi);
    }
    (out, perms)
}

/// Temporal null: the layers in a uniformly random order; returns the layers
/// and the order (output layer k is input layer `order[k]`).
pub fn temporal(layers: &[Array2<f64>], r: &mut rng::Rng) -> (Vec<Array2<f64>>, Vec<usize>) {
    let mut order: Vec<usize> = (0..layers.len()).collect();
    order.shuffle(r);
    (order.iter().map(|&k| layers[k].clone()).collect(), order)
}

/// One null network of the given kind.
pub fn null_layers(kind: NullKind, layers: &[Array2<f64>], r: &mut rng::Rng) -> Vec<Array2<f64>> {
    match kind {
        NullKind::Connectional => layers.iter().map(|a| connectional_layer(a, r)).collect(),
        NullKind::Nodal => nodal(layers, r).0,
        NullKind::Temporal => temporal(layers, r).0,
    }
}

/// Compare an observed multilayer partition with a null model.
///
/// # Arguments
/// `layers` and `p` exactly as given to [`multilayer_from_layers`] for `obs`;
/// `np` the null kind, K and seed; `progress(done, K)` after each null.
///
/// # Returns
/// [`NullResult`]: Q's null mean, SD, z and one-sided empirical p, and the
/// same comparison (two-sided) for #communities and system flexibility.
///
/// # Errors
/// Bad `np`; a temporal null with categorical coupling or a single layer
/// (nothing to permute); the optimiser's errors.
///
/// # Complexity
/// K times the optimisation of [`multilayer_from_layers`] plus O(K N² L) for
/// the scrambling.
pub fn null_test(
    layers: &[Array2<f64>],
    p: &MultilayerParams,
    obs: &MultilayerResult,
    np: &NullParams,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<NullResult> {
    np.check()?;
    if np.kind != NullKind::Connectional && layers.len() < 2 {
        return Err(Error::param(
            "null",
            "nodal and temporal nulls need at least 2 layers",
        ));
    }
    if np.kind == NullKind::Temporal && p.coupling == Coupling::Categorical {
        return Err(Error::param(
            "null",
            "temporal null is meaningless with categorical coupling (every layer order is the same network)",
        ));
    }
    let mut r = rng::seeded(np.seed);
    let (mut q, mut nc, mut fl, mut qi) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for k in 0..np.samples {
        let nl = null_layers(np.kind, layers, &mut r);
        let mut pk = p.clone();
        pk.seed = p.seed.wrapping_add(7919 * (k as u64 + 1));
        let res = multilayer_from_layers(&nl, &pk, &mut |_, _| {})?;
        q.push(res.q);
        nc.push(res.n_communities as f64);
        fl.push(res.system_flexibility);
        qi.push(res.q_intra);
        progress(k + 1, np.samples);
    }
    let qs = stat(obs.q, &q, false);
    Ok(NullResult {
        kind: np.kind,
        samples: np.samples,
        q_mean: qs.mean,
        q_sd: qs.sd,
        z: qs.z,
        p: qs.p,
        n_communities: stat(obs.n_communities as f64, &nc, true),
        flexibility: stat(obs.system_flexibility, &fl, true),
        q_intra: stat(obs.q_intra, &qi, false),
        q_samples: q,
    })
}

/// Append the no-structure warning to `obs` when the connectional null's
/// p > 0.05 (and it is not already there).
///
/// With K < 19 nulls the smallest attainable p, 1/(1 + K), is above 0.05, so
/// p cannot decide; then the no-structure warning fires only if some null
/// reached the observed Q, and a second warning asks for K ≥ 19.
pub fn warn_if_null(obs: &mut MultilayerResult, null: &NullResult) {
    if null.kind != NullKind::Connectional {
        return;
    }
    let p_min = 1.0 / (1.0 + null.samples as f64);
    let fires = if p_min > 0.05 {
        null.p > p_min + 1e-12
    } else {
        null.p > 0.05
    };
    let already = obs
        .warnings
        .iter()
        .any(|w| w.starts_with(super::multilayer::NO_STRUCTURE));
    if fires && !already {
        obs.warnings.push(format!(
            "{}: Q = {:.4} does not beat the connectional null (mean {:.4}, p = {:.3}, K = {})",
            super::multilayer::NO_STRUCTURE,
            obs.q,
            null.q_mean,
            null.p,
            null.samples
        ));
    }
    if p_min > 0.05 {
        obs.warnings.push(format!(
            "{} null samples cannot give p ≤ 0.05 (smallest p = {p_min:.3}); use --null-samples ≥ 19",
            null.samples
        ));
    }
}
