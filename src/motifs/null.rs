//! Null models for motif significance, seeded.
//!
//! * [`NullModel::Swap`]: degree-preserving directed edge swaps (Maslov &
//!   Sneppen, Science 296, 910, 2002): pick edges a→b, c→d and rewire to a→d,
//!   c→b unless that makes a self-loop or a multi-edge. Every node keeps its
//!   in- and out-degree. 10 attempts per edge, as BCT's `randmio_dir` with
//!   ITER = 10.
//! * [`NullModel::Er`]: Erdős–Rényi G(N, m): m distinct directed edges
//!   (no self-loops) drawn uniformly — the same density as the data.
//!
//! z_m = (observed − mean)/std over samples; the significance profile is z
//! normalised to unit length (Milo et al., Science 303, 1538, 2004).

use super::{census, Digraph};
use crate::error::{Error, Result};
use crate::rng;
use rand::Rng;
use std::collections::HashSet;

/// Which null model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NullModel {
    /// Degree-preserving directed edge swaps.
    Swap,
    /// Erdős–Rényi with the same number of nodes and edges.
    Er,
}

impl std::str::FromStr for NullModel {
    type Err = Error;
    fn from_str(s: &str) -> Result<NullModel> {
        match s {
            "swap" => Ok(NullModel::Swap),
            "er" => Ok(NullModel::Er),
            other => Err(Error::param(
                "null",
                format!("unknown null model {other:?}; use \"swap\" or \"er\""),
            )),
        }
    }
}

/// Largest number of null samples.
pub const MAX_SAMPLES: usize = 10_000;

/// Seed of sample `k`: independent streams, so samples can be computed in
/// any order or in chunks (the page's worker does) and still agree.
fn sample_seed(seed: u64, k: u64) -> u64 {
    seed ^ (k.wrapping_add(1)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn key(n: usize, i: u32, j: u32) -> u64 {
    i as u64 * n as u64 + j as u64
}

fn swap_graph(g: &Digraph, seed: u64) -> Result<Digraph> {
    let n = g.n();
    let mut e: Vec<(u32, u32)> = g.edges().iter().map(|&(i, j, _)| (i, j)).collect();
    let m = e.len();
    if m >= 2 {
        let mut set: HashSet<u64> = e.iter().map(|&(i, j)| key(n, i, j)).collect();
        let mut r = rng::seeded(seed);
        for _ in 0..10 * m {
            let (p, q) = (r.random_range(0..m), r.random_range(0..m));
            let ((a, b), (c, d)) = (e[p], e[q]);
            if a == c || b == d || a == d || c == b {
                continue;
            }
            let (k1, k2) = (key(n, a, d), key(n, c, b));
            if set.contains(&k1) || set.contains(&k2) {
                continue;
            }
            set.remove(&key(n, a, b));
            set.remove(&key(n, c, d));
            set.insert(k1);
            set.insert(k2);
            e[p] = (a, d);
            e[q] = (c, b);
        }
    }
    let edges: Vec<_> = e
        .iter()
        .map(|&(i, j)| (i as usize, j as usize, 1.0))
        .collect();
    Digraph::from_edges(n, &edges)
}

fn er_graph(g: &Digraph, seed: u64) -> Result<Digraph> {
    let n = g.n();
    let m = g.m();
    let pairs = n as u64 * (n as u64).saturating_sub(1);
    let mut r = rng::seeded(seed);
    // Rejection sampling of the sparser of the edge set and its complement.
    let take_complement = (m as u64) * 2 > pairs;
    let want = if take_complement {
        pairs - m as u64
    } else {
        m as u64
    };
    let mut set: HashSet<u64> = HashSet::with_capacity(want as usize);
    while (set.len() as u64) < want {
        let i = r.random_range(0..n as u32);
        let j = r.random_range(0..n as u32);
        if i != j {
            set.insert(key(n, i, j));
        }
    }
    let mut edges = Vec::with_capacity(m);
    if take_complement {
        for i in 0..n {
            for j in 0..n {
                if i != j && !set.contains(&key(n, i as u32, j as u32)) {
                    edges.push((i, j, 1.0));
                }
            }
        }
    } else {
        let mut keys: Vec<u64> = set.into_iter().collect();
        keys.sort_unstable(); // HashSet order is not seeded: sort for reproducibility
        edges.extend(
            keys.iter()
                .map(|&k| ((k / n as u64) as usize, (k % n as u64) as usize, 1.0)),
        );
    }
    Digraph::from_edges(n, &edges)
}

/// A random directed graph G(N, p): each ordered pair i ≠ j is an edge with
/// probability `p`, independently (seeded). Used by the page's "random
/// network" option.
///
/// Errors: N outside 1–100000, `p` outside [0, 1], or an expected edge count
/// over 10 million.
/// Complexity: O(m) expected (geometric skipping), not O(N²).
pub fn erdos_renyi(n: usize, p: f64, seed: u64) -> Result<Digraph> {
    crate::error::check_size("n", n, 1, 100_000)?;
    crate::error::check_range("density", p, 0.0, 1.0)?;
    let pairs = n as f64 * (n as f64 - 1.0);
    if pairs * p > 1e7 {
        return Err(Error::param(
            "density",
            format!(
                "N = {n} with density {p} gives ~{:.0} edges; the limit is 10 million",
                pairs * p
            ),
        ));
    }
    let mut r = rng::seeded(seed);
    let total = n as u64 * (n as u64 - 1);
    let mut edges = Vec::new();
    if p > 0.0 {
        // Skip ahead by geometric gaps (Batagelj & Brandes 2005).
        let lq = (1.0 - p).ln();
        let mut idx: i64 = -1;
        loop {
            let gap = if p >= 1.0 {
                1
            } else {
                let u: f64 = r.random::<f64>();
                1 + ((1.0 - u).ln() / lq).floor() as i64
            };
            idx += gap;
            if idx < 0 || idx as u64 >= total {
                break;
            }
            let (i, k) = (
                (idx as u64 / (n as u64 - 1)) as usize,
                (idx as u64 % (n as u64 - 1)) as usize,
            );
            let j = if k >= i { k + 1 } else { k };
            edges.push((i, j, 1.0));
        }
    }
    Digraph::from_edges(n, &edges)
}

/// Motif counts of null sample `k` (0-based) for seed `seed`.
///
/// Errors: none beyond those of graph construction.
/// Complexity: Swap O(m) expected swaps + a census; ER O(m) expected + a census.
pub fn null_sample_counts(g: &Digraph, model: NullModel, seed: u64, k: u64) -> Result<[u64; 13]> {
    let s = sample_seed(seed, k);
    let h = match model {
        NullModel::Swap => swap_graph(g, s)?,
        NullModel::Er => er_graph(g, s)?,
    };
    Ok(census(&h)?.counts)
}

/// Summary of motif counts against a null model.
#[derive(Debug, Clone, PartialEq)]
pub struct NullStats {
    /// Number of samples.
    pub samples: usize,
    /// Mean null count per motif.
    pub mean: [f64; 13],
    /// Standard deviation (n − 1 denominator) per motif.
    pub std: [f64; 13],
    /// z-score; `None` where the null has zero variance (undefined).
    pub z: [Option<f64>; 13],
    /// z divided by the Euclidean norm of the defined z's; `None` as in `z`
    /// or when every z is zero.
    pub profile: [Option<f64>; 13],
}

/// Mean, std, z and significance profile of `observed` against `samples`.
///
/// Errors: fewer than 2 samples (no standard deviation).
/// Complexity: O(13·K).
pub fn null_stats(observed: &[u64; 13], samples: &[[u64; 13]]) -> Result<NullStats> {
    let k = samples.len();
    if k < 2 {
        return Err(Error::param(
            "samples",
            format!("need at least 2 null samples for a standard deviation, got {k}"),
        ));
    }
    let mut mean = [0.0; 13];
    let mut std = [0.0; 13];
    let mut z = [None; 13];
    for m in 0..13 {
        let mu = samples.iter().map(|s| s[m] as f64).sum::<f64>() / k as f64;
        let var = samples
            .iter()
            .map(|s| (s[m] as f64 - mu).powi(2))
            .sum::<f64>()
            / (k - 1) as f64;
        mean[m] = mu;
        std[m] = var.sqrt();
        if std[m] > 0.0 {
            z[m] = Some((observed[m] as f64 - mu) / std[m]);
        }
    }
    let norm = z.iter().flatten().map(|v| v * v).sum::<f64>().sqrt();
    let profile = z.map(|v| v.filter(|_| norm > 0.0).map(|v| v / norm));
    Ok(NullStats {
        samples: k,
        mean,
        std,
        z,
        profile,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_keep_degrees_and_er_keeps_edge_count() {
        let mut edges = Vec::new();
        let mut r = rng::seeded(3);
        for i in 0..40usize {
            for j in 0..40usize {
                if i != j && r.random::<f64>() < 0.1 {
                    edges.push((i, j, 1.0));
                }
            }
        }
        let g = Digraph::from_edges(40, &edges).unwrap();
        let deg = |g: &Digraph| {
            let mut d = vec![(0, 0); g.n()];
            for &(i, j, _) in g.edges() {
                d[i as usize].0 += 1;
                d[j as usize].1 += 1;
            }
            d
        };
        let h = swap_graph(&g, 5).unwrap();
        assert_eq!(deg(&g), deg(&h));
        assert_ne!(g.to_dense(), h.to_dense());
        let e = er_graph(&g, 5).unwrap();
        assert_eq!(e.m(), g.m());
        assert_eq!(
            null_sample_counts(&g, NullModel::Er, 9, 3),
            null_sample_counts(&g, NullModel::Er, 9, 3)
        );
    }
}
