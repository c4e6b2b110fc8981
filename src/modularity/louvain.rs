//! Generalized Louvain on a symmetric modularity matrix B (Blondel et al.
//! 2008; the "genlouvain" form of Jutla, Jeub & Mucha 2011–2019).
//!
//! The engine maximises Q(g) = Σ_i B_ii + Σ_{i≠j} B_ij δ(g_i, g_j) (a constant
//! scale 1/2m or 1/2μ is applied by the callers). One level: visit nodes in a
//! seeded random order; for node i with s_c = Σ_{j≠i, g_j=c} B_ij, moving from
//! community a to b changes Q by 2(s_b − s_a). Moves are either greedy (best
//! gain) or, as GenLouvain's `moverandw`, random among improving moves with
//! probability ∝ gain. When no node moves, communities are aggregated into
//! super-nodes (B' = Σ over blocks) and the level repeats until nothing moves.
//! [`iterated`] restarts the whole procedure from its own output (GenLouvain's
//! `iterated_genlouvain`), which doubles as a node-level refinement pass, until
//! Q stops increasing.

use super::levels::{self, Level};
use super::rowscan::{self, masked_sum};
use super::signed::{self, Signed};
use super::simd::{self, RowOps};
use crate::error::{check_range, check_size, Error, Result};
use crate::rng;
use ndarray::Array2;
use rand::seq::SliceRandom;
use rand::Rng as _;

/// Largest aggregated graph kept dense (4096² f64 = 128 MB would be too much
/// for the page; 3000² = 72 MB). Beyond it aggregation stops (documented
/// limitation: the partition is then a local optimum of node moves only).
pub const MAX_AGGREGATE: usize = 3000;

/// A symmetric modularity matrix that can be scanned row by row.
///
/// Each row is a dense slice (which holds the diagonal) plus optional
/// further entries (e.g. multilayer coupling). The optimiser scans rows
/// through these monomorphised accessors, never a callback per entry; every
/// scan visits the entries in the same order (the dense slice in ascending
/// column order, then the extra entries), so sums are reproducible to the bit.
pub trait Quality {
    /// Number of nodes.
    fn n(&self) -> usize;
    /// The dense part of row i as `(start, row)`: `row[k] = B_{i, start + k}`,
    /// with `start ≤ i < start + row.len()` (the diagonal lies inside it and
    /// is skipped by the scans). Entries outside it are 0 unless listed by
    /// [`Quality::for_extra`].
    fn dense_row(&self, i: usize) -> (usize, &[f64]);
    /// Call `f(j, B_ij)` for the entries of row i outside the dense part.
    fn for_extra(&self, i: usize, f: impl FnMut(usize, f64));
    /// B_ii.
    fn diag(&self, i: usize) -> f64;
    /// A typical magnitude of B entries (sets the "no gain" tolerance).
    fn scale(&self) -> f64;
    /// Mean number of stored entries per row (dense part plus extra
    /// entries): the cost of scanning a row, against which the optimiser
    /// weighs keeping node-to-community sums.
    fn row_len(&self) -> f64 {
        self.n() as f64
    }
}

/// Dense symmetric B, row-major.
#[derive(Debug, Clone)]
pub struct DenseB {
    /// Number of nodes N (B is N×N).
    pub n: usize,
    /// The N×N entries of B, row-major: `data[i * n + j]` = B_ij.
    pub data: Vec<f64>,
}

impl DenseB {
    /// Wrap a square matrix.
    pub fn from_array(b: &Array2<f64>) -> DenseB {
        DenseB {
            n: b.nrows(),
            data: b.iter().copied().collect(),
        }
    }
}

impl Quality for DenseB {
    fn n(&self) -> usize {
        self.n
    }
    fn dense_row(&self, i: usize) -> (usize, &[f64]) {
        (0, &self.data[i * self.n..(i + 1) * self.n])
    }
    fn for_extra(&self, _i: usize, _f: impl FnMut(usize, f64)) {}
    fn diag(&self, i: usize) -> f64 {
        self.data[i * self.n + i]
    }
    fn scale(&self) -> f64 {
        // Four partial sums, so the loop vectorises.
        let mut acc = [0.0f64; 4];
        let chunks = self.data.chunks_exact(4);
        let rest: f64 = chunks.remainder().iter().map(|v| v.abs()).sum();
        for c in chunks {
            for k in 0..4 {
                acc[k] += c[k].abs();
            }
        }
        ((acc[0] + acc[1]) + (acc[2] + acc[3]) + rest) / (self.data.len().max(1) as f64)
    }
}

/// How a node picks among improving moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveRule {
    /// The best gain (classic Louvain).
    Greedy,
    /// Random among improving moves, probability ∝ gain (GenLouvain `moverandw`).
    RandomWeighted,
}

/// Q = Σ_i B_ii + Σ_{i≠j} B_ij δ(g_i, g_j) (unnormalised).
pub fn quality<Q: Quality + ?Sized>(b: &Q, labels: &[usize]) -> f64 {
    let mut q = 0.0;
    for i in 0..b.n() {
        let gi = labels[i];
        let (start, row) = b.dense_row(i);
        let lab = &labels[start..start + row.len()];
        let k = i - start;
        let mut r = b.diag(i) + masked_sum(&row[..k], &lab[..k], gi);
        r += masked_sum(&row[k + 1..], &lab[k + 1..], gi);
        b.for_extra(i, |j, v| {
            if labels[j] == gi {
                r += v;
            }
        });
        q += r;
    }
    q
}

/// Relabel to 0, 1, … in order of first appearance; returns the count.
///
/// Complexity: O(n) through a table indexed by label when the labels are
/// below 4n + 1024 (as the optimiser's always are), else a hash map.
pub fn canonical(labels: &mut [usize]) -> usize {
    let top = labels.iter().copied().max().map_or(0, |m| m + 1);
    if top <= 4 * labels.len() + 1024 {
        let mut map = vec![usize::MAX; top];
        let mut next = 0;
        for l in labels.iter_mut() {
            let m = &mut map[*l];
            if *m == usize::MAX {
                *m = next;
                next += 1;
            }
            *l = *m;
        }
        return next;
    }
    let mut map = std::collections::HashMap::new();
    for l in labels.iter_mut() {
        let next = map.len();
        *l = *map.entry(*l).or_insert(next);
    }
    map.len()
}

/// One level of node moves on `b`, starting from `labels` (values < n).
/// Returns whether any node moved.
///
/// Node i's sums s_c = Σ_{j≠i, g_j=c} B_ij come from the node-to-community
/// sums K of [`levels::CommSums`] (built exactly at the start, updated by
/// each move): one look-up per community per visit, O(N) per move. On dense
/// levels K starts with no rows (singletons read their sums from row i, a
/// vectorised masked maximum) and a community gets its row when it first
/// gains a member. Sparse levels scan row i (O(entries) per visit) until few
/// enough communities are left for K to be cheaper. `sums_buf.0` lends K
/// its memory and gets it back; `sums_buf.1` is then K's `slot_of` when K is
/// exact for the returned labels and tracks every community.
fn local_moves<Q: Quality + ?Sized>(
    b: &Q,
    labels: &mut [usize],
    rule: MoveRule,
    rng: &mut crate::rng::Rng,
    scale: f64,
    sums_buf: &mut (Vec<f64>, Option<Vec<usize>>),
) -> bool {
    let n = b.n();
    let moves = Moves {
        b,
        labels,
        rule,
        rng,
        scale,
        sums_buf,
    };
    // AVX2 pays on full dense rows (masked argmax, K row updates); the
    // multilayer and sparse levels' short rows and scattered scans run
    // faster as they are.
    let (st, r) = b.dense_row(0);
    if n > 0 && st == 0 && r.len() == n && b.row_len() <= n as f64 {
        simd::avx2(moves)
    } else {
        simd::Kernel::run(moves)
    }
}

/// [`local_moves`] as a [`simd::Kernel`]: the whole pass loop compiled for
/// AVX2 when the CPU has it.
struct Moves<'a, Q: ?Sized> {
    b: &'a Q,
    labels: &'a mut [usize],
    rule: MoveRule,
    rng: &'a mut crate::rng::Rng,
    scale: f64,
    sums_buf: &'a mut (Vec<f64>, Option<Vec<usize>>),
}

impl<Q: Quality + ?Sized> simd::Kernel for Moves<'_, Q> {
    type Output = bool;
    #[inline(always)]
    fn run(self) -> bool {
        moves_with(self, simd::Portable)
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn run_v3(self, v3: pulp::x86::V3) -> bool {
        moves_with(self, v3)
    }
}

/// The body of [`local_moves`] on its arguments `m`, with the row kernels
/// `ops`.
#[inline(always)]
fn moves_with<Q: Quality + ?Sized, O: RowOps>(m: Moves<'_, Q>, ops: O) -> bool {
    let Moves {
        b,
        labels,
        rule,
        rng,
        scale,
        sums_buf,
    } = m;
    let n = b.n();
    let eps = 1e-12 * scale.max(f64::MIN_POSITIVE);
    let row_len = b.row_len();
    // Rows that are one full dense slice (no extra entries).
    let dense = n > 0 && row_len <= n as f64 && {
        let (st, r) = b.dense_row(0);
        st == 0 && r.len() == n
    };
    let mut size = vec![0usize; n];
    for &l in labels.iter() {
        size[l] += 1;
    }
    let mut empty: Vec<usize> = (0..n).filter(|&c| size[c] == 0).collect();
    let mut s = vec![0.0; n];
    let mut seen = vec![false; n];
    let mut touched: Vec<usize> = Vec::new();
    // Row scans entry by entry while runs of equal labels are short (mean
    // run below 2 entries), else run by run; both give the same sums. The
    // first pass guesses from the label sequence, later ones from the runs
    // the previous pass met.
    let runs_now = 1 + labels.windows(2).filter(|w| w[0] != w[1]).count();
    let mut by_entry = runs_now * 2 > n;
    let (mut met_runs, mut met_entries) = (0usize, 0usize);
    let mut cand: Vec<(usize, f64)> = Vec::new();
    let mut order: Vec<usize> = (0..n).collect();
    let mut sums: Option<levels::CommSums> = None;
    // umask[j] = 0 for an untracked singleton {j} (sums from the row), −∞ else.
    let mut umask: Vec<f64> = Vec::new();
    let mut n_untracked = 0usize;
    let mut fresh = false;
    let mut any = false;
    // Every accepted move raises Q by > eps, so this terminates; the cap
    // guards against floating-point ties cycling.
    for _pass in 0..1000 {
        let live = n - empty.len();
        if sums.is_none()
            && (dense || ((live as f64) * 8.0 <= row_len && live * n <= levels::MAX_SUMS))
        {
            sums =
                levels::CommSums::build(b, labels, &size, dense, std::mem::take(&mut sums_buf.0));
            if let Some(k) = &sums {
                umask.clear();
                umask.extend((0..n).map(|c| {
                    if size[c] == 1 && k.slot_of[c] == usize::MAX {
                        0.0
                    } else {
                        f64::NEG_INFINITY
                    }
                }));
                n_untracked = umask.iter().filter(|&&m| m == 0.0).count();
                fresh = true;
            }
        }
        // A few singletons left untracked: give them rows rather than scan
        // whole rows for them at every visit.
        if let Some(k) = &mut sums {
            if n_untracked > 0 && n_untracked * 16 < n {
                for (c, m) in umask.iter_mut().enumerate() {
                    if *m == 0.0 {
                        if !k.track_singleton(b, c) {
                            break;
                        }
                        *m = f64::NEG_INFINITY;
                        n_untracked -= 1;
                    }
                }
            }
        }
        order.shuffle(rng);
        let mut moved = false;
        for (idx, &i) in order.iter().enumerate() {
            let a = labels[i];
            cand.clear();
            let sa;
            if let Some(k) = &sums {
                let sl = k.slot_of[a];
                sa = if sl == usize::MAX {
                    0.0
                } else {
                    k.get(sl, i) - b.diag(i)
                };
                for &c in &k.tracked {
                    if c != a {
                        let g = k.get(k.slot_of[c], i) - sa;
                        if g > eps {
                            cand.push((c, g));
                        }
                    }
                }
                if n_untracked > 0 {
                    let row = b.dense_row(i).1;
                    let own = umask[i];
                    umask[i] = f64::NEG_INFINITY;
                    match rule {
                        MoveRule::Greedy => {
                            let next = order.get(idx + 1).map_or(&[][..], |&j| b.dense_row(j).1);
                            if let Some((j, v)) = ops.masked_argmax(row, &umask, next) {
                                if v - sa > eps {
                                    cand.push((j, v - sa));
                                }
                            }
                        }
                        MoveRule::RandomWeighted => {
                            for (j, (&v, &m)) in row.iter().zip(&umask).enumerate() {
                                if v + m - sa > eps {
                                    cand.push((j, v - sa));
                                }
                            }
                        }
                    }
                    umask[i] = own;
                }
            } else {
                if touched.len() <= n {
                    touched.resize(n + 1, 0);
                }
                let (t, runs) = if by_entry {
                    rowscan::scan_entries(b, i, labels, &mut s, &mut seen, &mut touched)
                } else {
                    rowscan::scan_runs(b, i, labels, &mut s, &mut seen, &mut touched)
                };
                met_runs += runs;
                met_entries += b.dense_row(i).1.len();
                sa = s[a];
                rowscan::gains(&touched[..t], &s, a, sa, eps, &mut cand);
                for &c in &touched[..t] {
                    s[c] = 0.0;
                    seen[c] = false;
                }
            }
            // Leaving for an empty community gains −2 s_a.
            if size[a] > 1 && -sa > eps {
                if let Some(&e) = empty.last() {
                    cand.push((e, -sa));
                }
            }
            if cand.is_empty() {
                continue;
            }
            let target = match rule {
                MoveRule::Greedy => {
                    cand.iter()
                        .fold(cand[0], |best, &x| if x.1 > best.1 { x } else { best })
                        .0
                }
                MoveRule::RandomWeighted => {
                    let total: f64 = cand.iter().map(|c| c.1).sum();
                    let mut r = rng.random::<f64>() * total;
                    let mut pick = cand[cand.len() - 1].0;
                    for &(c, g) in &cand {
                        if r < g {
                            pick = c;
                            break;
                        }
                        r -= g;
                    }
                    pick
                }
            };
            let to_single = size[target] == 1;
            if size[target] == 0 {
                empty.retain(|&e| e != target);
            }
            size[a] -= 1;
            size[target] += 1;
            if size[a] == 0 {
                empty.push(a);
            }
            if let Some(k) = &mut sums {
                let to_untracked = k.slot_of[target] == usize::MAX && to_single;
                for c in [a, target] {
                    if k.slot_of[c] == usize::MAX && umask[c] == 0.0 {
                        umask[c] = f64::NEG_INFINITY;
                        n_untracked -= 1;
                    }
                }
                if !k.move_node(b, i, a, target, to_untracked, size[a] == 0) {
                    sums = None;
                }
                fresh = false;
            }
            labels[i] = target;
            moved = true;
            any = true;
        }
        if met_entries > 0 {
            by_entry = met_runs * 2 > met_entries;
            (met_runs, met_entries) = (0, 0);
        }
        if !moved {
            break;
        }
    }
    sums_buf.1 = None;
    if let Some(k) = sums {
        let (buf, slot_of) = k.into_parts();
        sums_buf.1 = (fresh && n_untracked == 0).then_some(slot_of);
        sums_buf.0 = buf;
    }
    any
}

/// One full multi-level Louvain run from `init` (or singletons).
/// Returns canonical labels of the original nodes.
pub fn genlouvain<Q: Quality + ?Sized>(
    b: &Q,
    init: Option<&[usize]>,
    rule: MoveRule,
    rng: &mut crate::rng::Rng,
) -> Vec<usize> {
    genlouvain_at(b, b.scale(), init, rule, rng).0
}

/// [`genlouvain`] with `b.scale()` given (computed once per [`iterated`]);
/// also returns the unnormalised Q of the labels when the last level gives
/// it for free (Σ_x B'_xx of the final aggregate, exact sums).
fn genlouvain_at<Q: Quality + ?Sized>(
    b: &Q,
    scale: f64,
    init: Option<&[usize]>,
    rule: MoveRule,
    rng: &mut crate::rng::Rng,
) -> (Vec<usize>, Option<f64>) {
    let n = b.n();
    let mut labels: Vec<usize> = match init {
        Some(l) => l.to_vec(),
        None => (0..n).collect(),
    };
    canonical(&mut labels);
    let mut bufs = levels::Bufs::default();
    let mut moved = local_moves(b, &mut labels, rule, rng, scale, &mut bufs.sums);
    let exact = bufs.sums.1.take();
    let before = exact.as_ref().map(|_| labels.clone());
    let mut c = canonical(&mut labels);
    if c > MAX_AGGREGATE {
        return (labels, None);
    }
    // Aggregate if anything changed, or if we started from a given partition
    // (its communities may still merge).
    if !moved && init.is_none() {
        return (labels, None);
    }
    let mut level = match (before, exact) {
        (Some(old), Some(slot_of)) => {
            levels::aggregate_from_sums(n, &old, &slot_of, &labels, c, &mut bufs)
        }
        _ => levels::aggregate(b, &labels, c, &mut bufs),
    };
    let mut meta: Vec<usize> = Vec::with_capacity(c);
    loop {
        meta.clear();
        meta.extend(0..c);
        moved = match &level {
            Level::Dense(d) => local_moves(d, &mut meta, rule, rng, d.scale(), &mut bufs.sums),
            Level::Sparse(s) => local_moves(s, &mut meta, rule, rng, s.scale(), &mut bufs.sums),
        };
        if !moved {
            break;
        }
        let c2 = canonical(&mut meta);
        for l in labels.iter_mut() {
            *l = meta[*l];
        }
        let next = match &level {
            Level::Dense(d) => levels::aggregate(d, &meta, c2, &mut bufs),
            Level::Sparse(s) => levels::aggregate(s, &meta, c2, &mut bufs),
        };
        bufs.recycle(std::mem::replace(&mut level, next));
        c = c2;
    }
    let q = match &level {
        Level::Dense(d) => (0..c).map(|x| d.diag(x)).sum(),
        Level::Sparse(s) => (0..c).map(|x| s.diag(x)).sum(),
    };
    canonical(&mut labels);
    (labels, Some(q))
}

/// GenLouvain's `iterated_genlouvain`: rerun from the previous output until Q
/// stops increasing. `post` (e.g. ordinal relabelling) runs between passes
/// and must not decrease Q.
pub fn iterated<Q: Quality + ?Sized>(
    b: &Q,
    rule: MoveRule,
    seed: u64,
    post: &mut dyn FnMut(&mut [usize]),
) -> (Vec<usize>, f64) {
    let (labels, q, _) = iterated_q(b, None, rule, seed, post);
    (labels, q)
}

/// [`iterated`], also telling whether the returned Q is [`quality`] of the
/// returned labels to the bit (`true`) or the final aggregate's Σ_x B'_xx
/// (the same value up to rounding).
/// `scale`, when given, must be `b.scale()` (computed while building B).
pub(crate) fn iterated_q<Q: Quality + ?Sized>(
    b: &Q,
    scale: Option<f64>,
    rule: MoveRule,
    seed: u64,
    post: &mut dyn FnMut(&mut [usize]),
) -> (Vec<usize>, f64, bool) {
    let mut rng = rng::seeded(seed);
    let scale = scale.unwrap_or_else(|| b.scale());
    // Q of a run's output after `post`: the run's own Q unless `post`
    // changed the labels.
    let mut finish = |run: (Vec<usize>, Option<f64>)| {
        let (mut labels, q) = run;
        let kept = q.map(|q| (q, labels.clone()));
        post(&mut labels);
        match kept {
            Some((q, old)) if old == labels => (labels, q, false),
            _ => {
                let q = quality(b, &labels);
                (labels, q, true)
            }
        }
    };
    let (mut labels, mut q, mut exact) = finish(genlouvain_at(b, scale, None, rule, &mut rng));
    let tol = 1e-10 * q.abs().max(1e-300);
    for _ in 0..50 {
        let (next, qn, en) = finish(genlouvain_at(b, scale, Some(&labels), rule, &mut rng));
        if qn > q + tol {
            (labels, q, exact) = (next, qn, en);
        } else {
            break;
        }
    }
    (labels, q, exact)
}
/// Largest N for single-layer Louvain (dense N×N modularity matrix).
pub const MAX_NODES: usize = 4000;
/// Largest number of runs.
pub const MAX_RUNS: usize = 1000;

/// Result of [`community_louvain`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct LouvainResult {
    /// Modularity of the returned partition (BCT normalisation).
    pub q: f64,
    /// Community of each node, 0-based, numbered by first appearance.
    pub communities: Vec<usize>,
    /// Number of distinct communities in `communities`.
    pub n_communities: usize,
    /// Q of every run (the best is returned).
    pub run_q: Vec<f64>,
}

/// Louvain modularity of a weighted undirected (possibly signed) network,
/// best of `runs` seeded runs — BCT's `community_louvain` quality.
///
/// # Arguments
/// `w` symmetric N×N weights (diagonal used as given); `gamma` resolution γ
/// (> 0); `signed` how negative weights enter (see [`Signed`]); `runs` ≥ 1;
/// `seed` for the node orders (run k uses seed + k).
///
/// # Returns
/// The best partition by Q = Σ_ij B_ij δ(g_i, g_j) with B from
/// [`signed::modularity_matrix`].
///
/// # Errors
/// Non-square, asymmetric (|w_ij − w_ji| > 1e-9·max|w|), N > [`MAX_NODES`],
/// negative weights with `Signed::None`, no positive weight, bad γ or runs.
///
/// # Complexity
/// O(N²) to build B; per pass over the nodes O(N·C) for C live communities
/// plus O(N) per move (node-to-community sums, [`super::levels`]), the
/// first pass from singletons O(N²); a few passes per level, O(log N) levels
/// typical; memory O(N²) plus K (at most 2²² entries).
pub fn community_louvain(
    w: &Array2<f64>,
    gamma: f64,
    signed: Signed,
    runs: usize,
    seed: u64,
) -> Result<LouvainResult> {
    check_size("runs", runs, 1, MAX_RUNS)?;
    check_range("gamma", gamma, 1e-6, 1e6)?;
    if w.nrows() > MAX_NODES {
        return Err(Error::TooLarge {
            what: "network (nodes)",
            got: w.nrows(),
            limit: MAX_NODES,
        });
    }
    // Q is invariant under w → c·w; scale by a power of two (exact) when the
    // weights are so large or small (1e300, 1e-200, subnormal) that the
    // degree products k_i·k_j would overflow or underflow.
    let (amax, k) = signed::checked_strengths(w)?;
    let s = crate::linalg::pow2_scale(amax);
    let (data, scale) = if s != 1.0 && !(1e-100..=1e100).contains(&s) {
        (signed::modularity_data(&(w * s), gamma, signed)?, None)
    } else {
        signed::modularity_scaled(w, &k, gamma, signed)?
    };
    let dense = DenseB { n: w.nrows(), data };
    let mut best: Option<(Vec<usize>, f64)> = None;
    let mut run_q = Vec::with_capacity(runs);
    for k in 0..runs {
        let (labels, q, _) = iterated_q(
            &dense,
            scale,
            MoveRule::Greedy,
            seed.wrapping_add(k as u64),
            &mut |_| {},
        );
        run_q.push(q);
        if best.as_ref().is_none_or(|(_, bq)| q > *bq) {
            best = Some((labels, q));
        }
    }
    let (mut communities, q) = best.ok_or_else(|| Error::Numeric("no Louvain run".into()))?;
    let n_communities = canonical(&mut communities);
    Ok(LouvainResult {
        q,
        communities,
        n_communities,
        run_q,
    })
}

#[cfg(test)]
mod tests {
    use super::canonical;

    /// The label table and the hash map relabel alike.
    #[test]
    fn canonical_by_table_or_map() {
        let mut small = vec![5, 5, 2, 9, 2, 0];
        assert_eq!(canonical(&mut small), 4);
        assert_eq!(small, vec![0, 0, 1, 2, 1, 3]);
        let mut large = vec![usize::MAX - 1, 7, usize::MAX - 1, 1 << 40];
        assert_eq!(canonical(&mut large), 3);
        assert_eq!(large, vec![0, 1, 0, 2]);
    }
}
