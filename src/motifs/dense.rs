//! Dense and weighted matrices as motif graphs: a threshold on |w| that
//! turns a weight matrix into a graph, a check that the graph is sparse
//! enough for a three-node census to say anything, and an estimate of the
//! census and null-model cost before running them.
//!
//! A dense recurrent W (a trained RNN, `np.save` of PyTorch's
//! `weight_hh_l0`) has every off-diagonal entry non-zero: read as a graph it
//! is complete, every connected triad is motif 13 (`300`) and no null model
//! can vary. Motif analyses of weighted networks therefore first keep the
//! strongest connections, either a fixed fraction of the largest |w_ij|
//! ("proportional thresholding", Rubinov & Sporns, NeuroImage 52, 1059,
//! 2010; BCT `threshold_proportional`) or every |w_ij| ≥ t (BCT
//! `threshold_absolute`).

use super::Digraph;
use crate::error::{check_range, Error, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Off-diagonal density above which [`Threshold::Auto`] thresholds a matrix.
pub const AUTO_DENSITY: f64 = 0.5;
/// Density at or above which [`check_density`] warns that the census
/// mostly measures density (p⁶ of ER triads are already motif 13 at p = 0.5: 1.6 %, and
/// the dense motifs 9–13 dominate the counts).
pub const DENSE_WARNING: f64 = 0.5;

/// How a weight matrix becomes a graph (edges are the kept non-zero
/// off-diagonal entries; the diagonal never takes part in a three-node motif).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Threshold {
    /// Every non-zero entry is an edge.
    None,
    /// Keep the `keep` fraction (0 < keep ≤ 1) of off-diagonal entries with
    /// the largest |w| (ties at the cut are kept, so a binary matrix keeps
    /// all its edges).
    Keep {
        /// Fraction of the N(N − 1) off-diagonal entries to keep.
        keep: f64,
    },
    /// Keep every entry with |w| ≥ `min_abs`.
    Abs {
        /// Smallest |w| kept.
        min_abs: f64,
    },
    /// [`Threshold::Keep`] when more than [`AUTO_DENSITY`] of the
    /// off-diagonal entries are non-zero (a dense weight matrix), else
    /// [`Threshold::None`] (a sparse matrix's non-zeros are its edges).
    Auto {
        /// Fraction kept when the matrix is dense.
        keep: f64,
    },
}

/// What [`threshold_matrix`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdReport {
    /// The rule asked for.
    pub rule: Threshold,
    /// Whether entries were removed by a cut (false for `None`, and for
    /// `Auto` on a sparse matrix).
    pub applied: bool,
    /// The |w| cut: entries with |w| ≥ cut were kept (0 when not applied).
    pub cut: f64,
    /// Non-zero off-diagonal entries before the threshold.
    pub nonzero_before: usize,
    /// Non-zero off-diagonal entries kept.
    pub kept: usize,
}

impl Threshold {
    /// Check the rule's number.
    ///
    /// # Errors
    /// `keep` outside (0, 1] or `min_abs` negative / not finite, named.
    pub fn check(&self) -> Result<()> {
        match *self {
            Threshold::None => Ok(()),
            Threshold::Keep { keep } | Threshold::Auto { keep } => {
                check_range("keep", keep, 0.0, 1.0)?;
                if keep <= 0.0 {
                    return Err(Error::param(
                        "keep",
                        "must be above 0 (no edge would be kept)",
                    ));
                }
                Ok(())
            }
            Threshold::Abs { min_abs } => {
                check_range("min_abs", min_abs, 0.0, f64::MAX).map(|_| ())
            }
        }
    }
}

/// Apply a [`Threshold`] to a square matrix (either orientation: only |w|
/// matters). Entries below the cut and the diagonal become 0; kept entries
/// keep their signed weight.
///
/// Arguments: `a` a square, finite matrix; `rule` the threshold.
/// Returns: the thresholded matrix and a [`ThresholdReport`].
/// Errors: non-square or empty matrix; NaN/Inf entry (named, 1-based); a bad
/// rule ([`Threshold::check`]).
/// Complexity: O(N² log N) time (a sort of the |w|) and O(N²) memory.
/// Reference: proportional and absolute thresholding as in BCT
/// (`threshold_proportional`, `threshold_absolute`; Rubinov & Sporns 2010).
pub fn threshold_matrix(
    a: &Array2<f64>,
    rule: Threshold,
) -> Result<(Array2<f64>, ThresholdReport)> {
    rule.check()?;
    let (r, c) = a.dim();
    if r == 0 || r != c {
        return Err(Error::Shape(format!(
            "a motif graph needs a non-empty square matrix, got {r} rows × {c} columns"
        )));
    }
    let mut mags = Vec::with_capacity(r * r.saturating_sub(1));
    for ((i, j), &w) in a.indexed_iter() {
        if !w.is_finite() {
            return Err(Error::Format(format!(
                "entry ({}, {}) is {w}; NaN and Inf are not allowed",
                i + 1,
                j + 1
            )));
        }
        if i != j {
            mags.push(w.abs());
        }
    }
    let off = mags.len();
    let nonzero_before = mags.iter().filter(|&&x| x != 0.0).count();
    let keep_cut = |keep: f64, mags: &mut Vec<f64>| -> f64 {
        // The cut is the k-th largest |w| with k = round(keep · N(N − 1)), at least 1.
        let k = ((keep * off as f64).round() as usize).clamp(1, off.max(1));
        crate::linalg::sort_f64_desc(mags);
        mags.get(k - 1).copied().unwrap_or(0.0)
    };
    let cut = match rule {
        Threshold::None => None,
        Threshold::Keep { keep } => Some(keep_cut(keep, &mut mags)),
        Threshold::Abs { min_abs } => Some(min_abs),
        Threshold::Auto { keep } => {
            if off > 0 && nonzero_before as f64 > AUTO_DENSITY * off as f64 {
                Some(keep_cut(keep, &mut mags))
            } else {
                None
            }
        }
    };
    let mut out = a.clone();
    for ((i, j), w) in out.indexed_iter_mut() {
        if i == j || cut.is_some_and(|t| w.abs() < t) {
            *w = 0.0;
        }
    }
    let kept = out.iter().filter(|&&x| x != 0.0).count();
    Ok((
        out,
        ThresholdReport {
            rule,
            applied: cut.is_some(),
            cut: cut.unwrap_or(0.0),
            nonzero_before,
            kept,
        },
    ))
}

/// How dense a motif graph is, and whether its census can mean anything.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DensityReport {
    /// Nodes N.
    pub n: usize,
    /// Directed edges m (no self-loops).
    pub m: usize,
    /// m / (N(N − 1)).
    pub density: f64,
    /// Every ordered pair is an edge: every connected triad is motif 13.
    pub complete: bool,
    /// A sentence for the user when the graph is complete or at least
    /// [`DENSE_WARNING`] dense; absent otherwise (never a JSON `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Density of `g` and a warning when a motif census of it would only
/// restate its density.
///
/// Arguments: a [`Digraph`]. Returns: a [`DensityReport`]. Errors: none.
/// Complexity: O(1).
pub fn check_density(g: &Digraph) -> DensityReport {
    let (n, m) = (g.n(), g.m());
    let pairs = n.saturating_mul(n.saturating_sub(1));
    let density = if pairs == 0 {
        0.0
    } else {
        m as f64 / pairs as f64
    };
    let complete = pairs > 0 && m == pairs;
    let warning = if complete {
        Some(format!(
            "the graph is complete ({m} edges on {n} nodes): every triad is motif 13 (300) and no null model can vary. Threshold the weights (keep the strongest fraction, or |w| ≥ t)."
        ))
    } else if density >= DENSE_WARNING {
        Some(format!(
            "the graph is {:.0}% dense: the census mostly restates the density (the dense motifs 9–13 dominate). Threshold the weights (keep the strongest fraction, or |w| ≥ t).",
            100.0 * density
        ))
    } else {
        None
    };
    DensityReport {
        n,
        m,
        density,
        complete,
        warning,
    }
}

/// Nanoseconds per neighbour pair for the census plus the weighted census
/// (what the page runs on every graph). Natively the census of a 5,000-node,
/// 50,000-edge graph takes 77 ms and the weighted census 245 ms
/// (`cargo bench --bench motifs`), ≈ 80 + 250 ns per pair; WebAssembly in
/// Chromium on the shared 2-core machine measured 560–940 ns per pair (G(1000,
/// 0.05) and the complete graph on 300 nodes). 500 ns errs on the slow side.
pub const NS_PER_PAIR: f64 = 500.0;
/// Nanoseconds per edge per null sample for the 10 swap attempts per edge
/// (hash-set look-ups) and rebuilding the graph: 40 µs measured in Chromium
/// on the loaded machine (G(1000, 0.05)), a few µs when idle.
pub const NS_PER_NULL_EDGE: f64 = 5000.0;

/// Estimated work and time of a census plus `null_samples` null samples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostEstimate {
    /// Neighbour pairs the census visits: Σ_v d_v(d_v − 1)/2 over the
    /// undirected neighbour counts d_v.
    pub census_pairs: u64,
    /// Null samples asked for.
    pub null_samples: usize,
    /// Estimated seconds for the census alone.
    pub census_seconds: f64,
    /// Estimated seconds for census plus null samples.
    pub total_seconds: f64,
}

/// Estimate the cost of a census of `g` and `null_samples` null samples
/// (each is a rewired or redrawn graph with the same edge count, rebuilt and
/// counted again), before running them.
///
/// Arguments: a [`Digraph`]; the number of null samples (0 for none).
/// Returns: a [`CostEstimate`] (time at [`NS_PER_PAIR`] / [`NS_PER_NULL_EDGE`]).
/// Errors: none.
/// Complexity: O(N).
/// Reference: the census enumerates neighbour pairs of every centre
/// (Batagelj & Mrvar, Social Networks 2001), so its work is Σ_v C(d_v, 2).
pub fn estimate_cost(g: &Digraph, null_samples: usize) -> CostEstimate {
    let census_pairs: u64 = (0..g.n())
        .map(|v| {
            let d = g.nbrs(v).len() as u64;
            d * d.saturating_sub(1) / 2
        })
        .sum();
    let census_seconds = census_pairs as f64 * NS_PER_PAIR * 1e-9;
    let per_null = census_seconds + g.m() as f64 * NS_PER_NULL_EDGE * 1e-9;
    CostEstimate {
        census_pairs,
        null_samples,
        census_seconds,
        total_seconds: census_seconds + null_samples as f64 * per_null,
    }
}

/// A motif graph from a weight matrix in the adjacency convention (`a[i][j]`
/// is the edge i → j; transpose an RNN W first): [`threshold_matrix`], then
/// [`Digraph::from_matrix`] on the kept entries (signed weights kept for the
/// weighted census).
///
/// Arguments: `a` square and finite; `rule` the threshold.
/// Returns: the graph and the [`ThresholdReport`].
/// Errors: as [`threshold_matrix`].
/// Complexity: O(N² log N).
pub fn graph_from_weights(a: &Array2<f64>, rule: Threshold) -> Result<(Digraph, ThresholdReport)> {
    let (t, report) = threshold_matrix(a, rule)?;
    Ok((Digraph::from_matrix(&t)?, report))
}
