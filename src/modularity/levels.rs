//! Data of one Louvain level: node-to-community sums K and the aggregated
//! (coarse) modularity matrices, dense or sparse.
//!
//! K_cj = Σ_{i∈c} B_ij is what bctpy (`Knm`) and GenLouvain keep per
//! level: with it, visiting node i costs one look-up per community
//! (s_c = K_ci, minus B_ii for i's own community) instead of a scan of
//! row i, and a move of i from a to b costs two row updates,
//! K_a· −= B_i·, K_b· += B_i·. K is built exactly from B at the start of
//! each level (and never carried between levels), so rounding drift stays
//! within one level. (Bctpy: Rubinov & Sporns 2011; GenLouvain: Jutla,
//! Jeub & Mucha 2011–2019.)

use super::louvain::{DenseB, Quality};
use super::rowscan::{add_row, add_runs};

/// Largest K (communities × nodes) kept, in entries (32 MB of f64).
pub(crate) const MAX_SUMS: usize = 1 << 22;

/// `dst[j] += B_ij` (or `−=` when `SUB`) for every stored entry of row i,
/// diagonal included; `dst` has length N.
#[inline(always)]
fn axpy_row<Q: Quality + ?Sized, const SUB: bool>(dst: &mut [f64], b: &Q, i: usize) {
    let (start, row) = b.dense_row(i);
    let d = &mut dst[start..start + row.len()];
    if SUB {
        for (x, &v) in d.iter_mut().zip(row) {
            *x -= v;
        }
    } else {
        for (x, &v) in d.iter_mut().zip(row) {
            *x += v;
        }
    }
    b.for_extra(i, |j, v| {
        if SUB {
            dst[j] -= v;
        } else {
            dst[j] += v;
        }
    });
}

/// No slot.
const NONE: usize = usize::MAX;

/// Node-to-community sums, community-major: `k[slot * n + j]` = Σ_{i∈c} B_ij
/// for each *tracked* community c (`slot_of[c] = slot`). On dense levels a
/// singleton {j} whose label is j stays untracked: its sums are row j of B,
/// which by symmetry is what a visit of i reads in its own row (B_ij). A
/// first pass from singletons therefore starts with an empty K, and a
/// community gets its row when it first gains a member.
pub(crate) struct CommSums {
    n: usize,
    k: Vec<f64>,
    /// Slot of each community label (< N), or `NONE`.
    pub slot_of: Vec<usize>,
    /// Tracked community labels, in order of tracking.
    pub tracked: Vec<usize>,
    free: Vec<usize>,
    slots: usize,
}

impl CommSums {
    /// K from scratch for `labels` (all < N) with `size[c]` members each,
    /// reusing `buf`'s allocation. With `untracked`, singletons {j} labelled
    /// j get no row. Returns `None` when K would exceed [`MAX_SUMS`].
    ///
    /// Complexity: O(nnz(B) + slots·N).
    #[inline(always)]
    pub fn build<Q: Quality + ?Sized>(
        b: &Q,
        labels: &[usize],
        size: &[usize],
        untracked: bool,
        buf: Vec<f64>,
    ) -> Option<Self> {
        let n = b.n();
        let mut slot_of = vec![NONE; n];
        let mut tracked = Vec::new();
        for (j, &c) in labels.iter().enumerate() {
            if slot_of[c] == NONE && !(untracked && size[c] == 1 && c == j) {
                slot_of[c] = tracked.len();
                tracked.push(c);
            }
        }
        if tracked.len() * n > MAX_SUMS {
            return None;
        }
        let mut k = buf;
        k.clear();
        k.resize(tracked.len() * n, 0.0);
        for (i, &c) in labels.iter().enumerate() {
            let s = slot_of[c];
            if s != NONE {
                axpy_row::<Q, false>(&mut k[s * n..(s + 1) * n], b, i);
            }
        }
        let slots = tracked.len();
        Some(CommSums {
            n,
            k,
            slot_of,
            tracked,
            free: Vec::new(),
            slots,
        })
    }

    /// Σ_{j∈slot} B_ij (B_ii included when i is in it).
    #[inline(always)]
    pub fn get(&self, slot: usize, i: usize) -> f64 {
        self.k[slot * self.n + i]
    }

    /// A zeroed row for community `c`; `false` when K would exceed [`MAX_SUMS`].
    fn track(&mut self, c: usize) -> bool {
        let s = match self.free.pop() {
            Some(s) => s,
            None => {
                if (self.slots + 1) * self.n > MAX_SUMS {
                    return false;
                }
                self.k.resize((self.slots + 1) * self.n, 0.0);
                self.slots += 1;
                self.slots - 1
            }
        };
        self.slot_of[c] = s;
        self.tracked.push(c);
        true
    }

    /// Give the untracked singleton {c} (label c) its row B_c·.
    /// Returns `false` when K would exceed [`MAX_SUMS`].
    #[inline(always)]
    pub fn track_singleton<Q: Quality + ?Sized>(&mut self, b: &Q, c: usize) -> bool {
        if !self.track(c) {
            return false;
        }
        let (n, s) = (self.n, self.slot_of[c]);
        axpy_row::<Q, false>(&mut self.k[s * n..(s + 1) * n], b, c);
        true
    }

    /// Node i moves from community `from` to `to` (`from_now_empty`: i was
    /// its last member). An untracked `to` (a singleton {to} or an empty
    /// label) gets a row first: B_to· if it held node `to`, then + B_i·.
    /// Returns `false` (K no longer valid) when K would exceed [`MAX_SUMS`].
    ///
    /// Complexity: O(N) per row touched.
    #[inline(always)]
    pub fn move_node<Q: Quality + ?Sized>(
        &mut self,
        b: &Q,
        i: usize,
        from: usize,
        to: usize,
        to_was_singleton: bool,
        from_now_empty: bool,
    ) -> bool {
        let n = self.n;
        let fs = self.slot_of[from];
        if fs != NONE {
            if from_now_empty {
                self.k[fs * n..(fs + 1) * n].fill(0.0);
                self.slot_of[from] = NONE;
                self.tracked.retain(|&c| c != from);
                self.free.push(fs);
            } else {
                axpy_row::<Q, true>(&mut self.k[fs * n..(fs + 1) * n], b, i);
            }
        }
        if self.slot_of[to] == NONE {
            if !self.track(to) {
                return false;
            }
            if to_was_singleton {
                let ts = self.slot_of[to];
                axpy_row::<Q, false>(&mut self.k[ts * n..(ts + 1) * n], b, to);
            }
        }
        let ts = self.slot_of[to];
        axpy_row::<Q, false>(&mut self.k[ts * n..(ts + 1) * n], b, i);
        true
    }

    /// The buffer (for reuse) and `slot_of`.
    pub fn into_parts(self) -> (Vec<f64>, Vec<usize>) {
        (self.k, self.slot_of)
    }
}

/// A symmetric B kept as its diagonal plus off-diagonal entries per row
/// (compressed rows): the aggregated levels of multilayer networks, where a
/// community meets only the communities of its own and neighbouring layers.
#[derive(Debug, Clone, Default)]
pub struct SparseB {
    n: usize,
    diag: Vec<f64>,
    ptr: Vec<usize>,
    idx: Vec<usize>,
    val: Vec<f64>,
    scale: f64,
}

impl Quality for SparseB {
    fn n(&self) -> usize {
        self.n
    }
    fn dense_row(&self, i: usize) -> (usize, &[f64]) {
        (i, std::slice::from_ref(&self.diag[i]))
    }
    #[inline(always)]
    fn for_extra(&self, i: usize, mut f: impl FnMut(usize, f64)) {
        let (a, z) = (self.ptr[i], self.ptr[i + 1]);
        for (&j, &v) in self.idx[a..z].iter().zip(&self.val[a..z]) {
            f(j, v);
        }
    }
    fn diag(&self, i: usize) -> f64 {
        self.diag[i]
    }
    fn scale(&self) -> f64 {
        self.scale
    }
    fn row_len(&self) -> f64 {
        1.0 + self.idx.len() as f64 / self.n.max(1) as f64
    }
}

/// One aggregated level.
pub(crate) enum Level {
    Dense(DenseB),
    Sparse(SparseB),
}

/// Buffers reused from level to level.
#[derive(Default)]
pub(crate) struct Bufs {
    /// K of [`super::louvain`]'s node moves, and its `slot_of` while it is
    /// exact for the labels the moves returned and tracks every community.
    pub sums: (Vec<f64>, Option<Vec<usize>>),
    dense: Vec<f64>,
    sparse: SparseB,
}

impl Bufs {
    /// Take back the buffers of a level that is no longer needed.
    pub fn recycle(&mut self, level: Level) {
        match level {
            Level::Dense(d) => self.dense = d.data,
            Level::Sparse(s) => self.sparse = s,
        }
    }
}

/// [`aggregate`] from an exact K (`bufs.sums`: its rows and `slot_of`, every
/// community tracked) built for `old` labels, which `labels` (canonical, `c`
/// communities) renames: B'_xy = Σ_{j∈y} K_(slot of x) j, no pass over B.
///
/// Complexity: O(c·N + c²).
pub(crate) fn aggregate_from_sums(
    n: usize,
    old: &[usize],
    slot_of: &[usize],
    labels: &[usize],
    c: usize,
    bufs: &mut Bufs,
) -> Level {
    let mut data = std::mem::take(&mut bufs.dense);
    data.clear();
    data.resize(c * c, 0.0);
    let mut slot = vec![NONE; c];
    for (&o, &l) in old.iter().zip(labels) {
        slot[l] = slot_of[o];
    }
    let k = &bufs.sums.0;
    for (x, &s) in slot.iter().enumerate() {
        if s != NONE {
            add_runs(
                &k[s * n..(s + 1) * n],
                labels,
                &mut data[x * c..(x + 1) * c],
                |_| {},
            );
        }
    }
    bufs.sums.1 = None;
    Level::Dense(DenseB { n: c, data })
}

/// Sum B over the blocks of `labels` (canonical, `c` communities):
/// B'_xy = Σ_{i∈x, j∈y} B_ij (diagonal included).
///
/// Dense rows (at least half full): through K (row additions, then one
/// scan of K's c rows) when c·N fits [`MAX_SUMS`], else by scanning B's rows;
/// the result is dense c × c. Sparse rows: community by community, into
/// compressed rows.
///
/// Complexity: O(nnz(B) + c·N) dense, O(nnz(B) + N + c) sparse.
pub(crate) fn aggregate<Q: Quality + ?Sized>(
    b: &Q,
    labels: &[usize],
    c: usize,
    bufs: &mut Bufs,
) -> Level {
    let n = b.n();
    let agg = Aggregate { b, labels, c, bufs };
    // (Sparse rows: as they are, see `louvain::local_moves`.)
    if b.row_len() * 2.0 >= n as f64 {
        super::simd::avx2(agg)
    } else {
        super::simd::Kernel::run(agg)
    }
}

/// [`aggregate`] compiled for AVX2 (its row additions vectorise wider).
struct Aggregate<'a, Q: ?Sized> {
    b: &'a Q,
    labels: &'a [usize],
    c: usize,
    bufs: &'a mut Bufs,
}

impl<Q: Quality + ?Sized> super::simd::Kernel for Aggregate<'_, Q> {
    type Output = Level;
    #[inline(always)]
    fn run(self) -> Level {
        aggregate_body(self.b, self.labels, self.c, self.bufs)
    }
}

#[inline(always)]
fn aggregate_body<Q: Quality + ?Sized>(
    b: &Q,
    labels: &[usize],
    c: usize,
    bufs: &mut Bufs,
) -> Level {
    let n = b.n();
    if b.row_len() * 2.0 >= n as f64 {
        let mut data = std::mem::take(&mut bufs.dense);
        data.clear();
        data.resize(c * c, 0.0);
        if c * n <= MAX_SUMS {
            let mut k = std::mem::take(&mut bufs.sums.0);
            k.clear();
            k.resize(c * n, 0.0);
            for (i, &x) in labels.iter().enumerate() {
                axpy_row::<Q, false>(&mut k[x * n..(x + 1) * n], b, i);
            }
            for x in 0..c {
                add_runs(
                    &k[x * n..(x + 1) * n],
                    labels,
                    &mut data[x * c..(x + 1) * c],
                    |_| {},
                );
            }
            bufs.sums = (k, None);
        } else {
            for i in 0..n {
                let ci = labels[i];
                let drow = &mut data[ci * c..(ci + 1) * c];
                drow[ci] += b.diag(i);
                add_row(b, i, labels, drow, |_| {});
            }
        }
        return Level::Dense(DenseB { n: c, data });
    }
    let mut s = std::mem::take(&mut bufs.sparse);
    let mut first = vec![0usize; c + 1];
    for &l in labels {
        first[l + 1] += 1;
    }
    for x in 0..c {
        first[x + 1] += first[x];
    }
    let mut fill = first.clone();
    let mut members = vec![0usize; n];
    for (i, &l) in labels.iter().enumerate() {
        members[fill[l]] = i;
        fill[l] += 1;
    }
    s.n = c;
    s.diag.clear();
    s.ptr.clear();
    s.idx.clear();
    s.val.clear();
    s.ptr.push(0);
    let mut acc = vec![0.0; c];
    let mut seen = vec![false; c];
    let mut touched: Vec<usize> = Vec::new();
    let mut abs_sum = 0.0;
    for x in 0..c {
        let mut d = 0.0;
        for &i in &members[first[x]..first[x + 1]] {
            d += b.diag(i);
            add_row(b, i, labels, &mut acc, |y| {
                if !seen[y] {
                    seen[y] = true;
                    touched.push(y);
                }
            });
        }
        for &y in &touched {
            if y == x {
                d += acc[y];
            } else {
                s.idx.push(y);
                s.val.push(acc[y]);
                abs_sum += acc[y].abs();
            }
            acc[y] = 0.0;
            seen[y] = false;
        }
        touched.clear();
        abs_sum += d.abs();
        s.diag.push(d);
        s.ptr.push(s.idx.len());
    }
    // As DenseB::scale: mean |B'| over all c² entries.
    s.scale = abs_sum / ((c * c).max(1) as f64);
    Level::Sparse(s)
}
