//! Scans of one row of a modularity matrix B against community labels: the
//! sums s_c = Σ_{j≠i, g_j = c} B_ij that a Louvain visit of node i needs
//! ([`super::louvain`]), the aggregation of B by blocks ([`super::levels`]),
//! and the masked sums of Q. Every scan adds the entries of a community in
//! ascending column order (dense slice first, extra entries last), so sums
//! are reproducible to the bit whichever scan computes them.

use super::louvain::Quality;

/// Add `row[k]` into `acc[lab[k]]` for every k, in order. A run of equal
/// labels is summed in a register starting from `acc[label]` and stored once,
/// which gives the same floating-point result as adding entry by entry (same
/// operands, same order) without a store-to-load dependency per entry.
/// `first(c)` is called at the start of each run.
#[inline(always)]
pub(crate) fn add_runs(row: &[f64], lab: &[usize], acc: &mut [f64], mut first: impl FnMut(usize)) {
    let m = row.len().min(lab.len());
    let (row, lab) = (&row[..m], &lab[..m]);
    let mut k = 0;
    while k < m {
        let c = lab[k];
        first(c);
        let mut a = acc[c] + row[k];
        k += 1;
        while k < m && lab[k] == c {
            a += row[k];
            k += 1;
        }
        acc[c] = a;
    }
}

/// [`add_runs`] over row i of `b` (diagonal skipped, extra entries last):
/// `acc[labels[j]] += B_ij` in scan order.
#[inline(always)]
pub(crate) fn add_row<Q: Quality + ?Sized>(
    b: &Q,
    i: usize,
    labels: &[usize],
    acc: &mut [f64],
    mut first: impl FnMut(usize),
) {
    let (start, row) = b.dense_row(i);
    let lab = &labels[start..start + row.len()];
    let k = i - start;
    add_runs(&row[..k], &lab[..k], acc, &mut first);
    add_runs(&row[k + 1..], &lab[k + 1..], acc, &mut first);
    b.for_extra(i, |j, v| {
        let c = labels[j];
        first(c);
        acc[c] += v;
    });
}

/// Σ_k row[k] over the k with lab[k] = g, in four interleaved partial sums
/// (so the loop vectorises).
#[inline(always)]
pub(crate) fn masked_sum(row: &[f64], lab: &[usize], g: usize) -> f64 {
    let m = row.len().min(lab.len());
    let (row, lab) = (&row[..m], &lab[..m]);
    let mut acc = [0.0f64; 4];
    let (rc, lc) = (row.chunks_exact(4), lab.chunks_exact(4));
    let (rr, lr) = (rc.remainder(), lc.remainder());
    for (r, l) in rc.zip(lc) {
        for k in 0..4 {
            acc[k] += if l[k] == g { r[k] } else { 0.0 };
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (&v, &c) in rr.iter().zip(lr) {
        if c == g {
            s += v;
        }
    }
    s
}

/// Σ_k row[k] in the order of [`masked_sum`] with every label matching
/// (four interleaved partial sums, then the remainder): the same bits.
#[inline(always)]
pub(crate) fn sum4(row: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let rc = row.chunks_exact(4);
    let rr = rc.remainder();
    for r in rc {
        for k in 0..4 {
            acc[k] += r[k];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for &v in rr {
        s += v;
    }
    s
}

/// Row i's sums entry by entry: `s[labels[j]] += B_ij` in scan order (the
/// same operands in the same order as [`add_row`], so the same bits), each
/// label met for the first time written to `touched` (in order of first
/// occurrence; `seen` marks them). Branch-free per entry, for rows whose
/// labels change often (runs of one or two), where [`add_row`]'s run loop
/// mispredicts at every run's end. `touched` needs room for every distinct
/// label (N + 1 entries suffice). Returns (distinct labels, runs).
#[inline(always)]
pub(crate) fn scan_entries<Q: Quality + ?Sized>(
    b: &Q,
    i: usize,
    labels: &[usize],
    s: &mut [f64],
    seen: &mut [bool],
    touched: &mut [usize],
) -> (usize, usize) {
    let (start, row) = b.dense_row(i);
    let lab = &labels[start..start + row.len()];
    let k = i - start;
    let mut e = Entries {
        s,
        seen,
        touched,
        t: 0,
        runs: 0,
        prev: usize::MAX,
    };
    for (&v, &c) in row[..k].iter().zip(&lab[..k]) {
        e.add(c, v);
    }
    for (&v, &c) in row[k + 1..].iter().zip(&lab[k + 1..]) {
        e.add(c, v);
    }
    b.for_extra(i, |j, v| e.add(labels[j], v));
    (e.t, e.runs)
}

/// The state of [`scan_entries`] (a method rather than a closure, so that
/// it is always inlined).
struct Entries<'a> {
    s: &'a mut [f64],
    seen: &'a mut [bool],
    touched: &'a mut [usize],
    t: usize,
    runs: usize,
    prev: usize,
}

impl Entries<'_> {
    #[inline(always)]
    fn add(&mut self, c: usize, v: f64) {
        self.touched[self.t] = c;
        self.t += usize::from(!self.seen[c]);
        self.seen[c] = true;
        self.runs += usize::from(c != self.prev);
        self.prev = c;
        self.s[c] += v;
    }
}

/// [`add_row`] into `s` with the labels met first written to `touched` as
/// in [`scan_entries`] (same result, same bits): for rows of long runs,
/// each summed in a register. Returns (distinct labels, runs).
#[inline(always)]
pub(crate) fn scan_runs<Q: Quality + ?Sized>(
    b: &Q,
    i: usize,
    labels: &[usize],
    s: &mut [f64],
    seen: &mut [bool],
    touched: &mut [usize],
) -> (usize, usize) {
    let (mut t, mut runs) = (0usize, 0usize);
    add_row(b, i, labels, s, |c| {
        touched[t] = c;
        t += usize::from(!seen[c]);
        seen[c] = true;
        runs += 1;
    });
    (t, runs)
}

/// The improving moves of a node in community `a` with sums `s`: (c, s_c −
/// s_a) for every c in `touched` other than `a` with a gain above `eps`, in
/// `touched` order, written without a branch per label.
#[inline(always)]
pub(crate) fn gains(
    touched: &[usize],
    s: &[f64],
    a: usize,
    sa: f64,
    eps: f64,
    cand: &mut Vec<(usize, f64)>,
) {
    cand.clear();
    cand.resize(touched.len(), (0, 0.0));
    let mut m = 0;
    for &c in touched {
        let g = s[c] - sa;
        cand[m] = (c, g);
        m += usize::from(c != a && g > eps);
    }
    cand.truncate(m);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modularity::louvain::DenseB;

    /// Entry-by-entry and run-by-run scans give the same sums to the bit and
    /// meet the labels in the same order.
    #[test]
    fn scans_agree_to_the_bit() {
        use rand::Rng as _;
        let mut r = crate::rng::seeded(5);
        let n = 57;
        let data: Vec<f64> = (0..n * n).map(|_| r.random::<f64>() - 0.5).collect();
        let b = DenseB { n, data };
        for k in [1, 3, 8, n] {
            let labels: Vec<usize> = (0..n).map(|_| r.random_range(0..k)).collect();
            for i in [0, 1, 30, n - 1] {
                let (mut s1, mut s2) = (vec![0.0; n], vec![0.0; n]);
                let (mut e1, mut e2) = (vec![false; n], vec![false; n]);
                let (mut t1, mut t2) = (vec![0; n + 1], vec![0; n + 1]);
                let a = scan_entries(&b, i, &labels, &mut s1, &mut e1, &mut t1);
                let z = scan_runs(&b, i, &labels, &mut s2, &mut e2, &mut t2);
                // (The run counts differ at the diagonal, which `scan_runs`
                // counts as a break; they only steer the choice of scan.)
                assert_eq!(a.0, z.0);
                assert_eq!(t1[..a.0], t2[..z.0]);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&s1), bits(&s2));
                let mut s3 = vec![0.0; n];
                add_row(&b, i, &labels, &mut s3, |_| {});
                assert_eq!(bits(&s1), bits(&s3));
            }
        }
    }
}
