//! Fixed points of the rate network by Newton's method from many seeded
//! starts, their Jacobians J = −I/τ + W diag(φ′(h*)) and stability.

use super::simulate::Activation;
use crate::error::{check_range, check_size, Error, Result};
use crate::rng::seeded;
use nalgebra::{DMatrix, DVector};
use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};

/// One fixed point h* with F(h*) = −h*/τ + W φ(h*) + I = 0.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedPoint {
    /// The fixed point h* itself, one entry per unit (length N).
    pub h: Vec<f64>,
    /// ‖F(h*)‖₂.
    pub residual: f64,
    /// Eigenvalues of the Jacobian at h*, sorted by real part.
    pub eigenvalues: Vec<(f64, f64)>,
    /// Largest real part of the Jacobian's eigenvalues.
    pub max_real: f64,
    /// Linearly stable: every eigenvalue has Re λ < 0.
    pub stable: bool,
    /// How many starts converged here.
    pub hits: usize,
}

impl FixedPoint {
    /// ‖h*‖₂ (0 at the origin).
    pub fn norm(&self) -> f64 {
        self.h.iter().map(|x| x * x).sum::<f64>().sqrt()
    }
}

/// Options for [`find_fixed_points`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewtonOpts {
    /// Number of random starts (h0 ~ N(0, scale²)); the origin is always tried too.
    pub starts: usize,
    /// Standard deviation of the Gaussian random starts (h0 ~ N(0, scale²) per unit).
    pub scale: f64,
    /// Most Levenberg–Marquardt iterations per start before it is abandoned.
    pub max_iter: usize,
    /// Accept when ‖F‖₂ < tol.
    pub tol: f64,
    /// Two points closer than this (∞-norm) are the same.
    pub dedup: f64,
    /// Seed of the random starts; same seed → same list of points.
    pub seed: u64,
}

impl Default for NewtonOpts {
    fn default() -> Self {
        NewtonOpts {
            starts: 20,
            scale: 0.5,
            max_iter: 500,
            tol: 1e-11,
            dedup: 1e-6,
            seed: 1,
        }
    }
}

/// F(h) = −h/τ + W φ(h) + I.
pub fn residual_vector(
    w: &Array2<f64>,
    tau: f64,
    phi: Activation,
    input: &[f64],
    h: &[f64],
) -> Vec<f64> {
    let r: Vec<f64> = h.iter().map(|x| phi.f(*x)).collect();
    w.rows()
        .into_iter()
        .zip(h)
        .zip(input.iter().chain(std::iter::repeat(&0.0)))
        .map(|((row, hi), ii)| row.iter().zip(&r).map(|(a, b)| a * b).sum::<f64>() - hi / tau + ii)
        .collect()
}

/// The Jacobian J = −I/τ + W diag(φ′(h)) of the rate equation at h.
///
/// # Complexity
/// O(N²).
pub fn jacobian(w: &Array2<f64>, tau: f64, phi: Activation, h: &[f64]) -> Array2<f64> {
    let d: Vec<f64> = h.iter().map(|x| phi.df(*x)).collect();
    let mut j = Array2::from_shape_fn(w.dim(), |(i, k)| w[[i, k]] * d[k]);
    for i in 0..j.nrows() {
        j[[i, i]] -= 1.0 / tau;
    }
    j
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Newton with Levenberg–Marquardt damping from `h`: solves
/// (JᵀJ + μI) δ = −JᵀF, accepting a step only if ‖F‖ decreases; μ shrinks
/// after a success (→ pure Newton, quadratic convergence near a root) and
/// grows after a failure (→ short gradient steps on ‖F‖², which avoids the
/// stalls of plain damped Newton where J is nearly singular).
fn newton(
    w: &Array2<f64>,
    tau: f64,
    phi: Activation,
    input: &[f64],
    mut h: Vec<f64>,
    opts: &NewtonOpts,
) -> Option<Vec<f64>> {
    let n = h.len();
    let mut f = residual_vector(w, tau, phi, input, &h);
    let mut fn0 = norm(&f);
    let mut mu = 1e-6;
    let mut jm = DMatrix::zeros(n, n);
    let mut fresh = false;
    for _ in 0..opts.max_iter {
        if fn0 < opts.tol {
            return Some(h);
        }
        if !fresh {
            let j = jacobian(w, tau, phi, &h);
            jm = DMatrix::from_fn(n, n, |i, k| j[[i, k]]);
            fresh = true;
        }
        let fv = DVector::from_column_slice(&f);
        let jt = jm.transpose();
        let mut a = &jt * &jm;
        for i in 0..n {
            a[(i, i)] += mu;
        }
        let rhs = -(&jt * fv);
        let delta = a.cholesky()?.solve(&rhs);
        let trial: Vec<f64> = h.iter().zip(delta.iter()).map(|(a, d)| a + d).collect();
        let ft = residual_vector(w, tau, phi, input, &trial);
        let nt = norm(&ft);
        if nt.is_finite() && nt < fn0 {
            h = trial;
            f = ft;
            fn0 = nt;
            mu = (mu / 3.0).max(1e-15);
            fresh = false;
        } else {
            mu *= 4.0;
            if mu > 1e12 {
                break;
            }
        }
    }
    (fn0 < opts.tol).then_some(h)
}

/// Largest Newton work, (starts + 1) × N³ (about a minute natively).
pub const MAX_NEWTON_WORK: f64 = 2e11;

/// Fixed points of dh/dt = −h/τ + W φ(h) + I by Newton iteration
/// h ← h − J(h)⁻¹F(h), Levenberg–Marquardt damped far from a root, from the origin and
/// `opts.starts` seeded random starts; deduplicated; each with its Jacobian
/// spectrum and stability (Re λ < 0 for all λ). Sorted by ‖h*‖.
///
/// # Arguments
/// * `w` — N × N; `tau` > 0; `phi`; `input` — constant input, empty for none.
///
/// # Errors
/// Shape errors, N > 500, starts > 10,000, bad tolerances.
///
/// # Complexity
/// O(starts · iterations · N³) for the LU solves, plus O(N³) per distinct point.
pub fn find_fixed_points(
    w: &Array2<f64>,
    tau: f64,
    phi: Activation,
    input: &[f64],
    opts: &NewtonOpts,
) -> Result<Vec<FixedPoint>> {
    crate::io::check_square(w)?;
    let n = w.nrows();
    check_size("n", n, 1, 500)?;
    check_range("tau", tau, 1e-6, 1e6)?;
    check_size("starts", opts.starts, 0, 10_000)?;
    check_size("max_iter", opts.max_iter, 1, 10_000)?;
    check_range("tol", opts.tol, 1e-15, 1.0)?;
    check_range("scale", opts.scale, 0.0, 1e6)?;
    let work = (opts.starts as f64 + 1.0) * (n as f64).powi(3);
    if work > MAX_NEWTON_WORK {
        return Err(Error::TooLarge {
            what: "(starts + 1) × N³ (Newton work)",
            got: work as usize,
            limit: MAX_NEWTON_WORK as usize,
        });
    }
    if w.iter().any(|v| !v.is_finite()) {
        return Err(Error::param("w", "has NaN or Inf entries"));
    }
    if let Some(v) = input.iter().find(|v| !v.is_finite()) {
        return Err(Error::param("input", format!("must be finite, got {v}")));
    }
    if !input.is_empty() && input.len() != n {
        return Err(Error::param(
            "input",
            format!("needs {n} values, got {}", input.len()),
        ));
    }
    let mut rng = seeded(opts.seed);
    let mut found: Vec<FixedPoint> = Vec::new();
    for s in 0..=opts.starts {
        let h0: Vec<f64> = if s == 0 {
            vec![0.0; n]
        } else {
            (0..n)
                .map(|_| {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    opts.scale * z
                })
                .collect()
        };
        let Some(h) = newton(w, tau, phi, input, h0, opts) else {
            continue;
        };
        if let Some(p) = found
            .iter_mut()
            .find(|p| p.h.iter().zip(&h).all(|(a, b)| (a - b).abs() < opts.dedup))
        {
            p.hits += 1;
            continue;
        }
        let residual = norm(&residual_vector(w, tau, phi, input, &h));
        let eigenvalues = crate::linalg::eigenvalues(&jacobian(w, tau, phi, &h))?;
        let max_real = eigenvalues
            .iter()
            .map(|e| e.0)
            .fold(f64::NEG_INFINITY, f64::max);
        found.push(FixedPoint {
            h,
            residual,
            eigenvalues,
            max_real,
            stable: max_real < 0.0,
            hits: 1,
        });
    }
    Ok(crate::linalg::sorted_by(found, |a, b| {
        norm(&a.h).total_cmp(&norm(&b.h))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ensembles;

    #[test]
    fn newton_points_are_fixed_points() {
        // g = 2: the origin is unstable (eigenvalues of −I + W reach Re ≈ 1) and
        // other fixed points exist (Sompolinsky et al. 1988; Wainrib & Touboul 2013).
        let w = ensembles::gaussian(40, 2.0, 3).unwrap();
        let opts = NewtonOpts {
            starts: 40,
            scale: 0.3,
            ..Default::default()
        };
        let fps = find_fixed_points(&w, 1.0, Activation::Tanh, &[], &opts).unwrap();
        // This W has the origin and one ± pair (200 starts at three scales find no more).
        assert!(fps.len() >= 3, "only {} fixed points", fps.len());
        for p in &fps {
            let f = residual_vector(&w, 1.0, Activation::Tanh, &[], &p.h);
            assert!(norm(&f) < 1e-9, "|F| = {}", norm(&f));
        }
        // The origin is first and its Jacobian is −I + W: unstable for g = 2.
        assert!(fps[0].h.iter().all(|x| x.abs() < 1e-12));
        assert!(!fps[0].stable);
        let ev = crate::linalg::eigenvalues(&w).unwrap();
        let maxre = ev.iter().map(|e| e.0).fold(f64::MIN, f64::max);
        assert!((fps[0].max_real - (maxre - 1.0)).abs() < 1e-9);
        // Fixed points come in ± pairs (tanh is odd, no input).
        let p = &fps[1];
        let neg: Vec<f64> = p.h.iter().map(|x| -x).collect();
        assert!(norm(&residual_vector(&w, 1.0, Activation::Tanh, &[], &neg)) < 1e-9);
    }

    #[test]
    fn small_g_has_only_the_origin_and_it_is_stable() {
        let w = ensembles::gaussian(30, 0.5, 1).unwrap();
        let fps =
            find_fixed_points(&w, 1.0, Activation::Tanh, &[], &NewtonOpts::default()).unwrap();
        assert_eq!(fps.len(), 1);
        assert!(fps[0].stable);
        assert_eq!(fps[0].hits, 21);
    }

    #[test]
    fn jacobian_matches_finite_differences() {
        let w = ensembles::gaussian(8, 1.5, 2).unwrap();
        let h: Vec<f64> = (0..8).map(|i| 0.3 * i as f64 - 1.0).collect();
        let inp = vec![0.2; 8];
        for phi in [Activation::Tanh, Activation::Sigmoid] {
            let j = jacobian(&w, 0.7, phi, &h);
            for k in 0..8 {
                let mut hp = h.clone();
                hp[k] += 1e-6;
                let mut hm = h.clone();
                hm[k] -= 1e-6;
                let fp = residual_vector(&w, 0.7, phi, &inp, &hp);
                let fm = residual_vector(&w, 0.7, phi, &inp, &hm);
                for i in 0..8 {
                    assert!(((fp[i] - fm[i]) / 2e-6 - j[[i, k]]).abs() < 1e-6);
                }
            }
        }
    }

    #[test]
    fn linear_with_input_has_the_solution_of_the_linear_system() {
        // φ linear: F = (−I/τ + W) h + I = 0 → h* = −(−I/τ + W)⁻¹ I.
        let w = ensembles::gaussian(10, 0.5, 4).unwrap();
        let inp: Vec<f64> = (0..10).map(|i| i as f64 * 0.1).collect();
        let fps =
            find_fixed_points(&w, 1.0, Activation::Linear, &inp, &NewtonOpts::default()).unwrap();
        assert_eq!(fps.len(), 1);
        let a = DMatrix::from_fn(10, 10, |i, k| w[[i, k]] - if i == k { 1.0 } else { 0.0 });
        let x = a
            .lu()
            .solve(&DVector::from_iterator(10, inp.iter().map(|v| -v)))
            .unwrap();
        for i in 0..10 {
            assert!((x[i] - fps[0].h[i]).abs() < 1e-10);
        }
        assert!(
            find_fixed_points(&w, 1.0, Activation::Tanh, &[1.0], &NewtonOpts::default()).is_err()
        );
    }
}
