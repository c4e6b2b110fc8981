//! Adam and global-norm gradient clipping over flat parameter slices.
//!
//! Kingma & Ba (2015), "Adam: a method for stochastic optimization", Alg. 1:
//! m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with
//! bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
//! Clipping: Pascanu, Mikolov & Bengio (2013), g ← g·c/‖g‖ when ‖g‖ > c.

use crate::error::{check_range, Error, Result};

/// Adam state for a fixed list of parameter blocks (one moment pair per block).
#[derive(Debug, Clone)]
pub struct Adam {
    /// Learning rate.
    pub lr: f64,
    /// First-moment decay β₁.
    pub beta1: f64,
    /// Second-moment decay β₂.
    pub beta2: f64,
    /// ε in the denominator.
    pub eps: f64,
    t: u64,
    m: Vec<Vec<f64>>,
    v: Vec<Vec<f64>>,
}

impl Adam {
    /// Adam for blocks of the given sizes with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    ///
    /// # Errors
    /// `lr` not finite or outside (0, 10].
    pub fn new(lr: f64, sizes: &[usize]) -> Result<Adam> {
        check_range("lr", lr, 1e-12, 10.0)?;
        Ok(Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            t: 0,
            m: sizes.iter().map(|&s| vec![0.0; s]).collect(),
            v: sizes.iter().map(|&s| vec![0.0; s]).collect(),
        })
    }

    /// Number of steps taken.
    pub fn steps(&self) -> u64 {
        self.t
    }

    /// One update of every block: `params[k] -= lr · m̂/(√v̂+ε)` from `grads[k]`.
    ///
    /// # Errors
    /// Block count or sizes differ from construction; a non-finite gradient.
    /// Complexity: O(total parameters).
    pub fn step(&mut self, params: &mut [&mut [f64]], grads: &[&[f64]]) -> Result<()> {
        if params.len() != self.m.len() || grads.len() != self.m.len() {
            return Err(Error::Shape(format!(
                "Adam was built for {} parameter blocks, got {} params and {} grads",
                self.m.len(),
                params.len(),
                grads.len()
            )));
        }
        for (k, (p, g)) in params.iter().zip(grads).enumerate() {
            if p.len() != self.m[k].len() || g.len() != self.m[k].len() {
                return Err(Error::Shape(format!(
                    "Adam block {k}: expected {} entries, got {} params and {} grads",
                    self.m[k].len(),
                    p.len(),
                    g.len()
                )));
            }
            if g.iter().any(|x| !x.is_finite()) {
                return Err(Error::Numeric(format!(
                    "gradient of block {k} is not finite (training diverged; lower the learning rate)"
                )));
            }
        }
        self.t += 1;
        let b1t = 1.0 - crate::fmath::powi(self.beta1, self.t.min(i32::MAX as u64) as i32);
        let b2t = 1.0 - crate::fmath::powi(self.beta2, self.t.min(i32::MAX as u64) as i32);
        for (k, (p, g)) in params.iter_mut().zip(grads).enumerate() {
            let (m, v) = (&mut self.m[k], &mut self.v[k]);
            for i in 0..p.len() {
                m[i] = self.beta1 * m[i] + (1.0 - self.beta1) * g[i];
                v[i] = self.beta2 * v[i] + (1.0 - self.beta2) * g[i] * g[i];
                p[i] -= self.lr * (m[i] / b1t) / ((v[i] / b2t).sqrt() + self.eps);
            }
        }
        Ok(())
    }
}

/// Scale all blocks together so that their joint L2 norm is at most `max_norm`.
/// Returns the norm before clipping. `max_norm ≤ 0` or non-finite disables clipping.
pub fn clip_global_norm(grads: &mut [&mut [f64]], max_norm: f64) -> f64 {
    let norm = grads
        .iter()
        .flat_map(|g| g.iter())
        .map(|x| x * x)
        .sum::<f64>()
        .sqrt();
    if max_norm > 0.0 && max_norm.is_finite() && norm > max_norm {
        let s = max_norm / norm;
        grads
            .iter_mut()
            .for_each(|g| g.iter_mut().for_each(|x| *x *= s));
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_step_moves_by_lr_against_the_sign() {
        // After one step m̂ = g and v̂ = g², so the update is lr·g/|g| (± ε).
        let mut adam = Adam::new(0.1, &[3]).unwrap();
        let mut p = vec![1.0, 1.0, 1.0];
        adam.step(&mut [&mut p], &[&[2.0, -0.5, 0.0]]).unwrap();
        assert!((p[0] - 0.9).abs() < 1e-6 && (p[1] - 1.1).abs() < 1e-6 && p[2] == 1.0);
    }

    #[test]
    fn minimises_a_quadratic() {
        let mut adam = Adam::new(0.05, &[2]).unwrap();
        let mut p = vec![3.0, -2.0];
        for _ in 0..2000 {
            let g = [2.0 * (p[0] - 1.0), 8.0 * (p[1] + 0.5)];
            adam.step(&mut [&mut p], &[&g]).unwrap();
        }
        assert!(
            (p[0] - 1.0).abs() < 1e-3 && (p[1] + 0.5).abs() < 1e-3,
            "{p:?}"
        );
    }

    #[test]
    fn clipping_scales_jointly() {
        let mut a = vec![3.0];
        let mut b = vec![4.0];
        let n = clip_global_norm(&mut [&mut a, &mut b], 1.0);
        assert_eq!(n, 5.0);
        assert!((a[0] - 0.6).abs() < 1e-12 && (b[0] - 0.8).abs() < 1e-12);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(Adam::new(f64::NAN, &[1]).is_err());
        let mut adam = Adam::new(0.1, &[2]).unwrap();
        let mut p = vec![0.0; 3];
        assert!(adam.step(&mut [&mut p], &[&[0.0; 3]]).is_err());
        let mut p = vec![0.0; 2];
        assert!(adam.step(&mut [&mut p], &[&[f64::NAN, 0.0]]).is_err());
    }
}
