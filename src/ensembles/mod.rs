//! Random connectivity ensembles. Each takes an explicit seed.
//!
//! The random-mode model (Clark, Marschall, van Meegen & Litwin-Kumar 2024)
//! lives in [`random_mode`].
//!
//! Convention: `W[i][j]` is the weight from unit j to unit i, as in the rate
//! equation dh_i/dt = −h_i/τ + Σ_j W_ij φ(h_j).

pub mod random_mode;

pub use random_mode::{
    random_mode, random_mode_matrix, random_mode_model, ModeSpectrum, ModeVectors, OverlapProfile,
    RandomMode, RandomModeParams,
};

use crate::error::{check_range, check_size, Error, Result};
use crate::rng::{seeded, Rng};
use ndarray::Array2;
use rand::Rng as _;
use rand_distr::{Distribution, Normal, StandardNormal};

/// Largest network the ensembles generate.
pub const MAX_N: usize = 5000;

/// Gaussian random connectivity, W_ij ~ N(0, g²/N) i.i.d. (Sompolinsky, Crisanti
/// & Sommers 1988).
///
/// By the circular law its eigenvalues fill the disc of radius g in the
/// complex plane as N grows, so the spectral radius is ≈ g; the autonomous
/// network dh/dt = −h + W tanh(h) turns chaotic beyond g = 1.
///
/// # Arguments
/// * `n` — number of units, 1 ≤ n ≤ [`MAX_N`]
/// * `g` — gain, 0 ≤ g ≤ 100
/// * `seed` — RNG seed; entries are drawn row by row
///
/// # Errors
/// [`crate::Error::Param`] when `n` or `g` is out of range.
///
/// # Complexity
/// O(n²) time and memory.
pub fn gaussian(n: usize, g: f64, seed: u64) -> Result<Array2<f64>> {
    check_size("n", n, 1, MAX_N)?;
    check_range("g", g, 0.0, 100.0)?;
    let mut rng = seeded(seed);
    let normal = Normal::new(0.0, g / (n as f64).sqrt())
        .map_err(|e| crate::Error::param("g", e.to_string()))?;
    Ok(Array2::from_shape_simple_fn((n, n), || {
        normal.sample(&mut rng)
    }))
}

fn std_normal(rng: &mut Rng) -> f64 {
    StandardNormal.sample(rng)
}

/// Sparse Erdős–Rényi connectivity: each off-diagonal edge j → i exists with
/// probability p, and an existing edge has weight N(0, g²/(N p)).
///
/// The row variance Σ_j Var W_ij = (N−1)/N · g² ≈ g², so the spectrum again
/// fills a disc of radius ≈ g (circular law for sparse matrices, Tao & Vu).
/// No self-connections.
///
/// # Arguments
/// * `n` — units, 1 ≤ n ≤ [`MAX_N`]; `p` — connection probability in (0, 1];
///   `g` — gain in [0, 100]; `seed`.
///
/// # Errors
/// [`Error::Param`] for out-of-range arguments.
///
/// # Complexity
/// O(n²).
pub fn sparse_er(n: usize, p: f64, g: f64, seed: u64) -> Result<Array2<f64>> {
    check_size("n", n, 1, MAX_N)?;
    check_range("p", p, 1e-6, 1.0)?;
    check_range("g", g, 0.0, 100.0)?;
    if p == 0.0 {
        return Err(Error::param("p", "must be positive"));
    }
    let mut rng = seeded(seed);
    let sd = g / (n as f64 * p).sqrt();
    Ok(Array2::from_shape_fn((n, n), |(i, j)| {
        // Draw both numbers for every cell so the stream does not depend on p's outcome.
        let keep = rng.random::<f64>() < p;
        let z = std_normal(&mut rng);
        if keep && i != j {
            sd * z
        } else {
            0.0
        }
    }))
}

/// Dale's law: a fraction `frac_e` of the columns (presynaptic units) is
/// excitatory (all entries ≥ 0), the rest inhibitory (all entries ≤ 0).
///
/// W_ij = c · s_j · a_j · |z_ij|, z ~ N(0,1), s_j = +1 for E and −1 for I
/// columns, a_E = 1 and, when `balanced`, a_I = f/(1−f) so that the expected
/// input to every unit is zero (f·N·a_E = (1−f)·N·a_I, Rajan & Abbott 2006);
/// otherwise a_I = 1. The constant c makes the row variance
/// Σ_j Var W_ij = c²(1−2/π)·N·(f a_E² + (1−f) a_I²) equal g², so the bulk of
/// the spectrum has radius ≈ g; the unbalanced case adds an outlier eigenvalue
/// near the mean row sum. The first round(f·N) columns are excitatory.
///
/// # Errors
/// [`Error::Param`] for out-of-range arguments or no inhibitory/excitatory column
/// when balancing is asked for.
///
/// # Complexity
/// O(n²).
pub fn dale(n: usize, frac_e: f64, g: f64, balanced: bool, seed: u64) -> Result<Array2<f64>> {
    check_size("n", n, 1, MAX_N)?;
    check_range("frac_e", frac_e, 0.0, 1.0)?;
    check_range("g", g, 0.0, 100.0)?;
    let n_e = (frac_e * n as f64).round() as usize;
    if balanced && (n_e == 0 || n_e == n) {
        return Err(Error::param(
            "frac_e",
            format!("balance needs both E and I columns; frac_e = {frac_e} gives {n_e} E of {n}"),
        ));
    }
    let f = n_e as f64 / n as f64;
    let a_i = if balanced { f / (1.0 - f) } else { 1.0 };
    let var_unit = (1.0 - 2.0 / std::f64::consts::PI) * n as f64 * (f + (1.0 - f) * a_i * a_i);
    let c = g / var_unit.sqrt();
    let mut rng = seeded(seed);
    Ok(Array2::from_shape_fn((n, n), |(_, j)| {
        let z = std_normal(&mut rng).abs();
        if j < n_e {
            c * z
        } else {
            -c * a_i * z
        }
    }))
}

/// A Haar-random orthogonal n × n matrix (QR of a Gaussian matrix with the
/// signs of R's diagonal fixed, Mezzadri 2007).
pub(crate) fn haar_orthogonal(n: usize, rng: &mut Rng) -> nalgebra::DMatrix<f64> {
    let g = nalgebra::DMatrix::from_fn(n, n, |_, _| std_normal(rng));
    let qr = g.qr();
    let mut q = qr.q();
    let r = qr.r();
    for k in 0..n {
        if r[(k, k)] < 0.0 {
            q.column_mut(k).neg_mut();
        }
    }
    q
}

/// Low rank plus random: W = g·X + s · Σ_{k<r} u_k u_kᵀ, with X_ij ~ N(0, 1/N)
/// (the [`gaussian`] matrix with gain 1, same seed) and u_k orthonormal
/// (Haar-random). The structured part has r eigenvalues exactly s; when
/// |s| > g they stand out of the bulk disc of radius g as outliers near s
/// (Mastrogiuseppe & Ostojic 2018; Tao 2013 for outliers).
///
/// # Errors
/// [`Error::Param`] for rank > n or out-of-range arguments.
///
/// # Complexity
/// O(n³) (QR for the modes).
pub fn low_rank_plus_random(
    n: usize,
    rank: usize,
    strength: f64,
    g: f64,
    seed: u64,
) -> Result<Array2<f64>> {
    check_size("n", n, 1, MAX_N)?;
    check_size("rank", rank, 0, n)?;
    check_range("strength", strength, -100.0, 100.0)?;
    check_range("g", g, 0.0, 100.0)?;
    let mut w = gaussian(n, 1.0, seed)? * g;
    let mut rng = seeded(seed ^ 0x5bd1_e995);
    let q = haar_orthogonal(n, &mut rng);
    for k in 0..rank {
        let u = q.column(k);
        for i in 0..n {
            for j in 0..n {
                w[[i, j]] += strength * u[i] * u[j];
            }
        }
    }
    Ok(w)
}

/// Singular values of a matrix, descending (nalgebra SVD).
///
/// # Errors
/// Empty or non-finite input.
///
/// # Complexity
/// O(n³).
pub fn singular_values(w: &Array2<f64>) -> Result<Vec<f64>> {
    if w.is_empty() {
        return Err(Error::Shape("the matrix is empty".into()));
    }
    if w.iter().any(|v| !v.is_finite()) {
        return Err(Error::Numeric("matrix has NaN or Inf entries".into()));
    }
    let m = crate::linalg::to_nalgebra(w);
    let mut s: Vec<f64> = m.singular_values().iter().copied().collect();
    crate::linalg::sort_f64_desc(&mut s);
    Ok(s)
}

/// Effective rank of W: the participation ratio of its squared singular
/// values, (Σ s_k²)² / Σ s_k⁴ (Clark, Marschall, van Meegen & Litwin-Kumar 2024). 1 for rank one, N for an
/// orthogonal matrix, ≈ N/2 for an i.i.d. Gaussian square matrix (moments
/// of the Marchenko–Pastur law with ratio 1: E s² = 1, E s⁴ = 2).
pub fn effective_rank_of_spectrum(s: &[f64]) -> f64 {
    let s2: f64 = s.iter().map(|x| x * x).sum();
    let s4: f64 = s.iter().map(|x| x.powi(4)).sum();
    if s4 > 0.0 {
        s2 * s2 / s4
    } else {
        0.0
    }
}

/// [`effective_rank_of_spectrum`] of the singular values of `w`.
///
/// # Errors
/// As [`singular_values`].
pub fn effective_rank(w: &Array2<f64>) -> Result<f64> {
    Ok(effective_rank_of_spectrum(&singular_values(w)?))
}

/// A named ensemble with its parameters, for the CLI and the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Ensemble {
    /// [`gaussian`].
    Gaussian,
    /// [`sparse_er`].
    SparseEr {
        /// Connection probability.
        p: f64,
    },
    /// [`dale`].
    Dale {
        /// Fraction of excitatory columns.
        frac_e: f64,
        /// Balance the expected input.
        balanced: bool,
    },
    /// [`low_rank_plus_random`].
    LowRank {
        /// Rank r.
        rank: usize,
        /// Eigenvalue s of the structured part.
        strength: f64,
    },
    /// [`random_mode_matrix`] (N and g come from [`Ensemble::build`]).
    RandomMode {
        /// Spectrum shape.
        spectrum: ModeSpectrum,
        /// Overlap profile ρ_a.
        overlap: OverlapProfile,
        /// P (default N).
        modes: Option<usize>,
        /// Gaussian or Haar mode vectors.
        vectors: ModeVectors,
    },
}

impl Ensemble {
    /// Draw W with N units and gain g.
    ///
    /// # Errors
    /// As the underlying ensemble.
    pub fn build(&self, n: usize, g: f64, seed: u64) -> Result<Array2<f64>> {
        match self {
            Ensemble::Gaussian => gaussian(n, g, seed),
            Ensemble::SparseEr { p } => sparse_er(n, *p, g, seed),
            Ensemble::Dale { frac_e, balanced } => dale(n, *frac_e, g, *balanced, seed),
            Ensemble::LowRank { rank, strength } => {
                low_rank_plus_random(n, *rank, *strength, g, seed)
            }
            Ensemble::RandomMode { .. } => {
                random_mode_matrix(&self.random_mode_params(n, g, seed)?)
            }
        }
    }

    /// The [`RandomModeParams`] of a random-mode ensemble.
    ///
    /// # Errors
    /// [`Error::Param`] naming `kind` when this is not a random-mode ensemble.
    pub fn random_mode_params(&self, n: usize, g: f64, seed: u64) -> Result<RandomModeParams> {
        match self {
            Ensemble::RandomMode {
                spectrum,
                overlap,
                modes,
                vectors,
            } => Ok(RandomModeParams {
                n,
                modes: *modes,
                g,
                spectrum: *spectrum,
                overlap: overlap.clone(),
                vectors: *vectors,
                seed,
            }),
            _ => Err(Error::param(
                "kind",
                "not a random-mode ensemble (use powerlaw, exponential or flat)",
            )),
        }
    }

    /// Parse a kind name with two generic parameters `a`, `b`:
    /// `gaussian`; `sparse` (a = p); `dale` (a = frac_e, b ≠ 0: balanced);
    /// `lowrank` (a = rank, b = strength); `powerlaw` (a = α, b = overlap ρ);
    /// `exponential` (a = κ, b = ρ); `flat` (b = ρ). Random-mode kinds get
    /// P = N Gaussian modes with one ρ (change the fields for more).
    ///
    /// # Errors
    /// [`Error::Param`] naming `kind` for an unknown name, or `a` / `b` when
    /// NaN or infinite (a NaN `b` must not read as "balanced").
    pub fn from_kind(kind: &str, a: f64, b: f64) -> Result<Ensemble> {
        for (name, v) in [("a", a), ("b", b)] {
            if !v.is_finite() {
                return Err(Error::param(name, format!("must be finite, got {v}")));
            }
        }
        let rm = |spectrum| Ensemble::RandomMode {
            spectrum,
            overlap: OverlapProfile::Constant(b),
            modes: None,
            vectors: ModeVectors::Gaussian,
        };
        Ok(match kind {
            "gaussian" => Ensemble::Gaussian,
            "sparse" => Ensemble::SparseEr { p: a },
            "dale" => Ensemble::Dale { frac_e: a, balanced: b != 0.0 },
            "lowrank" => {
                check_range("rank", a, 0.0, MAX_N as f64)?;
                Ensemble::LowRank { rank: a.round() as usize, strength: b }
            }
            "powerlaw" => rm(ModeSpectrum::PowerLaw { alpha: a }),
            "exponential" => rm(ModeSpectrum::Exponential { kappa: a }),
            "flat" => rm(ModeSpectrum::Flat),
            other => {
                return Err(Error::param(
                    "kind",
                    format!("unknown ensemble \"{other}\": use gaussian, sparse, dale, lowrank, powerlaw, exponential or flat"),
                ))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_density_and_variance() {
        let w = sparse_er(300, 0.1, 1.2, 5).unwrap();
        let nz = w.iter().filter(|v| **v != 0.0).count() as f64;
        let dens = nz / (300.0 * 299.0);
        // Binomial s.e. of the density ≈ 0.0010.
        assert!((dens - 0.1).abs() < 0.005, "density {dens}");
        assert!((0..300).all(|i| w[[i, i]] == 0.0));
        let row_var = w.iter().map(|v| v * v).sum::<f64>() / 300.0;
        assert!(
            (row_var / 1.44 - 1.0).abs() < 0.05,
            "row variance {row_var}"
        );
        assert!(sparse_er(10, 0.0, 1.0, 1).is_err());
    }

    #[test]
    fn dale_signs_and_balance() {
        let w = dale(400, 0.8, 1.0, true, 2).unwrap();
        for j in 0..400 {
            let col = w.column(j);
            if j < 320 {
                assert!(col.iter().all(|v| *v >= 0.0), "column {j} not excitatory");
            } else {
                assert!(col.iter().all(|v| *v <= 0.0), "column {j} not inhibitory");
            }
        }
        // Balanced: mean row sum ≈ 0 relative to the row's absolute sum.
        let mean_sum = w.sum() / 400.0;
        let mean_abs = w.iter().map(|v| v.abs()).sum::<f64>() / 400.0;
        assert!(
            mean_sum.abs() < 0.01 * mean_abs,
            "row sum {mean_sum} vs {mean_abs}"
        );
        // Row variance (about the column-type means) ≈ g².
        assert!(dale(10, 1.0, 1.0, true, 1).is_err());
        let ub = dale(400, 0.8, 1.0, false, 2).unwrap();
        assert!(ub.sum() / 400.0 > 0.5 * mean_abs);
    }

    #[test]
    fn low_rank_outliers() {
        let w = low_rank_plus_random(300, 2, 3.0, 0.5, 9).unwrap();
        let ev = crate::linalg::eigenvalues(&w).unwrap();
        // Two outliers near 3, the rest inside |λ| ≲ 0.5.
        let mut re: Vec<f64> = ev.iter().map(|e| e.0).collect();
        re.sort_by(|a, b| b.total_cmp(a));
        assert!(
            (re[0] - 3.0).abs() < 0.3 && (re[1] - 3.0).abs() < 0.3,
            "{:?}",
            &re[..3]
        );
        assert!(re[2] < 0.7, "bulk edge {}", re[2]);
    }

    #[test]
    fn effective_rank_closed_forms() {
        // Rank one: 1. Flat spectrum: N. Gaussian: ≈ N/2 (Marchenko–Pastur, c = 1).
        assert!((effective_rank_of_spectrum(&[2.0, 0.0, 0.0]) - 1.0).abs() < 1e-12);
        let mut p = RandomModeParams::new(50, ModeSpectrum::Flat, 1.0);
        p.vectors = ModeVectors::Haar;
        let w = random_mode_matrix(&p).unwrap();
        assert!((effective_rank(&w).unwrap() - 50.0).abs() < 1e-8);
        let pr = effective_rank(&gaussian(400, 1.0, 3).unwrap()).unwrap();
        assert!(
            (pr / 200.0 - 1.0).abs() < 0.05,
            "gaussian effective rank {pr}"
        );
        // Exponential spectrum: PR = (Σ e^{-2k/κ})² / Σ e^{-4k/κ} → (1+e^{-2/κ})/(1−e^{-2/κ}) for N ≫ κ.
        let kappa = 5.0f64;
        let s = ModeSpectrum::Exponential { kappa }
            .values(400, 1.0)
            .unwrap();
        let q = (-2.0 / kappa).exp();
        assert!((effective_rank_of_spectrum(&s) - (1.0 + q) / (1.0 - q)).abs() < 1e-9);
        assert!(Ensemble::from_kind("nope", 0.0, 0.0).is_err());
    }

    #[test]
    fn seeded_and_scaled() {
        let a = gaussian(200, 1.5, 3).unwrap();
        assert_eq!(a, gaussian(200, 1.5, 3).unwrap());
        assert_ne!(a, gaussian(200, 1.5, 4).unwrap());
        // Sample variance of 40,000 entries ≈ g²/N = 0.01125 (rel. s.e. ≈ 0.7%).
        let var = a.iter().map(|v| v * v).sum::<f64>() / a.len() as f64;
        assert!(
            (var / (1.5f64.powi(2) / 200.0) - 1.0).abs() < 0.04,
            "var {var}"
        );
        assert!(gaussian(0, 1.0, 1).is_err());
        assert!(gaussian(10, f64::NAN, 1).is_err());
    }
}
