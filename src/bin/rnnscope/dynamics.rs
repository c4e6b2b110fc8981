//! `simulate`, `ensemble`, `fixed-points` and `dimension` subcommands.

use super::connectivity::save_matrix;
use clap::Args;
use rnnscope::dynamics::{self, Activation, Input, NewtonOpts, Params, Simulator};
use rnnscope::ensembles::{self, Ensemble};
use rnnscope::{io, linalg, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Where W comes from: a file, or an ensemble drawn with a seed.
#[derive(Args, Clone)]
pub struct NetArgs {
    /// Read W from this file (CSV/NPY) instead of drawing it.
    #[arg(long)]
    w: Option<PathBuf>,
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
    /// Second ensemble parameter: dale balanced (≠0); lowrank strength; random-mode overlap ρ.
    #[arg(long, default_value_t = 0.0)]
    b: f64,
    /// RNG seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

impl NetArgs {
    fn matrix(&self) -> Result<ndarray::Array2<f64>> {
        match &self.w {
            Some(p) => io::read_square(&io::read_file(p)?),
            None => {
                Ensemble::from_kind(&self.kind, self.a, self.b)?.build(self.n, self.g, self.seed)
            }
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
    /// T × N activity (rows = time samples), CSV or NPY.
    file: PathBuf,
    /// Sampling interval, for the autocorrelation timescale.
    #[arg(long, default_value_t = 1.0)]
    dt: f64,
    /// Largest autocorrelation lag (default: min(T−1, 200)).
    #[arg(long)]
    max_lag: Option<usize>,
}

pub fn ensemble(a: EnsembleArgs) -> Result<Value> {
    let w = a.net.matrix()?;
    let eigs = linalg::eigenvalues(&w)?;
    let sv = ensembles::singular_values(&w)?;
    let mut out = json!({
        "kind": a.net.kind, "n": w.nrows(), "g": a.net.g, "seed": a.net.seed,
        "spectral_radius": linalg::spectral_radius(&eigs),
        "effective_rank": ensembles::effective_rank_of_spectrum(&sv),
        "singular_values": sv,
    });
    match a.out {
        Some(p) => {
            save_matrix(&p, &w)?;
            out["out"] = json!(p.display().to_string());
        }
        None => out["w"] = json!(w.rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>()),
    }
    Ok(out)
}

pub fn simulate(a: SimulateArgs) -> Result<Value> {
    let w = a.net.matrix()?;
    let n = w.nrows();
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
    sim.step(a.burn)?;
    let x = sim.record(a.samples, a.every)?;
    let secs = t0.elapsed().as_secs_f64();
    let p = dynamics::pca(&x, 3)?;
    let mut out = json!({
        "n": n, "samples": a.samples, "steps": a.burn + a.samples * a.every, "t_end": sim.time(),
        "seconds": secs,
        "participation_ratio": p.participation_ratio,
        "explained_variance": p.explained_variance.iter().take(10).collect::<Vec<_>>(),
    });
    match a.out {
        Some(path) => {
            save_matrix(&path, &x)?;
            out["out"] = json!(path.display().to_string());
        }
        None => {
            out["activity"] = json!(x.rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>())
        }
    }
    Ok(out)
}

pub fn fixed_points(a: FixedPointsArgs) -> Result<Value> {
    let w = a.net.matrix()?;
    let n = w.nrows();
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
    let fps = dynamics::find_fixed_points(&w, a.tau, phi, &input, &opts)?;
    Ok(json!({
        "n": n,
        "fixed_points": fps.iter().map(|p| json!({
            "h": p.h, "residual": p.residual, "stable": p.stable, "max_real": p.max_real, "hits": p.hits,
            "jacobian_eigenvalues": p.eigenvalues.iter().map(|(re, im)| [*re, *im]).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    }))
}

pub fn dimension(a: DimensionArgs) -> Result<Value> {
    let x = io::read_timeseries(&io::read_file(&a.file)?)?;
    let p = dynamics::pca(&x, 0)?;
    let lag = a.max_lag.unwrap_or_else(|| (x.nrows() - 1).min(200));
    let ac = dynamics::autocorrelation(&x, lag, a.dt)?;
    let nan_null = |v: f64| if v.is_finite() { json!(v) } else { Value::Null };
    Ok(json!({
        "samples": x.nrows(), "units": x.ncols(),
        "participation_ratio": p.participation_ratio,
        "explained_variance": p.explained_variance,
        "population_timescale": nan_null(ac.population_timescale),
        "timescale_per_unit": ac.timescale_per_unit.iter().map(|v| nan_null(*v)).collect::<Vec<_>>(),
    }))
}
