//! Dimension of activity: participation ratio of covariance eigenvalues, PCA
//! with explained variance and projections, autocorrelation and timescales.
//!
//! Activity is a T × N matrix: rows are time samples, columns units.

use crate::error::{check_size, Error, Result};
use nalgebra::DMatrix;
use ndarray::Array2;
use serde::Serialize;

/// Participation ratio PR = (Σλ)² / Σλ² of non-negative eigenvalues
/// (Gao et al. 2017; Clark et al. 2023): 1 when one mode carries all the
/// variance, k for k equal modes. 0 for no variance.
pub fn participation_ratio(eigs: &[f64]) -> f64 {
    let s: f64 = eigs.iter().map(|l| l.max(0.0)).sum();
    let s2: f64 = eigs.iter().map(|l| l.max(0.0).powi(2)).sum();
    if s2 > 0.0 {
        s * s / s2
    } else {
        0.0
    }
}

/// Principal components of activity.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    /// Column means.
    pub mean: Vec<f64>,
    /// Nonzero-capable covariance eigenvalues, descending (min(T−1, N) of them
    /// at most are nonzero; this holds min(T, N)).
    pub eigenvalues: Vec<f64>,
    /// eigenvalue / total variance, descending.
    pub explained_variance: Vec<f64>,
    /// PR of the covariance eigenvalues.
    pub participation_ratio: f64,
    /// Top `k` principal axes, k × N (unit vectors).
    pub components: Array2<f64>,
    /// Centred activity projected on the axes, T × k.
    pub projections: Array2<f64>,
}

fn check_activity(x: &Array2<f64>) -> Result<()> {
    let (t, n) = x.dim();
    if t < 2 || n == 0 {
        return Err(Error::Shape(format!(
            "activity needs at least 2 time samples (rows) and 1 unit (column), got {t} × {n}"
        )));
    }
    if let Some(((r, c), v)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(Error::Format(format!(
            "activity row {}, column {} is {v}; NaN and Inf are not allowed",
            r + 1,
            c + 1
        )));
    }
    check_size("units (columns)", n, 1, 5000)?;
    Ok(())
}

/// PCA of activity `x` (T × N) keeping `k` components: eigen-decomposition
/// of the covariance C = XcᵀXc/(T−1) (nalgebra `SymmetricEigen`), or of the
/// Gram matrix XcXcᵀ/(T−1) when T < N (same nonzero eigenvalues, cheaper).
///
/// # Errors
/// Fewer than 2 rows, NaN/Inf, more than 5000 columns or 5000 rows when T < N.
///
/// # Complexity
/// O(T·N·min(T,N) + min(T,N)³).
pub fn pca(x: &Array2<f64>, k: usize) -> Result<Pca> {
    let (max_abs, sums) = scan_activity(x)?;
    // PR and explained variance are scale-invariant: compute on x·2^-e (exact)
    // so activity near 1e160 does not overflow its squares and 1e-300 does
    // not underflow them; rescale the rest (eigenvalues saturate at f64::MAX).
    let s = crate::linalg::pow2_scale(max_abs);
    if s != 1.0 && !(1e-100..=1e100).contains(&s) {
        let mut p = pca(&(x * s), k)?;
        p.mean.iter_mut().for_each(|m| *m /= s);
        p.eigenvalues
            .iter_mut()
            .for_each(|l| *l = (*l / s / s).min(f64::MAX));
        p.projections.mapv_inplace(|v| v / s);
        return Ok(p);
    }
    let (t, n) = x.dim();
    let mean: Vec<f64> = sums.into_iter().map(|m| m / t as f64).collect();
    if k == 0 && n <= t {
        // C = XcᵀXc / (T−1) from the rows of x, without a T × N copy.
        return pca_of_scatter(&crate::linalg::centred_gram(&x.view(), &mean), t, mean);
    }
    // The centred copy only where it is used: projections, or the Gram path.
    let xc = (k > 0 || n > t).then(|| DMatrix::from_fn(t, n, |i, j| x[[i, j]] - mean[j]));
    let denom = (t - 1) as f64;
    let m = t.min(n);
    let k = k.min(m);
    let (eigs, axes): (Vec<f64>, DMatrix<f64>) = match &xc {
        Some(xc) if n > t => gram_path(xc, k, denom)?,
        _ => {
            // C = XcᵀXc / (T−1) from the rows of x, without a T × N copy.
            let g = crate::linalg::centred_gram(&x.view(), &mean);
            let c = DMatrix::from_fn(n, n, |i, j| g[[i, j]] / denom);
            let se = c.symmetric_eigen();
            let idx = crate::linalg::argsort(se.eigenvalues.as_slice(), true);
            let axes = DMatrix::from_fn(n, k, |i, c| se.eigenvectors[(i, idx[c])]);
            (
                idx.iter().map(|&i| se.eigenvalues[i].max(0.0)).collect(),
                axes,
            )
        }
    };
    let total: f64 = eigs.iter().sum();
    let explained = eigs
        .iter()
        .map(|l| if total > 0.0 { l / total } else { 0.0 })
        .collect();
    let projections = match &xc {
        Some(xc) if k > 0 => {
            let proj = xc * &axes;
            Array2::from_shape_fn((t, k), |(i, c)| proj[(i, c)])
        }
        _ => Array2::zeros((t, 0)),
    };
    Ok(Pca {
        mean,
        participation_ratio: participation_ratio(&eigs),
        explained_variance: explained,
        eigenvalues: eigs,
        components: Array2::from_shape_fn((k, n), |(c, i)| axes[(i, c)]),
        projections,
    })
}

/// [`pca`] with k = 0 (eigenvalues, explained variance, PR; no axes) from
/// the scatter matrix G = XcᵀXc of `t` rows about `mean`
/// ([`crate::linalg::centred_gram`] or [`crate::linalg::CentredGram`]): what
/// `pca(x, 0)` computes for T ≥ N, for activity that is never held whole
/// (the CLI reads it back from its output file block by block).
///
/// # Errors
/// `t` < 2, or G not N × N for N = `mean.len()`.
///
/// # Complexity
/// O(N³) (symmetric tridiagonal QR, eigenvalues only).
pub fn pca_of_scatter(g: &Array2<f64>, t: usize, mean: Vec<f64>) -> Result<Pca> {
    let n = mean.len();
    if t < 2 || g.dim() != (n, n) {
        return Err(Error::Shape(format!(
            "scatter matrix {:?} of {t} samples for {n} units",
            g.dim()
        )));
    }
    let denom = (t - 1) as f64;
    let c = DMatrix::from_fn(n, n, |i, j| g[[i, j]] / denom);
    // Eigenvalues only: the same tridiagonal QR iterations as with
    // eigenvectors, so the same values.
    let mut eigs: Vec<f64> = c
        .symmetric_eigenvalues()
        .iter()
        .map(|l| l.max(0.0))
        .collect();
    crate::linalg::sort_f64_desc(&mut eigs);
    let total: f64 = eigs.iter().sum();
    Ok(Pca {
        mean,
        participation_ratio: participation_ratio(&eigs),
        explained_variance: eigs
            .iter()
            .map(|l| if total > 0.0 { l / total } else { 0.0 })
            .collect(),
        eigenvalues: eigs,
        components: Array2::zeros((0, n)),
        projections: Array2::zeros((t, 0)),
    })
}

/// Shape and finiteness as [`check_activity`], in one pass over the rows that
/// also returns the largest |entry| and the column sums (each column summed
/// top to bottom).
fn scan_activity(x: &Array2<f64>) -> Result<(f64, Vec<f64>)> {
    let (t, n) = x.dim();
    if t < 2 || n == 0 {
        return check_activity(x).map(|()| (0.0, vec![]));
    }
    let mut scan = crate::linalg::ColumnScan::new(n);
    for row in x.rows() {
        scan.add_row(row);
    }
    let max_abs = scan.max_abs();
    if !max_abs.is_finite() || scan.sums.iter().any(|v| v.is_nan()) {
        check_activity(x)?;
    }
    check_size("units (columns)", n, 1, 5000)?;
    Ok((max_abs, scan.sums))
}

/// Eigenvalues (descending) and the top `k` axes of the covariance through
/// the T × T Gram matrix XcXcᵀ/(T−1), for T < N.
fn gram_path(xc: &DMatrix<f64>, k: usize, denom: f64) -> Result<(Vec<f64>, DMatrix<f64>)> {
    let (t, n) = xc.shape();
    check_size("time samples (rows) when fewer than units", t, 2, 5000)?;
    let g = (xc * xc.transpose()) / denom;
    let se = g.symmetric_eigen();
    let idx = crate::linalg::argsort(se.eigenvalues.as_slice(), true);
    // Axis = Xcᵀ u / ‖Xcᵀ u‖.
    let mut axes = DMatrix::zeros(n, k);
    for (c, &ic) in idx.iter().take(k).enumerate() {
        let u = se.eigenvectors.column(ic);
        let v = xc.transpose() * u;
        let nv = v.norm();
        if nv > 0.0 {
            axes.set_column(c, &(v / nv));
        }
    }
    Ok((
        idx.iter().map(|&i| se.eigenvalues[i].max(0.0)).collect(),
        axes,
    ))
}

/// Autocorrelation functions and their timescales.
#[derive(Debug, Clone, PartialEq)]
pub struct Autocorrelation {
    /// Per unit, lags 0..=max_lag (N rows); a unit with no variance gets NaN.
    pub per_unit: Array2<f64>,
    /// Population: Σ_i cov_i(lag) / Σ_i var_i.
    pub population: Vec<f64>,
    /// Per unit: the lag (× dt) where the ACF first falls below 1/e, linearly
    /// interpolated; NaN if it never does within max_lag.
    pub timescale_per_unit: Vec<f64>,
    /// 1/e time of the population ACF (NaN if it never falls below 1/e).
    pub population_timescale: f64,
}

fn e_folding(acf: &[f64], dt: f64) -> f64 {
    let thr = (-1.0f64).exp();
    for l in 1..acf.len() {
        if acf[l] < thr {
            let (a, b) = (acf[l - 1], acf[l]);
            return dt * ((l - 1) as f64 + (a - thr) / (a - b));
        }
    }
    f64::NAN
}

/// Autocorrelation of each unit, ρ_i(ℓ) = Σ_t δx_i(t) δx_i(t+ℓ) / Σ_t δx_i(t)²
/// (the standard biased estimator), the population ACF, and 1/e timescales
/// in units of `dt` (the sampling interval). For an Ornstein–Uhlenbeck unit
/// with time constant τ, ρ(ℓ) = e^{−ℓ dt/τ} and the timescale is τ.
///
/// # Errors
/// Shape errors; `max_lag` ≥ T.
///
/// # Complexity
/// O(N·T·max_lag).
pub fn autocorrelation(x: &Array2<f64>, max_lag: usize, dt: f64) -> Result<Autocorrelation> {
    check_activity(x)?;
    // ρ is scale-invariant: scale extreme activity by a power of two (exact).
    let s = crate::linalg::pow2_scale(crate::linalg::max_abs(x));
    if s != 1.0 && !(1e-100..=1e100).contains(&s) {
        return autocorrelation(&(x * s), max_lag, dt);
    }
    let (t, n) = x.dim();
    check_size("max_lag", max_lag, 1, t - 1)?;
    crate::error::check_range("dt", dt, 1e-12, 1e12)?;
    let mut per_unit = Array2::from_elem((n, max_lag + 1), f64::NAN);
    let mut pop_cov = vec![0.0; max_lag + 1];
    let mut dx = vec![0.0; t];
    for i in 0..n {
        let col = x.column(i);
        let mu = col.sum() / t as f64;
        dx.iter_mut().zip(col.iter()).for_each(|(d, v)| *d = v - mu);
        for (l, pc) in pop_cov.iter_mut().enumerate() {
            let c: f64 = dx[..t - l].iter().zip(&dx[l..]).map(|(a, b)| a * b).sum();
            *pc += c;
            per_unit[[i, l]] = c;
        }
        let v = per_unit[[i, 0]];
        for l in 0..=max_lag {
            per_unit[[i, l]] = if v > 0.0 {
                per_unit[[i, l]] / v
            } else {
                f64::NAN
            };
        }
    }
    let population: Vec<f64> = if pop_cov[0] > 0.0 {
        pop_cov.iter().map(|c| c / pop_cov[0]).collect()
    } else {
        vec![f64::NAN; max_lag + 1]
    };
    let timescale_per_unit = (0..n)
        .map(|i| e_folding(per_unit.row(i).as_slice().unwrap_or(&[]), dt))
        .collect();
    Ok(Autocorrelation {
        population_timescale: e_folding(&population, dt),
        per_unit,
        population,
        timescale_per_unit,
    })
}

/// Which variable of the rate network a dimension is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Record {
    /// Firing rates φ(h) — the default: the random-mode paper (Clark et
    /// al. 2024), like Clark, Abbott & Litwin-Kumar 2023, defines the
    /// dimension of activity from the covariance of φ(h).
    Rates,
    /// Currents (pre-activations) h.
    Currents,
}

impl Record {
    /// Parse `rates` or `currents`.
    ///
    /// # Errors
    /// [`Error::Param`] naming `record` for anything else.
    pub fn parse(name: &str) -> Result<Record> {
        match name {
            "rates" => Ok(Record::Rates),
            "currents" => Ok(Record::Currents),
            other => Err(Error::param(
                "record",
                format!("unknown variable \"{other}\": use rates (φ(h)) or currents (h)"),
            )),
        }
    }

    /// `"rates"` or `"currents"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Record::Rates => "rates",
            Record::Currents => "currents",
        }
    }
}

/// Parameters of [`activity_dimension`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DimensionParams {
    /// What the activity matrix holds (a label carried into the result).
    pub record: Record,
    /// PR of the correlation matrix (z-scored units) instead of the covariance.
    pub zscore: bool,
    /// Largest lag of the autocorrelations (1 ≤ max_lag < T).
    pub max_lag: usize,
    /// Sampling interval of the rows (time units).
    pub dt: f64,
    /// Leading PCs whose autocorrelation gives the collective timescale (≥ 1).
    pub pcs: usize,
}

impl Default for DimensionParams {
    fn default() -> Self {
        DimensionParams {
            record: Record::Rates,
            zscore: false,
            max_lag: 200,
            dt: 1.0,
            pcs: 3,
        }
    }
}

/// Dimension and timescales of activity, single-unit and collective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityDimension {
    /// What was analysed: `rates` or `currents`.
    pub record: Record,
    /// True when the PR is of the correlation matrix (z-scored units).
    pub zscored: bool,
    /// PR = (Σλ)²/Σλ² of the covariance (or correlation) eigenvalues.
    pub participation_ratio: f64,
    /// Explained variance of the first (up to 10) PCs.
    pub explained_variance: Vec<f64>,
    /// Median over units of the 1/e time of each unit's autocorrelation
    /// (`None` when fewer than half the units decay within `max_lag`; then
    /// left out of the JSON and explained in `warnings`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_timescale: Option<f64>,
    /// 1/e time of tr C(τ)/tr C(0) (the variance-weighted mean of single-unit
    /// autocovariances; `None` if it does not decay within `max_lag` or no
    /// unit varies: left out of the JSON, explained in `warnings`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population_timescale: Option<f64>,
    /// 1/e time of the summed autocovariance of the leading `pcs` PC
    /// projections, Σ_m ⟨y_m(t) y_m(t+τ)⟩ / Σ_m ⟨y_m²⟩: the timescale of the
    /// high-variance collective fluctuations (`None` if no decay within
    /// `max_lag`: left out of the JSON, explained in `warnings`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collective_timescale: Option<f64>,
    /// The 1/e time of each unit that has one (`unit` is 1-based). Units with
    /// no variance, or whose autocorrelation stays above 1/e up to `max_lag`,
    /// have no timescale: they are left out and named in `warnings`.
    pub timescale_per_unit: Vec<UnitTimescale>,
    /// Number of PCs used for the collective timescale.
    pub collective_pcs: usize,
    /// Time samples T.
    pub samples: usize,
    /// Units N analysed (after dropping constant units when z-scoring).
    pub units: usize,
    /// Units dropped because they had no variance (z-scoring only).
    pub dropped_units: usize,
    /// Why a quantity is missing or a convention was used (no variance: PR 0;
    /// a timescale left out). Empty when every quantity is defined.
    pub warnings: Vec<String>,
}

/// One unit's 1/e autocorrelation time (see [`ActivityDimension`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UnitTimescale {
    /// Unit (column), 1-based.
    pub unit: usize,
    /// Its 1/e time, in the time units of `dt`.
    pub timescale: f64,
}

/// `1, 2, 3` for at most 12 1-based unit numbers, then `… (k in all)`.
fn unit_list(units: &[usize]) -> String {
    let mut s: Vec<String> = units.iter().take(12).map(|u| u.to_string()).collect();
    if units.len() > 12 {
        s.push(format!("… ({} in all)", units.len()));
    }
    s.join(", ")
}

/// Z-score each column (unit); drop columns with zero variance. Returns the
/// standardised matrix and the number of dropped columns.
///
/// # Errors
/// [`Error::Shape`] when fewer than one unit has variance.
pub fn zscore_columns(x: &Array2<f64>) -> Result<(Array2<f64>, usize)> {
    let (t, n) = x.dim();
    let mut keep = Vec::new();
    let mut stats = Vec::new();
    for j in 0..n {
        let c = x.column(j);
        let mu = c.sum() / t as f64;
        let var = c.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (t as f64 - 1.0).max(1.0);
        if var > 1e-300 {
            keep.push(j);
            stats.push((mu, var.sqrt()));
        }
    }
    if keep.is_empty() {
        return Err(Error::Shape(
            "every unit is constant: z-scoring (correlation matrix) is undefined".into(),
        ));
    }
    let z = Array2::from_shape_fn((t, keep.len()), |(i, c)| {
        (x[[i, keep[c]]] - stats[c].0) / stats[c].1
    });
    Ok((z, n - keep.len()))
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// PR (optionally of z-scored units), the single-unit and population
/// timescales and the collective timescale of T × N activity.
///
/// PR = (tr C)² / tr C² (Gao et al. 2017; Clark et al. 2023, 2024). The
/// collective timescale is the 1/e time of the autocovariance of the leading
/// PCs, so structure that shows only in collective modes (Clark et al. 2024:
/// "invisible in single-neuron activities") can be set beside the median
/// single-unit 1/e time.
///
/// # Errors
/// As [`pca`] and [`autocorrelation`]; `pcs` = 0.
///
/// # Complexity
/// O(T·N·min(T,N) + min(T,N)³ + N·T·max_lag).
pub fn activity_dimension(x: &Array2<f64>, p: &DimensionParams) -> Result<ActivityDimension> {
    check_activity(x)?;
    check_size("pcs", p.pcs, 1, 1000)?;
    let (z, dropped) = if p.zscore {
        zscore_columns(x)?
    } else {
        (x.clone(), 0)
    };
    let k = p.pcs.min(z.ncols()).min(z.nrows());
    let pc = pca(&z, k)?;
    let single = autocorrelation(x, p.max_lag, p.dt)?;
    let mut ts: Vec<f64> = single
        .timescale_per_unit
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    crate::linalg::sort_f64(&mut ts);
    let unit_timescale = (2 * ts.len() >= x.ncols() && !ts.is_empty()).then(|| {
        let m = ts.len();
        if m % 2 == 1 {
            ts[m / 2]
        } else {
            0.5 * (ts[m / 2 - 1] + ts[m / 2])
        }
    });
    let coll = autocorrelation(&pc.projections, p.max_lag, p.dt)?;
    let horizon = p.max_lag as f64 * p.dt;
    let mut warnings = Vec::new();
    if pc.eigenvalues.iter().all(|&l| l <= 0.0) {
        warnings.push(
            "the activity has no variance (every unit is constant): participation_ratio and explained_variance are 0 by convention and no timescale is defined".into(),
        );
    }
    let constant: Vec<usize> = (0..x.ncols())
        .filter(|&i| single.per_unit[[i, 0]].is_nan())
        .map(|i| i + 1)
        .collect();
    let slow: Vec<usize> = (0..x.ncols())
        .filter(|&i| !single.per_unit[[i, 0]].is_nan() && !single.timescale_per_unit[i].is_finite())
        .map(|i| i + 1)
        .collect();
    if !constant.is_empty() {
        warnings.push(format!(
            "unit(s) {} have no variance: no timescale (left out of timescale_per_unit)",
            unit_list(&constant)
        ));
    }
    if !slow.is_empty() {
        warnings.push(format!(
            "the autocorrelation of unit(s) {} stays above 1/e up to max_lag × dt = {horizon}: no timescale (left out of timescale_per_unit; raise max_lag)",
            unit_list(&slow)
        ));
    }
    if unit_timescale.is_none() && constant.len() < x.ncols() {
        warnings.push(format!(
            "fewer than half the units ({} of {}) decay below 1/e within max_lag × dt = {horizon}: unit_timescale (their median) is left out",
            ts.len(),
            x.ncols()
        ));
    }
    let pop = finite(single.population_timescale);
    if pop.is_none() && constant.len() < x.ncols() {
        warnings.push(format!(
            "the population autocorrelation stays above 1/e up to max_lag × dt = {horizon}: population_timescale is left out (raise max_lag)"
        ));
    }
    let coll_t = finite(coll.population_timescale);
    if coll_t.is_none() && constant.len() < x.ncols() {
        warnings.push(format!(
            "the autocovariance of the leading {k} PC(s) stays above 1/e up to max_lag × dt = {horizon}: collective_timescale is left out (raise max_lag)"
        ));
    }
    let timescale_per_unit = single
        .timescale_per_unit
        .iter()
        .enumerate()
        .filter(|(_, t)| t.is_finite())
        .map(|(i, &t)| UnitTimescale {
            unit: i + 1,
            timescale: t,
        })
        .collect();
    Ok(ActivityDimension {
        record: p.record,
        zscored: p.zscore,
        participation_ratio: pc.participation_ratio,
        explained_variance: pc.explained_variance.iter().take(10).copied().collect(),
        unit_timescale,
        population_timescale: pop,
        collective_timescale: coll_t,
        timescale_per_unit,
        collective_pcs: k,
        samples: z.nrows(),
        units: z.ncols(),
        dropped_units: dropped,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::simulate::{Activation, Input, Params, Simulator};
    use crate::rng::seeded;
    use ndarray::{Axis, Slice};
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn white_noise_pr_matches_marchenko_pastur() {
        // Sample covariance of i.i.d. unit noise: E λ = 1, E λ² = 1 + N/T
        // (Marchenko–Pastur), so PR ≈ N / (1 + N/T) → N as T grows.
        let (t, n) = (20_000, 50);
        let mut rng = seeded(5);
        let x: Array2<f64> =
            Array2::from_shape_simple_fn((t, n), || StandardNormal.sample(&mut rng));
        let p = pca(&x, 2).unwrap();
        let expect = n as f64 / (1.0 + n as f64 / t as f64);
        assert!(
            (p.participation_ratio / expect - 1.0).abs() < 0.01,
            "PR {}",
            p.participation_ratio
        );
        assert!(p.participation_ratio > 0.97 * n as f64);
    }

    #[test]
    fn rank_k_data_has_pr_k_and_gram_path_agrees() {
        // k orthogonal, equal-variance cosines mixed by orthonormal axes: PR = k exactly.
        let (t, n, k) = (240, 30, 4);
        let mut rng = seeded(1);
        let g = DMatrix::from_fn(n, k, |_, _| -> f64 { StandardNormal.sample(&mut rng) });
        let q = g.qr().q(); // n × k, orthonormal columns
        let x = Array2::from_shape_fn((t, n), |(ti, i)| {
            (0..k)
                .map(|m| {
                    (std::f64::consts::TAU * (m + 1) as f64 * ti as f64 / t as f64).cos()
                        * q[(i, m)]
                })
                .sum::<f64>()
        });
        let p = pca(&x, 3).unwrap();
        // Eigenvalues only (k = 0): the same values, no axes or projections.
        let p0 = pca(&x, 0).unwrap();
        assert_eq!(
            (&p0.eigenvalues, p0.mean.clone()),
            (&p.eigenvalues, p.mean.clone())
        );
        assert_eq!(
            (p0.components.dim(), p0.projections.dim()),
            ((0, n), (t, 0))
        );
        assert!(
            (p.participation_ratio - k as f64).abs() < 1e-9,
            "PR {}",
            p.participation_ratio
        );
        for m in 0..k {
            assert!((p.explained_variance[m] - 0.25).abs() < 1e-9);
        }
        // The transposed problem (T < N) goes through the Gram matrix.
        let xt = x.slice_axis(Axis(0), Slice::from(..20)).to_owned();
        let mut xw = Array2::zeros((20, 60));
        xw.slice_axis_mut(Axis(1), Slice::from(..30)).assign(&xt);
        xw.slice_axis_mut(Axis(1), Slice::from(30..))
            .assign(&(&xt * 2.0));
        let a = pca(&xw, 2).unwrap();
        let b = {
            // Reference: covariance path on the same data via explicit N × N.
            let mean: Vec<f64> = (0..60).map(|j| xw.column(j).sum() / 20.0).collect();
            let xc = DMatrix::from_fn(20, 60, |i, j| xw[[i, j]] - mean[j]);
            let c = (xc.transpose() * &xc) / 19.0;
            let mut e: Vec<f64> = c.symmetric_eigen().eigenvalues.iter().copied().collect();
            e.sort_by(|a, b| b.total_cmp(a));
            e
        };
        for m in 0..5 {
            assert!((a.eigenvalues[m] - b[m]).abs() < 1e-9 * b[0]);
        }
        // Projection variance = eigenvalue.
        let pv = a.projections.column(0).iter().map(|v| v * v).sum::<f64>() / 19.0;
        assert!((pv - a.eigenvalues[0]).abs() < 1e-9 * a.eigenvalues[0]);
        assert!(pca(&Array2::zeros((1, 3)), 1).is_err());
        let mut bad = Array2::zeros((3, 3));
        bad[[1, 2]] = f64::NAN;
        assert!(pca(&bad, 1)
            .unwrap_err()
            .to_string()
            .contains("row 2, column 3"));
    }

    #[test]
    fn ou_autocorrelation_timescale() {
        // W = 0, linear, noise: each unit is OU with ρ(ℓ) = (1 − dt/τ)^ℓ → timescale ≈ τ.
        let n = 100;
        let tau = 0.5;
        let p = Params {
            tau,
            dt: 0.01,
            sigma: 1.0,
            phi: Activation::Linear,
        };
        let mut sim =
            Simulator::new(Array2::zeros((n, n)), vec![0.0; n], p, Input::None, 3).unwrap();
        sim.step(500).unwrap();
        let x = sim.record(20_000, 1).unwrap();
        let ac = autocorrelation(&x, 150, 0.01).unwrap();
        let exact = -0.01 / (1.0f64 - 0.01 / tau).ln(); // e-folding of q^ℓ in time units
        assert!(
            (ac.population_timescale / exact - 1.0).abs() < 0.05,
            "timescale {} vs {exact}",
            ac.population_timescale
        );
        assert!((ac.population[10] - (1.0f64 - 0.02).powi(10)).abs() < 0.03);
        assert!(autocorrelation(&x, 20_000, 0.01).is_err());
    }
}
