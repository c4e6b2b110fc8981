//! Random connectivity ensembles. Each takes an explicit seed.
//!
//! Convention: `W[i][j]` is the weight from unit j to unit i, as in the rate
//! equation dh_i/dt = −h_i/τ + Σ_j W_ij φ(h_j).

use crate::error::{check_range, check_size, Result};
use crate::rng::seeded;
use ndarray::Array2;
use rand_distr::{Distribution, Normal};

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

#[cfg(test)]
mod tests {
    use super::*;

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
