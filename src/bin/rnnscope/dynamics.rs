//! `simulate`, `ensemble`, `fixed-points`, `dimension`, `lyapunov` and
//! `sweep` subcommands.

use super::connectivity::save_matrix;
use super::output;
use super::record_npy;
use clap::Args;
use rnnscope::dynamics::sweep::{self, SweepKind, SweepParam, SweepParams};
use rnnscope::dynamics::{
    self, Activation, DimensionParams, Input, LyapunovParams, NewtonOpts, Params, Record, Simulator,
};
use rnnscope::ensembles::{self, Ensemble, ModeVectors, OverlapProfile};
use rnnscope::{io, linalg, Error, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Where W comes from: a file, or an ensemble drawn with a seed.
#[derive(Args, Clone)]
pub struct NetArgs {
    /// Read W from this file (CSV, NPY, NPZ, safetensors, MAT) instead of drawing it.
    #[arg(long, conflicts_with_all = ["kind", "n", "g", "a", "b"])]
    w: Option<PathBuf>,
    /// Array to read from an NPZ, safetensors or MAT `--w` file (e.g. weight_hh_l0).
    #[arg(long, requires = "w")]
    array: Option<String>,
    /// Ensemble: gaussian, sparse, dale, lowrank, powerlaw, exponential, flat.
    #[arg(long, default_value = "gaussian")]
    kind: String,
    /// Number of units N.
    #[arg(long, default_value_t = 100)]
    n: usize,
    /// Gain g (row variance of W is g²).
    #[arg(long, default_value_t = 1.5)]
    g: f64,
    /// First ensemble parameter: sparse p; dale E fraction; lowrank rank; powerlaw α; exponential κ.
    #[arg(long, default_value_t = 0.5)]
    a: f64,
    /// Second ensemble parameter: dale balanced (≠0); lowrank strength; random-mode overlap ρ
    /// (write negative values as `--b=-0.3`).
    #[arg(long, default_value_t = 0.0)]
    b: f64,
    /// Random-mode: number of modes P (default N; P < N is low rank, P > N allowed up to 4N).
    #[arg(long)]
    modes: Option<usize>,
    /// Random-mode: decaying overlap profile ρ_a = b·exp(−(a−1)/L) with this L (in modes).
    #[arg(long)]
    rho_scale: Option<f64>,
    /// Random-mode: read the P overlaps ρ_a from this file (CSV/NPY, one row or column).
    #[arg(long)]
    rho_file: Option<PathBuf>,
    /// Random-mode: exactly orthonormal (Haar) modes, an exact SVD (ρ = 0, P ≤ N only).
    #[arg(long)]
    haar: bool,
    /// RNG seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

impl NetArgs {
    /// The ensemble with the random-mode flags applied.
    fn ensemble(&self) -> Result<Ensemble> {
        let mut e = Ensemble::from_kind(&self.kind, self.a, self.b)?;
        let random_mode_flags = self.modes.is_some()
            || self.rho_scale.is_some()
            || self.rho_file.is_some()
            || self.haar;
        match &mut e {
            Ensemble::RandomMode {
                overlap,
                modes,
                vectors,
                ..
            } => {
                *modes = self.modes;
                if self.haar {
                    *vectors = ModeVectors::Haar;
                }
                if let Some(scale) = self.rho_scale {
                    *overlap = OverlapProfile::Exponential {
                        rho0: self.b,
                        scale,
                    };
                }
                if let Some(path) = &self.rho_file {
                    if self.rho_scale.is_some() {
                        return Err(Error::param(
                            "rho_file",
                            "give either --rho-file or --rho-scale, not both",
                        ));
                    }
                    let m = io::read_matrix(&io::read_file(path)?)?;
                    if m.nrows() != 1 && m.ncols() != 1 {
                        return Err(Error::param(
                            "rho_file",
                            format!("must hold one row or one column, got {} × {}", m.nrows(), m.ncols()),
                        ));
                    }
                    *overlap = OverlapProfile::Values(m.iter().copied().collect());
                }
            }
            _ if random_mode_flags => {
                return Err(Error::param(
                    "kind",
                    "--modes, --rho-scale, --rho-file and --haar apply to powerlaw, exponential and flat only",
                ))
            }
            _ => {}
        }
        Ok(e)
    }

    fn matrix(&self) -> Result<ndarray::Array2<f64>> {
        match &self.w {
            Some(p) => io::read_square_named(&io::read_file(p)?, self.array.as_deref()),
            None => self.ensemble()?.build(self.n, self.g, self.seed),
        }
    }
}

#[derive(Args)]
pub struct EnsembleArgs {
    #[command(flatten)]
    net: NetArgs,
    /// Write W to this file (.csv or .npy).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    net: NetArgs,
    /// Nonlinearity φ: tanh, relu, sigmoid, linear.
    #[arg(long, default_value = "tanh")]
    phi: String,
    #[arg(long, default_value_t = 1.0)]
    tau: f64,
    #[arg(long, default_value_t = 0.05)]
    dt: f64,
    /// Noise σ (Euler–Maruyama, σ√dt per step).
    #[arg(long, default_value_t = 0.0)]
    sigma: f64,
    /// Constant input to every unit.
    #[arg(long, default_value_t = 0.0)]
    input: f64,
    /// Steps to discard before recording.
    #[arg(long, default_value_t = 0)]
    burn: usize,
    /// Number of recorded samples T.
    #[arg(long, default_value_t = 1000)]
    samples: usize,
    /// Record every this many steps.
    #[arg(long, default_value_t = 1)]
    every: usize,
    /// What to record, analyse and write: rates φ(h) (default, as Clark et al. 2024) or currents h.
    #[arg(long, default_value = "rates")]
    record: String,
    /// PR of the correlation matrix (z-scored units) instead of the covariance.
    #[arg(long)]
    zscore: bool,
    /// Write the T × N activity to this file (.csv or .npy).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct FixedPointsArgs {
    #[command(flatten)]
    net: NetArgs,
    #[arg(long, default_value = "tanh")]
    phi: String,
    #[arg(long, default_value_t = 1.0)]
    tau: f64,
    /// Constant input to every unit.
    #[arg(long, default_value_t = 0.0)]
    input: f64,
    /// Random Newton starts (plus the origin).
    #[arg(long, default_value_t = 50)]
    starts: usize,
    /// Spread of the random starts.
    #[arg(long, default_value_t = 0.5)]
    scale: f64,
}

#[derive(Args)]
pub struct DimensionArgs {
    /// T × N activity (rows = time samples): CSV, NPY, NPZ, safetensors or MAT.
    file: PathBuf,
    /// Array to read from an NPZ, safetensors or MAT file.
    #[arg(long)]
    array: Option<String>,
    /// Sampling interval, for the autocorrelation timescale.
    #[arg(long, default_value_t = 1.0)]
    dt: f64,
    /// Largest autocorrelation lag (default: min(T−1, 200)).
    #[arg(long)]
    max_lag: Option<usize>,
    /// What the file holds (a label for the output): rates or currents.
    #[arg(long, default_value = "rates")]
    record: String,
    /// PR of the correlation matrix (z-scored units) instead of the covariance.
    #[arg(long)]
    zscore: bool,
    /// Leading PCs for the collective timescale.
    #[arg(long, default_value_t = 3)]
    pcs: usize,
}

/// Arguments of `rnnscope lyapunov`.
#[derive(Args)]
pub struct LyapunovArgs {
    #[command(flatten)]
    net: NetArgs,
    /// Number of exponents K.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Measured Euler steps.
    #[arg(long, default_value_t = 10_000)]
    steps: usize,
    /// Transient steps (not measured).
    #[arg(long, default_value_t = 2_000)]
    burn: usize,
    #[arg(long, default_value_t = 0.05)]
    dt: f64,
    #[arg(long, default_value_t = 1.0)]
    tau: f64,
    /// Nonlinearity φ: tanh, relu, sigmoid, linear.
    #[arg(long, default_value = "tanh")]
    phi: String,
    /// Steps between QR re-orthonormalisations.
    #[arg(long, default_value_t = 10)]
    ortho_every: usize,
}

/// Arguments of `rnnscope sweep`.
#[derive(Args)]
pub struct SweepArgs {
    /// Swept parameter: g, alpha, kappa or rho.
    #[arg(long)]
    param: String,
    /// Comma-separated values (negative ones as `--values=-0.5,0,0.5`).
    #[arg(long, value_delimiter = ',', num_args = 1.., allow_negative_numbers = true)]
    values: Vec<f64>,
    /// Seeds per value (1…K).
    #[arg(long, default_value_t = 3)]
    seeds: usize,
    /// Connectivity: gaussian, powerlaw, exponential, flat.
    #[arg(long, default_value = "powerlaw")]
    kind: String,
    #[arg(long, default_value_t = 200)]
    n: usize,
    /// Modes P (default N).
    #[arg(long)]
    modes: Option<usize>,
    #[arg(long, default_value_t = 2.0)]
    g: f64,
    #[arg(long, default_value_t = 1.0)]
    alpha: f64,
    #[arg(long, default_value_t = 20.0)]
    kappa: f64,
    /// Overlap ρ of every mode (when not swept).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    rho: f64,
    #[arg(long, default_value = "tanh")]
    phi: String,
    #[arg(long, default_value_t = 0.05)]
    dt: f64,
    /// Transient steps.
    #[arg(long, default_value_t = 4000)]
    burn: usize,
    /// Recorded samples T.
    #[arg(long, default_value_t = 2000)]
    samples: usize,
    /// Steps between samples.
    #[arg(long, default_value_t = 4)]
    every: usize,
    /// rates or currents.
    #[arg(long, default_value = "rates")]
    record: String,
    /// PR of z-scored units (correlation matrix).
    #[arg(long)]
    zscore: bool,
    /// Largest autocorrelation lag in samples.
    #[arg(long, default_value_t = 100)]
    max_lag: usize,
    /// Measured steps for λ1.
    #[arg(long, default_value_t = 6000)]
    lyap_steps: usize,
    /// Leave out the per-point samples from the output.
    #[arg(long)]
    summary_only: bool,
}

pub fn ensemble(a: EnsembleArgs) -> Result<Value> {
    if let Some(p) = &a.out {
        output::check_matrix_out("out", p)?;
    }
    let ens = match a.net.w {
        Some(_) => None,
        None => Some(a.net.ensemble()?),
    };
    let (w, mut out) = match &ens {
        Some(e @ Ensemble::RandomMode { .. }) => {
            let rm =
                ensembles::random_mode_model(&e.random_mode_params(a.net.n, a.net.g, a.net.seed)?)?;
            let mut v = serde_json::to_value(&rm).map_err(|e| Error::Format(e.to_string()))?;
            v["kind"] = json!(a.net.kind);
            v["seed"] = json!(a.net.seed);
            (rm.w, v)
        }
        _ => {
            let w = a.net.matrix()?;
            let sv = ensembles::singular_values(&w)?;
            let v = json!({
                "kind": a.net.kind, "n": w.nrows(), "g": a.net.g, "seed": a.net.seed,
                "effective_rank": ensembles::effective_rank_of_spectrum(&sv),
                "singular_values": sv,
            });
            (w, v)
        }
    };
    let eigs = output::with_ticker("eigenvalues", || linalg::eigenvalues(&w))?;
    out["spectral_radius"] = json!(linalg::spectral_radius(&eigs));
    out["max_real_eigenvalue"] = json!(eigs.iter().map(|e| e.0).fold(f64::NEG_INFINITY, f64::max));
    match a.out {
        Some(p) => {
            save_matrix(&p, &w)?;
            out["out"] = json!(p.display().to_string());
        }
        None => out["w"] = json!(w.rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>()),
    }
    Ok(out)
}

/// Largest number of simulation steps (`--burn + --samples × --every`).
const MAX_STEPS: usize = dynamics::MAX_STEPS;
/// Largest simulation work, steps × N² multiply-adds (about a minute).
const MAX_STEP_WORK: f64 = dynamics::MAX_STEP_WORK;

/// Refuse a simulation whose step count, work or recording is over budget,
/// before W is built or any step is taken.
fn simulate_budget(a: &SimulateArgs, n: usize) -> Result<usize> {
    rnnscope::error::check_size("samples", a.samples, 2, io::MAX_ELEMENTS)?;
    rnnscope::error::check_size("every", a.every, 1, 1_000_000)?;
    let steps = a
        .samples
        .checked_mul(a.every)
        .and_then(|r| r.checked_add(a.burn))
        .filter(|&s| s <= MAX_STEPS)
        .ok_or(Error::TooLarge {
            what: "--burn + --samples × --every (simulation steps)",
            got: a.samples.saturating_mul(a.every).saturating_add(a.burn),
            limit: MAX_STEPS,
        })?;
    let work = steps as f64 * (n as f64) * (n as f64);
    if work > MAX_STEP_WORK {
        return Err(Error::TooLarge {
            what: "(--burn + --samples × --every) × N² (simulation work)",
            got: work as usize,
            limit: MAX_STEP_WORK as usize,
        });
    }
    io::check_limits(&[a.samples, n]).map_err(|_| Error::TooLarge {
        what: "--samples × N (recorded activity entries)",
        got: a.samples.saturating_mul(n),
        limit: io::MAX_ELEMENTS,
    })?;
    Ok(steps)
}

/// N as the flags give it (`--n`), before W is built; `None` with `--w`.
fn planned_n(net: &NetArgs) -> Option<usize> {
    net.w.is_none().then_some(net.n)
}

pub fn simulate(a: SimulateArgs) -> Result<Value> {
    if let Some(p) = &a.out {
        output::check_matrix_out("out", p)?;
    }
    if let Some(n) = planned_n(&a.net) {
        simulate_budget(&a, n)?;
    }
    let w = a.net.matrix()?;
    let n = w.nrows();
    let steps = simulate_budget(&a, n)?;
    let params = Params {
        tau: a.tau,
        dt: a.dt,
        sigma: a.sigma,
        phi: Activation::parse(&a.phi)?,
    };
    let input = if a.input != 0.0 {
        Input::Constant(vec![a.input; n])
    } else {
        Input::None
    };
    let h0 = Simulator::random_state(n, 1.0, a.net.seed);
    let mut sim = Simulator::new(w, h0, params, input, a.net.seed)?;
    let t0 = std::time::Instant::now();
    let record = Record::parse(&a.record)?;
    let mut bar = output::Progress::new("simulate (steps)", steps as u64);
    let chunk = (1_000_000 / (n * n).max(1)).max(1);
    let mut done = 0usize;
    while done < a.burn {
        let k = chunk.min(a.burn - done);
        sim.step(k)?;
        done += k;
        bar.update(done as u64);
    }
    let plan = record_npy::Plan {
        every: a.every,
        record,
        per_chunk: (chunk / a.every).max(1),
        burn: a.burn,
    };
    // NPY out, covariance path (T ≥ N, no z-scoring): streamed to the file
    // and read back for the PR. (T < N: `pca` takes the T × T Gram matrix.)
    let streamed = match &a.out {
        Some(p) if !a.zscore && a.samples >= n && output::is_npy(p)? => {
            output::AtomicFile::create(p)?
        }
        _ => None,
    };
    let (x, pr, ev, secs) = if let Some(mut f) = streamed {
        let (p, secs) =
            record_npy::record_to_npy(&mut sim, &mut f, a.samples, &plan, &mut bar, t0)?;
        f.commit()?;
        let ev = p.explained_variance.into_iter().take(10).collect();
        (None, p.participation_ratio, ev, secs)
    } else {
        let mut x = ndarray::Array2::zeros((a.samples, n));
        record_npy::record_rows(&mut sim, x.view_mut(), &plan, &mut bar, 0)?;
        bar.finish();
        let secs = t0.elapsed().as_secs_f64();
        // The analysis refuses NaN/Inf itself, so the scan for the sample
        // that diverged runs only when it failed (one pass less over T × N).
        let (pr, ev) = spectrum(&x, &a, record).map_err(|e| {
            let bad = x.iter().enumerate().find(|(_, v)| !v.is_finite());
            bad.map_or(e, |(i, v)| record_npy::diverged_at(i, n, *v))
        })?;
        (Some(x), pr, ev, secs)
    };
    let mut out = json!({
        "n": n, "samples": a.samples, "steps": a.burn + a.samples * a.every, "t_end": sim.time(),
        "seconds": secs,
        "record": record.as_str(), "zscored": a.zscore,
        "participation_ratio": pr,
        "explained_variance": ev,
    });
    match (a.out, x) {
        (Some(path), x) => {
            if let Some(x) = x {
                save_matrix(&path, &x)?;
            }
            out["out"] = json!(path.display().to_string());
        }
        (None, Some(x)) => {
            out["activity"] = json!(x.rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>())
        }
        (None, None) => {}
    }
    Ok(out)
}

/// PR and the first 10 explained-variance fractions of recorded activity
/// (of the correlation matrix with `--zscore`).
fn spectrum(x: &ndarray::Array2<f64>, a: &SimulateArgs, record: Record) -> Result<(f64, Vec<f64>)> {
    if a.zscore {
        let d = dynamics::activity_dimension(
            x,
            &DimensionParams {
                record,
                zscore: true,
                max_lag: 1,
                dt: a.dt * a.every as f64,
                pcs: 1,
            },
        )?;
        Ok((d.participation_ratio, d.explained_variance))
    } else {
        // Eigenvalues only: PR and explained variance need no axes.
        let p = dynamics::pca(x, 0)?;
        Ok((
            p.participation_ratio,
            p.explained_variance.into_iter().take(10).collect(),
        ))
    }
}

/// Largest N for fixed points (Newton solves and Jacobian eigenvalues are O(N³)).
const MAX_FP_N: usize = 500;
/// Largest Newton work, (starts + 1) × N³ (about a minute).
const MAX_FP_WORK: f64 = dynamics::fixed_points::MAX_NEWTON_WORK;

fn fixed_points_budget(n: usize, starts: usize) -> Result<()> {
    if n > MAX_FP_N {
        return Err(Error::TooLarge {
            what: "N for fixed points (--n or the size of --w)",
            got: n,
            limit: MAX_FP_N,
        });
    }
    rnnscope::error::check_size("starts", starts, 0, 10_000)?;
    let work = (starts as f64 + 1.0) * (n as f64).powi(3);
    if work > MAX_FP_WORK {
        return Err(Error::TooLarge {
            what: "(--starts + 1) × N³ (Newton work)",
            got: work as usize,
            limit: MAX_FP_WORK as usize,
        });
    }
    Ok(())
}

pub fn fixed_points(a: FixedPointsArgs) -> Result<Value> {
    if let Some(n) = planned_n(&a.net) {
        fixed_points_budget(n, a.starts)?;
    }
    let w = a.net.matrix()?;
    let n = w.nrows();
    fixed_points_budget(n, a.starts)?;
    let phi = Activation::parse(&a.phi)?;
    let input = if a.input != 0.0 {
        vec![a.input; n]
    } else {
        vec![]
    };
    let opts = NewtonOpts {
        starts: a.starts,
        scale: a.scale,
        seed: a.net.seed,
        ..Default::default()
    };
    let fps = output::with_ticker("fixed points", || {
        dynamics::find_fixed_points(&w, a.tau, phi, &input, &opts)
    })?;
    Ok(json!({
        "n": n,
        "fixed_points": fps.iter().map(|p| json!({
            "h": p.h, "residual": p.residual, "stable": p.stable, "max_real": p.max_real, "hits": p.hits,
            "jacobian_eigenvalues": p.eigenvalues.iter().map(|(re, im)| [*re, *im]).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    }))
}

pub fn dimension(a: DimensionArgs) -> Result<Value> {
    let x = io::read_timeseries_named(&io::read_file(&a.file)?, a.array.as_deref())?;
    let p = dynamics::pca(&x, 0)?;
    let lag = a.max_lag.unwrap_or_else(|| (x.nrows() - 1).min(200));
    let d = dynamics::activity_dimension(
        &x,
        &DimensionParams {
            record: Record::parse(&a.record)?,
            zscore: a.zscore,
            max_lag: lag,
            dt: a.dt,
            pcs: a.pcs,
        },
    )?;
    // Undefined timescales are left out of the result and explained in
    // `warnings` (also printed on stderr), never reported as null.
    for w in &d.warnings {
        output::warn(w);
    }
    let mut out = serde_json::to_value(&d).map_err(|e| Error::Format(e.to_string()))?;
    if !a.zscore {
        out["explained_variance"] = json!(p.explained_variance);
    }
    Ok(out)
}

/// Top-K Lyapunov exponents of W (file or ensemble) as JSON.
pub fn lyapunov(a: LyapunovArgs) -> Result<Value> {
    let w = a.net.matrix()?;
    let p = LyapunovParams {
        k: a.k,
        steps: a.steps,
        burn: a.burn,
        dt: a.dt,
        tau: a.tau,
        phi: Activation::parse(&a.phi)?,
        ortho_every: a.ortho_every,
        seed: a.net.seed,
    };
    let t0 = std::time::Instant::now();
    let l = dynamics::lyapunov_spectrum(&w, None, &p)?;
    let mut out = serde_json::to_value(&l).map_err(|e| Error::Format(e.to_string()))?;
    out["seconds"] = json!(t0.elapsed().as_secs_f64());
    out["phi"] = json!(a.phi);
    Ok(out)
}

/// A seeded sweep (points in parallel with rayon) as JSON.
pub fn sweep(a: SweepArgs) -> Result<Value> {
    use rayon::prelude::*;
    let p = SweepParams {
        param: SweepParam::parse(&a.param)?,
        values: a.values,
        seeds: a.seeds,
        kind: SweepKind::parse(&a.kind)?,
        n: a.n,
        modes: a.modes,
        g: a.g,
        alpha: a.alpha,
        kappa: a.kappa,
        rho: a.rho,
        phi: Activation::parse(&a.phi)?,
        dt: a.dt,
        burn: a.burn,
        samples: a.samples,
        every: a.every,
        record: Record::parse(&a.record)?,
        zscore: a.zscore,
        max_lag: a.max_lag,
        lyap_steps: a.lyap_steps,
    };
    p.check()?;
    let jobs: Vec<(f64, u64)> = p
        .values
        .iter()
        .flat_map(|&v| (1..=p.seeds as u64).map(move |s| (v, s)))
        .collect();
    let t0 = std::time::Instant::now();
    let samples = jobs
        .par_iter()
        .map(|&(v, s)| sweep::sweep_point(&p, v, s))
        .collect::<Result<Vec<_>>>()?;
    let mut out = serde_json::to_value(sweep::summarize(&p, samples))
        .map_err(|e| Error::Format(e.to_string()))?;
    if a.summary_only {
        out.as_object_mut().map(|o| o.remove("samples"));
    }
    out["seconds"] = json!(t0.elapsed().as_secs_f64());
    Ok(out)
}
