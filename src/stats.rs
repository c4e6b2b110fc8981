//! Activation statistics of a T × M activity matrix (rows = samples, columns
//! = units), as in the HebbFF study's Fig. 3: mean, mean pairwise
//! correlation, skewness, excess kurtosis, histograms, and the differential
//! entropy of a fitted multivariate Gaussian.

use crate::error::{check_size, Error, Result};
use crate::modularity::fc::functional_connectivity;
use nalgebra::DMatrix;
use ndarray::ArrayView2;

/// A histogram: `edges.len() == counts.len() + 1`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Histogram {
    /// Bin edges in ascending order, `bins + 1` of them; bin k runs from
    /// `edges[k]` to `edges[k + 1]` (half-open; the last bin includes its top edge).
    pub edges: Vec<f64>,
    /// Number of values in each bin.
    pub counts: Vec<usize>,
}

/// Most histogram bins.
pub const MAX_BINS: usize = 10_000;

/// Equal-width histogram of finite values over their range (`bins` ≥ 1).
/// All-equal values get one unit-wide range centred on the value.
///
/// # Errors
/// `bins` outside 1…[`MAX_BINS`].
pub fn histogram(values: &[f64], bins: usize) -> Result<Histogram> {
    check_size("bins", bins, 1, MAX_BINS)?;
    let (mut lo, mut hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    if lo > hi {
        (lo, hi) = (0.0, 0.0);
    }
    if hi <= lo {
        lo -= 0.5;
        hi += 0.5;
    }
    // hi/b − lo/b, not (hi − lo)/b: for values of both signs near ±f64::MAX
    // the difference overflows to inf and every edge would be NaN or inf.
    let w = hi / bins as f64 - lo / bins as f64;
    let mut counts = vec![0; bins];
    for &v in values.iter().filter(|v| v.is_finite()) {
        let k = ((v / w - lo / w) as usize).min(bins - 1);
        counts[k] += 1;
    }
    let edges = (0..=bins)
        .map(|k| {
            if k == bins {
                hi
            } else {
                (lo + w * k as f64).min(hi)
            }
        })
        .collect();
    Ok(Histogram { edges, counts })
}

/// Moments of pooled values: (mean, variance, skewness, excess kurtosis),
/// population (1/n) moments; skewness/kurtosis are 0 for zero variance.
pub fn moments(values: &[f64]) -> (f64, f64, f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
    for &v in values {
        let d = v - mean;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
    }
    let (m2, m3, m4) = (m2 / n, m3 / n, m4 / n);
    if m2 <= 0.0 {
        return (mean, 0.0, 0.0, 0.0);
    }
    (mean, m2, m3 / m2.powf(1.5), m4 / (m2 * m2) - 3.0)
}

/// ln det of a symmetric positive-definite matrix via Cholesky (2 Σ ln L_ii),
/// or `None` when the factorisation fails (not positive definite).
pub fn log_det_spd(a: &DMatrix<f64>) -> Option<f64> {
    let c = a.clone().cholesky()?;
    Some(2.0 * c.l().diagonal().iter().map(|d| d.ln()).sum::<f64>())
}

/// Entropy (nats) of a Gaussian fitted to the samples: ½ ln det(2πe Σ) =
/// ½ (M ln(2πe) + ln det Σ), Σ the (1/(T−1)) sample covariance.
///
/// Ridge: a singular Σ (T ≤ M, constant or collinear units) has det 0 and
/// entropy −∞. We then add ε I with ε = 10⁻⁸ · tr(Σ)/M (10⁻¹² if Σ = 0),
/// multiplied by 10 until Cholesky succeeds, and return ε so callers can
/// report it. ε = 0 means no ridge was needed.
///
/// # Errors
/// Fewer than 2 samples.
///
/// # Complexity
/// O(T M² + M³).
pub fn gaussian_entropy(x: ArrayView2<f64>) -> Result<(f64, f64)> {
    let (t, m) = x.dim();
    if t < 2 || m == 0 {
        return Err(Error::Shape(format!(
            "entropy needs ≥ 2 samples and ≥ 1 unit, got {t} × {m}"
        )));
    }
    // Entropy shifts by M·ln c when x is scaled by c. Data near the ends of
    // the f64 range (1e±150 and beyond) would over- or underflow the
    // covariance, so it is computed on x·k (k a power of two, exact) and
    // −M·ln k added back; ordinary data is left untouched (same bits).
    let max_abs = x.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let k = if max_abs > 1e150 || (max_abs > 0.0 && max_abs < 1e-150) {
        crate::linalg::pow2_scale(max_abs)
    } else {
        1.0
    };
    if k != 1.0 {
        let xs = x.mapv(|v| v * k);
        let (h, ridge) = gaussian_entropy(xs.view())?;
        // The ridge in the data's units (ε·c²); beyond f64 it saturates.
        let r = ridge / k / k;
        return Ok((
            h - m as f64 * k.ln(),
            if r.is_finite() { r } else { f64::MAX },
        ));
    }
    let means: Vec<f64> = x
        .columns()
        .into_iter()
        .map(|c| c.sum() / t as f64)
        .collect();
    let mut cov = DMatrix::<f64>::zeros(m, m);
    for row in x.rows() {
        for i in 0..m {
            let di = row[i] - means[i];
            for j in i..m {
                cov[(i, j)] += di * (row[j] - means[j]);
            }
        }
    }
    for i in 0..m {
        for j in i..m {
            let v = cov[(i, j)] / (t - 1) as f64;
            cov[(i, j)] = v;
            cov[(j, i)] = v;
        }
    }
    let base = m as f64 * (2.0 * std::f64::consts::PI * std::f64::consts::E).ln();
    if let Some(ld) = log_det_spd(&cov) {
        if ld.is_finite() {
            return Ok((0.5 * (base + ld), 0.0));
        }
    }
    let tr = cov.trace() / m as f64;
    let mut eps = if tr > 0.0 { 1e-8 * tr } else { 1e-12 };
    for _ in 0..30 {
        let mut r = cov.clone();
        for i in 0..m {
            r[(i, i)] += eps;
        }
        if let Some(ld) = log_det_spd(&r) {
            if ld.is_finite() {
                return Ok((0.5 * (base + ld), eps));
            }
        }
        eps *= 10.0;
    }
    Err(Error::Numeric(
        "covariance could not be made positive definite with a ridge".into(),
    ))
}

/// Everything `rnnscope stats` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ActivityStats {
    /// Rows T of the activity (time steps / samples).
    pub samples: usize,
    /// Columns M of the activity (units).
    pub units: usize,
    /// Mean of all T·M values pooled.
    pub mean: f64,
    /// Population (1/n) standard deviation of the pooled values.
    pub std: f64,
    /// Skewness m₃/m₂^{3/2} of the pooled values (0 when they are constant).
    pub skewness: f64,
    /// Excess kurtosis m₄/m₂² − 3 of the pooled values (0 for a Gaussian; 0 when constant).
    pub excess_kurtosis: f64,
    /// Mean of the off-diagonal Pearson correlations.
    pub mean_correlation: f64,
    /// Gaussian entropy ½ ln det(2πe Σ) in nats.
    pub gaussian_entropy: f64,
    /// Ridge ε added to Σ (0 if none).
    pub entropy_ridge: f64,
    /// Histogram of the pooled activation values.
    pub activation_histogram: Histogram,
    /// Histogram of the off-diagonal pairwise Pearson correlations (constant units left out).
    pub correlation_histogram: Histogram,
    /// Units with zero variance (0-based).
    pub constant_units: Vec<usize>,
    /// Cautions: constant units, a singular covariance that needed the ridge.
    pub warnings: Vec<String>,
}

/// Largest number of units for [`activity_stats`] (the M×M covariance).
pub const MAX_UNITS: usize = 2000;

/// Activation statistics of T × M activity, `bins` histogram bins.
///
/// # Errors
/// T < 2, M < 2, M > [`MAX_UNITS`], non-finite values, bad `bins`.
///
/// # Complexity
/// O(T M² + M³).
pub fn activity_stats(x: ArrayView2<f64>, bins: usize) -> Result<ActivityStats> {
    let (t, m) = x.dim();
    check_size("units (columns)", m, 2, MAX_UNITS)?;
    let (fc, constant) = functional_connectivity(x)?;
    let vals: Vec<f64> = x.iter().copied().collect();
    let (mean, var, skew, kurt) = moments(&vals);
    let mut corr = Vec::with_capacity(m * (m - 1) / 2);
    for i in 0..m {
        for j in i + 1..m {
            if !constant.contains(&i) && !constant.contains(&j) {
                corr.push(fc[[i, j]]);
            }
        }
    }
    let mut warnings = Vec::new();
    if !constant.is_empty() {
        warnings.push(format!(
            "{} constant unit(s) (zero variance) are left out of the correlations: {:?}",
            constant.len(),
            constant.iter().map(|u| u + 1).collect::<Vec<_>>()
        ));
    }
    let mean_correlation = if corr.is_empty() {
        0.0
    } else {
        corr.iter().sum::<f64>() / corr.len() as f64
    };
    let (h, ridge) = gaussian_entropy(x)?;
    if ridge > 0.0 {
        warnings.push(format!(
            "the covariance is singular (T = {t}, M = {m}); entropy uses a ridge ε = {ridge:.3e}"
        ));
    }
    Ok(ActivityStats {
        samples: t,
        units: m,
        mean,
        std: var.sqrt(),
        skewness: skew,
        excess_kurtosis: kurt,
        mean_correlation,
        gaussian_entropy: h,
        entropy_ridge: ridge,
        activation_histogram: histogram(&vals, bins)?,
        correlation_histogram: histogram(&corr, bins)?,
        constant_units: constant,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    #[test]
    fn moments_by_hand() {
        // 1,2,3,10: mean 4, central 3,2,1,−6 → m2 = 12.5, m3 = −45/... by hand:
        let (m, v, s, k) = moments(&[1.0, 2.0, 3.0, 10.0]);
        assert!((m - 4.0).abs() < 1e-12);
        assert!((v - 12.5).abs() < 1e-12);
        let m3 = (-27.0 - 8.0 - 1.0 + 216.0) / 4.0;
        let m4 = (81.0 + 16.0 + 1.0 + 1296.0) / 4.0;
        assert!((s - m3 / 12.5f64.powf(1.5)).abs() < 1e-12);
        assert!((k - (m4 / 156.25 - 3.0)).abs() < 1e-12);
    }

    #[test]
    fn entropy_matches_closed_form_for_diagonal_cov() {
        // Two independent units, sample variances 1 and 4 by construction.
        let x = array![[1.0, 2.0], [-1.0, -2.0], [1.0, -2.0], [-1.0, 2.0]];
        let (h, ridge) = gaussian_entropy(x.view()).unwrap();
        let var: f64 = 4.0 / 3.0; // Σ (±1)² / (T − 1)
        let expect = 0.5
            * (2.0 * (2.0 * std::f64::consts::PI * std::f64::consts::E).ln()
                + (var * 4.0 * var).ln());
        assert_eq!(ridge, 0.0);
        assert!((h - expect).abs() < 1e-12, "{h} vs {expect}");
    }

    #[test]
    fn singular_cov_uses_ridge() {
        let x = Array2::from_shape_fn((5, 3), |(t, j)| {
            if j == 2 {
                1.0
            } else {
                t as f64 * (j + 1) as f64
            }
        });
        let s = activity_stats(x.view(), 10).unwrap();
        assert!(s.entropy_ridge > 0.0 && s.gaussian_entropy.is_finite());
        assert_eq!(s.constant_units, vec![2]);
        assert!((s.mean_correlation - 1.0).abs() < 1e-12);
        assert_eq!(s.activation_histogram.counts.iter().sum::<usize>(), 15);
    }

    #[test]
    fn entropy_shifts_by_m_ln_c_at_the_ends_of_the_f64_range() {
        // H(c·x) = H(x) + M ln c; at c = 1e300 or 1e-300 the covariance would
        // over- or underflow without the exact power-of-two rescaling.
        let x = array![[1.0, 2.0], [-1.0, -2.0], [1.0, -2.0], [-1.0, 2.5]];
        let (h, _) = gaussian_entropy(x.view()).unwrap();
        for c in [1e300, 1e-300, 1.7e308 / 2.5] {
            let (hc, ridge) = gaussian_entropy(x.mapv(|v| v * c).view()).unwrap();
            let want = h + 2.0 * c.ln();
            assert!(
                (hc - want).abs() < 1e-9 * want.abs().max(1.0),
                "c {c}: {hc} vs {want}"
            );
            assert_eq!(ridge, 0.0);
        }
    }
}
