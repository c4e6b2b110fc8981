//! Euler and Euler–Maruyama integration of the rate network
//! dh/dt = −h/τ + W φ(h) + I(t) + η(t), and the closed-form solution of the
//! linear system dx/dt = A x.

use crate::error::{check_range, check_size, Error, Result};
use crate::rng::{seeded, Rng};
use ndarray::{Array2, ArrayViewMut2};
use rand_distr::{Distribution, StandardNormal};

pub use super::input::Input;

/// The single-unit nonlinearity φ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// tanh(x).
    Tanh,
    /// max(0, x).
    Relu,
    /// 1/(1 + e^(−x)).
    Sigmoid,
    /// x.
    Linear,
}

impl Activation {
    /// Parse `tanh`, `relu`, `sigmoid` or `linear`.
    ///
    /// # Errors
    /// [`Error::Param`] naming `phi` for anything else.
    pub fn parse(name: &str) -> Result<Activation> {
        match name {
            "tanh" => Ok(Activation::Tanh),
            "relu" => Ok(Activation::Relu),
            "sigmoid" => Ok(Activation::Sigmoid),
            "linear" => Ok(Activation::Linear),
            other => Err(Error::param(
                "phi",
                format!("unknown nonlinearity \"{other}\": use tanh, relu, sigmoid or linear"),
            )),
        }
    }

    /// φ(x).
    #[inline]
    pub fn f(self, x: f64) -> f64 {
        match self {
            Activation::Tanh => x.tanh(),
            Activation::Relu => x.max(0.0),
            Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Activation::Linear => x,
        }
    }

    /// φ′(x) (ReLU: 0 at x ≤ 0, 1 above).
    #[inline]
    pub fn df(self, x: f64) -> f64 {
        match self {
            Activation::Tanh => 1.0 - x.tanh().powi(2),
            Activation::Relu => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Sigmoid => {
                let s = 1.0 / (1.0 + (-x).exp());
                s * (1.0 - s)
            }
            Activation::Linear => 1.0,
        }
    }
}

/// Integration parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Time constant τ > 0.
    pub tau: f64,
    /// Step dt > 0 (should be well below τ).
    pub dt: f64,
    /// Noise amplitude σ ≥ 0: η is white noise with ⟨η_i(t)η_j(s)⟩ = σ² δ_ij δ(t−s).
    pub sigma: f64,
    /// Nonlinearity φ.
    pub phi: Activation,
}

impl Params {
    /// τ and dt positive, dt ≤ τ, σ ≥ 0 (with the limits named as the CLI names them).
    pub(super) fn check(&self) -> Result<()> {
        check_range("tau", self.tau, 1e-6, 1e6)?;
        check_range("dt", self.dt, 1e-9, self.tau)?;
        check_range("sigma", self.sigma, 0.0, 1e3)?;
        Ok(())
    }
}

/// W for a simulation: square, at most [`super::MAX_UNITS`] units, finite.
pub(super) fn check_w(w: &Array2<f64>) -> Result<usize> {
    crate::io::check_square(w)?;
    let n = w.nrows();
    check_size("n", n, 1, super::MAX_UNITS)?;
    if w.iter().any(|v| !v.is_finite()) {
        return Err(Error::param("w", "has NaN or Inf entries"));
    }
    Ok(n)
}

impl Default for Params {
    fn default() -> Self {
        Params {
            tau: 1.0,
            dt: 0.05,
            sigma: 0.0,
            phi: Activation::Tanh,
        }
    }
}

/// A running simulation. Build once, then [`Simulator::step`] as often as
/// needed: the inner loop allocates nothing.
#[derive(Debug, Clone)]
pub struct Simulator {
    w: Array2<f64>,
    h: Vec<f64>,
    r: Vec<f64>,
    drive: Vec<f64>,
    params: Params,
    input: Input,
    t: f64,
    steps: u64,
    rng: Rng,
    /// W re-laid for the SIMD product (natively; see [`super::kernel::pack`]).
    #[cfg(not(target_arch = "wasm32"))]
    packed: super::kernel::PackedW,
}

/// d = W r, or `false` when the product is left to the portable code.
trait MatVec {
    fn apply(&mut self, w: &[f64], r: &[f64], d: &mut [f64]) -> bool;
}

/// No SIMD product: the portable row-by-row dot products.
#[cfg(target_arch = "wasm32")]
struct Portable;

#[cfg(target_arch = "wasm32")]
impl MatVec for Portable {
    #[inline(always)]
    fn apply(&mut self, _: &[f64], _: &[f64], _: &mut [f64]) -> bool {
        false
    }
}

/// The SIMD product over the packed W (a trait method rather than a closure,
/// so it is inlined into the dispatched, SIMD-compiled loop).
#[cfg(target_arch = "x86_64")]
struct Packed<'p> {
    s: pulp::x86::V3,
    p: &'p [f64],
}

#[cfg(target_arch = "x86_64")]
impl MatVec for Packed<'_> {
    #[inline(always)]
    fn apply(&mut self, w: &[f64], r: &[f64], d: &mut [f64]) -> bool {
        super::kernel::matvec_packed(self.s, w, self.p, r, d)
    }
}

/// No SIMD product (a CPU without AVX2): the portable row-by-row products.
#[cfg(not(target_arch = "wasm32"))]
struct NoSimd;

#[cfg(not(target_arch = "wasm32"))]
impl MatVec for NoSimd {
    #[inline(always)]
    fn apply(&mut self, _: &[f64], _: &[f64], _: &mut [f64]) -> bool {
        false
    }
}

/// The step loop under run-time SIMD dispatch ([`crate::simd::avx512`]):
/// the packed product in AVX2's 4 lanes (its sums keep their order), the
/// vectorised tanh and the update compiled for AVX-512 when present (the
/// same bits at any width), else for AVX2 + FMA.
#[cfg(not(target_arch = "wasm32"))]
struct Run<'a, 'b> {
    sim: &'a mut Simulator,
    k: usize,
    /// Record instead: fill these rows every `k` steps (rates when `true`).
    rec: Option<(ArrayViewMut2<'b, f64>, bool)>,
}

#[cfg(not(target_arch = "wasm32"))]
impl crate::simd::Kernel for Run<'_, '_> {
    type Output = Result<()>;
    #[inline(always)]
    fn run(self) -> Result<()> {
        self.steps(false, &mut NoSimd)
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn run_v3(self, v3: pulp::x86::V3) -> Result<()> {
        // The packed W is lent to the product while the steps hold the
        // simulator mutably, and put back after.
        let packed = std::mem::take(&mut self.sim.packed);
        let sim = &mut *self.sim;
        let p = packed.as_slice();
        let res = Run { sim, ..self }.steps(true, &mut Packed { s: v3, p });
        self.sim.packed = packed;
        res
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Run<'_, '_> {
    /// The steps, or the recording, with `fast` and `mv` as in
    /// [`Simulator::run`].
    #[inline(always)]
    fn steps(self, fast: bool, mv: &mut impl MatVec) -> Result<()> {
        match self.rec {
            None => self.sim.run(self.k, fast, false, mv),
            Some((mut out, rates)) => {
                // Recorded rates, computed as the next step's r would be,
                // are that step's r: φ(h) once per step, not twice.
                let mut ready = false;
                for mut row in out.rows_mut() {
                    self.sim.run(self.k, fast, ready, mv)?;
                    let row = row.as_slice_mut().unwrap_or(&mut []);
                    ready = fast && rates && row.len() == self.sim.r.len();
                    if ready {
                        super::kernel::phi_into(
                            self.sim.params.phi,
                            true,
                            &self.sim.h,
                            &mut self.sim.r,
                        );
                        row.copy_from_slice(&self.sim.r);
                    } else {
                        self.sim.write_state(row, rates);
                    }
                }
                Ok(())
            }
        }
    }
}

impl Simulator {
    /// A simulation of `w` (N × N) from state `h0` (length N).
    ///
    /// # Errors
    /// Non-square or non-finite `w`, wrong `h0` or input length, τ or dt not
    /// positive, dt > τ, σ < 0, N > [`super::MAX_UNITS`].
    pub fn new(
        w: Array2<f64>,
        h0: Vec<f64>,
        params: Params,
        input: Input,
        seed: u64,
    ) -> Result<Self> {
        let n = check_w(&w)?;
        if h0.len() != n || h0.iter().any(|v| !v.is_finite()) {
            return Err(Error::param(
                "h0",
                format!("needs {n} finite numbers, got {} values", h0.len()),
            ));
        }
        params.check()?;
        input.check(n)?;
        // Standard layout so rows are contiguous slices in the inner loop.
        let w = w.as_standard_layout().into_owned();
        Ok(Simulator {
            #[cfg(not(target_arch = "wasm32"))]
            packed: super::kernel::pack(w.as_slice().unwrap_or(&[]), n),
            w,
            r: vec![0.0; n],
            drive: vec![0.0; n],
            h: h0,
            params,
            input,
            t: 0.0,
            steps: 0,
            rng: seeded(seed),
        })
    }

    /// Random initial state h0_i ~ N(0, scale²) from `seed`.
    pub fn random_state(n: usize, scale: f64, seed: u64) -> Vec<f64> {
        let mut rng = seeded(seed ^ 0x9e37_79b9_7f4a_7c15);
        (0..n)
            .map(|_| {
                let z: f64 = StandardNormal.sample(&mut rng);
                scale * z
            })
            .collect()
    }

    /// Number of units.
    pub fn n(&self) -> usize {
        self.h.len()
    }

    /// Current state h.
    pub fn state(&self) -> &[f64] {
        &self.h
    }

    /// Current time.
    pub fn time(&self) -> f64 {
        self.t
    }

    /// The connectivity.
    pub fn w(&self) -> &Array2<f64> {
        &self.w
    }

    /// The parameters.
    pub fn params(&self) -> Params {
        self.params
    }

    /// Change σ (e.g. from a slider) without restarting.
    ///
    /// # Errors
    /// σ outside [0, 1000].
    pub fn set_sigma(&mut self, sigma: f64) -> Result<()> {
        self.params.sigma = check_range("sigma", sigma, 0.0, 1e3)?;
        Ok(())
    }

    /// Replace the input.
    ///
    /// # Errors
    /// Wrong length or non-finite values.
    pub fn set_input(&mut self, input: Input) -> Result<()> {
        input.check(self.n())?;
        self.input = input;
        Ok(())
    }

    /// Advance `k` steps of Euler–Maruyama:
    /// h ← h + dt·(−h/τ + W φ(h) + I(t)) + σ √dt ξ, ξ ~ N(0, I)
    /// (plain Euler when σ = 0).
    ///
    /// # Errors
    /// [`Error::Numeric`] if the state stops being finite (the step is then
    /// too large for the dynamics, or the linear network is unstable);
    /// [`Error::TooLarge`] when k × N² is over [`super::MAX_STEP_WORK`].
    ///
    /// # Complexity
    /// O(k·N²) time, no allocation.
    pub fn step(&mut self, k: usize) -> Result<()> {
        super::check_simulation_budget(self.n(), k, 0, 1)?;
        #[cfg(not(target_arch = "wasm32"))]
        return crate::simd::avx512(Run {
            sim: self,
            k,
            rec: None,
        });
        // WebAssembly: the fast tanh (no libm call, so its loop vectorises
        // with simd128) and the portable row-by-row product.
        #[cfg(target_arch = "wasm32")]
        self.run(k, true, false, &mut Portable)
    }

    /// The step loop. `fast`: φ = tanh by [`super::kernel::tanh_fast`] and
    /// W r by `matvec` (which returns false when it cannot run: the portable
    /// row-by-row product is then used). Not `fast`: `f64::tanh` and the
    /// portable product. `r_ready`: `r` already holds φ(h) (as this loop
    /// computes it), so the first step skips it.
    #[inline(always)]
    fn run(&mut self, k: usize, fast: bool, r_ready: bool, matvec: &mut impl MatVec) -> Result<()> {
        let Params {
            tau,
            dt,
            sigma,
            phi,
        } = self.params;
        let noise = sigma * dt.sqrt();
        let w = self.w.as_slice().unwrap_or(&[]);
        for i in 0..k {
            if i > 0 || !r_ready {
                super::kernel::phi_into(phi, fast, &self.h, &mut self.r);
            }
            if fast && matvec.apply(w, &self.r, &mut self.drive) {
                self.input.add_to(self.t, &mut self.drive);
            } else {
                self.drive.iter_mut().for_each(|d| *d = 0.0);
                self.input.add_to(self.t, &mut self.drive);
                for (d, row) in self.drive.iter_mut().zip(w.chunks_exact(self.r.len())) {
                    *d += dot(row, &self.r);
                }
            }
            let mut ok = true;
            if noise > 0.0 {
                for (h, d) in self.h.iter_mut().zip(&self.drive) {
                    *h += dt * (d - *h / tau);
                    let xi: f64 = StandardNormal.sample(&mut self.rng);
                    *h += noise * xi;
                    ok &= h.abs() < 1e150;
                }
            } else {
                // No call in the loop, so it vectorises; `&` (not `&&`)
                // keeps the finiteness check a branch-free reduction
                // (NaN.abs() < 1e150 is false). For τ a power of two,
                // h·(1/τ) is h/τ to the bit (both round the same real
                // number) without a division.
                if let Some(inv) = pow2_recip(tau) {
                    for (h, d) in self.h.iter_mut().zip(&self.drive) {
                        *h += dt * (d - *h * inv);
                        ok &= h.abs() < 1e150;
                    }
                } else {
                    for (h, d) in self.h.iter_mut().zip(&self.drive) {
                        *h += dt * (d - *h / tau);
                        ok &= h.abs() < 1e150;
                    }
                }
            }
            self.t += dt;
            self.steps += 1;
            if !ok {
                return Err(Error::Numeric(format!(
                    "the simulation diverged at t = {:.4} (step {}): reduce dt or the gain, or use a saturating φ",
                    self.t, self.steps
                )));
            }
        }
        Ok(())
    }

    /// Run `samples × every` steps and return the states after every
    /// `every`-th step as a T × N matrix (T = `samples`).
    ///
    /// # Errors
    /// As [`Simulator::step`]; `samples × N` over the file limit.
    pub fn record(&mut self, samples: usize, every: usize) -> Result<Array2<f64>> {
        let n = self.n();
        crate::io::check_limits(&[samples, n])?;
        check_size("every", every, 1, 1_000_000)?;
        super::check_simulation_budget(n, 0, samples, every)?;
        let mut out = Array2::zeros((samples, n));
        self.record_into(out.view_mut(), every, super::dimension::Record::Currents)?;
        Ok(out)
    }

    /// As [`Simulator::record`], but record the rates φ(h) or the currents h.
    ///
    /// # Errors
    /// As [`Simulator::record`].
    pub fn record_as(
        &mut self,
        samples: usize,
        every: usize,
        what: super::dimension::Record,
    ) -> Result<Array2<f64>> {
        let n = self.n();
        crate::io::check_limits(&[samples, n])?;
        check_size("every", every, 1, 1_000_000)?;
        super::check_simulation_budget(n, 0, samples, every)?;
        let mut out = Array2::zeros((samples, n));
        self.record_into(out.view_mut(), every, what)?;
        Ok(out)
    }

    /// Fill the rows of a preallocated `out` (T × N) with the state after every
    /// `every`-th step: the currents h, or the rates φ(h) (natively, tanh by
    /// [`super::kernel::tanh_fast`], within 3ε of `f64::tanh`). No allocation.
    ///
    /// # Errors
    /// `out` without N columns; `every` outside 1..=10⁶; as [`Simulator::step`].
    ///
    /// # Complexity
    /// O(T · every · N²).
    pub fn record_into(
        &mut self,
        mut out: ArrayViewMut2<f64>,
        every: usize,
        what: super::dimension::Record,
    ) -> Result<()> {
        if out.ncols() != self.n() {
            return Err(Error::param(
                "out",
                format!(
                    "has {} columns, the network {} units",
                    out.ncols(),
                    self.n()
                ),
            ));
        }
        check_size("every", every, 1, 1_000_000)?;
        let rates = what == super::dimension::Record::Rates;
        super::check_simulation_budget(self.n(), 0, out.nrows(), every)?;
        #[cfg(not(target_arch = "wasm32"))]
        if out.is_standard_layout() {
            return crate::simd::avx512(Run {
                sim: self,
                k: every,
                rec: Some((out, rates)),
            });
        }
        for mut row in out.rows_mut() {
            self.step(every)?;
            for (o, h) in row.iter_mut().zip(&self.h) {
                *o = if rates { self.params.phi.f(*h) } else { *h };
            }
        }
        Ok(())
    }

    /// Write h or φ(h) into `out` (natively φ = tanh by the fast tanh).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    fn write_state(&self, out: &mut [f64], rates: bool) {
        if rates {
            super::kernel::phi_into(self.params.phi, true, &self.h, out);
        } else {
            out.iter_mut().zip(&self.h).for_each(|(o, h)| *o = *h);
        }
    }
}

/// 1/τ when τ is a power of two whose reciprocal is normal (then x·(1/τ) and
/// x/τ are the same correctly rounded number for every x), else `None`.
fn pow2_recip(tau: f64) -> Option<f64> {
    let inv = 1.0 / tau;
    (tau.is_normal() && inv.is_normal() && tau.to_bits() & ((1u64 << 52) - 1) == 0).then_some(inv)
}

/// Dot product with four independent accumulators, so the compiler can keep
/// several multiply–adds in flight (a plain fold is one serial chain).
/// Always inlined: with several callers the page build's inline threshold
/// (50) left it a call per row, 20 % slower in WASM.
#[inline(always)]
pub(super) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (ca, ra) = a.split_at(a.len() - a.len() % 4);
    let (cb, rb) = b.split_at(ca.len().min(b.len()));
    for (x, y) in ca.chunks_exact(4).zip(cb.chunks_exact(4)) {
        acc[0] += x[0] * y[0];
        acc[1] += x[1] * y[1];
        acc[2] += x[2] * y[2];
        acc[3] += x[3] * y[3];
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// Closed-form solution of dx/dt = A x: x(t) = V e^{Λt} V⁻¹ x0 with A = V Λ V⁻¹
/// (complex eigendecomposition; eigenvectors by inverse iteration on
/// A − λI, nalgebra LU).
///
/// # Arguments
/// * `a` — N × N, diagonalizable; `x0` — length N; `times` — the t to evaluate.
///
/// # Returns
/// A `times.len()` × N matrix of x(t).
///
/// # Errors
/// Shape errors; [`Error::Numeric`] when A is (numerically) not
/// diagonalizable (the eigenvector basis cannot reproduce x0).
///
/// # Complexity
/// O(N⁴) (one O(N³) LU per eigenvalue): meant for N ≲ 200.
pub fn linear_closed_form(a: &Array2<f64>, x0: &[f64], times: &[f64]) -> Result<Array2<f64>> {
    use nalgebra::{Complex, DMatrix, DVector};
    type C = Complex<f64>;
    crate::io::check_square(a)?;
    let n = a.nrows();
    check_size("n", n, 1, 400)?;
    if x0.len() != n {
        return Err(Error::param(
            "x0",
            format!("needs {n} values, got {}", x0.len()),
        ));
    }
    let eigs = crate::linalg::eigenvalues(a)?;
    let ac: DMatrix<C> = DMatrix::from_fn(n, n, |i, j| C::new(a[[i, j]], 0.0));
    let scale = a.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1.0);
    let mut v = DMatrix::<C>::zeros(n, n);
    let mut rng = seeded(0xe16e);
    for (k, &(re, im)) in eigs.iter().enumerate() {
        // Shift slightly off λ so A − μI is invertible; inverse iteration then
        // converges to λ's eigenvector in a couple of steps. Equal eigenvalues
        // get different start vectors and so different vectors of their space.
        let mu = C::new(re + 1e-10 * scale, im);
        let mut m = ac.clone();
        for i in 0..n {
            m[(i, i)] -= mu;
        }
        let lu = m.lu();
        let mut x = DVector::<C>::from_fn(n, |_, _| C::new(StandardNormal.sample(&mut rng), 0.0));
        for _ in 0..3 {
            x = lu.solve(&x).ok_or_else(|| {
                Error::Numeric("singular shifted matrix in inverse iteration".into())
            })?;
            let norm = x.norm();
            if !norm.is_finite() || norm == 0.0 {
                return Err(Error::Numeric("inverse iteration failed".into()));
            }
            x /= C::new(norm, 0.0);
        }
        v.set_column(k, &x);
    }
    let x0c = DVector::<C>::from_fn(n, |i, _| C::new(x0[i], 0.0));
    let c = v.clone().lu().solve(&x0c).ok_or_else(|| {
        Error::Numeric("A is not diagonalizable (eigenvectors are dependent)".into())
    })?;
    let resid = (&v * &c - &x0c).norm();
    let x0n = x0c.norm().max(1e-300);
    if !resid.is_finite() || resid > 1e-6 * x0n {
        return Err(Error::Numeric(format!(
            "A is (numerically) not diagonalizable: eigenvector basis misses x0 by {resid:.2e}"
        )));
    }
    let mut out = Array2::zeros((times.len(), n));
    for (r, &t) in times.iter().enumerate() {
        let coef: DVector<C> = DVector::from_fn(n, |k, _| {
            let (re, im) = eigs[k];
            c[k] * (C::new(re, im) * t).exp()
        });
        let x = &v * coef;
        for i in 0..n {
            out[[r, i]] = x[i].re;
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "simulate_tests.rs"]
mod tests;
