//! Dense linear algebra on top of nalgebra: eigenvalues of general real
//! matrices (real Schur form), spectral radius.

use crate::error::{Error, Result};
use ndarray::Array2;

/// Convert an ndarray matrix to nalgebra (column-major copy).
pub fn to_nalgebra(m: &Array2<f64>) -> nalgebra::DMatrix<f64> {
    let (r, c) = m.dim();
    nalgebra::DMatrix::from_fn(r, c, |i, j| m[[i, j]])
}

/// Eigenvalues of a square real matrix as `(re, im)` pairs, sorted by real part
/// then imaginary part.
///
/// # Errors
/// Non-square or empty input; non-finite entries; the Schur iteration not converging.
///
/// # Complexity
/// O(n³) (Hessenberg reduction + QR iteration, nalgebra's `Schur`).
pub fn eigenvalues(m: &Array2<f64>) -> Result<Vec<(f64, f64)>> {
    crate::io::check_square(m)?;
    if m.iter().any(|v| !v.is_finite()) {
        return Err(Error::Numeric("matrix has NaN or Inf entries".into()));
    }
    let schur = nalgebra::linalg::Schur::try_new(to_nalgebra(m), f64::EPSILON, 10_000)
        .ok_or_else(|| Error::Numeric("eigenvalue iteration did not converge".into()))?;
    let mut ev: Vec<(f64, f64)> = schur
        .complex_eigenvalues()
        .iter()
        .map(|z| (z.re, z.im))
        .collect();
    ev.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    Ok(ev)
}

/// Largest modulus among the eigenvalues.
pub fn spectral_radius(eigs: &[(f64, f64)]) -> f64 {
    eigs.iter()
        .map(|(re, im)| re.hypot(*im))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
