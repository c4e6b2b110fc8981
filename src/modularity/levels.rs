//! Data of one Louvain level: node-to-community sums K and the aggregated
//! (coarse) modularity matrices, dense or sparse.
//!
//! K[c][j] = Σ_{i∈c} B_ij is what bctpy (`Knm`) and GenLouvain keep per
//! level: with it, visiting node i costs one look-up per community
//! (s_c = K[c][i], minus B_ii for i's own community) instead of a scan of
//! row i, and a move of i from a to b costs two row updates,
//! K[a] −= B_i·, K[b] += B_i·. K is built exactly from B at the start of
//! each level (and never carried between levels), so rounding drift stays
//! within one level.

use super::louvain::{add_row, add_runs, DenseB, Quality};

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

/// Node-to-community sums, community-major: `k[c * n + j]` = Σ_{i∈c} B_ij.
pub(crate) struct CommSums {
    n: usize,
    /// Community slots (rows of K).
    pub w: usize,
    k: Vec<f64>,
}

impl CommSums {
    /// K from scratch for `labels` (all < `w`), reusing `buf`'s allocation.
    ///
    /// Complexity: O(nnz(B) + w·N).
    pub fn build<Q: Quality + ?Sized>(b: &Q, labels: &[usize], w: usize, buf: Vec<f64>) -> Self {
        let n = b.n();
        let mut k = buf;
        k.clear();
        k.resize(w * n, 0.0);
        for (i, &c) in labels.iter().enumerate() {
            axpy_row::<Q, false>(&mut k[c * n..(c + 1) * n], b, i);
        }
        CommSums { n, w, k }
    }

    /// Σ_{j∈c} B_ij (B_ii included when i ∈ c).
    #[inline(always)]
    pub fn get(&self, c: usize, i: usize) -> f64 {
        self.k[c * self.n + i]
    }

    /// Row c of K (length N).
    pub fn row(&self, c: usize) -> &[f64] {
        &self.k[c * self.n..(c + 1) * self.n]
    }

    /// Add an empty community slot; returns its index.
    pub fn push_slot(&mut self) -> usize {
        self.k.resize(self.k.len() + self.n, 0.0);
        self.w += 1;
        self.w - 1
    }

    /// Node i moves from `from` to `to`; `from_now_empty` resets the old
    /// community's row to exact zeros (no drift left behind).
    ///
    /// Complexity: O(row length of i), or O(N) when `from` empties.
    pub fn move_node<Q: Quality + ?Sized>(
        &mut self,
        b: &Q,
        i: usize,
        from: usize,
        to: usize,
        from_now_empty: bool,
    ) {
        let n = self.n;
        if from_now_empty {
            self.k[from * n..(from + 1) * n].fill(0.0);
        } else {
            axpy_row::<Q, true>(&mut self.k[from * n..(from + 1) * n], b, i);
        }
        axpy_row::<Q, false>(&mut self.k[to * n..(to + 1) * n], b, i);
    }

    /// Give the buffer back for reuse.
    pub fn into_buf(self) -> Vec<f64> {
        self.k
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
    /// K of [`super::louvain`]'s node moves, and `Some(slots)` while it is
    /// exact for the labels the moves returned.
    pub sums: (Vec<f64>, Option<usize>),
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

/// [`aggregate`] from an exact K (`bufs.sums`, `w` slots over `n` nodes)
/// built for `old` labels, which `labels` (canonical, `c` communities)
/// renames: B'_xy = Σ_{j∈y} K[slot of x][j], no pass over B.
///
/// Complexity: O(w·N + c²).
pub(crate) fn aggregate_from_sums(
    n: usize,
    old: &[usize],
    w: usize,
    labels: &[usize],
    c: usize,
    bufs: &mut Bufs,
) -> Level {
    let mut data = std::mem::take(&mut bufs.dense);
    data.clear();
    data.resize(c * c, 0.0);
    let mut slot = vec![usize::MAX; c];
    for (&o, &l) in old.iter().zip(labels) {
        slot[l] = o;
    }
    let k = &bufs.sums.0;
    for (x, &s) in slot.iter().enumerate() {
        if s < w {
            add_runs(&k[s * n..(s + 1) * n], labels, &mut data[x * c..(x + 1) * c], |_| {});
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
    if b.row_len() * 2.0 >= n as f64 {
        let mut data = std::mem::take(&mut bufs.dense);
        data.clear();
        data.resize(c * c, 0.0);
        if c * n <= MAX_SUMS {
            let k = CommSums::build(b, labels, c, std::mem::take(&mut bufs.sums.0));
            for x in 0..c {
                add_runs(k.row(x), labels, &mut data[x * c..(x + 1) * c], |_| {});
            }
            bufs.sums = (k.into_buf(), None);
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
