//! `random` and `spectrum` subcommands.

use super::output;
use clap::Args;
use rnnscope::{ensembles, io, linalg, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Args)]
pub struct RandomArgs {
    /// Number of units N (1–5000).
    #[arg(long, default_value_t = 100)]
    n: usize,
    /// Gain g: entries are N(0, g²/N).
    #[arg(long, default_value_t = 1.5)]
    g: f64,
    /// RNG seed (same seed → same W here and in the browser).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write W to this file (.csv or .npy) instead of printing it.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct SpectrumArgs {
    /// Square matrix: CSV (no header), NPY, NPZ, safetensors or MAT.
    file: PathBuf,
    /// Array to read from an NPZ, safetensors or MAT file (e.g. weight_hh_l0).
    #[arg(long)]
    array: Option<String>,
}

pub fn random(a: RandomArgs) -> Result<Value> {
    if let Some(p) = &a.out {
        output::check_matrix_out("out", p)?;
    }
    let w = ensembles::gaussian(a.n, a.g, a.seed)?;
    let eigs = output::with_ticker("eigenvalues", || linalg::eigenvalues(&w))?;
    let mut out = json!({
        "n": a.n, "g": a.g, "seed": a.seed,
        "spectral_radius": linalg::spectral_radius(&eigs),
    });
    match a.out {
        Some(path) => {
            save_matrix(&path, &w)?;
            out["out"] = json!(path.display().to_string());
        }
        None => out["w"] = json!(w.rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>()),
    }
    Ok(out)
}

pub fn spectrum(a: SpectrumArgs) -> Result<Value> {
    let w = io::read_square_named(&io::read_file(&a.file)?, a.array.as_deref())?;
    let eigs = output::with_ticker("eigenvalues", || linalg::eigenvalues(&w))?;
    Ok(json!({
        "eigenvalues": eigs.iter().map(|(re, im)| [*re, *im]).collect::<Vec<_>>(),
        "spectral_radius": linalg::spectral_radius(&eigs),
    }))
}

/// Save a matrix as CSV or NPY, chosen by the file extension (atomically).
pub fn save_matrix(path: &std::path::Path, m: &ndarray::Array2<f64>) -> Result<()> {
    output::save_matrix(path, m)
}
