//! Dense linear algebra on top of nalgebra: eigenvalues of general real
//! matrices (real Schur form), spectral radius; and a matrix product with the
//! same bits on every target ([`matmul`]).

use crate::error::{Error, Result};
use ndarray::{Array2, ArrayView2};

/// C = A·B with a fixed order of operations: c_ij = (…((0 + a_i0 b_0j) +
/// a_i1 b_1j) + …) + a_i,k−1 b_k−1,j, separate multiply and add (no FMA).
///
/// ndarray's `dot` hands f64 products to matrixmultiply, which picks its
/// kernel at run time (AVX-512/FMA natively, a portable one in WebAssembly):
/// the products differ in the last bits, and in a training run those
/// differences grow until the CLI and the page disagree. The training code
/// (forward pass, BPTT, motif penalty) uses this product instead, so the same
/// seed gives bit-identical networks natively and in the browser (issue 17).
/// Register blocks of 4 × 8 entries of C, one accumulator per entry, so the
/// compiler vectorises across entries without reordering any sum.
///
/// Arguments: `a` (m × k) and `b` (k × n), any memory layout (views that are
/// not row-major, e.g. transposes, are copied to row-major first).
/// Returns: the m × n product.
/// Errors: none; panics if the inner dimensions differ (a caller bug, as
/// ndarray's `dot`).
/// Complexity: O(m·k·n) time; O(m·k + k·n) extra memory for non-row-major views.
pub fn matmul(a: &ArrayView2<f64>, b: &ArrayView2<f64>) -> Array2<f64> {
    let ((m, k), (k2, n)) = (a.dim(), b.dim());
    assert_eq!(k, k2, "matmul: {m}×{k} times {k2}×{n}");
    let (a, b) = (a.as_standard_layout(), b.as_standard_layout());
    let (az, bz) = (
        a.as_slice().expect("standard layout"),
        b.as_slice().expect("standard layout"),
    );
    let mut c = Array2::<f64>::zeros((m, n));
    let cz = c.as_slice_mut().expect("fresh array");
    // Blocks of MR rows × NR columns of C held in registers over the whole
    // sum; every entry is still summed in the order p = 0, 1, …, k−1, so the
    // blocking changes the speed, never the bits (the edges take the plain loop).
    const MR: usize = 4;
    const NR: usize = 8;
    let (mb, nb) = (m - m % MR, n - n % NR);
    for i0 in (0..mb).step_by(MR) {
        for j0 in (0..nb).step_by(NR) {
            let mut acc = [[0.0f64; NR]; MR];
            for p in 0..k {
                let bp: &[f64; NR] = bz[p * n + j0..p * n + j0 + NR]
                    .try_into()
                    .expect("NR entries");
                for (r, row) in acc.iter_mut().enumerate() {
                    let aip = az[(i0 + r) * k + p];
                    for c in 0..NR {
                        row[c] += aip * bp[c];
                    }
                }
            }
            for (r, row) in acc.iter().enumerate() {
                cz[(i0 + r) * n + j0..(i0 + r) * n + j0 + NR].copy_from_slice(row);
            }
        }
    }
    for i in 0..m {
        let j_from = if i < mb { nb } else { 0 };
        for j in j_from..n {
            let mut s = 0.0;
            for p in 0..k {
                s += az[i * k + p] * bz[p * n + j];
            }
            cz[i * n + j] = s;
        }
    }
    c
}

/// Convert an ndarray matrix to nalgebra (column-major copy).
pub fn to_nalgebra(m: &Array2<f64>) -> nalgebra::DMatrix<f64> {
    let (r, c) = m.dim();
    nalgebra::DMatrix::from_fn(r, c, |i, j| m[[i, j]])
}

/// Eigenvalues of a square real matrix as `(re, im)` pairs, sorted by real part
/// then imaginary part.
///
/// The matrix is first scaled by a power of two (exact) so that its largest
/// entry lies in [0.5, 1); the eigenvalues are scaled back. The all-zero
/// matrix has all eigenvalues 0 (no iteration). If nalgebra's Schur iteration
/// does not converge at machine precision (it can stall on exactly
/// degenerate matrices such as rank-one blocks), it is retried with a
/// tolerance of 1e-12, then 1e-9, relative to the scaled entries.
///
/// # Errors
/// Non-square or empty input; non-finite entries; eigenvalues beyond the f64
/// range (entries near 1e308); the Schur iteration not converging at any tolerance.
///
/// # Complexity
/// O(n³) (Hessenberg reduction + QR iteration, nalgebra's `Schur`).
pub fn eigenvalues(m: &Array2<f64>) -> Result<Vec<(f64, f64)>> {
    crate::io::check_square(m)?;
    if m.iter().any(|v| !v.is_finite()) {
        return Err(Error::Numeric("matrix has NaN or Inf entries".into()));
    }
    let big = max_abs(m);
    if big == 0.0 {
        return Ok(vec![(0.0, 0.0); m.nrows()]);
    }
    let s = pow2_scale(big);
    let scaled = to_nalgebra(m) * s;
    // nalgebra's Francis double-shift QR has no exceptional shifts, so it can
    // cycle on some well-conditioned matrices (e.g. [[1,−1,0],[1,1,−1],[0,1,1]],
    // eigenvalues 1 and 1 ± i√2). Shifting by cI does not help (the iteration
    // is shift-invariant); a similarity transform does. Tried in order: A
    // itself; the index-reversed P·A·Pᵀ (exact); H·A·H with the Householder
    // reflector H = I − 2vvᵀ/‖v‖², v = (1, …, 1) + e₁ (orthogonal: eigenvalues
    // kept to the Schur form's own backward error, ~ε·‖A‖).
    let n = m.nrows();
    let schur_of = |a: &nalgebra::DMatrix<f64>| {
        [f64::EPSILON, 1e-12, 1e-9]
            .iter()
            .find_map(|&eps| nalgebra::linalg::Schur::try_new(a.clone(), eps, 10_000))
    };
    // The fallbacks are built only when needed (H·A·H costs two n³ products).
    let schur = schur_of(&scaled)
        .or_else(|| {
            schur_of(&nalgebra::DMatrix::from_fn(n, n, |i, j| {
                scaled[(n - 1 - i, n - 1 - j)]
            }))
        })
        .or_else(|| {
            let mut v = nalgebra::DVector::from_element(n, 1.0);
            v[0] += 1.0;
            let h =
                nalgebra::DMatrix::identity(n, n) - (&v * v.transpose()) * (2.0 / v.norm_squared());
            schur_of(&(&h * &scaled * &h))
        })
        .ok_or_else(|| Error::Numeric("eigenvalue iteration did not converge".into()))?;
    let ev: Vec<(f64, f64)> = schur
        .complex_eigenvalues()
        .iter()
        .map(|z| (z.re / s, z.im / s))
        .collect();
    if ev.iter().any(|(re, im)| !re.is_finite() || !im.is_finite()) {
        return Err(Error::Numeric(format!(
            "eigenvalues exceed the f64 range (largest entry {big:e}); rescale the matrix"
        )));
    }
    // Equal pairs are bitwise equal: any order of them is the stable one.
    Ok(sorted_by(ev, |a, b| {
        a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1))
    }))
}

/// The power of two 2^−e that brings `max_abs` into [0.5, 1) (1 for 0 or
/// non-finite input; at most 2^1000, so subnormals land near 2^-30).
/// Multiplying by a power of two is exact in floating point (away from the
/// subnormal range), so scale-invariant quantities
/// (eigenvalue ratios, modularity Q, participation ratio) computed on the
/// scaled data are the unscaled ones, without overflow (entries near 1e308,
/// squares of 1e160) or underflow (1e-200, subnormals).
pub fn pow2_scale(max_abs: f64) -> f64 {
    if max_abs == 0.0 || !max_abs.is_finite() {
        return 1.0;
    }
    // Capped at 2^1000 (f64 ends at 2^1024): subnormal input then lands near
    // 2^-30 rather than 0.5, still far from under- and overflow.
    let e = (max_abs.log2().floor() as i32 + 1).max(-1000);
    // 2^-e in two steps: 2^±1074 does not fit one f64 power.
    let half = e / 2;
    2f64.powi(-half) * 2f64.powi(-(e - half))
}

/// Largest |entry| of a matrix (0 for an empty one).
pub fn max_abs(m: &Array2<f64>) -> f64 {
    m.iter().fold(0.0f64, |a, v| a.max(v.abs()))
}

/// Rows centred and added per block by [`CentredGram`]: matrixmultiply's
/// depth block for f64 (its `KC`), so every entry is summed in the same
/// groups as one product over all rows.
pub const GRAM_ROWS: usize = 256;

/// G = (X − 1 μᵀ)ᵀ (X − 1 μᵀ), the N × N scatter matrix of the rows of `x`
/// (T × N) about `mean` (length N); the covariance is G / (T − 1). The rows
/// go through [`CentredGram`] 256 at a time (no T × N copy).
///
/// Arguments: `x` T × N (any layout), `mean` its N column means (or any
/// centre). Returns: G, N × N. Errors: none; panics if `mean.len() != N`
/// (a caller bug).
/// Complexity: O(T·N²) time (about (p+1)/(2p)·T·N² multiply-adds), O(256·N + N²) memory.
pub fn centred_gram(x: &ArrayView2<f64>, mean: &[f64]) -> Array2<f64> {
    let mut acc = CentredGram::new(mean.to_vec());
    for rows in x.axis_chunks_iter(ndarray::Axis(0), GRAM_ROWS) {
        acc.add(&rows);
    }
    acc.finish()
}

/// The scatter matrix of [`centred_gram`], built from rows given block by
/// block (e.g. read back from a file).
///
/// Each block is centred into a small buffer and added by one matrixmultiply
/// product (ndarray `general_mat_mul`, SIMD kernels picked at run time; the
/// BLAS `dsyrk` operation, Golub & Van Loan, *Matrix Computations*, 4th ed.,
/// §1.5). With blocks of [`GRAM_ROWS`] rows (only the last shorter) every
/// entry is summed as in one product of the whole centred matrix (nalgebra's
/// `Xcᵀ·Xc`, which calls the same kernel). Only the blocks on and above the
/// diagonal of a split of G into p × p blocks are computed (p = 4 at N = 200:
/// 5/8 of the work); the lower part is mirrored, so G is exactly symmetric.
pub struct CentredGram {
    g: Array2<f64>,
    buf: Array2<f64>,
    mean: Vec<f64>,
    cuts: Vec<usize>,
    blocks: usize,
}

impl CentredGram {
    /// An empty sum about `mean` (length N).
    pub fn new(mean: Vec<f64>) -> Self {
        let n = mean.len();
        // Column blocks [c_i, c_{i+1}) on multiples of 8 (the kernel's width),
        // about 50 columns each, at most 8 (N = 200: 4 blocks, 5/8 of the
        // full product's multiply-adds; more blocks measured no faster).
        let parts = (n / 48).clamp(1, 8);
        let mut cuts: Vec<usize> = (0..parts)
            .map(|i| (i * n / parts).next_multiple_of(8).min(n))
            .collect();
        cuts.push(n);
        cuts.dedup();
        CentredGram {
            g: Array2::zeros((n, n)),
            buf: Array2::zeros((GRAM_ROWS, n)),
            mean,
            cuts,
            blocks: 0,
        }
    }

    /// Add up to [`GRAM_ROWS`] rows (N columns each).
    ///
    /// Panics on a block of the wrong shape (a caller bug).
    /// Complexity: O(rows · N²).
    pub fn add(&mut self, rows: &ArrayView2<f64>) {
        use ndarray::{linalg::general_mat_mul, Axis, Slice};
        let n = self.mean.len();
        assert!(
            rows.ncols() == n && rows.nrows() <= GRAM_ROWS,
            "CentredGram::add: {:?}",
            rows.dim()
        );
        if rows.nrows() == 0 {
            return;
        }
        let mut blk = self
            .buf
            .slice_axis_mut(Axis(0), Slice::from(..rows.nrows()));
        // Row slices when both are contiguous, so the loop vectorises
        // (ndarray's row iterators kept it scalar: 1.8 ms of the CLI's 60).
        match (blk.as_slice_mut(), rows.as_slice()) {
            (Some(dst), Some(src)) => {
                for (dst, src) in dst.chunks_exact_mut(n).zip(src.chunks_exact(n)) {
                    for ((d, v), m) in dst.iter_mut().zip(src).zip(&self.mean) {
                        *d = v - m;
                    }
                }
            }
            _ => {
                for (mut dst, src) in blk.rows_mut().into_iter().zip(rows.rows()) {
                    for ((d, v), m) in dst.iter_mut().zip(src).zip(&self.mean) {
                        *d = v - m;
                    }
                }
            }
        }
        let beta = if self.blocks == 0 { 0.0 } else { 1.0 };
        for w in self.cuts.windows(2) {
            let (c0, c1) = (w[0], w[1]);
            let left = blk.slice_axis(Axis(1), Slice::from(c0..c1));
            let right = blk.slice_axis(Axis(1), Slice::from(c0..));
            let mut out = block(&mut self.g, c0..c1, c0..n);
            general_mat_mul(1.0, &left.t(), &right, beta, &mut out);
        }
        self.blocks += 1;
    }

    /// G, with the lower triangle mirrored from the upper.
    pub fn finish(mut self) -> Array2<f64> {
        let n = self.mean.len();
        for i in 1..n {
            for j in 0..i {
                self.g[[i, j]] = self.g[[j, i]];
            }
        }
        self.g
    }
}

/// Column sums (each column summed top to bottom) and largest |entry| of
/// rows given one by one: the scan `pca` makes of its input, shared with
/// callers that see the rows block by block.
///
/// Per-column maxima, so the loop vectorises; a NaN makes its column's sum
/// NaN and an infinity its maximum infinite.
pub struct ColumnScan {
    /// Σ_t x_tj so far.
    pub sums: Vec<f64>,
    maxs: Vec<f64>,
}

impl ColumnScan {
    /// Nothing seen yet, `n` columns.
    pub fn new(n: usize) -> Self {
        ColumnScan {
            sums: vec![0.0; n],
            maxs: vec![0.0; n],
        }
    }

    /// Add one row (`n` values; extra values are ignored).
    pub fn add_row<'a>(&mut self, row: impl IntoIterator<Item = &'a f64>) {
        for ((m, a), &v) in self.sums.iter_mut().zip(self.maxs.iter_mut()).zip(row) {
            *m += v;
            *a = a.max(v.abs());
        }
    }

    /// Whether every sum and maximum is finite: then every value seen was
    /// (a NaN makes its column's sum NaN, an infinity its maximum; a `false`
    /// can also be a sum that overflowed, so look at the values to know).
    pub fn all_finite(&self) -> bool {
        let (mut s, mut m) = (0.0f64, 0.0f64);
        for (a, b) in self.sums.iter().zip(&self.maxs) {
            s += a * 0.0;
            m = m.max(*b);
        }
        s == 0.0 && m.is_finite()
    }

    /// Largest |entry| seen (0 for none; ∞ after an infinity).
    pub fn max_abs(&self) -> f64 {
        self.maxs.iter().fold(0.0f64, |a, &v| a.max(v))
    }
}

/// The block rows `r` × columns `c` of `m`, as a mutable view.
fn block(
    m: &mut Array2<f64>,
    r: std::ops::Range<usize>,
    c: std::ops::Range<usize>,
) -> ndarray::ArrayViewMut2<'_, f64> {
    use ndarray::{Axis, Slice};
    let mut v = m.view_mut();
    v.slice_axis_inplace(Axis(0), Slice::from(r));
    v.slice_axis_inplace(Axis(1), Slice::from(c));
    v
}

/// Sort ascending by [`f64::total_cmp`]. One shared (unstable) sort for the
/// whole crate keeps the WebAssembly module small; for plain f64 values it
/// gives what a stable sort gives, since equal values are bitwise equal.
///
/// Complexity: O(n log n).
pub fn sort_f64(v: &mut [f64]) {
    v.sort_unstable_by(f64::total_cmp);
}

/// Sort descending by [`f64::total_cmp`] (see [`sort_f64`]).
pub fn sort_f64_desc(v: &mut [f64]) {
    sort_f64(v);
    v.reverse();
}

/// Indices `0..keys.len()` ordered by `keys` ([`f64::total_cmp`], ascending
/// or descending), equal keys in index order: exactly what a stable sort of
/// `0..n` by key gives (through [`argsort_by`]).
///
/// Complexity: O(n log n).
pub fn argsort(keys: &[f64], descending: bool) -> Vec<usize> {
    argsort_by(keys.len(), &|a, b| {
        let o = keys[a].total_cmp(&keys[b]);
        if descending {
            o.reverse()
        } else {
            o
        }
    })
}

/// Indices `0..n` ordered by `cmp(a, b)`, ties in index order: exactly the
/// order a stable sort of `0..n` by `cmp` gives, for any `cmp` that is a
/// total preorder.
///
/// Every sort of the crate that is not on a hot path goes through this one
/// instantiation (the comparator is a `dyn` call), which keeps the page's
/// WebAssembly module small: each `sort_by` with its own closure type is
/// 5–20 KB of code there (docs/performance.md).
///
/// Arguments: `n` items, `cmp` comparing two item indices.
/// Returns: the permutation (position → item index).
/// Complexity: O(n log n) comparisons.
pub fn argsort_by(n: usize, cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
    idx
}

/// `v` sorted by `cmp`, stably (equal items keep their order): the result
/// of `v.sort_by(cmp)`, through the one shared [`argsort_by`] instantiation.
///
/// Complexity: O(n log n) comparisons plus one O(n) move of the items.
pub fn sorted_by<T>(v: Vec<T>, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    let idx = argsort_by(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.into_iter().map(Some).collect();
    idx.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Largest modulus among the eigenvalues.
pub fn spectral_radius(eigs: &[(f64, f64)]) -> f64 {
    eigs.iter()
        .map(|(re, im)| crate::fmath::hypot(*re, *im))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    #[test]
    fn centred_gram_equals_the_product_of_the_centred_copy() {
        use ndarray::Array2;
        // Three row blocks (the last partial); 1 and 4 column blocks, and a
        // width that is no multiple of 8. (nalgebra hands products to
        // matrixmultiply only when every dimension is over 5.)
        for (t, n) in [(700, 201), (700, 30), (9, 70)] {
            let x = Array2::from_shape_fn((t, n), |(i, j)| {
                ((i * n + j) as f64 * 0.731).sin() + 0.3 * (j as f64 * 0.1).cos()
            });
            let mean: Vec<f64> = (0..n).map(|j| x.column(j).sum() / t as f64).collect();
            let g = super::centred_gram(&x.view(), &mean);
            let xc = nalgebra::DMatrix::from_fn(t, n, |i, j| x[[i, j]] - mean[j]);
            let want = xc.transpose() * &xc;
            for i in 0..n {
                for j in 0..n {
                    // Bit for bit: the same kernel sums every entry in the
                    // same order; the lower part is the mirror image.
                    assert_eq!(g[[i, j]], want[(i, j)], "({i}, {j}) of {t} × {n}");
                    assert_eq!(g[[i, j]], g[[j, i]]);
                }
            }
        }
    }

    #[test]
    fn matmul_equals_the_left_to_right_sum() {
        use ndarray::Array2;
        let a = Array2::from_shape_fn((5, 7), |(i, j)| ((i * 7 + j) as f64 * 0.37).sin());
        let b = Array2::from_shape_fn((7, 4), |(i, j)| ((i * 4 + j) as f64 * 1.3).cos() / 3.0);
        let c = super::matmul(&a.view(), &b.view());
        for i in 0..5 {
            for j in 0..4 {
                let mut s = 0.0;
                for p in 0..7 {
                    s += a[[i, p]] * b[[p, j]];
                }
                assert_eq!(c[[i, j]], s);
            }
        }
        // Transposed operands give the transposed product, entry for entry.
        let ct = super::matmul(&b.t(), &a.t());
        assert_eq!(ct, c.t());
        // Integer-valued entries: exact, equal to ndarray's product.
        let x = Array2::from_shape_fn((9, 6), |(i, j)| (i as f64) - 2.0 * j as f64);
        let y = Array2::from_shape_fn((6, 3), |(i, j)| (i * j) as f64 - 1.0);
        assert_eq!(super::matmul(&x.view(), &y.view()), x.dot(&y));
        assert_eq!(
            super::matmul(&x.view(), &Array2::zeros((6, 0)).view()).dim(),
            (9, 0)
        );
    }

    use super::*;

    #[test]
    fn matrix_on_which_the_unshifted_schur_iteration_cycles() {
        // Eigenvalues 1 and 1 ± i√2 (A − I has characteristic polynomial −μ(μ² + 2)),
        // at every scale up to entries near f64::MAX.
        for a in [1.0, 0.5, 1e-300, 1e308] {
            let m = ndarray::array![[a, -a, 0.0], [a, a, -a], [0.0, a, a]];
            let ev = eigenvalues(&m).unwrap();
            let want = [(a, -a * 2f64.sqrt()), (a, 0.0), (a, a * 2f64.sqrt())];
            let mut got = ev.clone();
            got.sort_by(|x, y| x.1.total_cmp(&y.1));
            for (g, w) in got.iter().zip(want) {
                assert!(
                    (g.0 - w.0).abs() <= 1e-13 * a && (g.1 - w.1).abs() <= 1e-13 * a,
                    "{a}: {ev:?}"
                );
            }
        }
    }

    #[test]
    fn argsort_by_and_sorted_by_give_the_stable_order() {
        // Ties (equal first components) keep their input order, as sort_by does.
        let v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        let by_first = |a: &(i32, char), b: &(i32, char)| a.0.cmp(&b.0);
        let mut stable = v.clone();
        stable.sort_by(by_first);
        assert_eq!(
            sorted_by(v.clone(), by_first),
            vec![(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]
        );
        assert_eq!(sorted_by(v.clone(), by_first), stable);
        assert_eq!(
            argsort_by(5, &|a, b| v[b].0.cmp(&v[a].0)),
            vec![0, 2, 1, 4, 3]
        );
        assert_eq!(argsort(&[0.5, -1.0, 0.5, 2.0], true), vec![3, 0, 2, 1]);
        assert!(argsort_by(0, &|a, b| a.cmp(&b)).is_empty());
    }

    #[test]
    fn rotation_and_triangular() {
        // [[0,-1],[1,0]] has eigenvalues ±i.
        let ev = eigenvalues(&ndarray::array![[0.0, -1.0], [1.0, 0.0]]).unwrap();
        assert!((ev[0].1 + 1.0).abs() < 1e-12 && (ev[1].1 - 1.0).abs() < 1e-12);
        let ev = eigenvalues(&ndarray::array![[2.0, 5.0], [0.0, -3.0]]).unwrap();
        assert!((ev[0].0 + 3.0).abs() < 1e-12 && (ev[1].0 - 2.0).abs() < 1e-12);
        assert!((spectral_radius(&ev) - 3.0).abs() < 1e-12);
        assert!(eigenvalues(&Array2::zeros((2, 3))).is_err());
    }

    #[test]
    fn zero_identity_and_extreme_scales() {
        for n in [1, 3, 10, 50] {
            let ev = eigenvalues(&Array2::zeros((n, n))).unwrap();
            assert_eq!(ev, vec![(0.0, 0.0); n]);
            let ev = eigenvalues(&Array2::eye(n)).unwrap();
            assert!(ev.iter().all(|&(re, im)| re == 1.0 && im == 0.0), "{ev:?}");
        }
        // Rank one: all-ones has eigenvalues n (once) and 0.
        let ev = eigenvalues(&Array2::from_elem((20, 20), 0.05)).unwrap();
        assert!((spectral_radius(&ev) - 1.0).abs() < 1e-9, "{ev:?}");
        let base = ndarray::array![[2.0, 1.0], [0.0, -3.0]];
        for s in [1e-300, 1e-200, 1e200, 1e300] {
            let ev = eigenvalues(&(&base * s)).unwrap();
            assert!((ev[0].0 / s + 3.0).abs() < 1e-12 && (ev[1].0 / s - 2.0).abs() < 1e-12);
        }
        // Eigenvalues past f64::MAX are an error, not inf/null.
        let e = eigenvalues(&ndarray::array![[1e308, 1e308], [1e308, 1e308]]).unwrap_err();
        assert!(e.to_string().contains("f64 range"), "{e}");
        assert_eq!(pow2_scale(0.75), 1.0);
        assert_eq!(pow2_scale(1.0), 0.5);
        assert_eq!(
            pow2_scale(f64::MIN_POSITIVE) * f64::MIN_POSITIVE,
            2f64.powi(-22)
        );
    }
}
