//! Spearman rank correlation with its two-sided p-value, for the trend of a
//! measure across initial ranks.
//!
//! ρ = Pearson correlation of the mid-ranks (ties get the mean of their
//! ranks). p from t = ρ √((n−2)/(1−ρ²)) on n−2 degrees of freedom (Student's
//! t; statrs), the usual large-sample approximation (scipy.stats.spearmanr
//! uses the same).

use crate::error::{Error, Result};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Result of a Spearman test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spearman {
    /// Rank correlation ρ ∈ [−1, 1].
    pub rho: f64,
    /// Two-sided p-value (t approximation, n − 2 d.o.f.).
    pub p: f64,
    /// Number of pairs.
    pub n: usize,
}

/// Mid-ranks: the shared implementation in [`crate::significance`].
pub use crate::significance::ranks;

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let ma = a.iter().sum::<f64>() / n;
    let mb = b.iter().sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    if saa == 0.0 || sbb == 0.0 {
        0.0
    } else {
        sab / (saa * sbb).sqrt()
    }
}

/// Spearman's ρ between `x` and `y` with the two-sided p-value.
///
/// # Errors
/// Lengths differ, fewer than 3 pairs, or non-finite values.
///
/// # Complexity
/// O(n log n).
pub fn spearman(x: &[f64], y: &[f64]) -> Result<Spearman> {
    if x.len() != y.len() {
        return Err(Error::Shape(format!(
            "spearman: {} x values but {} y values",
            x.len(),
            y.len()
        )));
    }
    if x.len() < 3 {
        return Err(Error::param("seeds", "a trend test needs at least 3 runs"));
    }
    if x.iter().chain(y).any(|v| !v.is_finite()) {
        return Err(Error::Numeric("spearman: non-finite values".into()));
    }
    let n = x.len();
    let rho = pearson(&ranks(x), &ranks(y)).clamp(-1.0, 1.0);
    let df = (n - 2) as f64;
    let p = if rho.abs() >= 1.0 {
        0.0
    } else {
        let t = rho * (df / (1.0 - rho * rho)).sqrt();
        let dist =
            StudentsT::new(0.0, 1.0, df).map_err(|e| Error::Numeric(format!("Student t: {e}")))?;
        (2.0 * (1.0 - dist.cdf(t.abs()))).clamp(0.0, 1.0)
    };
    Ok(Spearman { rho, p, n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mid_ranks_with_ties() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    #[test]
    fn matches_closed_form() {
        // Σd² = 42 for these ranks, so ρ = 1 − 6·42/(10·99) = 0.745454…
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        let y = [2.0, 1.0, 4.0, 3.0, 7.0, 8.0, 6.0, 10.0, 9.0, 5.0];
        let s = spearman(&x, &y).unwrap();
        assert!((s.rho - (1.0 - 252.0 / 990.0)).abs() < 1e-12, "{}", s.rho);
        // Two-sided p on ν = 8 d.o.f. in closed form (even ν):
        // P(|T| < t) = sin θ (1 + ½cos²θ + ⅜cos⁴θ + 5/16 cos⁶θ), θ = atan(t/√8).
        let t = s.rho * (8.0 / (1.0 - s.rho * s.rho)).sqrt();
        let th = (t / 8f64.sqrt()).atan();
        let c2 = th.cos().powi(2);
        let inside = th.sin() * (1.0 + c2 / 2.0 + 3.0 * c2 * c2 / 8.0 + 5.0 * c2.powi(3) / 16.0);
        assert!(
            (s.p - (1.0 - inside)).abs() < 1e-9,
            "{} vs {}",
            s.p,
            1.0 - inside
        );
        assert!(s.p > 0.01 && s.p < 0.02);
        let m = spearman(&x, &x.iter().map(|v| -v * v).collect::<Vec<_>>()).unwrap();
        assert_eq!(m.rho, -1.0);
        assert!(spearman(&[1.0, 2.0], &[1.0, 2.0]).is_err());
    }
}
