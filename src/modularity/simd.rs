//! Run-time SIMD dispatch for the modularity scans. Natively on x86-64,
//! [`avx2`] runs a [`Kernel`] compiled for AVX2 + FMA (through `pulp`, no
//! `unsafe` here) when the CPU has them: the plain loops inlined into it
//! vectorise to 256-bit registers, and a kernel may use `pulp`'s V3 token
//! for explicit 4-lane code ([`Kernel::run_v3`]). Elsewhere (WebAssembly,
//! other CPUs) the portable [`Kernel::run`] runs. Rust never contracts
//! a·b + c into an FMA and the vectoriser keeps the order of every sum, so
//! the results are the same to the bit either way; explicit kernels are
//! tested against the portable ones.

/// A loop to compile for AVX2. `run` (and `run_v3`) must be
/// `#[inline(always)]`, as must everything they call that should vectorise
/// (a call that is not inlined is compiled for the baseline target).
pub(crate) trait Kernel: Sized {
    /// What the loop returns.
    type Output;
    /// The portable loop.
    fn run(self) -> Self::Output;
    /// The loop with AVX2 + FMA available (`run` unless overridden).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn run_v3(self, _v3: pulp::x86::V3) -> Self::Output {
        self.run()
    }
}

#[cfg(target_arch = "x86_64")]
struct Dispatch<K>(K, pulp::x86::V3);

#[cfg(target_arch = "x86_64")]
impl<K: Kernel> pulp::WithSimd for Dispatch<K> {
    type Output = K::Output;
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> K::Output {
        self.0.run_v3(self.1)
    }
}

/// Run `k`, compiled for AVX2 + FMA when the CPU has them (x86-64 only).
#[inline(always)]
pub(crate) fn avx2<K: Kernel>(k: K) -> K::Output {
    #[cfg(target_arch = "x86_64")]
    if let Some(v3) = pulp::x86::V3::try_new() {
        return pulp::Simd::vectorize(v3, Dispatch(k, v3));
    }
    k.run()
}

/// Row kernels of the Louvain node moves, portable or explicit SIMD.
pub(crate) trait RowOps: Copy {
    /// First index of the largest `row[j] + mask[j]` and that value, or
    /// `None` when every entry is masked (−∞).
    fn masked_argmax(self, row: &[f64], mask: &[f64]) -> Option<(usize, f64)>;
}

/// The portable [`RowOps`].
#[derive(Clone, Copy)]
pub(crate) struct Portable;

impl RowOps for Portable {
    #[inline(always)]
    fn masked_argmax(self, row: &[f64], mask: &[f64]) -> Option<(usize, f64)> {
        masked_argmax(row, mask)
    }
}

#[cfg(target_arch = "x86_64")]
impl RowOps for pulp::x86::V3 {
    #[inline(always)]
    fn masked_argmax(self, row: &[f64], mask: &[f64]) -> Option<(usize, f64)> {
        masked_argmax_v3(self, row, mask)
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
    use core::arch::x86_64::{__m256d, _CMP_GT_OQ};
    use pulp::{cast, x86::V3};

    /// `a[x..x + 4]` as one register.
    #[inline(always)]
    fn ld(a: &[f64], x: usize) -> __m256d {
        let mut t = [0.0f64; 4];
        t.copy_from_slice(&a[x..x + 4]);
        cast(t)
    }

    /// The row scan of `signed::scan_rows` (four-lane running max |v|,
    /// Σ v·0, and per row k⁺, k⁻ in four lanes, (l0 + l1) + (l2 + l3), then
    /// the remainder one by one), one register per accumulator.
    /// `max(v, 0)` here returns +0 where `f64::max` may return −0 (v = −0);
    /// no sum starting at +0 can show the difference (x + (−0) = x, and
    /// +0 + (−0) = +0). The max and the NaN lanes are order-free (the
    /// caller bails out on any NaN).
    #[inline(always)]
    pub(crate) fn scan_rows_v3(
        v3: V3,
        a: &[f64],
        n: usize,
        mut k: Option<&mut Vec<(f64, f64)>>,
    ) -> ([f64; 4], [f64; 4]) {
        let avx = v3.avx;
        let zero = avx._mm256_setzero_pd();
        let sign = avx._mm256_set1_pd(-0.0);
        let (mut mx, mut nan) = (zero, zero);
        let (mut mx0, mut nan0) = (0f64, 0f64);
        let body = n / 4 * 4;
        for row in a.chunks_exact(n) {
            let (mut p, mut m) = (zero, zero);
            for x in (0..body).step_by(4) {
                let v = ld(row, x);
                mx = avx._mm256_max_pd(mx, avx._mm256_andnot_pd(sign, v));
                nan = avx._mm256_add_pd(nan, avx._mm256_mul_pd(v, zero));
                p = avx._mm256_add_pd(p, avx._mm256_max_pd(v, zero));
                m = avx._mm256_add_pd(m, avx._mm256_max_pd(avx._mm256_xor_pd(v, sign), zero));
            }
            let (p, m): ([f64; 4], [f64; 4]) = (cast(p), cast(m));
            let (mut ps, mut ms) = ((p[0] + p[1]) + (p[2] + p[3]), (m[0] + m[1]) + (m[2] + m[3]));
            for &v in &row[body..] {
                mx0 = mx0.max(v.abs());
                nan0 += v * 0.0;
                ps += v.max(0.0);
                ms += (-v).max(0.0);
            }
            if let Some(k) = k.as_deref_mut() {
                k.push((ps, ms));
            }
        }
        let (mut mx, mut nan): ([f64; 4], [f64; 4]) = (cast(mx), cast(nan));
        mx[0] = mx[0].max(mx0);
        nan[0] += nan0;
        (mx, nan)
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
                        let c = [0, 1, 2, 3].map(|q| ld(a, (j + q) * n + i));
                        let t0 = avx._mm256_unpacklo_pd(c[0], c[1]);
                        let t1 = avx._mm256_unpackhi_pd(c[0], c[1]);
                        let t2 = avx._mm256_unpacklo_pd(c[2], c[3]);
                        let t3 = avx._mm256_unpackhi_pd(c[2], c[3]);
                        let ct = [
                            avx._mm256_permute2f128_pd::<0x20>(t0, t2),
                            avx._mm256_permute2f128_pd::<0x20>(t1, t3),
                            avx._mm256_permute2f128_pd::<0x31>(t0, t2),
                            avx._mm256_permute2f128_pd::<0x31>(t1, t3),
                        ];
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

    /// `louvain::masked_argmax` in one pass: per lane the largest
    /// `row[j] + mask[j]` and the first j giving it, then the lanes and the
    /// remainder combined to the first index of the overall largest value.
    #[inline(always)]
    pub(crate) fn masked_argmax_v3(v3: V3, row: &[f64], mask: &[f64]) -> Option<(usize, f64)> {
        let avx = v3.avx;
        let m = row.len().min(mask.len());
        let body = m / 4 * 4;
        let mut best = avx._mm256_set1_pd(f64::NEG_INFINITY);
        let mut at = avx._mm256_setzero_pd();
        let mut idx = avx._mm256_set_pd(3.0, 2.0, 1.0, 0.0);
        let four = avx._mm256_set1_pd(4.0);
        for x in (0..body).step_by(4) {
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
