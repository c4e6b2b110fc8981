//! Largest Lyapunov exponent of the weight dynamics (chaotic learning), by
//! Benettin's two-trajectory method with periodic renormalisation
//! (Benettin, Galgani, Giorgilli & Strelcyn 1980, Meccanica 15:9).
//!
//! A shadow student `θ' = θ + ε u` (u a random unit vector) is stepped with
//! exactly the same mini-batches as the reference. Every `renorm_every` epochs
//! the separation `δ = ‖θ' − θ‖` is measured, `ln(δ/ε)` accumulated, and the
//! shadow pulled back to distance ε along the current separation. Then
//! `λ₁ ≈ Σ ln(δ_k/ε) / (epochs measured)` per epoch; divided by η it is per unit
//! time of the flow `dθ/dt = −D∇L` (one epoch ≈ a time step η).
//!
//! λ₁ > 0: nearby weight trajectories diverge (chaotic learning). Converging to a
//! stable solution manifold gives λ₁ ≤ 0, with λ₁ → 0⁻ from the neutral
//! directions along the manifold.

use super::dynamics::{EpochHook, Rule, Stepper};
use super::model::{CurlParams, Dataset, Net};
use crate::error::{check_range, Error, Result};
use crate::rng::seeded;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

/// Settings of the Benettin estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LyapunovParams {
    /// Epochs to skip before the shadow trajectory starts.
    pub transient: usize,
    /// Epochs between renormalisations.
    pub renorm_every: usize,
    /// Initial (and renormalised) separation ε, relative to ‖θ‖.
    pub eps_rel: f64,
}

impl Default for LyapunovParams {
    fn default() -> Self {
        Self {
            transient: 0,
            renorm_every: 10,
            eps_rel: 1e-8,
        }
    }
}

impl LyapunovParams {
    /// Validate.
    ///
    /// # Errors
    /// `renorm_every` = 0, ε out of (1e-14, 1e-2].
    pub fn check(&self) -> Result<()> {
        if self.renorm_every == 0 {
            return Err(Error::param("lyap-renorm-every", "must be ≥ 1"));
        }
        check_range("lyap-eps", self.eps_rel, 1e-14, 1e-2)?;
        Ok(())
    }
}

/// The estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lyapunov {
    /// λ₁ per epoch.
    pub per_epoch: f64,
    /// λ₁ per unit time of the flow (per epoch / η).
    pub per_unit_time: f64,
    /// Renormalisations done.
    pub renormalisations: usize,
    /// Epochs over which λ₁ was averaged.
    pub epochs_measured: usize,
}

/// The Benettin shadow trajectory, run as an [`EpochHook`] of
/// [`super::dynamics::train`].
#[derive(Debug, Clone)]
pub struct Benettin {
    lp: LyapunovParams,
    stepper: Stepper,
    shadow: Option<Net>,
    eps: f64,
    sum_log: f64,
    n_renorm: usize,
    measured: usize,
    since: usize,
    seed: u64,
    lr: f64,
    failed: bool,
}

impl Benettin {
    /// A shadow for a run of `p` with `rule` from `net0` (whose layer norms the
    /// stepper keeps, exactly as the reference run's).
    ///
    /// # Errors
    /// Invalid settings.
    pub fn new(p: &CurlParams, rule: Rule, net0: &Net, lp: LyapunovParams) -> Result<Self> {
        lp.check()?;
        Ok(Self {
            lp,
            stepper: Stepper::new(p, rule, net0),
            shadow: None,
            eps: 0.0,
            sum_log: 0.0,
            n_renorm: 0,
            measured: 0,
            since: 0,
            seed: p.seed ^ 0x9E37_79B9_7F4A_7C15,
            lr: p.lr,
            failed: false,
        })
    }

    fn start(&mut self, net: &Net) {
        let mut rng = seeded(self.seed);
        let u: Vec<f64> = (0..net.theta.len())
            .map(|_| StandardNormal.sample(&mut rng))
            .collect();
        let un = u
            .iter()
            .map(|v| v * v)
            .sum::<f64>()
            .sqrt()
            .max(f64::MIN_POSITIVE);
        let tn = net
            .theta
            .iter()
            .map(|v| v * v)
            .sum::<f64>()
            .sqrt()
            .max(1e-12);
        self.eps = self.lp.eps_rel * tn;
        let mut s = net.clone();
        for (t, uv) in s.theta.iter_mut().zip(&u) {
            *t += self.eps * uv / un;
        }
        self.shadow = Some(s);
    }

    /// The estimate, `None` if nothing was measured or the shadow diverged.
    pub fn result(&self) -> Option<Lyapunov> {
        if self.failed || self.measured == 0 {
            return None;
        }
        let per_epoch = self.sum_log / self.measured as f64;
        Some(Lyapunov {
            per_epoch,
            per_unit_time: per_epoch / self.lr,
            renormalisations: self.n_renorm,
            epochs_measured: self.measured,
        })
    }
}

impl EpochHook for Benettin {
    fn after_epoch(&mut self, epoch: usize, net: &Net, order: &[usize], data: &Dataset) {
        if self.failed {
            return;
        }
        if epoch == self.lp.transient.max(1) && self.shadow.is_none() {
            // Start from the state after this epoch; measurement begins next epoch.
            self.start(net);
            return;
        }
        let Some(shadow) = self.shadow.as_mut() else {
            return;
        };
        self.stepper.epoch(shadow, data, order);
        self.since += 1;
        if self.since < self.lp.renorm_every {
            return;
        }
        let dist = shadow
            .theta
            .iter()
            .zip(&net.theta)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt();
        if !dist.is_finite() || dist == 0.0 {
            // Overflow, or a separation annihilated exactly: no estimate.
            self.failed = true;
            return;
        }
        self.sum_log += (dist / self.eps).ln();
        self.measured += self.since;
        self.n_renorm += 1;
        self.since = 0;
        let f = self.eps / dist;
        for (s, r) in shadow.theta.iter_mut().zip(&net.theta) {
            *s = r + (*s - r) * f;
        }
    }
}
