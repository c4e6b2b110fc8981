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

