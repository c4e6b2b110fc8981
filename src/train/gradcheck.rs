//! Central finite differences, for checking hand-derived gradients of any model.
//!
//! ∂f/∂θᵢ ≈ (f(θ + h eᵢ) − f(θ − h eᵢ)) / 2h, error O(h²) (e.g. Nocedal &
//! Wright, Numerical Optimization, §8.1).

/// Numerical gradient of `f` at `theta` for the listed coordinates `idx`.
///
/// Complexity: 2·|idx| evaluations of `f`.
pub fn central_diff<F: FnMut(&[f64]) -> f64>(
    mut f: F,
    theta: &[f64],
    idx: &[usize],
    h: f64,
) -> Vec<f64> {
    let mut x = theta.to_vec();
    idx.iter()
        .map(|&i| {
            let x0 = x[i];
            x[i] = x0 + h;
            let up = f(&x);
            x[i] = x0 - h;
            let down = f(&x);
            x[i] = x0;
            (up - down) / (2.0 * h)
        })
        .collect()
}

/// Largest relative error |a − b| / max(|a|, |b|, floor) over paired entries.
pub fn max_rel_err(a: &[f64], b: &[f64], floor: f64) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs() / x.abs().max(y.abs()).max(floor))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cubic() {
        let g = central_diff(|x| x[0].powi(3) + 2.0 * x[1], &[2.0, 5.0], &[0, 1], 1e-5);
        assert!((g[0] - 12.0).abs() < 1e-6 && (g[1] - 2.0).abs() < 1e-8);
    }
}
