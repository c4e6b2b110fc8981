//! The random-mode model of Clark, Marschall, van Meegen & Litwin-Kumar,
//! "Connectivity structure and dynamics of nonlinear recurrent neural
//! networks" (arXiv:2409.01969, Phys. Rev. X 2025):
//!
//! J = Σ_{a=1}^{P} s_a u_a v_aᵀ,
//!
//! a sum of P rank-one "modes" with a prescribed spectrum s_a and random
//! left (output) modes u_a and right (input) modes v_a whose overlap
//! E[u_a·v_a] = ρ_a is controlled.
//!
//! Conventions here (the source text fixes the model, not these details):
//! * u_a = x_a/‖x_a‖ and z_a = y_a/‖y_a‖ with x_a, y_a ~ N(0, I_N) i.i.d.:
//!   independent uniform directions on the unit sphere (the "Gaussian"
//!   modes, default). v_a = ρ_a u_a + √(1−ρ_a²) z_a. z_a is *not*
//!   orthogonalised against u_a, so u_a·v_a = ρ_a + √(1−ρ_a²) u_a·z_a with
//!   E[u_a·z_a] = 0, Var = 1/N: E[u_a·v_a] = ρ_a, and ‖v_a‖² = 1 + O(N^{-1/2}).
//!   Modes of different a are independent, so J's singular vectors are not
//!   exactly the u_a, v_a and its realised singular values differ from s_a
//!   by O(N^{-1/2}) relative amounts (both are reported).
//! * "Haar" modes (ρ ≡ 0, P ≤ N only): U, V are the first P columns of two
//!   independent Haar orthogonal matrices, so J = U diag(s) Vᵀ is an exact
//!   SVD. Prescribing a non-zero overlap with exactly orthonormal modes
//!   forces constraints (e.g. V = ρU + …) that pin the eigenvalues (J's
//!   non-zero eigenvalues become ρ s_a), so it is refused.
//! * Normalisation Σ_a s_a² = g² N, so E Σ_ij J_ij² = g² N: the mean squared
//!   coupling is g²/N as for W_ij ~ N(0, g²/N), and for ρ = 0 (a
//!   bi-unitarily invariant ensemble) the eigenvalues fill a disc of outer
//!   radius √(E s²) = g (Haagerup–Larsen), so g keeps its circular-law
//!   meaning.
//! * The draws (x_1, y_1, x_2, y_2, …) do not depend on s or ρ, so
//!   matrices with the same seed differ only by the spectrum/overlap
//!   (common random numbers across a sweep).

use crate::error::{check_range, check_size, Error, Result};
use crate::rng::seeded;
use nalgebra::{DMatrix, DVector};
use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

/// Largest N for which the realised singular values are computed (O(N³) SVD).
pub const MAX_SVD: usize = 2000;

/// Shape of the mode spectrum s_a, a = 1…P.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ModeSpectrum {
    /// s_a ∝ 1.
    Flat,
    /// s_a ∝ a^(−α), α ∈ [0, 10].
    PowerLaw {
        /// Decay exponent α.
        alpha: f64,
    },
    /// s_a ∝ exp(−(a−1)/κ), κ ∈ [10⁻³, 10⁶].
    Exponential {
        /// Decay length κ (in modes).
        kappa: f64,
    },
}

impl ModeSpectrum {
    /// The N values of a P = N spectrum, Σ s² = g²N (see [`Self::mode_values`]).
    ///
    /// # Errors
    /// As [`Self::mode_values`].
    pub fn values(&self, n: usize, g: f64) -> Result<Vec<f64>> {
        self.mode_values(n, n, g)
    }

    /// The P mode strengths, descending, scaled so Σ_a s_a² = g²·N.
    ///
    /// # Errors
    /// [`Error::Param`] for α ∉ [0, 10], κ ∉ [10⁻³, 10⁶], P = 0 or g ∉ [0, 100].
    pub fn mode_values(&self, p: usize, n: usize, g: f64) -> Result<Vec<f64>> {
        check_size("modes", p, 1, usize::MAX)?;
        check_range("g", g, 0.0, 100.0)?;
        let raw: Vec<f64> = match *self {
            ModeSpectrum::Flat => vec![1.0; p],
            ModeSpectrum::PowerLaw { alpha } => {
                check_range("alpha", alpha, 0.0, 10.0)?;
                (1..=p).map(|a| (a as f64).powf(-alpha)).collect()
            }
            ModeSpectrum::Exponential { kappa } => {
                check_range("kappa", kappa, 1e-3, 1e6)?;
                (0..p).map(|a| (-(a as f64) / kappa).exp()).collect()
            }
        };
        let norm = raw.iter().map(|s| s * s).sum::<f64>();
        if norm <= 0.0 || !norm.is_finite() {
            return Err(Error::Numeric("mode spectrum underflowed to zero".into()));
        }
        let c = g * (n as f64 / norm).sqrt();
        Ok(raw.into_iter().map(|s| s * c).collect())
    }
}

/// Left–right overlaps ρ_a = E[u_a·v_a].
#[derive(Debug, Clone, PartialEq)]
pub enum OverlapProfile {
    /// ρ_a = ρ for every mode.
    Constant(f64),
    /// ρ_a = ρ₀ · exp(−(a−1)/L): strong overlap in the leading modes only.
    Exponential {
        /// Overlap of the first mode.
        rho0: f64,
        /// Decay length L (in modes), > 0.
        scale: f64,
    },
    /// One ρ_a per mode (e.g. read from a file; length must be P).
    Values(Vec<f64>),
}

impl OverlapProfile {
    /// The P overlaps.
    ///
    /// # Errors
    /// [`Error::Param`] naming `rho` for a value outside [−1, 1] or a profile
    /// of the wrong length, `rho_scale` for a non-positive decay length.
    pub fn values(&self, p: usize) -> Result<Vec<f64>> {
        let v = match self {
            OverlapProfile::Constant(r) => vec![*r; p],
            OverlapProfile::Exponential { rho0, scale } => {
                check_range("rho_scale", *scale, 1e-9, 1e9)?;
                (0..p).map(|a| rho0 * (-(a as f64) / scale).exp()).collect()
            }
            OverlapProfile::Values(v) => {
                if v.len() != p {
                    return Err(Error::param(
                        "rho",
                        format!(
                            "the overlap profile has {} values but there are {p} modes",
                            v.len()
                        ),
                    ));
                }
                v.clone()
            }
        };
        for r in &v {
            check_range("rho", *r, -1.0, 1.0)?;
        }
        Ok(v)
    }
}

/// How the mode vectors are drawn (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModeVectors {
    /// Independent uniform unit vectors (normalised Gaussians); any ρ, any P.
    Gaussian,
    /// Orthonormal columns of Haar matrices: exact SVD; ρ ≡ 0 and P ≤ N only.
    Haar,
}

/// Parameters of [`random_mode_model`].
#[derive(Debug, Clone, PartialEq)]
pub struct RandomModeParams {
    /// Units N, 1 ≤ N ≤ [`super::MAX_N`].
    pub n: usize,
    /// Modes P (default N); 1 ≤ P ≤ 4N and N·P ≤ 25·10⁶.
    pub modes: Option<usize>,
    /// Coupling strength g: Σ s_a² = g²N, g ∈ [0, 100].
    pub g: f64,
    /// Spectrum shape.
    pub spectrum: ModeSpectrum,
    /// Overlaps ρ_a.
    pub overlap: OverlapProfile,
    /// Mode vectors.
    pub vectors: ModeVectors,
    /// RNG seed.
    pub seed: u64,
}

impl RandomModeParams {
    /// P = N, ρ = 0, Gaussian modes, seed 1.
    pub fn new(n: usize, spectrum: ModeSpectrum, g: f64) -> Self {
        RandomModeParams {
            n,
            modes: None,
            g,
            spectrum,
            overlap: OverlapProfile::Constant(0.0),
            vectors: ModeVectors::Gaussian,
            seed: 1,
        }
    }

    /// The number of modes P.
    pub fn p(&self) -> usize {
        self.modes.unwrap_or(self.n)
    }

    /// Validate; returns (s_a, ρ_a).
    ///
    /// # Errors
    /// [`Error::Param`] naming the offending parameter.
    pub fn check(&self) -> Result<(Vec<f64>, Vec<f64>)> {
        check_size("n", self.n, 1, super::MAX_N)?;
        let p = check_size("modes", self.p(), 1, 4 * self.n)?;
        if self.n * p > 25_000_000 {
            return Err(Error::param(
                "modes",
                format!("N·P = {} exceeds 25·10⁶", self.n * p),
            ));
        }
        let s = self.spectrum.mode_values(p, self.n, self.g)?;
        let rho = self.overlap.values(p)?;
        if self.vectors == ModeVectors::Haar {
            if p > self.n {
                return Err(Error::param(
                    "modes",
                    format!("Haar modes need P ≤ N, got P = {p} > N = {}", self.n),
                ));
            }
            if rho.iter().any(|r| *r != 0.0) {
                return Err(Error::param(
                    "rho",
                    "Haar (exactly orthonormal) modes support only ρ = 0; use Gaussian modes for overlaps",
                ));
            }
        }
        Ok((s, rho))
    }
}

/// A drawn random-mode matrix and what was realised.
#[derive(Debug, Clone, Serialize)]
pub struct RandomMode {
    /// J (N × N), W[i][j] = weight from j to i.
    #[serde(skip)]
    pub w: Array2<f64>,
    /// N.
    pub n: usize,
    /// P.
    pub modes: usize,
    /// g.
    pub g: f64,
    /// How the mode vectors were drawn.
    pub vectors: ModeVectors,
    /// The requested s_a (descending), Σ s_a² = g²N.
    pub requested_singular_values: Vec<f64>,
    /// Singular values of J from its SVD, descending (min(N, P) non-zero);
    /// `None` when N > [`MAX_SVD`].
    pub singular_values: Option<Vec<f64>>,
    /// The requested ρ_a.
    pub requested_overlaps: Vec<f64>,
    /// The measured u_a·v_a of the drawn modes.
    pub overlaps: Vec<f64>,
    /// Mean of the measured overlaps.
    pub mean_overlap: f64,
    /// Effective rank of the requested spectrum, (Σ s_a²)² / Σ s_a⁴.
    pub effective_rank: f64,
    /// Effective rank of the realised singular values (`None` without SVD).
    pub realised_effective_rank: Option<f64>,
    /// tr J = Σ_a s_a u_a·v_a.
    pub trace: f64,
    /// E tr J = Σ_a s_a ρ_a.
    pub expected_trace: f64,
    /// Σ_ij J_ij² / N (≈ g²).
    pub mean_row_sq: f64,
}

fn unit_gaussian(n: usize, rng: &mut crate::rng::Rng) -> DVector<f64> {
    loop {
        let x = DVector::from_fn(n, |_, _| -> f64 { StandardNormal.sample(rng) });
        let norm = x.norm();
        if norm > 0.0 {
            return x / norm;
        }
    }
}

/// Draw the modes: U (N × P, unit columns) and V (N × P), in a fixed RNG order.
fn draw_modes(p: &RandomModeParams, rho: &[f64]) -> (DMatrix<f64>, DMatrix<f64>) {
    let (n, m) = (p.n, rho.len());
    let mut rng = seeded(p.seed);
    match p.vectors {
        ModeVectors::Gaussian => {
            let mut u = DMatrix::<f64>::zeros(n, m);
            let mut v = DMatrix::<f64>::zeros(n, m);
            for (a, r) in rho.iter().enumerate() {
                let ua = unit_gaussian(n, &mut rng);
                let za = unit_gaussian(n, &mut rng);
                let c = (1.0 - r * r).max(0.0).sqrt();
                v.set_column(a, &(&ua * *r + za * c));
                u.set_column(a, &ua);
            }
            (u, v)
        }
        ModeVectors::Haar => {
            let qu = super::haar_orthogonal(n, &mut rng);
            let qv = super::haar_orthogonal(n, &mut rng);
            (qu.columns(0, m).into_owned(), qv.columns(0, m).into_owned())
        }
    }
}

/// J = (U diag s) Vᵀ.
fn assemble(u: &DMatrix<f64>, v: &DMatrix<f64>, s: &[f64]) -> Array2<f64> {
    let mut us = u.clone();
    for (a, sa) in s.iter().enumerate() {
        us.column_mut(a).scale_mut(*sa);
    }
    let j = us * v.transpose();
    Array2::from_shape_fn(j.shape(), |(i, k)| j[(i, k)])
}

/// Draw J = Σ_a s_a u_a v_aᵀ (random-mode model, Clark et al. 2024) and
/// measure its realised spectrum and overlaps.
///
/// # Arguments
/// See [`RandomModeParams`] and the module doc for the conventions.
///
/// # Returns
/// A [`RandomMode`] with J and the requested/realised singular values,
/// overlaps, effective rank and trace.
///
/// # Errors
/// [`Error::Param`] for out-of-range parameters (see [`RandomModeParams::check`]).
///
/// # Complexity
/// O(N²P) to form J (plus O(N³) for Haar modes and for the SVD when
/// N ≤ [`MAX_SVD`]).
pub fn random_mode_model(p: &RandomModeParams) -> Result<RandomMode> {
    let (s, rho) = p.check()?;
    let (u, v) = draw_modes(p, &rho);
    let (n, m) = (p.n, s.len());
    let overlaps: Vec<f64> = (0..m).map(|a| u.column(a).dot(&v.column(a))).collect();
    let w = assemble(&u, &v, &s);
    let singular_values = if n <= MAX_SVD {
        Some(super::singular_values(&w)?)
    } else {
        None
    };
    let trace = (0..n).map(|i| w[[i, i]]).sum();
    let expected_trace = s.iter().zip(&rho).map(|(a, b)| a * b).sum();
    Ok(RandomMode {
        n,
        modes: m,
        g: p.g,
        vectors: p.vectors,
        effective_rank: super::effective_rank_of_spectrum(&s),
        realised_effective_rank: singular_values
            .as_deref()
            .map(super::effective_rank_of_spectrum),
        singular_values,
        mean_overlap: overlaps.iter().sum::<f64>() / m as f64,
        overlaps,
        requested_singular_values: s,
        requested_overlaps: rho,
        trace,
        expected_trace,
        mean_row_sq: w.iter().map(|x| x * x).sum::<f64>() / n as f64,
        w,
    })
}

/// [`random_mode_model`]'s J alone, without the SVD report (same draws).
///
/// # Errors
/// As [`random_mode_model`].
///
/// # Complexity
/// O(N²P) (O(N³) for Haar modes).
pub fn random_mode_matrix(p: &RandomModeParams) -> Result<Array2<f64>> {
    let (s, rho) = p.check()?;
    let (u, v) = draw_modes(p, &rho);
    Ok(assemble(&u, &v, &s))
}

/// Random-mode J with P = N Gaussian modes and one overlap ρ for every mode
/// (shorthand for [`random_mode_matrix`]).
///
/// # Errors
/// As [`random_mode_model`].
///
/// # Complexity
/// O(N³).
pub fn random_mode(
    n: usize,
    spectrum: ModeSpectrum,
    overlap: f64,
    g: f64,
    seed: u64,
) -> Result<Array2<f64>> {
    let mut p = RandomModeParams::new(n, spectrum, g);
    p.overlap = OverlapProfile::Constant(overlap);
    p.seed = seed;
    random_mode_matrix(&p)
}
