//! SIMD kernels of the modularity scans, run through the crate's run-time
//! dispatch ([`crate::simd`]: [`avx2`] runs a [`Kernel`] compiled for AVX2 +
//! FMA when the CPU has them, with `pulp`'s V3 token for explicit 4-lane
//! code; elsewhere, WebAssembly included, the portable [`Kernel::run`]). Rust never contracts
//! a·b + c into an FMA and the vectoriser keeps the order of every sum, so
//! the results are the same to the bit either way; explicit kernels are
//! tested against the portable ones.

pub(crate) use crate::simd::{avx2, Kernel};

/// Row kernels of the Louvain node moves, portable or explicit SIMD.
pub(crate) trait RowOps: Copy {
    /// First index of the largest `row[j] + mask[j]` and that value, or
    /// `None` when every entry is masked (−∞). `next` (the row to be read
    /// next, or empty) may be prefetched on the way.
    fn masked_argmax(self, row: &[f64], mask: &[f64], next: &[f64]) -> Option<(usize, f64)>;
}

/// The portable [`RowOps`].
#[derive(Clone, Copy)]
pub(crate) struct Portable;

impl RowOps for Portable {
    #[inline(always)]
    fn masked_argmax(self, row: &[f64], mask: &[f64], _: &[f64]) -> Option<(usize, f64)> {
        masked_argmax(row, mask)
    }
}

#[cfg(target_arch = "x86_64")]
impl RowOps for pulp::x86::V3 {
    #[inline(always)]
    fn masked_argmax(self, row: &[f64], mask: &[f64], next: &[f64]) -> Option<(usize, f64)> {
        masked_argmax_v3(self, row, mask, next)
    }
}

/// First index of the largest `row[j] + mask[j]` and that value, or `None`
/// when every entry is masked (−∞). Two vectorisable passes.
#[inline(always)]
pub(crate) fn masked_argmax(row: &[f64], mask: &[f64]) -> Option<(usize, f64)> {
    let m = row.len().min(mask.len());
    let (row, mask) = (&row[..m], &mask[..m]);
    let mut acc = [f64::NEG_INFINITY; 4];
    let (rc, mc) = (row.chunks_exact(4), mask.chunks_exact(4));
    let (rr, mr) = (rc.remainder(), mc.remainder());
    for (r, k) in rc.zip(mc) {
        for l in 0..4 {
            acc[l] = acc[l].max(r[l] + k[l]);
        }
    }
    let mut best = acc[0].max(acc[1]).max(acc[2].max(acc[3]));
    for (&v, &k) in rr.iter().zip(mr) {
        best = best.max(v + k);
    }
    if best == f64::NEG_INFINITY {
        return None;
    }
    let j = row.iter().zip(mask).position(|(&v, &k)| v + k == best)?;
    Some((j, best))
}

#[cfg(target_arch = "x86_64")]
pub(crate) use v3::*;

/// Explicit 4-lane kernels (AVX, one `__m256d` of f64).
#[cfg(target_arch = "x86_64")]
mod v3 {
    use core::arch::x86_64::{__m256d, _CMP_GT_OQ, _MM_HINT_T0};

    /// Rows ahead that the tiled scan prefetches.
    const PF: usize = 4;
    use pulp::{cast, x86::V3};

    /// `a[x..x + 4]` as one register.
    #[inline(always)]
    fn ld(a: &[f64], x: usize) -> __m256d {
        let mut t = [0.0f64; 4];
        t.copy_from_slice(&a[x..x + 4]);
        cast(t)
    }

    /// Columns i…i + 4 of rows j…j + 4 of the row-major n × n `a`, as four
    /// registers (the 4 × 4 block transposed: register q holds column i + q).
    #[inline(always)]
    fn ld_t(v3: V3, a: &[f64], n: usize, j: usize, i: usize) -> [__m256d; 4] {
        let avx = v3.avx;
        let c = [0, 1, 2, 3].map(|q| ld(a, (j + q) * n + i));
        let t0 = avx._mm256_unpacklo_pd(c[0], c[1]);
        let t1 = avx._mm256_unpackhi_pd(c[0], c[1]);
        let t2 = avx._mm256_unpacklo_pd(c[2], c[3]);
        let t3 = avx._mm256_unpackhi_pd(c[2], c[3]);
        [
            avx._mm256_permute2f128_pd::<0x20>(t0, t2),
            avx._mm256_permute2f128_pd::<0x20>(t1, t3),
            avx._mm256_permute2f128_pd::<0x31>(t0, t2),
            avx._mm256_permute2f128_pd::<0x31>(t1, t3),
        ]
    }

    /// Whether |a_ij − a_ji| ≤ `tol` for every pair of the row-major n × n
    /// `a` (finite): 4 × 4 blocks against their transposes, in 32 × 32
    /// tiles, with no branch per entry; the rows and columns past the last
    /// multiple of 4 one by one.
    #[inline(always)]
    pub(crate) fn symmetric_v3(v3: V3, a: &[f64], n: usize, tol: f64) -> bool {
        const T: usize = 32;
        let avx = v3.avx;
        let sign = avx._mm256_set1_pd(-0.0);
        let tolv = avx._mm256_set1_pd(tol);
        let nb = n / 4 * 4;
        let mut bad = avx._mm256_setzero_pd();
        for bi in (0..nb).step_by(T) {
            for bj in (0..=bi).step_by(T) {
                for i in (bi..(bi + T).min(nb)).step_by(4) {
                    for j in (bj..(bj + T).min(i + 4)).step_by(4) {
                        let r = [0, 1, 2, 3].map(|q| ld(a, (i + q) * n + j));
                        let ct = ld_t(v3, a, n, j, i);
                        for q in 0..4 {
                            let d = avx._mm256_andnot_pd(sign, avx._mm256_sub_pd(r[q], ct[q]));
                            bad = avx._mm256_or_pd(bad, avx._mm256_cmp_pd::<_CMP_GT_OQ>(d, tolv));
                        }
                    }
                }
            }
            if avx._mm256_movemask_pd(bad) != 0 {
                return false;
            }
        }
        (nb..n).all(|i| (0..i).all(|j| (a[i * n + j] - a[j * n + i]).abs() <= tol))
    }

    /// [`scan_sym_v3`]'s scan of columns `cols` (multiples of 4) of rows
    /// r..r + R: per row the max |v| lanes `mx` and the lane sums
    /// p += max(0, v), m −= min(v, 0) (`_mm256_max_pd(0, v)` returns v when
    /// v is NaN, so a NaN reaches p; ±0 summands cannot change a sum that
    /// starts at +0, and m − min(v, 0) = m + max(−v, 0) exactly). The R
    /// rows' dependency chains interleave.
    #[inline(always)]
    fn seg<const R: usize>(
        v3: V3,
        a: &[f64],
        n: usize,
        r: usize,
        cols: std::ops::Range<usize>,
        mx: &mut [__m256d; 4],
        pm: &mut [[__m256d; 2]],
    ) {
        let avx = v3.avx;
        let zero = avx._mm256_setzero_pd();
        let sign = avx._mm256_set1_pd(-0.0);
        let acc0: [[__m256d; 3]; R] = std::array::from_fn(|q| [mx[q], pm[q][0], pm[q][1]]);
        let mut acc = acc0;
        for x in cols.step_by(4) {
            if x % 8 == 0 {
                // The same columns PF rows below, one line at a time.
                for q in 0..R {
                    let off = ((r + q + PF) * n + x).min(a.len() - 1);
                    v3.sse
                        ._mm_prefetch::<_MM_HINT_T0>(a.as_ptr().wrapping_add(off).cast());
                }
            }
            for (q, c) in acc.iter_mut().enumerate() {
                let v = ld(a, (r + q) * n + x);
                c[0] = avx._mm256_max_pd(c[0], avx._mm256_andnot_pd(sign, v));
                c[1] = avx._mm256_add_pd(c[1], avx._mm256_max_pd(zero, v));
                c[2] = avx._mm256_sub_pd(c[2], avx._mm256_min_pd(v, zero));
            }
        }
        for (q, c) in acc.iter().enumerate() {
            mx[q] = c[0];
            pm[q] = [c[1], c[2]];
        }
    }

    /// The row scan of `signed::check_scan_strengths` (max |v| lanes, a
    /// NaN-or-Inf flag, and per row k⁺, k⁻ summed in four lanes, then
    /// (l0 + l1) + (l2 + l3), then the remainder one by one, pushed to `k`)
    /// and the largest |a_ij − a_ji|, in one pass over the row-major n × n `a`, by
    /// pairs of T × T tiles (a tile and its transpose, both in cache while
    /// their 4 × 4 blocks are compared). Each row's lane sums still run in
    /// ascending column order: the tiles of row block R are met at R's own
    /// tile row (column tiles 0..=R in order), then as the transposed side
    /// of tile rows R + 1, R + 2, …. Returns (max lanes, flag lanes, max
    /// |a_ij − a_ji|), as `signed::ScanSym`; the flag is NaN (and the rest
    /// meaningless) when `a` holds a NaN or ±Inf.
    #[inline(always)]
    pub(crate) fn scan_sym_v3(
        v3: V3,
        a: &[f64],
        n: usize,
        mut k: Option<&mut Vec<(f64, f64)>>,
    ) -> ([f64; 4], [f64; 4], f64) {
        const T: usize = 256;
        const S: usize = 32;
        let avx = v3.avx;
        let zero = avx._mm256_setzero_pd();
        let sign = avx._mm256_set1_pd(-0.0);
        let nb = n / 4 * 4;
        // Per row: p, m lanes; max |v| lanes per row of a group of 4.
        let mut pm = vec![[zero; 2]; n];
        let mut mx = [zero; 4];
        let mut dmax = [zero; 4];
        for bi in (0..nb).step_by(T) {
            let ei = (bi + T).min(nb);
            for bj in (0..=bi).step_by(T) {
                let ej = (bj + T).min(nb);
                for r in (bi..ei).step_by(4) {
                    seg::<4>(v3, a, n, r, bj..ej, &mut mx, &mut pm[r..r + 4]);
                }
                if bj < bi {
                    for r in (bj..ej).step_by(4) {
                        seg::<4>(v3, a, n, r, bi..ei, &mut mx, &mut pm[r..r + 4]);
                    }
                }
                // The blocks in S × S sub-tile pairs (both in L1).
                for si in (bi..ei).step_by(S) {
                    for sj in (bj..ej.min(si + S)).step_by(S) {
                        for i in (si..(si + S).min(ei)).step_by(4) {
                            for j in (sj..(sj + S).min(ej).min(i + 4)).step_by(4) {
                                let ct = ld_t(v3, a, n, j, i);
                                for q in 0..4 {
                                    let d = avx._mm256_sub_pd(ld(a, (i + q) * n + j), ct[q]);
                                    dmax[q] =
                                        avx._mm256_max_pd(dmax[q], avx._mm256_andnot_pd(sign, d));
                                }
                            }
                        }
                    }
                }
            }
        }
        // Rows past the last multiple of 4: their whole body in order.
        for r in nb..n {
            seg::<1>(v3, a, n, r, 0..nb, &mut mx, &mut pm[r..r + 1]);
        }
        let mut amax = 0f64;
        for m in mx {
            let m: [f64; 4] = cast(m);
            amax = amax.max(m[0].max(m[1]).max(m[2].max(m[3])));
        }
        let mut bad = !amax.is_finite();
        for (r, pm) in pm.iter().enumerate() {
            let (p, m): ([f64; 4], [f64; 4]) = (cast(pm[0]), cast(pm[1]));
            let (mut ps, mut ms) = ((p[0] + p[1]) + (p[2] + p[3]), (m[0] + m[1]) + (m[2] + m[3]));
            for &v in &a[r * n + nb..(r + 1) * n] {
                amax = amax.max(v.abs());
                bad |= !v.is_finite();
                ps += v.max(0.0);
                ms += (-v).max(0.0);
            }
            bad |= ps.is_nan();
            if let Some(k) = k.as_deref_mut() {
                k.push((ps, ms));
            }
        }
        let mut dm = 0f64;
        for d in dmax {
            let d: [f64; 4] = cast(d);
            dm = dm.max(d[0].max(d[1]).max(d[2].max(d[3])));
        }
        for i in nb..n {
            for j in 0..i {
                dm = dm.max((a[i * n + j] - a[j * n + i]).abs());
            }
        }
        let flag = if bad { f64::NAN } else { 0.0 };
        ([amax; 4], [flag, 0.0, 0.0, 0.0], dm)
    }

    /// `louvain::masked_argmax` in one pass: per lane the largest
    /// `row[j] + mask[j]` and the first j giving it, then the lanes and the
    /// remainder combined to the first index of the overall largest value.
    /// Prefetches `next` alongside (the row the caller reads next: rows
    /// are visited in random order, which the hardware cannot predict).
    #[inline(always)]
    pub(crate) fn masked_argmax_v3(
        v3: V3,
        row: &[f64],
        mask: &[f64],
        next: &[f64],
    ) -> Option<(usize, f64)> {
        let avx = v3.avx;
        let m = row.len().min(mask.len());
        let body = m / 4 * 4;
        let mut best = avx._mm256_set1_pd(f64::NEG_INFINITY);
        let mut at = avx._mm256_setzero_pd();
        let mut idx = avx._mm256_set_pd(3.0, 2.0, 1.0, 0.0);
        let four = avx._mm256_set1_pd(4.0);
        for x in (0..body).step_by(4) {
            if x % 8 == 0 && x < next.len() {
                v3.sse
                    ._mm_prefetch::<_MM_HINT_T0>(next[x..].as_ptr().cast());
            }
            let v = avx._mm256_add_pd(ld(row, x), ld(mask, x));
            let gt = avx._mm256_cmp_pd::<_CMP_GT_OQ>(v, best);
            best = avx._mm256_blendv_pd(best, v, gt);
            at = avx._mm256_blendv_pd(at, idx, gt);
            idx = avx._mm256_add_pd(idx, four);
        }
        let (best, at): ([f64; 4], [f64; 4]) = (cast(best), cast(at));
        let mut top = f64::NEG_INFINITY;
        let mut j = usize::MAX;
        for l in 0..4 {
            let jl = at[l] as usize;
            if best[l] > top || (best[l] == top && jl < j) {
                (top, j) = (best[l], jl);
            }
        }
        for x in body..m {
            let v = row[x] + mask[x];
            if v > top {
                (top, j) = (v, x);
            }
        }
        (top != f64::NEG_INFINITY).then_some((j, top))
    }
}

#[cfg(test)]
mod tests {
    /// The one-pass AVX2 argmax returns what the two-pass portable one
    /// does: the first index of the largest value, ties and −∞ included.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn masked_argmax_v3_matches_portable() {
        use rand::Rng as _;
        let Some(v3) = pulp::x86::V3::try_new() else {
            return;
        };
        let mut r = crate::rng::seeded(4);
        for len in (0..14).chain([100, 2001]) {
            for _ in 0..50 {
                // Few distinct values, so ties are common.
                let row: Vec<f64> = (0..len)
                    .map(|_| r.random_range(0..4) as f64 - 1.5)
                    .collect();
                let mask: Vec<f64> = (0..len)
                    .map(|_| {
                        if r.random_range(0..3) == 0 {
                            f64::NEG_INFINITY
                        } else {
                            0.0
                        }
                    })
                    .collect();
                let want = super::masked_argmax(&row, &mask);
                let got = super::masked_argmax_v3(v3, &row, &mask, &row);
                assert_eq!(got, want, "len {len}");
            }
            let all = vec![f64::NEG_INFINITY; len];
            assert_eq!(super::masked_argmax_v3(v3, &all, &all, &[]), None);
        }
    }
}
