//! The inner loop of the rate network: a fast tanh, and (natively) the
//! matrix–vector product W r over a packed copy of W in SIMD through `pulp`,
//! which picks AVX2 + FMA at run time when the CPU has them (no `unsafe` or
//! `#[target_feature]` here). WebAssembly and CPUs without AVX2 keep the
//! portable row-by-row dot product of [`super::simulate`].

/// r = φ(h) elementwise; φ = tanh by [`tanh_fast`] when `fast` (a loop with
/// no libm call, so it vectorises), else [`Activation::f`]. The one φ loop of
/// [`super::Simulator`] (steps and recorded rates) and
/// [`super::BatchSimulator`].
#[inline(always)]
pub(super) fn phi_into(phi: super::Activation, fast: bool, h: &[f64], r: &mut [f64]) {
    if fast && phi == super::Activation::Tanh {
        for (r, h) in r.iter_mut().zip(h) {
            *r = tanh_fast(*h);
        }
    } else {
        for (r, h) in r.iter_mut().zip(h) {
            *r = phi.f(*h);
        }
    }
}

/// tanh(x) from basic arithmetic only, so a loop over it vectorises (no libm
/// call per element). Cephes' `tanh` formulas (Moshier 1989, *Methods and
/// Programs for Mathematical Functions*, §tanh.c and §exp.c), evaluated
/// branch-free:
/// - |x| < 0.625: tanh x = x + x·z·P(z)/Q(z), z = x² (rational minimax);
/// - |x| ≥ 0.625: tanh x = sign(x)·(1 − 2/(e^{2|x|} + 1)), with e^y for
///   y = min(2|x|, 40) as 2^k·e^r, k = round(y/ln 2) (Cody–Waite r = y − k ln 2
///   in two parts) and e^r = 1 + 2rP(r²)/(Q(r²) − rP(r²)) (Padé); at y = 40
///   the result already rounds to ±1, as f64::tanh does for |x| > 19.1.
///
/// # Accuracy
/// |tanhf(x) − tanh(x)| ≤ 3 ε |tanh x| (ε = 2⁻⁵²) for every finite x, tested
/// against `f64::tanh` on a dense grid over [−30, 30] and at ±0, subnormals,
/// ±∞ (→ ±1) and NaN (→ NaN, as `f64::tanh`); −0 → −0.
///
/// # Complexity
/// O(1), about 30 flops and 2 divisions, no branches (both formulas are
/// evaluated up to their last division, then one is selected).
#[inline(always)]
pub fn tanh_fast(x: f64) -> f64 {
    let a = x.abs();
    let z = x * x;
    let p =
        (-9.643_991_794_250_523e-1 * z - 9.928_772_310_019_186e1) * z - 1.614_687_684_417_084_5e3;
    let q = ((z + 1.128_116_784_916_329_3e2) * z + 2.235_488_390_601_004_5e3) * z
        + 4.844_063_053_251_255e3;
    let small = a < 0.625;
    let y = if 2.0 * a < 40.0 { 2.0 * a } else { 40.0 };
    // Round y/ln 2 to an integer by adding 1.5·2⁵² (the integer is then the
    // low mantissa bits); k ∈ [0, 58].
    const MAGIC: f64 = 6_755_399_441_055_744.0;
    let t = y * std::f64::consts::LOG2_E + MAGIC;
    let k = t - MAGIC;
    let r = (y - k * 6.931_457_519_531_25e-1) - k * 1.428_606_820_309_417_3e-6;
    let rr = r * r;
    let pp = r * ((1.261_771_930_748_105_9e-4 * rr + 3.029_944_077_074_419_6e-2) * rr + 1.0);
    let qq = ((3.001_985_051_386_644_5e-6 * rr + 2.524_483_403_496_841e-3) * rr
        + 2.272_655_482_081_550_3e-1)
        * rr
        + 2.0;
    let er = 1.0 + 2.0 * pp / (qq - pp);
    let e = er * f64::from_bits(((t.to_bits() & 0xfff) + 1023) << 52);
    // One division for the formula in use: x + (x·z·P)/Q or 1 − 2/(e + 1),
    // the same operations as dividing in each formula and selecting after
    // (so the same bits), one division fewer per element.
    let quot = if small { x * z * p } else { 2.0 } / if small { q } else { e + 1.0 };
    // tanh is odd: the sign of x (also for −0, where x + x·z·P/Q gives +0).
    let v = (if small { x + quot } else { 1.0 - quot }).copysign(x);
    if x.is_nan() {
        x
    } else {
        v
    }
}

/// Lanes of the packed layout (one AVX2 register of f64).
#[cfg(not(target_arch = "wasm32"))]
const L: usize = 4;

/// W re-laid for [`matvec_packed`]: for each block of 4 rows, for each chunk of
/// L columns, the 4 rows' chunks one after another, so the product reads W as
/// one sequential stream. Columns past the last full chunk and rows past the
/// last full block stay in W and are done by plain dot products.
///
/// The stream starts on a 64-byte boundary: from a 16-byte-aligned start
/// every other 32-byte load straddles two cache lines, and the step was
/// 7–10 % slower whenever the allocator handed out such an address (the
/// bench's RNN row took 0.034 s after other tasks, 0.0317 s alone).
///
/// # Complexity
/// O(N²) time and memory.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn pack(w: &[f64], n: usize) -> PackedW {
    let (nb, nc) = (n / 4 * 4, n / L * L);
    let mut buf = Vec::with_capacity(nb * nc + 7);
    // f64s to skip so the stream starts on a 64-byte boundary.
    let off = (64 - buf.as_ptr() as usize % 64) % 64 / 8;
    buf.resize(off, 0.0);
    for i in (0..nb).step_by(4) {
        for c in (0..nc).step_by(L) {
            for q in 0..4 {
                buf.extend_from_slice(&w[(i + q) * n + c..(i + q) * n + c + L]);
            }
        }
    }
    PackedW { buf, off }
}

/// The packed W of [`pack`]: `buf[off..]`, 64-byte aligned.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Default)]
pub(super) struct PackedW {
    buf: Vec<f64>,
    off: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl PackedW {
    /// The packed entries.
    pub(super) fn as_slice(&self) -> &[f64] {
        &self.buf[self.off..]
    }
}

/// d = W r (W row-major `w`, `p` = [`pack`]`(w)`), 4 rows at a time with one
/// FMA accumulator per row; `false` when `S` does not hold 4 f64 (no AVX2):
/// the caller then uses the portable product.
///
/// # Complexity
/// O(N²), reading W once.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
pub(super) fn matvec_packed<S: pulp::Simd>(
    s: S,
    w: &[f64],
    p: &[f64],
    r: &[f64],
    d: &mut [f64],
) -> bool {
    if std::mem::size_of::<S::f64s>() != L * 8 {
        return false;
    }
    let n = r.len();
    let nc = n / L * L;
    let (rv, _) = S::as_simd_f64s(&r[..nc]);
    let (pv, _) = S::as_simd_f64s(p);
    let chunks = rv.len();
    let mut i = 0;
    if chunks > 0 {
        for blk in pv.chunks_exact(4 * chunks) {
            let zero = s.splat_f64s(0.0);
            let mut c = [zero; 4];
            for (ch, &x) in blk.chunks_exact(4).zip(rv) {
                c[0] = s.mul_add_f64s(ch[0], x, c[0]);
                c[1] = s.mul_add_f64s(ch[1], x, c[1]);
                c[2] = s.mul_add_f64s(ch[2], x, c[2]);
                c[3] = s.mul_add_f64s(ch[3], x, c[3]);
            }
            for (q, cq) in c.into_iter().enumerate() {
                let row = &w[(i + q) * n..(i + q + 1) * n];
                let tail: f64 = row[nc..].iter().zip(&r[nc..]).map(|(a, b)| a * b).sum();
                d[i + q] = s.reduce_sum_f64s(cq) + tail;
            }
            i += 4;
        }
    }
    for (k, di) in d.iter_mut().enumerate().skip(i) {
        *di = super::simulate::dot(&w[k * n..(k + 1) * n], r);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tanh_fast_matches_libm() {
        // Dense grid over [−30, 30] (step ~1e-5, 6·10⁶ points, irrational
        // offset so no point is special) plus the ends of the formulas.
        let mut worst = 0.0f64;
        let mut x = -30.0 + 1e-7 * std::f64::consts::PI;
        while x < 30.0 {
            let (a, b) = (tanh_fast(x), x.tanh());
            worst = worst.max((a - b).abs() / (f64::EPSILON * b.abs()));
            x += 1.000_3e-5;
        }
        for &x in &[
            0.625f64,
            0.624_999_999_999,
            1e-8,
            0.1,
            19.0,
            19.5,
            20.0,
            25.0,
            700.0,
            1e300,
        ] {
            for x in [x, -x] {
                let (a, b) = (tanh_fast(x), x.tanh());
                worst = worst.max((a - b).abs() / (f64::EPSILON * b.abs()));
            }
        }
        assert!(worst <= 3.0, "worst error {worst} ε|tanh x|");
        // Exactly ±1 beyond |x| = 20 (as libm), ±∞ → ±1.
        for x in [20.0, 30.0, 1e10, f64::INFINITY] {
            assert_eq!(tanh_fast(x), 1.0);
            assert_eq!(tanh_fast(-x), -1.0);
        }
        // ±0 keep their sign; subnormals and tiny x give x exactly (tanh x = x
        // to within rounding there); NaN stays NaN.
        assert_eq!(tanh_fast(0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(tanh_fast(-0.0).to_bits(), (-0.0f64).to_bits());
        for x in [f64::MIN_POSITIVE, 4.9e-324, 1e-310, 1e-200, 1e-20] {
            assert_eq!(tanh_fast(x), x);
            assert_eq!(tanh_fast(-x), -x);
            assert_eq!(tanh_fast(x), x.tanh());
        }
        assert!(tanh_fast(f64::NAN).is_nan());
    }

    /// tanh_fast as it was before session 9: each formula with its own
    /// division, then one selected.
    fn tanh_three_divisions(x: f64) -> f64 {
        let a = x.abs();
        let z = x * x;
        let p = (-9.643_991_794_250_523e-1 * z - 9.928_772_310_019_186e1) * z
            - 1.614_687_684_417_084_5e3;
        let q = ((z + 1.128_116_784_916_329_3e2) * z + 2.235_488_390_601_004_5e3) * z
            + 4.844_063_053_251_255e3;
        let small = x + x * z * p / q;
        let y = if 2.0 * a < 40.0 { 2.0 * a } else { 40.0 };
        const MAGIC: f64 = 6_755_399_441_055_744.0;
        let t = y * std::f64::consts::LOG2_E + MAGIC;
        let k = t - MAGIC;
        let r = (y - k * 6.931_457_519_531_25e-1) - k * 1.428_606_820_309_417_3e-6;
        let rr = r * r;
        let pp = r * ((1.261_771_930_748_105_9e-4 * rr + 3.029_944_077_074_419_6e-2) * rr + 1.0);
        let qq = ((3.001_985_051_386_644_5e-6 * rr + 2.524_483_403_496_841e-3) * rr
            + 2.272_655_482_081_550_3e-1)
            * rr
            + 2.0;
        let er = 1.0 + 2.0 * pp / (qq - pp);
        let e = er * f64::from_bits(((t.to_bits() & 0xfff) + 1023) << 52);
        let big = 1.0 - 2.0 / (e + 1.0);
        let v = (if a < 0.625 { small } else { big }).copysign(x);
        if x.is_nan() {
            x
        } else {
            v
        }
    }

    #[test]
    fn tanh_fast_same_bits_as_three_divisions() {
        // The one-division-per-formula evaluation changed no bit (the
        // recorded trajectories and pinned seeds rest on it).
        let mut x = -25.0 + 1e-7 * std::f64::consts::E;
        while x < 25.0 {
            assert_eq!(
                tanh_fast(x).to_bits(),
                tanh_three_divisions(x).to_bits(),
                "x = {x}"
            );
            x += 3.7e-5;
        }
        for x in [
            0.0,
            -0.0,
            0.625,
            -0.625,
            0.624_999_999_999_999_9,
            1e-310,
            19.1,
            40.0,
            1e300,
            f64::INFINITY,
            -f64::INFINITY,
        ] {
            assert_eq!(
                tanh_fast(x).to_bits(),
                tanh_three_divisions(x).to_bits(),
                "x = {x}"
            );
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn packed_matvec_matches_dot() {
        // Sizes with row and column remainders (n mod 4 ≠ 0) and n < 4.
        for n in [1usize, 3, 4, 7, 9, 64, 201] {
            let w: Vec<f64> = (0..n * n)
                .map(|k| ((k * 37 % 101) as f64 - 50.0) / 17.0)
                .collect();
            let r: Vec<f64> = (0..n)
                .map(|k| ((k * 13 % 29) as f64 - 14.0) / 7.0)
                .collect();
            let packed = pack(&w, n);
            let p = packed.as_slice();
            assert_eq!(p.as_ptr() as usize % 64, 0);
            let mut d = vec![f64::NAN; n];
            struct Mv<'a>(&'a [f64], &'a [f64], &'a [f64], &'a mut [f64]);
            impl crate::simd::Kernel for Mv<'_> {
                type Output = bool;
                fn run(self) -> bool {
                    false
                }
                #[cfg(target_arch = "x86_64")]
                #[inline(always)]
                fn run_v3(self, v3: pulp::x86::V3) -> bool {
                    matvec_packed(v3, self.0, self.1, self.2, self.3)
                }
            }
            // Under AVX-512 dispatch, as the simulator runs it.
            if !crate::simd::avx512(Mv(&w, p, &r, &mut d)) {
                // Only a CPU without AVX2 + FMA takes the portable product.
                #[cfg(target_arch = "x86_64")]
                assert!(
                    !(std::arch::is_x86_feature_detected!("avx2")
                        && std::arch::is_x86_feature_detected!("fma"))
                );
                return;
            }
            for i in 0..n {
                let exact: f64 = (0..n).map(|j| w[i * n + j] * r[j]).sum();
                let scale: f64 = (0..n).map(|j| (w[i * n + j] * r[j]).abs()).sum();
                assert!(
                    (d[i] - exact).abs() <= 1e-15 * n as f64 * scale.max(1e-300),
                    "n {n} row {i}: {} vs {exact}",
                    d[i]
                );
            }
        }
    }
}
