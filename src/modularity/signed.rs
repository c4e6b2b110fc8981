//! Modularity matrices for weighted, possibly signed, undirected networks —
//! the forms of the Brain Connectivity Toolbox's `community_louvain`.
//!
//! Split W = W⁺ − W⁻ (W⁺ = max(W, 0), W⁻ = max(−W, 0)), strengths
//! k±_i = Σ_j W±_ij, totals s± = Σ_ij W±_ij (= 2m±). With
//! B± = W± − γ k± k±ᵀ / s±:
//! - unsigned (`None`): B = B⁺ / s⁺ (Newman 2006; requires W ≥ 0);
//! - `Sym`  (BCT `negative_sym`):  B = (B⁺ − B⁻)/(s⁺ + s⁻) (Gómez, Jensen &
//!   Arenas 2009: Q = (2m⁺Q⁺ − 2m⁻Q⁻)/(2m⁺ + 2m⁻));
//! - `Asym` (BCT `negative_asym`): B = B⁺/s⁺ − B⁻/(s⁺ + s⁻) (Rubinov & Sporns 2011).
//!
//! and Q = Σ_ij B_ij δ(g_i, g_j). A part with s = 0 contributes nothing.

use crate::error::{Error, Result};
use ndarray::Array2;

/// How negative weights are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Signed {
    /// Classic modularity; negative weights are an error.
    None,
    /// BCT `negative_sym`.
    Sym,
    /// BCT `negative_asym`.
    Asym,
}

impl std::str::FromStr for Signed {
    type Err = Error;
    fn from_str(s: &str) -> Result<Signed> {
        match s {
            "none" => Ok(Signed::None),
            "sym" => Ok(Signed::Sym),
            "asym" => Ok(Signed::Asym),
            _ => Err(Error::param(
                "signed",
                format!("must be none, sym or asym, got {s:?}"),
            )),
        }
    }
}

/// Check that `w` is square, finite and symmetric.
pub fn check_symmetric(w: &Array2<f64>) -> Result<()> {
    check_scan(w).map(|_| ())
}

/// The first problem of [`check_symmetric`] in row-major order, found by a
/// plain scan (also the error path of the fast checks).
fn check_naive(w: &Array2<f64>) -> Result<f64> {
    let n = w.nrows();
    if n == 0 || w.ncols() != n {
        return Err(Error::Shape(format!(
            "the weight matrix must be square and non-empty, got {} × {}",
            w.nrows(),
            w.ncols()
        )));
    }
    let mut amax = 0f64;
    for (idx, v) in w.indexed_iter() {
        if !v.is_finite() {
            return Err(Error::Shape(format!(
                "weight ({}, {}) is {v}; NaN and Inf are not allowed",
                idx.0 + 1,
                idx.1 + 1
            )));
        }
        amax = amax.max(v.abs());
    }
    for i in 0..n {
        for j in 0..i {
            if (w[[i, j]] - w[[j, i]]).abs() > 1e-9 * amax.max(1.0) {
                return Err(Error::Shape(format!(
                    "the weight matrix must be symmetric (undirected): entry ({}, {}) = {} but ({}, {}) = {}",
                    i + 1, j + 1, w[[i, j]], j + 1, i + 1, w[[j, i]]
                )));
            }
        }
    }
    Ok(amax)
}

/// [`check_symmetric`] returning max |w_ij|, with the positive and negative
/// strengths of every row when `k` is given (`k[i] = (k⁺_i, k⁻_i)`).
/// Row-major input is checked by [`ScanSym`] (one tiled pass with AVX2, a
/// row pass plus a tiled symmetry pass elsewhere); errors (and other
/// layouts) go through [`check_naive`], so the message names the first bad
/// entry in row-major order.
fn check_scan_strengths(w: &Array2<f64>, mut k: Option<&mut Vec<(f64, f64)>>) -> Result<f64> {
    let n = w.nrows();
    let Some(a) = w.as_slice().filter(|_| n > 0 && w.ncols() == n) else {
        let amax = check_naive(w)?;
        if let Some(k) = k {
            k.clear();
            for r in w.rows() {
                let p: f64 = r.iter().map(|v| v.max(0.0)).sum();
                let m: f64 = r.iter().map(|v| (-v).max(0.0)).sum();
                k.push((p, m));
            }
        }
        return Ok(amax);
    };
    if let Some(k) = k.as_deref_mut() {
        k.clear();
    }
    let (mx, nan, dmax) = super::simd::avx2(ScanSym(a, n, k));
    // A non-zero lane: a NaN or ±Inf somewhere.
    if nan.iter().any(|z| *z != 0.0) {
        return check_naive(w);
    }
    let amax = mx[0].max(mx[1]).max(mx[2].max(mx[3]));
    // dmax ≤ tol exactly when no pair is farther apart than tol.
    if dmax > 1e-9 * amax.max(1.0) || dmax.is_nan() {
        return check_naive(w);
    }
    Ok(amax)
}

/// The check and strengths of [`check_scan_strengths`] in one kernel:
/// (max lanes, NaN lanes, max |a_ij − a_ji|), the last one exact only when
/// no NaN lane is set. Portably two passes (rows, then the symmetry tiles
/// with a tolerance of their own); with AVX2 one tiled pass.
struct ScanSym<'a>(&'a [f64], usize, Option<&'a mut Vec<(f64, f64)>>);

impl super::simd::Kernel for ScanSym<'_> {
    type Output = ([f64; 4], [f64; 4], f64);
    #[inline(always)]
    fn run(self) -> Self::Output {
        let ScanSym(a, n, k) = self;
        let (mx, nan) = scan_rows(a, n, k);
        let amax = mx[0].max(mx[1]).max(mx[2].max(mx[3]));
        let tol = 1e-9 * amax.max(1.0);
        let ok = nan.iter().all(|z| *z == 0.0) && symmetric_tiles(a, n, tol);
        (mx, nan, if ok { 0.0 } else { f64::INFINITY })
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn run_v3(self, v3: pulp::x86::V3) -> Self::Output {
        let ScanSym(a, n, k) = self;
        super::simd::scan_sym_v3(v3, a, n, k)
    }
}

/// The row scan of [`check_scan_strengths`]: four-lane running max |v| and
/// Σ v·0 (as [`max_abs_nan`]) and, into `k`, each row's (k⁺, k⁻) summed in
/// four lanes, (l0 + l1) + (l2 + l3), then the remainder one by one.
struct Symmetric<'a>(&'a [f64], usize, f64);

impl super::simd::Kernel for Symmetric<'_> {
    type Output = bool;
    #[inline(always)]
    fn run(self) -> bool {
        symmetric_tiles(self.0, self.1, self.2)
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn run_v3(self, v3: pulp::x86::V3) -> bool {
        super::simd::symmetric_v3(v3, self.0, self.1, self.2)
    }
}

#[inline(always)]
fn scan_rows(a: &[f64], n: usize, mut k: Option<&mut Vec<(f64, f64)>>) -> ([f64; 4], [f64; 4]) {
    let mut mx = [0f64; 4];
    let mut nan = [0f64; 4];
    for row in a.chunks_exact(n) {
        let mut p = [0f64; 4];
        let mut m = [0f64; 4];
        let chunks = row.chunks_exact(4);
        let rest = chunks.remainder();
        for c in chunks {
            for l in 0..4 {
                let v = c[l];
                mx[l] = mx[l].max(v.abs());
                nan[l] += v * 0.0;
                p[l] += v.max(0.0);
                m[l] += (-v).max(0.0);
            }
        }
        let (mut ps, mut ms) = ((p[0] + p[1]) + (p[2] + p[3]), (m[0] + m[1]) + (m[2] + m[3]));
        for &v in rest {
            mx[0] = mx[0].max(v.abs());
            nan[0] += v * 0.0;
            ps += v.max(0.0);
            ms += (-v).max(0.0);
        }
        if let Some(k) = k.as_deref_mut() {
            k.push((ps, ms));
        }
    }
    (mx, nan)
}

/// Whether |a_ij − a_ji| ≤ `tol` for every pair of the row-major n × n `a`,
/// checked in 32 × 32 tiles (both sides of a tile stay in cache).
fn symmetric_tiles(a: &[f64], n: usize, tol: f64) -> bool {
    const T: usize = 32;
    for bi in (0..n).step_by(T) {
        for bj in (0..=bi).step_by(T) {
            for i in bi..(bi + T).min(n) {
                let hi = (bj + T).min(i);
                if hi <= bj {
                    continue;
                }
                // a[i][bj..hi] against a[bj..hi][i] (a strided column).
                let row = &a[i * n + bj..i * n + hi];
                let col = a[bj * n + i..].iter().step_by(n);
                if row.iter().zip(col).any(|(&x, &y)| (x - y).abs() > tol) {
                    return false;
                }
            }
        }
    }
    true
}

/// Σ f(x) over `xs` in exactly the order of ndarray's `sum` of a contiguous
/// array (`numeric_util::unrolled_fold`: eight partial sums p0…p7, then
/// ((((0 + (p0 + p4)) + (p1 + p5)) + (p2 + p6)) + (p3 + p7)), then the
/// remainder one by one), so the result is the same to the bit.
#[inline(always)]
fn ndarray_sum(xs: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut p = [0.0f64; 8];
    let chunks = xs.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..8 {
            p[l] += f(c[l]);
        }
    }
    let mut acc = 0.0;
    for l in 0..4 {
        acc += p[l] + p[l + 4];
    }
    for &x in rest {
        acc += f(x);
    }
    acc
}

/// Four-lane running max |v| and Σ v·0 over `xs` (vectorises): afterwards
/// max(mx) is max |v| and any non-zero `nan` lane means a NaN or ±Inf (NaN
/// is caught there, so a plain comparison serves for the max).
pub(crate) fn max_abs_nan(xs: &[f64], mx: &mut [f64; 4], nan: &mut [f64; 4]) {
    let chunks = xs.chunks_exact(4);
    for &v in chunks.remainder() {
        mx[0] = if v.abs() > mx[0] { v.abs() } else { mx[0] };
        nan[0] += v * 0.0;
    }
    for c in chunks {
        for l in 0..4 {
            mx[l] = if c[l].abs() > mx[l] {
                c[l].abs()
            } else {
                mx[l]
            };
            nan[l] += c[l] * 0.0;
        }
    }
}

/// [`check_symmetric`] and [`split`] in one pass over the rows (plus the
/// tiled symmetry pass): the same errors, and strengths equal to [`split`]'s
/// to the bit (summed in ndarray's order, see `ndarray_sum`).
///
/// Complexity: O(N²) time, O(N) memory.
pub(crate) fn checked_split(w: &Array2<f64>) -> Result<SignedParts> {
    let n = w.nrows();
    let Some(a) = w.as_slice().filter(|_| n > 0 && w.ncols() == n) else {
        check_naive(w)?;
        return Ok(split(w));
    };
    let mut k_pos = Vec::with_capacity(n);
    let mut k_neg = Vec::with_capacity(n);
    let mut mx = [0f64; 4];
    let mut nan = [0f64; 4];
    for row in a.chunks_exact(n) {
        max_abs_nan(row, &mut mx, &mut nan);
        // v.max(0) and (−v).max(0) but for the sign of a zero, which no sum
        // of them can show (the partial sums start at +0), and NaN (an error).
        k_pos.push(ndarray_sum(row, |v| if v > 0.0 { v } else { 0.0 }));
        k_neg.push(ndarray_sum(row, |v| if v < 0.0 { -v } else { 0.0 }));
    }
    // v·0 is NaN for NaN and ±Inf, 0 otherwise.
    if nan.iter().any(|z| *z != 0.0) {
        check_naive(w)?;
    }
    let amax = mx[0].max(mx[1]).max(mx[2].max(mx[3]));
    if !super::simd::avx2(Symmetric(a, n, 1e-9 * amax.max(1.0))) {
        check_naive(w)?;
    }
    let s_pos = k_pos.iter().sum();
    let s_neg = k_neg.iter().sum();
    Ok(SignedParts {
        k_pos,
        k_neg,
        s_pos,
        s_neg,
    })
}

/// [`check_symmetric`] returning max |w_ij|.
pub(crate) fn check_scan(w: &Array2<f64>) -> Result<f64> {
    check_scan_strengths(w, None)
}

/// Positive and negative strengths of W and their totals.
pub struct SignedParts {
    /// Positive strengths k⁺_i = Σ_j W⁺_ij, W⁺ = max(W, 0).
    pub k_pos: Vec<f64>,
    /// Negative strengths k⁻_i = Σ_j W⁻_ij, W⁻ = max(−W, 0) (magnitudes).
    pub k_neg: Vec<f64>,
    /// Positive total s⁺ = Σ_ij W⁺_ij (= 2m⁺).
    pub s_pos: f64,
    /// Negative total s⁻ = Σ_ij W⁻_ij (= 2m⁻).
    pub s_neg: f64,
}

/// The strengths of W⁺ and W⁻ and their totals. Each row of W⁺ (W⁻) is
/// summed by ndarray's `sum` from one reused row buffer: the same sums, to
/// the bit, as summing the rows of the full W⁺ (W⁻), without building them.
///
/// Complexity: O(N²) time, O(N) memory.
pub fn split(w: &Array2<f64>) -> SignedParts {
    let mut row = vec![0.0; w.ncols()];
    let mut strength = |r: ndarray::ArrayView1<f64>, f: fn(f64) -> f64| {
        for (x, &v) in row.iter_mut().zip(r) {
            *x = f(v);
        }
        ndarray::ArrayView1::from(&row[..]).sum()
    };
    let mut k_pos = Vec::with_capacity(w.nrows());
    let mut k_neg = Vec::with_capacity(w.nrows());
    for r in w.rows() {
        k_pos.push(strength(r, |v| v.max(0.0)));
        k_neg.push(strength(r, |v| (-v).max(0.0)));
    }
    let s_pos = k_pos.iter().sum();
    let s_neg = k_neg.iter().sum();
    SignedParts {
        k_pos,
        k_neg,
        s_pos,
        s_neg,
    }
}

/// The scaled modularity matrix B of the module docs.
///
/// # Errors
/// See [`check_symmetric`]; negative weights with [`Signed::None`]; no
/// positive weight at all; γ not finite and > 0.
///
/// # Complexity
/// O(N²) time and memory.
pub fn modularity_matrix(w: &Array2<f64>, gamma: f64, signed: Signed) -> Result<Array2<f64>> {
    let n = w.nrows();
    let data = modularity_data(w, gamma, signed)?;
    Array2::from_shape_vec((n, n), data).map_err(|e| Error::Numeric(e.to_string()))
}

/// [`modularity_matrix`] as a row-major vector: B_ij = c⁺ W⁺_ij − c⁻ W⁻_ij
/// − (a⁺_i k⁺_j − a⁻_i k⁻_j), with c⁺, c⁻ the scales of the module docs and
/// a±_i = γ k±_i c± / s± (one pass over W for the strengths, one to write B).
pub(crate) fn modularity_data(w: &Array2<f64>, gamma: f64, signed: Signed) -> Result<Vec<f64>> {
    let mut k = Vec::with_capacity(w.nrows());
    check_scan_strengths(w, Some(&mut k))?;
    modularity_from_strengths(w, &k, gamma, signed)
}

/// [`check_symmetric`] returning max |w_ij| and the strengths (k⁺_i, k⁻_i)
/// of every row, for [`modularity_from_strengths`].
pub(crate) fn checked_strengths(w: &Array2<f64>) -> Result<(f64, Vec<(f64, f64)>)> {
    let mut k = Vec::with_capacity(w.nrows());
    let amax = check_scan_strengths(w, Some(&mut k))?;
    Ok((amax, k))
}

/// [`modularity_data`] of a checked `w` with its strengths `k`.
pub(crate) fn modularity_from_strengths(
    w: &Array2<f64>,
    k: &[(f64, f64)],
    gamma: f64,
    signed: Signed,
) -> Result<Vec<f64>> {
    Ok(modularity_scaled(w, k, gamma, signed)?.0)
}

/// [`modularity_from_strengths`], also returning `DenseB::scale` of the
/// result to the bit when the build could sum it on the way (N a multiple
/// of 4 and `w` in standard layout).
pub(crate) fn modularity_scaled(
    w: &Array2<f64>,
    k: &[(f64, f64)],
    gamma: f64,
    signed: Signed,
) -> Result<(Vec<f64>, Option<f64>)> {
    if !(gamma.is_finite() && gamma > 0.0) {
        return Err(Error::param("gamma", format!("must be > 0, got {gamma}")));
    }
    let s_pos: f64 = k.iter().map(|x| x.0).sum();
    let s_neg: f64 = k.iter().map(|x| x.1).sum();
    if signed == Signed::None && s_neg > 0.0 {
        return Err(Error::param(
            "signed",
            "the matrix has negative weights: choose --signed sym or asym",
        ));
    }
    if s_pos <= 0.0 {
        return Err(Error::Shape(
            "the network has no positive weight, so modularity is undefined".into(),
        ));
    }
    let n = w.nrows();
    let (pos_scale, mut neg_scale) = match signed {
        Signed::None => (1.0 / s_pos, 0.0),
        Signed::Sym => (1.0 / (s_pos + s_neg), 1.0 / (s_pos + s_neg)),
        Signed::Asym => (1.0 / s_pos, 1.0 / (s_pos + s_neg)),
    };
    if s_neg <= 0.0 {
        neg_scale = 0.0;
    }
    let kp: Vec<f64> = k.iter().map(|x| x.0).collect();
    let kn: Vec<f64> = k.iter().map(|x| x.1).collect();
    let np = gamma * pos_scale / s_pos;
    let nn = if neg_scale > 0.0 {
        gamma * neg_scale / s_neg
    } else {
        0.0
    };
    let mut b = Vec::with_capacity(n * n);
    let abs = super::simd::avx2(BuildB {
        w,
        kp: &kp,
        kn: &kn,
        c: [pos_scale, neg_scale, np, nn],
        b: &mut b,
    });
    // As `DenseB::scale`: ((l0 + l1) + (l2 + l3) + rest) / N² (the rest,
    // past the last multiple of 4, is empty here but summed the same way).
    let scale = abs.map(|a| {
        let rest: f64 = b[b.len() / 4 * 4..].iter().map(|v| v.abs()).sum();
        ((a[0] + a[1]) + (a[2] + a[3]) + rest) / (b.len().max(1) as f64)
    });
    Ok((b, scale))
}

/// Rows of B for [`modularity_from_strengths`]: `c` = (c⁺, c⁻, γc⁺/s⁺, γc⁻/s⁻).
struct BuildB<'a> {
    w: &'a Array2<f64>,
    kp: &'a [f64],
    kn: &'a [f64],
    c: [f64; 4],
    b: &'a mut Vec<f64>,
}

impl super::simd::Kernel for BuildB<'_> {
    /// Σ|B_ij| as `DenseB::scale` sums it (four lanes by flat index), when
    /// N is a multiple of 4 (rows then start on lane 0 and no remainder is
    /// left); else `None`.
    type Output = Option<[f64; 4]>;
    #[inline(always)]
    fn run(self) -> Option<[f64; 4]> {
        let BuildB { w, kp, kn, c, b } = self;
        let [pos_scale, neg_scale, np, nn] = c;
        let n = w.ncols();
        let mut abs = (n % 4 == 0).then_some([0.0f64; 4]);
        for (i, wrow) in w.rows().into_iter().enumerate() {
            let (ap, an) = (np * kp[i], nn * kn[i]);
            let f = move |v: f64, p: f64, m: f64| {
                pos_scale * v.max(0.0) - neg_scale * (-v).max(0.0) - (ap * p - an * m)
            };
            match (wrow.as_slice(), &mut abs) {
                (Some(wrow), Some(acc)) => {
                    let chunks = wrow.chunks_exact(4).zip(kp.chunks_exact(4));
                    for ((x, p), m) in chunks.zip(kn.chunks_exact(4)) {
                        let mut v = [0.0f64; 4];
                        for l in 0..4 {
                            v[l] = f(x[l], p[l], m[l]);
                            acc[l] += v[l].abs();
                        }
                        b.extend_from_slice(&v);
                    }
                }
                (Some(wrow), None) => {
                    b.extend(wrow.iter().zip(kp).zip(kn).map(|((&v, &p), &m)| f(v, p, m)));
                }
                (None, _) => {
                    abs = None;
                    b.extend(wrow.iter().zip(kp).zip(kn).map(|((&v, &p), &m)| f(v, p, m)));
                }
            }
        }
        abs
    }
}

/// Q of a given partition (labels per node) under the BCT form.
///
/// # Errors
/// As [`modularity_matrix`]; `labels.len() != N`.
pub fn modularity(w: &Array2<f64>, labels: &[usize], gamma: f64, signed: Signed) -> Result<f64> {
    if labels.len() != w.nrows() {
        return Err(Error::Shape(format!(
            "{} labels for {} nodes",
            labels.len(),
            w.nrows()
        )));
    }
    let b = modularity_matrix(w, gamma, signed)?;
    let mut q = 0.0;
    for ((i, j), v) in b.indexed_iter() {
        if labels[i] == labels[j] {
            q += v;
        }
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_split_is_split_to_the_bit_with_the_same_errors() {
        let mut r = crate::rng::seeded(3);
        use rand::Rng as _;
        for n in [1, 7, 8, 9, 33, 70] {
            let mut w = Array2::zeros((n, n));
            for i in 0..n {
                for j in 0..=i {
                    let v: f64 = (r.random::<f64>() - 0.4) * 1e3;
                    w[[i, j]] = v;
                    w[[j, i]] = v;
                }
            }
            let (a, b) = (checked_split(&w).unwrap(), split(&w));
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a.k_pos), bits(&b.k_pos));
            assert_eq!(bits(&a.k_neg), bits(&b.k_neg));
            assert_eq!(a.s_pos.to_bits(), b.s_pos.to_bits());
            assert_eq!(a.s_neg.to_bits(), b.s_neg.to_bits());
            // Column-major input takes the plain path, with the same result.
            let f = w.t().as_standard_layout().t().to_owned();
            assert_eq!(bits(&checked_split(&f).unwrap().k_pos), bits(&b.k_pos));
        }
        let mut w = Array2::from_elem((5, 5), 1.0);
        w[[3, 1]] = 2.0;
        let msg = |r: Result<SignedParts>| r.err().map(|e| e.to_string());
        assert_eq!(
            msg(checked_split(&w)),
            check_symmetric(&w).err().map(|e| e.to_string())
        );
        w[[3, 1]] = f64::NAN;
        assert!(msg(checked_split(&w)).unwrap().contains("(4, 2) is NaN"));
    }

    /// The AVX2 check-and-strengths pass gives the portable pass's strengths
    /// and max |w| to the bit, and the same verdict, over sizes with row
    /// remainders and several tiles, with ±0 and near-symmetric entries.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_scan_matches_the_portable_scan() {
        use super::super::simd::Kernel as _;
        use rand::Rng as _;
        let Some(v3) = pulp::x86::V3::try_new() else {
            return; // no AVX2: only the portable pass runs here
        };
        let mut r = crate::rng::seeded(11);
        for n in [1, 3, 4, 5, 8, 37, 64, 70, 257, 300] {
            let mut a = vec![0.0f64; n * n];
            for i in 0..n {
                for j in 0..=i {
                    let v: f64 = match r.random_range(0..10) {
                        0 => 0.0,
                        1 => -0.0,
                        _ => (r.random::<f64>() - 0.4) * 1e3,
                    };
                    a[i * n + j] = v;
                    // Within the tolerance (1e-9 max|w|), not bit-equal.
                    a[j * n + i] = if r.random_range(0..4) == 0 {
                        v + 1e-10
                    } else {
                        v
                    };
                }
            }
            let (mut k1, mut k2) = (Vec::new(), Vec::new());
            let p = ScanSym(&a, n, Some(&mut k1)).run();
            let q = ScanSym(&a, n, Some(&mut k2)).run_v3(v3);
            let bits = |k: &[(f64, f64)]| {
                k.iter()
                    .map(|x| (x.0.to_bits(), x.1.to_bits()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(&k1), bits(&k2), "n {n}");
            let amax = |m: [f64; 4]| m[0].max(m[1]).max(m[2].max(m[3]));
            assert_eq!(amax(p.0).to_bits(), amax(q.0).to_bits());
            assert!(p.1.iter().chain(&q.1).all(|z| *z == 0.0));
            assert_eq!(p.2, 0.0);
            assert!(q.2 <= 1e-9 * amax(q.0).max(1.0), "n {n}: {}", q.2);
            let w = Array2::from_shape_vec((n, n), a.clone()).unwrap();
            assert!(check_symmetric(&w).is_ok());
        }
    }

    /// Every bad entry is found wherever it sits (inside a tile, in the
    /// transposed tile, in the rows and columns past the last multiple of
    /// 4), and named as the plain scan names it.
    #[test]
    fn bad_entries_are_found_anywhere() {
        for n in [6, 37, 300] {
            let base = Array2::from_shape_fn((n, n), |(i, j)| ((i + j) % 7) as f64 - 2.5);
            for (i, j) in [
                (1, 0),
                (n - 1, 2),
                (2, n - 1),
                (n - 1, n - 2),
                (n / 2, n / 3),
            ] {
                for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e3] {
                    let mut w = base.clone();
                    w[[i, j]] = bad;
                    let got = check_symmetric(&w).err().map(|e| e.to_string());
                    let want = check_naive(&w).err().map(|e| e.to_string());
                    assert!(got.is_some(), "n {n} ({i}, {j}) = {bad} passed");
                    assert_eq!(got, want);
                }
            }
        }
    }
}
