//! Functional connectivity: Pearson correlation between units over time,
//! diagonal 0 (no self-loops), per window → the layers of a multilayer network
//! (as in the HebbFF study: A_ijl = corr of units i and j in window l).

use crate::error::{check_size, Error, Result};
use ndarray::{Array2, ArrayView2, Axis, Slice};

/// Largest number of units M.
pub const MAX_UNITS: usize = 2000;
/// Largest number of layers L.
pub const MAX_LAYERS: usize = 2000;

/// Pearson correlation matrix of the columns of `x` (T samples × M units).
///
/// A unit with zero variance has no defined correlation: its row and column
/// are set to 0 (it joins no one) and its index is returned in the second
/// value so callers can warn by name.
///
/// # Errors
/// T < 2, M < 2 or M > [`MAX_UNITS`], non-finite entries.
///
/// # Complexity
/// O(T M²).
pub fn functional_connectivity(x: ArrayView2<f64>) -> Result<(Array2<f64>, Vec<usize>)> {
    let (t, m) = x.dim();
    if t < 2 {
        return Err(Error::Shape(format!(
            "functional connectivity needs at least 2 time samples, got {t}"
        )));
    }
    check_size("units (columns)", m, 2, MAX_UNITS)?;
    // One pass for finiteness and max |x| (v·0 is NaN for NaN and ±Inf);
    // the message names the first bad entry, found by a second scan.
    let (mut mx, mut nan) = ([0.0f64; 4], [0.0f64; 4]);
    let mut scan = |r: &[f64]| super::signed::max_abs_nan(r, &mut mx, &mut nan);
    match x.as_slice() {
        Some(all) => scan(all),
        None => x.rows().into_iter().for_each(|r| scan(&r.to_vec())),
    }
    let amax = mx[0].max(mx[1]).max(mx[2].max(mx[3]));
    let nan = (nan[0] + nan[1]) + (nan[2] + nan[3]);
    if nan != 0.0 {
        if let Some(((r, c), v)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::Shape(format!(
                "activity ({}, {}) is {v}; NaN and Inf are not allowed",
                r + 1,
                c + 1
            )));
        }
    }
    // Correlations are scale-invariant: scale extreme activity by a power of
    // two (exact) so columns near ±1e308 do not overflow their sums and
    // variances, and 1e-200 does not underflow.
    let sc = crate::linalg::pow2_scale(amax);
    let mut z = if sc != 1.0 && !(1e-100..=1e100).contains(&sc) {
        x.mapv(|v| v * sc)
    } else {
        x.to_owned()
    };
    let constant = standardize_columns(&mut z);
    let mut c = z.t().dot(&z);
    for i in 0..m {
        c[[i, i]] = 0.0;
    }
    c.mapv_inplace(|v| v.clamp(-1.0, 1.0));
    Ok((c, constant))
}

/// Centre every column of `z` (T × M) and scale it to unit norm; a column
/// with negligible variance is set to 0 and its index returned. Each
/// column's sums are those of a column-by-column scan with ndarray (the
/// mean from `sum`, then Σ_t (z_tj − mean)² in t order), to the bit; for a
/// row-major `z` the passes go row by row, vectorised across columns.
///
/// Complexity: O(T M).
fn standardize_columns(z: &mut Array2<f64>) -> Vec<usize> {
    let (t, m) = z.dim();
    let relative = |ss: f64, mean: f64| {
        // Variance negligible against the values' magnitude.
        ss.sqrt() <= 1e-12 * mean.abs().max(1e-300) * (t as f64).sqrt() || ss == 0.0
    };
    let mut constant = Vec::new();
    let Some(zs) = z.as_slice_mut() else {
        for (j, mut col) in z.columns_mut().into_iter().enumerate() {
            let mean = col.sum() / t as f64;
            col.mapv_inplace(|v| v - mean);
            let ss: f64 = col.iter().map(|v| v * v).sum();
            if relative(ss, mean) {
                constant.push(j);
                col.fill(0.0);
            } else {
                let inv = 1.0 / ss.sqrt();
                col.mapv_inplace(|v| v * inv);
            }
        }
        return constant;
    };
    // Row-major: a strided column's `sum` is 0 + (its fold from 0), t in order.
    let mut mean = vec![0.0; m];
    for row in zs.chunks_exact(m) {
        for (a, &v) in mean.iter_mut().zip(row) {
            *a += v;
        }
    }
    for a in mean.iter_mut() {
        *a = (0.0 + *a) / t as f64;
    }
    let mut ss = vec![0.0; m];
    for row in zs.chunks_exact_mut(m) {
        for ((v, &a), s) in row.iter_mut().zip(&mean).zip(ss.iter_mut()) {
            *v -= a;
            *s += *v * *v;
        }
    }
    let mut inv = vec![0.0; m];
    let mut keep = vec![true; m];
    for (j, (&s, &a)) in ss.iter().zip(&mean).enumerate() {
        if relative(s, a) {
            constant.push(j);
            keep[j] = false;
        } else {
            inv[j] = 1.0 / s.sqrt();
        }
    }
    for row in zs.chunks_exact_mut(m) {
        for ((v, &f), &k) in row.iter_mut().zip(&inv).zip(&keep) {
            *v = if k { *v * f } else { 0.0 };
        }
    }
    constant
}

/// FC layers from windows of an activity matrix.
#[derive(Debug, Clone)]
pub struct FcLayers {
    /// One M×M Pearson correlation matrix per window (zero diagonal; constant units give zero
    /// rows), in time order.
    pub layers: Vec<Array2<f64>>,
    /// First sample (0-based) of each window.
    pub starts: Vec<usize>,
    /// Window length Z in samples.
    pub window: usize,
    /// Human-readable warnings (constant units, dropped samples).
    pub warnings: Vec<String>,
}

/// Pearson FC in windows of `window` samples starting every `step` samples
/// (`step = window`: disjoint windows, the default; trailing samples that do
/// not fill a window are dropped with a warning).
///
/// # Errors
/// window < 2 or > T; step < 1; more than [`MAX_LAYERS`] windows; as
/// [`functional_connectivity`].
///
/// # Complexity
/// O(L Z M²) for L windows of Z samples.
pub fn windowed_fc(x: ArrayView2<f64>, window: usize, step: Option<usize>) -> Result<FcLayers> {
    let (t, _m) = x.dim();
    // Longer than the data first: the range check below would otherwise
    // report it as "between 2 and T" and this message would never show.
    if window > t {
        return Err(Error::param(
            "window",
            format!("{window} is longer than the {t} time samples"),
        ));
    }
    check_size("window", window, 2, t.max(2))?;
    let step = step.unwrap_or(window);
    check_size("step", step, 1, t)?;
    let l = (t - window) / step + 1;
    check_size("layers (windows)", l, 1, MAX_LAYERS)?;
    let mut out = FcLayers {
        layers: Vec::with_capacity(l),
        starts: Vec::with_capacity(l),
        window,
        warnings: Vec::new(),
    };
    let used = (l - 1) * step + window;
    if used < t {
        out.warnings.push(format!(
            "the last {} of {t} samples do not fill a window of {window} and were dropped",
            t - used
        ));
    }
    for k in 0..l {
        let a = k * step;
        let (c, constant) =
            functional_connectivity(x.slice_axis(Axis(0), Slice::from(a..a + window)))?;
        if !constant.is_empty() {
            let names: Vec<String> = constant
                .iter()
                .take(10)
                .map(|u| (u + 1).to_string())
                .collect();
            out.warnings.push(format!(
                "constant units in window {} (samples {}–{}): unit(s) {}{} have zero variance; their correlations are set to 0",
                k + 1,
                a + 1,
                a + window,
                names.join(", "),
                if constant.len() > 10 { ", …" } else { "" }
            ));
        }
        out.layers.push(c);
        out.starts.push(a);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn pearson_by_hand_and_constant_unit() {
        // Unit 0: 1,2,3 ; unit 1: 2,4,6 (corr 1) ; unit 2: 3,2,1 (corr −1) ; unit 3 constant.
        let x = array![
            [1.0, 2.0, 3.0, 5.0],
            [2.0, 4.0, 2.0, 5.0],
            [3.0, 6.0, 1.0, 5.0]
        ];
        let (c, k) = functional_connectivity(x.view()).unwrap();
        assert_eq!(k, vec![3]);
        assert!((c[[0, 1]] - 1.0).abs() < 1e-12);
        assert!((c[[0, 2]] + 1.0).abs() < 1e-12);
        assert_eq!(c[[0, 0]], 0.0);
        assert_eq!(c[[3, 0]], 0.0);
        assert!(c.iter().all(|v| v.is_finite()));
    }

    /// Row-major columns standardised row by row give the bits of the
    /// column-by-column scan with ndarray (the code this replaced).
    #[test]
    fn standardized_as_column_scan_to_the_bit() {
        let mut x =
            Array2::from_shape_fn((50, 9), |(t, j)| ((t * (j + 2)) as f64).sin() + j as f64);
        x.column_mut(4).fill(3.25);
        let mut want = x.clone();
        let t = x.nrows();
        let mut want_const = Vec::new();
        for (j, mut col) in want.columns_mut().into_iter().enumerate() {
            let mean = col.sum() / t as f64;
            col.mapv_inplace(|v| v - mean);
            let ss: f64 = col.iter().map(|v| v * v).sum();
            let scale = mean.abs().max(1e-300);
            if ss.sqrt() <= 1e-12 * scale * (t as f64).sqrt() || ss == 0.0 {
                want_const.push(j);
                col.fill(0.0);
            } else {
                let inv = 1.0 / ss.sqrt();
                col.mapv_inplace(|v| v * inv);
            }
        }
        let got_const = standardize_columns(&mut x);
        assert_eq!(got_const, vec![4]);
        assert_eq!(got_const, want_const);
        assert!(x.iter().zip(&want).all(|(p, q)| p.to_bits() == q.to_bits()));
    }

    #[test]
    fn windows_count_and_warnings() {
        let x = Array2::from_shape_fn((105, 3), |(t, j)| ((t * (j + 1)) as f64).sin());
        let f = windowed_fc(x.view(), 50, None).unwrap();
        assert_eq!(f.layers.len(), 2);
        assert!(f.warnings[0].contains("dropped"));
        let f = windowed_fc(x.view(), 50, Some(5)).unwrap();
        assert_eq!(f.layers.len(), 12);
        assert_eq!(f.starts[11], 55);
        assert!(windowed_fc(x.view(), 200, None).is_err());
    }
}
