//! B trajectories of one rate network at once (ensembles of initial states,
//! noise seeds, trials): the B matrix–vector products of a step become one
//! matrix–matrix product (B × N)·(N × N)ᵀ, which reuses each entry of W B
//! times instead of streaming W from cache once per trajectory.

use super::simulate::{check_w, dot, Input, Params};
use crate::error::{check_size, Error, Result};
use crate::rng::{seeded, Rng};
use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};

/// B simulations of dh/dt = −h/τ + W φ(h) + I(t) + η(t) with the same W,
/// parameters and input, each with its own initial state and noise seed.
/// Trajectory b follows `Simulator::new(w, h0.row(b), params, input,
/// seeds[b])` to within rounding (the product sums in another order).
#[derive(Debug, Clone)]
pub struct BatchSimulator {
    w: Array2<f64>,
    h: Array2<f64>,
    r: Array2<f64>,
    drive: Array2<f64>,
    params: Params,
    input: Input,
    t: f64,
    rngs: Vec<Rng>,
}

impl BatchSimulator {
    /// B = `h0.nrows()` trajectories of `w` (N × N) from the rows of `h0`
    /// (B × N), trajectory b with noise seed `seeds[b]`.
    ///
    /// # Errors
    /// As `Simulator::new`; `seeds.len()` ≠ B; B = 0 or B × N over the file
    /// limit.
    pub fn new(
        w: Array2<f64>,
        h0: Array2<f64>,
        params: Params,
        input: Input,
        seeds: &[u64],
    ) -> Result<Self> {
        let n = check_w(&w)?;
        let b = h0.nrows();
        check_size("trajectories", b, 1, 1_000_000)?;
        crate::io::check_limits(&[b, n])?;
        if h0.ncols() != n || h0.iter().any(|v| !v.is_finite()) {
            return Err(Error::param(
                "h0",
                format!("needs {b} × {n} finite numbers, got {} columns", h0.ncols()),
            ));
        }
        if seeds.len() != b {
            return Err(Error::param(
                "seeds",
                format!("needs one seed per trajectory ({b}), got {}", seeds.len()),
            ));
        }
        params.check()?;
        input.check(n)?;
        Ok(BatchSimulator {
            w: w.as_standard_layout().into_owned(),
            h: h0.as_standard_layout().into_owned(),
            r: Array2::zeros((b, n)),
            drive: Array2::zeros((b, n)),
            params,
            input,
            t: 0.0,
            rngs: seeds.iter().map(|&s| seeded(s)).collect(),
        })
    }

    /// The B × N states (row b = trajectory b).
    pub fn states(&self) -> &Array2<f64> {
        &self.h
    }

    /// Current time.
    pub fn time(&self) -> f64 {
        self.t
    }

    /// Advance every trajectory `k` Euler–Maruyama steps (see
    /// `Simulator::step`). φ = tanh natively by
    /// [`super::kernel::tanh_fast`] (within 3ε of `f64::tanh`).
    ///
    /// # Errors
    /// [`Error::Numeric`] naming the first trajectory that stops being finite;
    /// [`Error::TooLarge`] when k × B × N² is over [`super::MAX_STEP_WORK`].
    ///
    /// # Complexity
    /// O(k·B·N²) time (matrixmultiply's dgemm, with run-time AVX/FMA
    /// dispatch natively), no allocation.
    pub fn step(&mut self, k: usize) -> Result<()> {
        let (b, n) = self.h.dim();
        let work = k as f64 * b as f64 * (n as f64).powi(2);
        if work > super::MAX_STEP_WORK {
            return Err(Error::TooLarge {
                what: "steps × trajectories × N² (simulation work)",
                got: work as usize,
                limit: super::MAX_STEP_WORK as usize,
            });
        }
        #[cfg(not(target_arch = "wasm32"))]
        return crate::simd::avx512(Run { sim: self, k });
        #[cfg(target_arch = "wasm32")]
        self.run(k)
    }

    /// The step loop (inlined into `pulp`'s AVX2-compiled dispatch natively,
    /// so the tanh and the update vectorise).
    #[inline(always)]
    fn run(&mut self, k: usize) -> Result<()> {
        let n = self.h.ncols();
        let Params {
            tau,
            dt,
            sigma,
            phi,
        } = self.params;
        let noise = sigma * dt.sqrt();
        for _ in 0..k {
            // Both B × N, standard layout (built so in `new`).
            super::kernel::phi_into(
                phi,
                cfg!(not(target_arch = "wasm32")),
                self.h.as_slice().unwrap_or(&[]),
                self.r.as_slice_mut().unwrap_or(&mut []),
            );
            if n >= 8 {
                ndarray::linalg::general_mat_mul(1.0, &self.r, &self.w.t(), 0.0, &mut self.drive);
            } else {
                for (mut d, r) in self.drive.rows_mut().into_iter().zip(self.r.rows()) {
                    let r = r.as_slice().unwrap_or(&[]);
                    for (di, row) in d.iter_mut().zip(self.w.rows()) {
                        *di = dot(row.as_slice().unwrap_or(&[]), r);
                    }
                }
            }
            let mut bad = None;
            for (j, ((mut h, mut d), rng)) in self
                .h
                .rows_mut()
                .into_iter()
                .zip(self.drive.rows_mut())
                .zip(&mut self.rngs)
                .enumerate()
            {
                let d = d.as_slice_mut().unwrap_or(&mut []);
                self.input.add_to(self.t, d);
                let mut ok = true;
                if noise > 0.0 {
                    for (h, d) in h.iter_mut().zip(d.iter()) {
                        *h += dt * (d - *h / tau);
                        let xi: f64 = StandardNormal.sample(rng);
                        *h += noise * xi;
                        ok &= h.abs() < 1e150;
                    }
                } else {
                    for (h, d) in h.iter_mut().zip(d.iter()) {
                        *h += dt * (d - *h / tau);
                        ok &= h.abs() < 1e150; // false for NaN and ±∞
                    }
                }
                if !ok && bad.is_none() {
                    bad = Some(j);
                }
            }
            self.t += dt;
            if let Some(j) = bad {
                return Err(Error::Numeric(format!(
                    "trajectory {} diverged at t = {:.4}: reduce dt or the gain, or use a saturating φ",
                    j + 1,
                    self.t
                )));
            }
        }
        Ok(())
    }
}

/// [`BatchSimulator::run`] under run-time SIMD dispatch.
#[cfg(not(target_arch = "wasm32"))]
struct Run<'a> {
    sim: &'a mut BatchSimulator,
    k: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl crate::simd::Kernel for Run<'_> {
    type Output = Result<()>;
    #[inline(always)]
    fn run(self) -> Result<()> {
        self.sim.run(self.k)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Activation, Simulator};
    use super::*;
    use crate::ensembles;

    /// Each trajectory of the batch against its own `Simulator` (same h0 and
    /// seed): noisy and noise-free, with a constant input.
    #[test]
    fn batch_matches_single_trajectories() {
        let n = 40;
        let w = ensembles::gaussian(n, 0.8, 5).unwrap();
        for sigma in [0.0, 0.3] {
            let p = Params {
                tau: 1.0,
                dt: 0.05,
                sigma,
                phi: Activation::Tanh,
            };
            let seeds = [3u64, 4, 11];
            let h0 = Array2::from_shape_fn((3, n), |(b, i)| {
                Simulator::random_state(n, 1.0, seeds[b])[i]
            });
            let input = Input::Constant(vec![0.1; n]);
            let mut batch =
                BatchSimulator::new(w.clone(), h0.clone(), p, input.clone(), &seeds).unwrap();
            batch.step(2000).unwrap();
            for (b, &seed) in seeds.iter().enumerate() {
                let mut one =
                    Simulator::new(w.clone(), h0.row(b).to_vec(), p, input.clone(), seed).unwrap();
                one.step(2000).unwrap();
                let diff = one
                    .state()
                    .iter()
                    .zip(batch.states().row(b))
                    .fold(0.0f64, |m, (a, c)| m.max((a - c).abs()));
                assert!(diff < 1e-12, "σ {sigma} trajectory {b}: {diff}");
                assert!(one.state().iter().any(|v| v.abs() > 1e-3));
            }
            assert!((batch.time() - 100.0).abs() < 1e-9);
        }
    }

    #[test]
    fn batch_errors() {
        let p = Params::default();
        let w = Array2::zeros((3, 3));
        let h0 = Array2::zeros((2, 3));
        let e = BatchSimulator::new(w.clone(), h0.clone(), p, Input::None, &[1]).unwrap_err();
        assert!(e.to_string().contains("seeds"), "{e}");
        let e = BatchSimulator::new(w.clone(), Array2::zeros((2, 4)), p, Input::None, &[1, 2])
            .unwrap_err();
        assert!(e.to_string().contains("h0"), "{e}");
        // Linear and unstable: the second trajectory (nonzero h0) diverges.
        let mut h0 = Array2::zeros((2, 1));
        h0[[1, 0]] = 1.0;
        let lin = Params {
            phi: Activation::Linear,
            dt: 0.1,
            ..p
        };
        let mut s =
            BatchSimulator::new(ndarray::array![[50.0]], h0, lin, Input::None, &[1, 2]).unwrap();
        let e = s.step(100_000).unwrap_err();
        assert!(e.to_string().contains("trajectory 2 diverged"), "{e}");
    }
}
