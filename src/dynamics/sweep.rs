//! Sweeps of the random-mode model (Clark et al. 2024) over g, α, κ or ρ
//! with several seeds per value: dimension (PR), largest Lyapunov exponent
//! (Engelken, Wolf & Abbott 2023) and single-unit vs collective timescales,
//! summarised as mean ± s.e.m. over seeds.
//!
//! One (value, seed) point is [`sweep_point`] (serial, WASM-friendly: the page
//! can run points in a worker and show progress); [`summarize`] aggregates.
//! The native CLI runs points in parallel with rayon.

use super::dimension::{activity_dimension, DimensionParams, Record};
use super::lyapunov::{lyapunov_spectrum, LyapunovParams};
use super::simulate::{Activation, Input, Params, Simulator};
use crate::ensembles::{self, ModeSpectrum, OverlapProfile, RandomModeParams};
use crate::error::{check_range, check_size, Error, Result};
use serde::Serialize;

/// The swept parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SweepParam {
    /// Coupling strength g.
    G,
    /// Power-law exponent α (spectrum `powerlaw`).
    Alpha,
    /// Exponential decay length κ (spectrum `exponential`).
    Kappa,
    /// Overlap ρ (all modes).
    Rho,
}

impl SweepParam {
    /// Parse `g`, `alpha`, `kappa` or `rho`.
    ///
    /// # Errors
    /// [`Error::Param`] naming `param`.
    pub fn parse(s: &str) -> Result<SweepParam> {
        Ok(match s {
            "g" => SweepParam::G,
            "alpha" => SweepParam::Alpha,
            "kappa" => SweepParam::Kappa,
            "rho" => SweepParam::Rho,
            other => {
                return Err(Error::param(
                    "param",
                    format!("unknown sweep parameter \"{other}\": use g, alpha, kappa or rho"),
                ))
            }
        })
    }
}

/// The connectivity family of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SweepKind {
    /// W_ij ~ N(0, g²/N) (reference).
    Gaussian,
    /// Random-mode, s_a ∝ a^(−α).
    Powerlaw,
    /// Random-mode, s_a ∝ e^(−(a−1)/κ).
    Exponential,
    /// Random-mode, flat spectrum.
    Flat,
}

impl SweepKind {
    /// Parse `gaussian`, `powerlaw`, `exponential` or `flat`.
    ///
    /// # Errors
    /// [`Error::Param`] naming `kind`.
    pub fn parse(s: &str) -> Result<SweepKind> {
        Ok(match s {
            "gaussian" => SweepKind::Gaussian,
            "powerlaw" => SweepKind::Powerlaw,
            "exponential" => SweepKind::Exponential,
            "flat" => SweepKind::Flat,
            other => {
                return Err(Error::param(
                    "kind",
                    format!("sweeps use gaussian, powerlaw, exponential or flat, got \"{other}\""),
                ))
            }
        })
    }
}

/// Everything a sweep point needs. The swept parameter overrides its field.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepParams {
    /// Swept parameter.
    pub param: SweepParam,
    /// Its values.
    pub values: Vec<f64>,
    /// Seeds per value (seeds 1…K; the seed draws W, h0 and Q0).
    pub seeds: usize,
    /// Connectivity family.
    pub kind: SweepKind,
    /// Units N.
    pub n: usize,
    /// Modes P (default N).
    pub modes: Option<usize>,
    /// g (when not swept).
    pub g: f64,
    /// α (powerlaw).
    pub alpha: f64,
    /// κ (exponential).
    pub kappa: f64,
    /// ρ (when not swept).
    pub rho: f64,
    /// Nonlinearity.
    pub phi: Activation,
    /// Euler step.
    pub dt: f64,
    /// Transient steps before recording / measuring.
    pub burn: usize,
    /// Recorded samples T.
    pub samples: usize,
    /// Steps between samples.
    pub every: usize,
    /// Rates or currents for the PR.
    pub record: Record,
    /// PR of the correlation matrix.
    pub zscore: bool,
    /// Lag range of the autocorrelations, in samples.
    pub max_lag: usize,
    /// Measured steps for λ1 (K = 1).
    pub lyap_steps: usize,
}

impl Default for SweepParams {
    fn default() -> Self {
        SweepParams {
            param: SweepParam::G,
            values: vec![0.8, 1.5, 2.0],
            seeds: 3,
            kind: SweepKind::Powerlaw,
            n: 200,
            modes: None,
            g: 2.0,
            alpha: 1.0,
            kappa: 20.0,
            rho: 0.0,
            phi: Activation::Tanh,
            dt: 0.05,
            burn: 4000,
            samples: 2000,
            every: 4,
            record: Record::Rates,
            zscore: false,
            max_lag: 100,
            lyap_steps: 6000,
        }
    }
}

impl SweepParams {
    /// Validate.
    ///
    /// # Errors
    /// [`Error::Param`] naming the parameter.
    pub fn check(&self) -> Result<()> {
        if self.values.is_empty() || self.values.len() > 100 {
            return Err(Error::param("values", "give between 1 and 100 values"));
        }
        check_size("seeds", self.seeds, 1, 1000)?;
        check_size("n", self.n, 2, 2000)?;
        check_size("samples", self.samples, 10, 100_000)?;
        check_size("max_lag", self.max_lag, 1, self.samples - 1)?;
        check_size("lyap_steps", self.lyap_steps, 1, 10_000_000)?;
        match (self.param, self.kind) {
            (SweepParam::Alpha, k) if k != SweepKind::Powerlaw => {
                Err(Error::param("param", "alpha sweeps need --kind powerlaw"))
            }
            (SweepParam::Kappa, k) if k != SweepKind::Exponential => Err(Error::param(
                "param",
                "kappa sweeps need --kind exponential",
            )),
            (SweepParam::Rho, SweepKind::Gaussian) => Err(Error::param(
                "param",
                "rho sweeps need a random-mode kind (powerlaw, exponential, flat)",
            )),
            _ => {
                for v in &self.values {
                    check_range("values", *v, -1e6, 1e6)?;
                }
                Ok(())
            }
        }
    }
}

/// One (value, seed) measurement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepSample {
    /// Value of the swept parameter.
    pub value: f64,
    /// Seed.
    pub seed: u64,
    /// Effective rank of the requested spectrum (N/2 for Gaussian W, Marchenko–Pastur).
    pub effective_rank: f64,
    /// True when the recorded activity is static (mean per-unit variance
    /// < 10⁻¹²: the network settled on a fixed point, e.g. the quiescent
    /// state); PR and timescales are then `None` (PR of a decayed transient
    /// is rounding noise). `None` fields are left out of the JSON, never null.
    pub static_activity: bool,
    /// PR of the recorded activity (`None` when static).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participation_ratio: Option<f64>,
    /// Largest Lyapunov exponent.
    pub lambda1: f64,
    /// Median single-unit 1/e time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_timescale: Option<f64>,
    /// 1/e time of the leading PCs' autocovariance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collective_timescale: Option<f64>,
}

/// Run one sweep point: draw W (seed), simulate (seed), record `samples`
/// states after `burn` steps, measure PR and timescales
/// ([`activity_dimension`]) and λ1 ([`lyapunov_spectrum`], K = 1, same burn).
///
/// # Errors
/// As the ensemble, [`Simulator`], [`activity_dimension`] and [`lyapunov_spectrum`].
///
/// # Complexity
/// O((2·burn + samples·every + lyap_steps)·N² + N³).
pub fn sweep_point(p: &SweepParams, value: f64, seed: u64) -> Result<SweepSample> {
    let mut g = p.g;
    let (mut alpha, mut kappa, mut rho) = (p.alpha, p.kappa, p.rho);
    match p.param {
        SweepParam::G => g = value,
        SweepParam::Alpha => alpha = value,
        SweepParam::Kappa => kappa = value,
        SweepParam::Rho => rho = value,
    }
    let (w, effective_rank) = match p.kind {
        SweepKind::Gaussian => (ensembles::gaussian(p.n, g, seed)?, p.n as f64 / 2.0),
        kind => {
            let spectrum = match kind {
                SweepKind::Powerlaw => ModeSpectrum::PowerLaw { alpha },
                SweepKind::Exponential => ModeSpectrum::Exponential { kappa },
                _ => ModeSpectrum::Flat,
            };
            let mut rp = RandomModeParams::new(p.n, spectrum, g);
            rp.modes = p.modes;
            rp.overlap = OverlapProfile::Constant(rho);
            rp.seed = seed;
            let s = spectrum.mode_values(rp.p(), p.n, g)?;
            (
                ensembles::random_mode_matrix(&rp)?,
                ensembles::effective_rank_of_spectrum(&s),
            )
        }
    };
    let params = Params {
        tau: 1.0,
        dt: p.dt,
        sigma: 0.0,
        phi: p.phi,
    };
    let h0 = Simulator::random_state(p.n, 1.0, seed);
    let mut sim = Simulator::new(w.clone(), h0.clone(), params, Input::None, seed)?;
    sim.step(p.burn)?;
    let x = sim.record_as(p.samples, p.every, p.record)?;
    let t = x.nrows() as f64;
    let mean_var = x
        .columns()
        .into_iter()
        .map(|c| {
            let m = c.sum() / t;
            c.iter().map(|v| (v - m).powi(2)).sum::<f64>() / t
        })
        .sum::<f64>()
        / p.n as f64;
    let static_activity = mean_var < 1e-12;
    let dim = activity_dimension(
        &x,
        &DimensionParams {
            record: p.record,
            zscore: p.zscore,
            max_lag: p.max_lag,
            dt: p.dt * p.every as f64,
            pcs: 3,
        },
    )?;
    let ly = lyapunov_spectrum(
        &w,
        Some(h0),
        &LyapunovParams {
            k: 1,
            steps: p.lyap_steps,
            burn: p.burn,
            dt: p.dt,
            tau: 1.0,
            phi: p.phi,
            ortho_every: 10,
            seed,
        },
    )?;
    Ok(SweepSample {
        value,
        seed,
        effective_rank,
        static_activity,
        participation_ratio: (!static_activity).then_some(dim.participation_ratio),
        lambda1: ly.exponents[0],
        unit_timescale: dim.unit_timescale.filter(|_| !static_activity),
        collective_timescale: dim.collective_timescale.filter(|_| !static_activity),
    })
}

/// Mean ± standard error of the mean over seeds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanSem {
    /// Sample mean.
    pub mean: f64,
    /// s.e.m. = sd/√n (sd with n − 1); 0 for n = 1.
    pub sem: f64,
    /// Number of finite values averaged.
    pub n: usize,
}

impl MeanSem {
    /// Of the finite values in `xs` (`None` when there are none).
    pub fn of(xs: impl IntoIterator<Item = f64>) -> Option<MeanSem> {
        let v: Vec<f64> = xs.into_iter().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let sem = if v.len() > 1 {
            (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt() / n.sqrt()
        } else {
            0.0
        };
        Some(MeanSem {
            mean,
            sem,
            n: v.len(),
        })
    }
}

/// One row of a sweep: a value and its statistics over seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepRow {
    /// Value of the swept parameter.
    pub value: f64,
    /// Effective rank of the spectrum (mean over seeds; it does not depend on the seed).
    pub effective_rank: f64,
    /// Seeds whose activity was static (excluded from PR and timescales).
    /// A statistic with no seed left is `None`, left out of the JSON.
    pub static_seeds: usize,
    /// PR over the non-static seeds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participation_ratio: Option<MeanSem>,
    /// λ1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lambda1: Option<MeanSem>,
    /// Median single-unit 1/e time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_timescale: Option<MeanSem>,
    /// Collective (leading-PC) 1/e time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collective_timescale: Option<MeanSem>,
}

/// A finished sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// Swept parameter.
    pub param: SweepParam,
    /// Connectivity family.
    pub kind: SweepKind,
    /// What the PR is of.
    pub record: Record,
    /// PR of correlations (z-scored) or covariances.
    pub zscored: bool,
    /// N.
    pub n: usize,
    /// Seeds per value.
    pub seeds: usize,
    /// One row per value, in the order given.
    pub rows: Vec<SweepRow>,
    /// Every point.
    pub samples: Vec<SweepSample>,
}

/// Aggregate points (any order) into rows in the order of `p.values`.
pub fn summarize(p: &SweepParams, samples: Vec<SweepSample>) -> Sweep {
    let rows = p
        .values
        .iter()
        .map(|&v| {
            let at: Vec<&SweepSample> = samples.iter().filter(|s| s.value == v).collect();
            SweepRow {
                value: v,
                effective_rank: at.first().map_or(f64::NAN, |s| s.effective_rank),
                static_seeds: at.iter().filter(|s| s.static_activity).count(),
                participation_ratio: MeanSem::of(at.iter().filter_map(|s| s.participation_ratio)),
                lambda1: MeanSem::of(at.iter().map(|s| s.lambda1)),
                unit_timescale: MeanSem::of(at.iter().filter_map(|s| s.unit_timescale)),
                collective_timescale: MeanSem::of(at.iter().filter_map(|s| s.collective_timescale)),
            }
        })
        .collect();
    Sweep {
        param: p.param,
        kind: p.kind,
        record: p.record,
        zscored: p.zscore,
        n: p.n,
        seeds: p.seeds,
        rows,
        samples,
    }
}

/// Run the whole sweep serially (the CLI parallelises [`sweep_point`] instead).
///
/// # Errors
/// As [`SweepParams::check`] and [`sweep_point`].
///
/// # Complexity
/// values × seeds × [`sweep_point`].
pub fn sweep(p: &SweepParams) -> Result<Sweep> {
    p.check()?;
    let mut out = Vec::new();
    for &v in &p.values {
        for s in 1..=p.seeds as u64 {
            out.push(sweep_point(p, v, s)?);
        }
    }
    Ok(summarize(p, out))
}
