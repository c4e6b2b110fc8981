//! Lyapunov spectrum of the rate network dh/dt = −h/τ + W φ(h) by the
//! Benettin / QR method (Benettin et al. 1980; as used for random rate
//! networks by Engelken, Wolf & Abbott, "Lyapunov spectra of chaotic
//! recurrent neural networks", Phys. Rev. Research 5, 043044, 2023).
//!
//! The network is integrated with the same forward-Euler map as
//! [`super::Simulator`], h_{t+1} = h_t + dt(−h_t/τ + W φ(h_t)), whose Jacobian is
//! M_t = (1 − dt/τ) I + dt · W diag φ′(h_t). K tangent vectors Q (N × K) are
//! propagated, Q ← M_t Q, and re-orthonormalised every `ortho_every` steps by
//! QR (Q R = Q); the exponents are λ_i = (1/T) Σ ln |R_ii| over the measured
//! time T = steps · dt. They are the exponents of the Euler map per unit
//! time, which converge to the flow's as dt → 0 (for a linear network,
//! λ_i = ln|1 + dt μ_i| / dt with μ_i the eigenvalues of −I/τ + W).

use super::simulate::Activation;
use crate::error::{check_range, check_size, Error, Result};
use crate::rng::seeded;
use nalgebra::{DMatrix, DVector};
use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

/// Parameters of [`lyapunov_spectrum`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LyapunovParams {
    /// Number of exponents K (1 ≤ K ≤ N).
    pub k: usize,
    /// Measured Euler steps (≥ 1).
    pub steps: usize,
    /// Transient steps (state and tangent vectors evolve, exponents are not accumulated).
    pub burn: usize,
    /// Euler step dt (0 < dt ≤ τ).
    pub dt: f64,
    /// Time constant τ.
    pub tau: f64,
    /// Nonlinearity φ.
    pub phi: Activation,
    /// Steps between QR re-orthonormalisations (1 … 1000).
    pub ortho_every: usize,
    /// Seed of the initial state h0 ~ N(0, 1) (as [`super::Simulator::random_state`]) and of Q0.
    pub seed: u64,
}

impl Default for LyapunovParams {
    fn default() -> Self {
        LyapunovParams {
            k: 10,
            steps: 10_000,
            burn: 2_000,
            dt: 0.05,
            tau: 1.0,
            phi: Activation::Tanh,
            ortho_every: 10,
            seed: 1,
        }
    }
}

impl LyapunovParams {
    /// Validate against a network of `n` units.
    ///
    /// # Errors
    /// [`Error::Param`] naming the parameter out of range.
    pub fn check(&self, n: usize) -> Result<()> {
        check_size("k", self.k, 1, n)?;
        check_size("steps", self.steps, 1, 100_000_000)?;
        check_size("burn", self.burn, 0, 100_000_000)?;
        check_range("tau", self.tau, 1e-6, 1e6)?;
        check_range("dt", self.dt, 1e-9, self.tau)?;
        check_size("ortho_every", self.ortho_every, 1, 1000)?;
        Ok(())
    }
}

/// The top-K Lyapunov exponents and what they imply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LyapunovSpectrum {
    /// λ_1 ≥ λ_2 ≥ … ≥ λ_K, per unit time (units of 1/τ when τ = 1).
    pub exponents: Vec<f64>,
    /// Kaplan–Yorke dimension from these K exponents (see [`kaplan_yorke`]).
    pub kaplan_yorke_dimension: f64,
    /// True when Σ_{i≤K} λ_i ≥ 0: the dimension is then only a lower bound (ask for more exponents).
    pub kaplan_yorke_lower_bound: bool,
    /// Running estimate of λ_1 at each re-orthonormalisation (a convergence trace, at most 200 points).
    pub lambda1_trace: Vec<f64>,
    /// N.
    pub n: usize,
    /// K.
    pub k: usize,
    /// Measured time T = steps · dt.
    pub time: f64,
    /// dt.
    pub dt: f64,
    /// Transient steps.
    pub burn: usize,
    /// Steps between QR.
    pub ortho_every: usize,
}

/// Kaplan–Yorke (Lyapunov) dimension D = j + (Σ_{i≤j} λ_i) / |λ_{j+1}|, with j
/// the largest index whose partial sum Σ_{i≤j} λ_i is ≥ 0 (exponents sorted
/// descending; Kaplan & Yorke 1979). 0 when λ_1 < 0. When all K partial
/// sums are ≥ 0 it returns (K, true): the true dimension is at least K.
pub fn kaplan_yorke(exponents: &[f64]) -> (f64, bool) {
    let mut sum = 0.0;
    for (j, l) in exponents.iter().enumerate() {
        if sum + l < 0.0 {
            return (
                if j == 0 {
                    0.0
                } else {
                    j as f64 + sum / l.abs()
                },
                false,
            );
        }
        sum += l;
    }
    (exponents.len() as f64, true)
}

/// Top-K Lyapunov exponents of dh/dt = −h/τ + W φ(h) by the QR method (see
/// the module doc; Engelken, Wolf & Abbott 2023).
///
/// # Arguments
/// * `w` — N × N connectivity, W[i][j] from j to i.
/// * `h0` — start state, or `None` for h0 ~ N(0, 1) from the seed.
/// * `p` — [`LyapunovParams`].
///
/// # Returns
/// A [`LyapunovSpectrum`].
///
/// # Errors
/// [`Error::Param`] for bad parameters or shapes; [`Error::Numeric`] when the
/// state or tangent vectors stop being finite (dt too large, or a linear
/// network that blows up).
///
/// # Complexity
/// O((burn + steps) · N² K) time, O(N K + N²) memory.
pub fn lyapunov_spectrum(
    w: &Array2<f64>,
    h0: Option<Vec<f64>>,
    p: &LyapunovParams,
) -> Result<LyapunovSpectrum> {
    crate::io::check_square(w)?;
    let n = w.nrows();
    check_size("n", n, 1, super::MAX_UNITS)?;
    p.check(n)?;
    if w.iter().any(|v| !v.is_finite()) {
        return Err(Error::param("w", "has NaN or Inf entries"));
    }
    let h0 = h0.unwrap_or_else(|| super::Simulator::random_state(n, 1.0, p.seed));
    if h0.len() != n || h0.iter().any(|v| !v.is_finite()) {
        return Err(Error::param(
            "h0",
            format!("needs {n} finite numbers, got {} values", h0.len()),
        ));
    }
    let wm = DMatrix::from_fn(n, n, |i, j| w[[i, j]]);
    let mut h = DVector::from_vec(h0);
    let mut r = DVector::zeros(n);
    let mut d = vec![0.0; n];
    let mut rng = seeded(p.seed ^ 0x1a9b_07c3);
    let mut q = DMatrix::from_fn(n, p.k, |_, _| -> f64 { StandardNormal.sample(&mut rng) })
        .qr()
        .q();
    let mut dq = DMatrix::zeros(n, p.k);
    let decay = 1.0 - p.dt / p.tau;
    let mut sums = vec![0.0; p.k];
    let mut trace = Vec::new();
    let total = p.burn + p.steps;
    let trace_every = (p.steps / p.ortho_every / 200).max(1);
    let mut qr_count = 0usize;
    for step in 1..=total {
        for i in 0..n {
            r[i] = p.phi.f(h[i]);
            d[i] = p.phi.df(h[i]);
        }
        // Tangent: Q ← (1 − dt/τ) Q + dt · W (diag φ′(h) Q), at the current h.
        for c in 0..p.k {
            for i in 0..n {
                dq[(i, c)] = d[i] * q[(i, c)];
            }
        }
        q.gemm(p.dt, &wm, &dq, decay);
        // State: h ← (1 − dt/τ) h + dt · W φ(h).
        h.gemv(p.dt, &wm, &r, decay);
        if step % p.ortho_every == 0 || step == total {
            if !h.iter().all(|x| x.is_finite()) || !q.iter().all(|x| x.is_finite()) {
                return Err(Error::Numeric(format!(
                    "the state or tangent vectors diverged at step {step}: reduce dt or the gain, or use a saturating φ"
                )));
            }
            let qr = q.clone().qr();
            let rr = qr.r();
            if step > p.burn {
                for (i, s) in sums.iter_mut().enumerate() {
                    *s += rr[(i, i)].abs().max(f64::MIN_POSITIVE).ln();
                }
                qr_count += 1;
                if qr_count.is_multiple_of(trace_every) {
                    trace.push(sums[0] / ((step - p.burn) as f64 * p.dt));
                }
            }
            q = qr.q();
        }
    }
    let time = p.steps as f64 * p.dt;
    let mut exponents: Vec<f64> = sums.iter().map(|s| s / time).collect();
    // QR keeps them nearly ordered; sort so the reported spectrum is.
    crate::linalg::sort_f64_desc(&mut exponents);
    let (ky, lower) = kaplan_yorke(&exponents);
    Ok(LyapunovSpectrum {
        exponents,
        kaplan_yorke_dimension: ky,
        kaplan_yorke_lower_bound: lower,
        lambda1_trace: trace,
        n,
        k: p.k,
        time,
        dt: p.dt,
        burn: p.burn,
        ortho_every: p.ortho_every,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaplan_yorke_hand_worked() {
        // Partial sums 0.5, 0.6, 0.2, −0.8 → j = 3, D = 3 + 0.2/1.0.
        let (d, lb) = kaplan_yorke(&[0.5, 0.1, -0.4, -1.0]);
        assert!((d - 3.2).abs() < 1e-12 && !lb);
        assert_eq!(kaplan_yorke(&[-0.1, -0.5]), (0.0, false));
        assert_eq!(kaplan_yorke(&[0.3, 0.1]), (2.0, true));
        // j = 1: D = 1 + 0.2/0.4.
        assert!((kaplan_yorke(&[0.2, -0.4]).0 - 1.5).abs() < 1e-12);
    }

    #[test]
    fn bad_parameters_are_named() {
        let w = Array2::zeros((4, 4));
        let p = LyapunovParams {
            k: 5,
            ..Default::default()
        };
        let e = lyapunov_spectrum(&w, None, &p).unwrap_err().to_string();
        assert!(e.contains("`k`"), "{e}");
        let p = LyapunovParams {
            k: 2,
            dt: 2.0,
            ..Default::default()
        };
        assert!(lyapunov_spectrum(&w, None, &p)
            .unwrap_err()
            .to_string()
            .contains("`dt`"));
    }
}
