//! Seeded synthetic activity with planted, drifting modules — a ground truth
//! for tests and the page's demo (no file needed).
//!
//! Model: K latent signals s_k(t) ~ N(0, 1) i.i.d.; unit i in module g_i(w)
//! during window w emits x_i(t) = s_{g_i(w)}(t) + σ ε_i(t). Units start in
//! contiguous blocks; at each new window `drift` randomly chosen units move
//! to a random other module. Within a window, units of one module correlate
//! at 1/(1 + σ²) and units of different modules at ≈ 0.

use crate::error::{check_range, check_size, Result};
use crate::rng;
use ndarray::Array2;
use rand::Rng as _;
use rand_distr::{Distribution, StandardNormal};

/// Settings of [`planted_activity`] as one object (serde: the field names;
/// absent fields take [`PlantedParams::default`]) — what the page's
/// `plantedActivity` takes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlantedParams {
    /// Units M (2…2000).
    pub units: usize,
    /// Planted modules K (1…units).
    pub modules: usize,
    /// Windows (1…500).
    pub windows: usize,
    /// Samples per window (2…10 000).
    pub window: usize,
    /// Units moved to another module at each new window (0…units).
    pub drift: usize,
    /// Noise σ (0…100).
    pub noise: f64,
    /// Seed of the module drift and the noise.
    pub seed: u64,
}

impl Default for PlantedParams {
    /// The page's demo: 60 units in 4 modules, 20 windows of 50 samples,
    /// 2 units drifting per window, σ = 1, seed 1.
    fn default() -> Self {
        PlantedParams {
            units: 60,
            modules: 4,
            windows: 20,
            window: 50,
            drift: 2,
            noise: 1.0,
            seed: 1,
        }
    }
}

impl PlantedParams {
    /// [`planted_activity`] with these settings.
    ///
    /// # Errors
    /// As [`planted_activity`].
    pub fn generate(&self) -> Result<(Array2<f64>, Vec<Vec<usize>>)> {
        planted_activity(
            self.units,
            self.modules,
            self.windows,
            self.window,
            self.drift,
            self.noise,
            self.seed,
        )
    }
}

/// Planted activity: (T × M activity with T = windows · window, true module
/// of each unit per window).
///
/// # Errors
/// Sizes out of range (units 2…2000, modules 1…units, windows 1…500,
/// window 2…10 000, T·M ≤ 16 Mi), noise σ outside [0, 100].
pub fn planted_activity(
    units: usize,
    modules: usize,
    windows: usize,
    window: usize,
    drift: usize,
    noise: f64,
    seed: u64,
) -> Result<(Array2<f64>, Vec<Vec<usize>>)> {
    check_size("units", units, 2, 2000)?;
    check_size("modules", modules, 1, units)?;
    check_size("windows", windows, 1, 500)?;
    check_size("window", window, 2, 10_000)?;
    check_size(
        "samples × units",
        windows.saturating_mul(window).saturating_mul(units),
        1,
        crate::io::MAX_ELEMENTS,
    )?;
    check_size("drift", drift, 0, units)?;
    check_range("noise", noise, 0.0, 100.0)?;
    let mut r = rng::seeded(seed);
    let mut g: Vec<usize> = (0..units).map(|i| i * modules / units).collect();
    let mut truth = Vec::with_capacity(windows);
    let t = windows * window;
    let mut x = Array2::zeros((t, units));
    let mut s = vec![0.0; modules];
    for w in 0..windows {
        if w > 0 && modules > 1 {
            for _ in 0..drift {
                let i = r.random_range(0..units);
                let shift = r.random_range(1..modules);
                g[i] = (g[i] + shift) % modules;
            }
        }
        truth.push(g.clone());
        for tt in w * window..(w + 1) * window {
            for v in s.iter_mut() {
                *v = StandardNormal.sample(&mut r);
            }
            for i in 0..units {
                let e: f64 = StandardNormal.sample(&mut r);
                x[[tt, i]] = s[g[i]] + noise * e;
            }
        }
    }
    Ok((x, truth))
}
