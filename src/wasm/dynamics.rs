//! Dynamics exports: random connectivity and its spectrum, fixed points,
//! activity dimension, and the live [`Simulation`] (a core
//! [`Simulator`] plus a core [`Recorder`] for the PCA views).

use super::{count, js, object, to_js, JsResult, Matrix};
use crate::dynamics::lyapunov::{lyapunov_spectrum, LyapunovParams};
use crate::dynamics::sweep::{
    summarize, sweep_point, SweepKind, SweepParam, SweepParams, SweepSample,
};
use crate::dynamics::{
    self as dyn_core, Activation, Input, NewtonOpts, Params, Record, Recorder, Simulator,
};
use crate::{ensembles, linalg};
use js_sys::Float64Array;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// Gaussian random connectivity W_ij ~ N(0, g²/N); `seed` is a BigInt.
#[wasm_bindgen(js_name = randomGaussian)]
pub fn random_gaussian(n: usize, g: f64, seed: u64) -> JsResult<Matrix> {
    ensembles::gaussian(n, g, seed)
        .map(Matrix::wrap)
        .map_err(js)
}

/// Eigenvalues of a square matrix, interleaved `[re0, im0, re1, im1, …]`.
#[wasm_bindgen]
pub fn eigenvalues(m: &Matrix) -> JsResult<Vec<f64>> {
    let ev = linalg::eigenvalues(&m.inner).map_err(js)?;
    Ok(super::interleave(&ev))
}

/// `makeEnsemble` settings: `{kind, n, g, a, b, seed}` (all optional; the
/// defaults are a 100-unit Gaussian W with g = 1.5, seed 1).
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct EnsembleArgs {
    kind: String,
    n: usize,
    g: f64,
    a: f64,
    b: f64,
    seed: u64,
}

impl Default for EnsembleArgs {
    fn default() -> Self {
        EnsembleArgs {
            kind: "gaussian".into(),
            n: 100,
            g: 1.5,
            a: 0.0,
            b: 0.0,
            seed: 1,
        }
    }
}

/// Draw W from a named ensemble (see `ensembles::Ensemble::from_kind`):
/// `gaussian`, `sparse` (a = p), `dale` (a = E fraction, b ≠ 0 balanced),
/// `lowrank` (a = rank, b = strength), `powerlaw` (a = α, b = overlap ρ),
/// `exponential` (a = κ, b = ρ), `flat` (b = ρ). `params`:
/// `{kind, n, g, a, b, seed}` (a JS number seed).
///
/// # Errors
/// Unknown kind or key, parameters out of range (named).
#[wasm_bindgen(js_name = makeEnsemble)]
pub fn make_ensemble(params: JsValue) -> JsResult<Matrix> {
    let a: EnsembleArgs = settings("ensemble settings", params)?;
    ensembles::Ensemble::from_kind(&a.kind, a.a, a.b)
        .and_then(|e| e.build(a.n, a.g, a.seed))
        .map(Matrix::wrap)
        .map_err(js)
}

/// Effective rank (PR of squared singular values) of a matrix.
#[wasm_bindgen(js_name = effectiveRank)]
pub fn effective_rank(m: &Matrix) -> JsResult<f64> {
    ensembles::effective_rank(&m.inner).map_err(js)
}

/// `fixedPoints` settings (keys as the CLI's `fixed-points` flags); missing
/// keys take the CLI's defaults.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FixedPointArgs {
    tau: f64,
    phi: String,
    input: f64,
    starts: usize,
    seed: u64,
}

impl Default for FixedPointArgs {
    fn default() -> Self {
        let d = NewtonOpts::default();
        FixedPointArgs {
            tau: 1.0,
            phi: "tanh".into(),
            input: 0.0,
            starts: d.starts,
            seed: d.seed,
        }
    }
}

/// Parse a settings object (`what` names it in the error); undefined/null → defaults.
fn settings<T: for<'de> Deserialize<'de> + Default>(what: &str, v: JsValue) -> JsResult<T> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    super::from_js(what, v)
}

/// Fixed points of dh/dt = −h/τ + W φ(h) + I by Newton (the core's
/// `find_fixed_points`). `params`: `{tau, phi, input, starts, seed}` (all
/// optional). Returns an array of the core's `FixedPoint`s as objects
/// `{stable, max_real, residual, hits, norm, h, eigenvalues}` (`h` a
/// Float64Array; `eigenvalues` the Jacobian's, interleaved re/im in a
/// Float64Array — the CLI's `jacobian_eigenvalues` pairs).
///
/// # Errors
/// Bad settings (named), W not square or not finite.
#[wasm_bindgen(js_name = fixedPoints)]
pub fn fixed_points(w: &Matrix, params: JsValue) -> JsResult<js_sys::Array> {
    let a: FixedPointArgs = settings("fixed-point settings", params)?;
    let phi = Activation::parse(&a.phi).map_err(js)?;
    let n = w.inner.nrows();
    let inp = if a.input != 0.0 {
        vec![a.input; n]
    } else {
        vec![]
    };
    let opts = NewtonOpts {
        starts: a.starts,
        seed: a.seed,
        ..Default::default()
    };
    let fps = dyn_core::find_fixed_points(&w.inner, a.tau, phi, &inp, &opts).map_err(js)?;
    fps.iter()
        .map(|p| {
            let eig: Vec<f64> = super::interleave(&p.eigenvalues);
            object(&[
                ("stable", p.stable.into()),
                ("max_real", p.max_real.into()),
                ("residual", p.residual.into()),
                ("hits", (p.hits as f64).into()),
                ("norm", p.norm().into()),
                ("h", Float64Array::from(&p.h[..]).into()),
                ("eigenvalues", Float64Array::from(&eig[..]).into()),
            ])
        })
        .collect()
}

/// `activityPr` settings: the simulation's `{tau, dt, sigma, phi}` plus
/// `{burn, samples, every, seed}` (all optional; the CLI's `simulate`
/// defaults).
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PrArgs {
    tau: f64,
    dt: f64,
    sigma: f64,
    phi: String,
    burn: usize,
    samples: usize,
    every: usize,
    seed: u64,
}

impl Default for PrArgs {
    fn default() -> Self {
        let d = Params::default();
        PrArgs {
            tau: d.tau,
            dt: d.dt,
            sigma: d.sigma,
            phi: "tanh".into(),
            burn: 0,
            samples: 1000,
            every: 1,
            seed: 1,
        }
    }
}

/// PR of simulated activity of W (seeded start, `burn` steps dropped,
/// `samples` states every `every` steps). `params`: `{tau, dt, sigma, phi,
/// burn, samples, every, seed}`.
///
/// # Errors
/// Bad settings (named), the simulation budget, a diverging state.
#[wasm_bindgen(js_name = activityPr)]
pub fn activity_pr(w: &Matrix, params: JsValue) -> JsResult<f64> {
    let a: PrArgs = settings("activityPr settings", params)?;
    let p = Params {
        tau: a.tau,
        dt: a.dt,
        sigma: a.sigma,
        phi: Activation::parse(&a.phi).map_err(js)?,
    };
    dyn_core::activity_pr(w.inner.clone(), p, a.burn, a.samples, a.every, a.seed)
        .map(|(pr, _)| pr)
        .map_err(js)
}

/// Participation ratio and explained variance of T × N activity:
/// `[PR, ev0, ev1, …]`.
#[wasm_bindgen(js_name = activityDimension)]
pub fn activity_dimension(x: &Matrix) -> JsResult<Vec<f64>> {
    let p = dyn_core::pca(&x.inner, 0).map_err(js)?;
    let mut out = vec![p.participation_ratio];
    out.extend(p.explained_variance);
    Ok(out)
}

/// Capacity of a live simulation's history (states kept for PCA / PR).
const HISTORY: usize = 240;

/// A live simulation kept in WebAssembly memory; the page steps it in chunks
/// per animation frame. Its [`Recorder`] keeps the last [`HISTORY`] recorded
/// states for PCA.
#[wasm_bindgen]
pub struct Simulation {
    sim: Simulator,
    rec: Recorder,
}

fn constant_input(n: usize, input: f64) -> Input {
    if input != 0.0 {
        Input::Constant(vec![input; n])
    } else {
        Input::None
    }
}

/// `new Simulation(w, params)` settings: the core's [`Params`] (`tau, dt,
/// sigma, phi`), a constant `input`, the `seed` and an optional start `h0`
/// (default: a seeded random state h0 ~ N(0, 1)).
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SimArgs {
    tau: f64,
    dt: f64,
    sigma: f64,
    phi: String,
    input: f64,
    seed: u64,
    h0: Option<Vec<f64>>,
}

impl Default for SimArgs {
    fn default() -> Self {
        let d = Params::default();
        SimArgs {
            tau: d.tau,
            dt: d.dt,
            sigma: d.sigma,
            phi: "tanh".into(),
            input: 0.0,
            seed: 1,
            h0: None,
        }
    }
}

/// `stepRecord` settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordArgs {
    samples: usize,
    #[serde(default = "one")]
    every: usize,
    #[serde(default)]
    traces: usize,
}

fn one() -> usize {
    1
}

#[wasm_bindgen]
impl Simulation {
    /// A simulation of W. `params`: `{tau, dt, sigma, phi, input, seed, h0}`
    /// (all optional; `h0` keeps a state across τ/φ changes).
    ///
    /// # Errors
    /// Bad settings (named as the core names them), W not square/finite,
    /// `h0` of the wrong length.
    #[wasm_bindgen(constructor)]
    pub fn new(w: &Matrix, params: JsValue) -> JsResult<Simulation> {
        let a: SimArgs = settings("simulation settings", params)?;
        let n = w.inner.nrows();
        let params = Params {
            tau: a.tau,
            dt: a.dt,
            sigma: a.sigma,
            phi: Activation::parse(&a.phi).map_err(js)?,
        };
        let h0 =
            a.h0.unwrap_or_else(|| Simulator::random_state(n, 1.0, a.seed));
        let sim = Simulator::new(
            w.inner.clone(),
            h0,
            params,
            constant_input(n, a.input),
            a.seed,
        )
        .map_err(js)?;
        let rec = Recorder::new(n, HISTORY).map_err(js)?;
        Ok(Simulation { sim, rec })
    }

    /// Units N.
    #[wasm_bindgen(getter)]
    pub fn n(&self) -> usize {
        self.sim.n()
    }

    /// Simulated time.
    #[wasm_bindgen(getter)]
    pub fn time(&self) -> f64 {
        self.sim.time()
    }

    /// Current state h (copy).
    pub fn state(&self) -> Vec<f64> {
        self.sim.state().to_vec()
    }

    /// Noise level σ.
    #[wasm_bindgen(js_name = setSigma)]
    pub fn set_sigma(&mut self, sigma: f64) -> JsResult<()> {
        self.sim.set_sigma(sigma).map_err(js)
    }

    /// Constant input to every unit.
    #[wasm_bindgen(js_name = setInput)]
    pub fn set_input(&mut self, input: f64) -> JsResult<()> {
        let n = self.sim.n();
        self.sim.set_input(constant_input(n, input)).map_err(js)
    }

    /// Advance `k` steps without recording.
    pub fn step(&mut self, k: usize) -> JsResult<()> {
        self.sim.step(k).map_err(js)
    }

    /// Run `samples` × `every` steps, recording each sample (the core's
    /// `dynamics::record`). `params`: `{samples, every = 1, traces = 0}`.
    /// Returns the core's `RecordedChunk` as `{t, traces, h, pc}` with
    /// typed arrays: `t` (samples), `h` (samples × traces, row-major), `pc`
    /// ((PC1, PC2) per sample on the current axes, 0 before the first fit).
    ///
    /// # Errors
    /// Bad settings (named); a diverging state.
    #[wasm_bindgen(js_name = stepRecord)]
    pub fn step_record(&mut self, params: JsValue) -> JsResult<JsValue> {
        let a: RecordArgs = super::from_js("stepRecord settings", params)?;
        let c = dyn_core::record(&mut self.sim, &mut self.rec, a.samples, a.every, a.traces)
            .map_err(js)?;
        object(&[
            ("t", Float64Array::from(&c.t[..]).into()),
            ("traces", (c.traces as f64).into()),
            ("h", Float64Array::from(&c.h[..]).into()),
            ("pc", Float64Array::from(&c.pc[..]).into()),
        ])
    }

    /// Fit PCA on the stored history; returns the participation ratio (NaN
    /// with fewer than 3 samples). Later `stepRecord` calls project on these axes.
    #[wasm_bindgen(js_name = fitPca)]
    pub fn fit_pca(&mut self) -> JsResult<f64> {
        self.rec.fit().map_err(js)
    }

    /// Total variance (sum of covariance eigenvalues) at the last fit.
    #[wasm_bindgen(getter, js_name = totalVariance)]
    pub fn total_variance(&self) -> f64 {
        self.rec.total_variance()
    }

    /// Explained-variance ratios from the last fit.
    pub fn explained(&self) -> Vec<f64> {
        self.rec.explained().to_vec()
    }

    /// The stored history projected on the current axes, `[pc1_0, pc2_0, pc1_1, …]` oldest first.
    #[wasm_bindgen(js_name = historyProjection)]
    pub fn history_projection(&self) -> Vec<f64> {
        self.rec.projection(2)
    }

    /// The stored history on the first three axes of the last fit,
    /// `[pc1_0, pc2_0, pc3_0, pc1_1, …]` oldest first (0 before the first fit).
    #[wasm_bindgen(js_name = historyProjection3d)]
    pub fn history_projection3d(&self) -> Vec<f64> {
        self.rec.projection(3)
    }

    /// The stored history as a T × N activity matrix (oldest first), for
    /// analyses in other panels.
    ///
    /// # Errors
    /// Fewer than 2 samples recorded.
    #[wasm_bindgen(js_name = historyActivity)]
    pub fn history_activity(&self) -> JsResult<Matrix> {
        self.rec.activity().map(Matrix::wrap).map_err(js)
    }
}

/// The page's Lyapunov settings (keys = the CLI's `lyapunov` flags); missing
/// keys take [`LyapunovParams::default`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct LyapunovArgs {
    k: usize,
    steps: usize,
    burn: usize,
    dt: f64,
    tau: f64,
    phi: String,
    ortho_every: usize,
    seed: u64,
}

impl Default for LyapunovArgs {
    fn default() -> Self {
        let d = LyapunovParams::default();
        LyapunovArgs {
            k: d.k,
            steps: d.steps,
            burn: d.burn,
            dt: d.dt,
            tau: d.tau,
            phi: "tanh".into(),
            ortho_every: d.ortho_every,
            seed: d.seed,
        }
    }
}

/// Lyapunov spectrum of dh/dt = −h + Wφ(h) (Benettin/QR, the core's
/// `lyapunov_spectrum`, from a seeded random h0): the core's
/// `LyapunovSpectrum` as a plain object (`exponents`, `kaplan_yorke_dimension`,
/// `kaplan_yorke_lower_bound`, `lambda1_trace`, …).
///
/// `params`: `{k, steps, burn, dt, tau, phi, ortho_every, seed}` (all optional).
///
/// # Errors
/// Bad parameters (named), W not square or not finite.
#[wasm_bindgen(js_name = lyapunovSpectrum)]
pub fn lyapunov(w: &Matrix, params: JsValue) -> JsResult<JsValue> {
    let a: LyapunovArgs = settings("lyapunov parameters", params)?;
    let p = LyapunovParams {
        k: a.k,
        steps: a.steps,
        burn: a.burn,
        dt: a.dt,
        tau: a.tau,
        phi: Activation::parse(&a.phi).map_err(js)?,
        ortho_every: a.ortho_every,
        seed: a.seed,
    };
    let r = lyapunov_spectrum(&w.inner, None, &p).map_err(js)?;
    to_js(&r)
}

/// The page's sweep settings (keys = the CLI's `sweep` flags in
/// snake_case); missing keys take [`SweepParams::default`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SweepArgs {
    param: String,
    values: Vec<f64>,
    seeds: usize,
    kind: String,
    n: usize,
    modes: Option<usize>,
    g: f64,
    alpha: f64,
    kappa: f64,
    rho: f64,
    phi: String,
    dt: f64,
    burn: usize,
    samples: usize,
    every: usize,
    record: String,
    zscore: bool,
    max_lag: usize,
    lyap_steps: usize,
}

impl Default for SweepArgs {
    fn default() -> Self {
        let d = SweepParams::default();
        SweepArgs {
            param: "g".into(),
            values: d.values,
            seeds: d.seeds,
            kind: "powerlaw".into(),
            n: d.n,
            modes: d.modes,
            g: d.g,
            alpha: d.alpha,
            kappa: d.kappa,
            rho: d.rho,
            phi: "tanh".into(),
            dt: d.dt,
            burn: d.burn,
            samples: d.samples,
            every: d.every,
            record: "rates".into(),
            zscore: d.zscore,
            max_lag: d.max_lag,
            lyap_steps: d.lyap_steps,
        }
    }
}

impl SweepArgs {
    fn into_core(self) -> JsResult<SweepParams> {
        let p = SweepParams {
            param: SweepParam::parse(&self.param).map_err(js)?,
            values: self.values,
            seeds: self.seeds,
            kind: SweepKind::parse(&self.kind).map_err(js)?,
            n: self.n,
            modes: self.modes,
            g: self.g,
            alpha: self.alpha,
            kappa: self.kappa,
            rho: self.rho,
            phi: Activation::parse(&self.phi).map_err(js)?,
            dt: self.dt,
            burn: self.burn,
            samples: self.samples,
            every: self.every,
            record: Record::parse(&self.record).map_err(js)?,
            zscore: self.zscore,
            max_lag: self.max_lag,
            lyap_steps: self.lyap_steps,
        };
        p.check().map_err(js)?;
        Ok(p)
    }
}

/// A dimension/λ1 sweep run point by point from the worker (so it can post
/// progress and be cancelled between points): the core's `sweep_point` per
/// (value, seed) and `summarize` at the end, as the CLI's `sweep` does.
#[wasm_bindgen]
pub struct DynSweep {
    p: SweepParams,
    samples: Vec<SweepSample>,
}

#[wasm_bindgen]
impl DynSweep {
    /// Validate the settings (`{param, values, seeds, kind, n, modes, g,
    /// alpha, kappa, rho, phi, dt, burn, samples, every, record, zscore,
    /// max_lag, lyap_steps}`).
    ///
    /// # Errors
    /// Bad parameters, named as the CLI names them.
    #[wasm_bindgen(constructor)]
    pub fn new(params: JsValue) -> JsResult<DynSweep> {
        let a: SweepArgs = super::from_js("sweep parameters", params)?;
        Ok(DynSweep {
            p: a.into_core()?,
            samples: Vec::new(),
        })
    }

    /// Number of points (values × seeds).
    #[wasm_bindgen(getter)]
    pub fn points(&self) -> usize {
        self.p.values.len() * self.p.seeds
    }

    /// Run point `i` (value `i / seeds`, seed `1 + i % seeds`), keep it and
    /// return it (the core's `SweepSample`).
    ///
    /// # Errors
    /// `i` out of range; the point's errors.
    pub fn point(&mut self, i: usize) -> JsResult<JsValue> {
        let i = count("i", i, self.points().saturating_sub(1))?;
        let v = self.p.values[i / self.p.seeds];
        let seed = 1 + (i % self.p.seeds) as u64;
        let s = sweep_point(&self.p, v, seed).map_err(js)?;
        let out = to_js(&s)?;
        self.samples.push(s);
        Ok(out)
    }

    /// The core's `Sweep` (rows: mean ± s.e.m. over seeds) of the points run so far.
    pub fn summary(&self) -> JsResult<JsValue> {
        to_js(&summarize(&self.p, self.samples.clone()))
    }
}
