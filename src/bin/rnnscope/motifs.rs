//! `motifs` subcommand: three-node motif census, optional weighted
//! intensity/coherence, null-model z-scores, stability levels.

use clap::Args;
use rnnscope::io::edgelist::{is_edge_list, parse_edge_list};
use rnnscope::motifs::{self, Digraph, NullModel, Threshold, ThresholdReport, MOTIFS};
use rnnscope::{io, Error, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

const ORIENTATION: &str = "Orientation: by default A[i][j] != 0 means an edge i -> j \
(networkx/BCT convention). With --rnn the matrix is read as an RNN weight matrix, \
W[i][j] = weight from unit j to unit i (dh_i/dt = sum_j W_ij phi(h_j)), i.e. an edge j -> i. \
Edge lists (CSV header `source,target[,weight]`, 0-based ids) always mean source -> target. \
Self-loops (the diagonal) are ignored.";

#[derive(Args)]
#[command(after_help = ORIENTATION)]
pub struct MotifsArgs {
    /// Adjacency/weight matrix (CSV without header, NPY, NPZ, safetensors,
    /// MAT) or an edge list (CSV with header `source,target[,weight]`, 0-based node ids).
    file: PathBuf,
    /// Array to read from an NPZ, safetensors or MAT file (PyTorch: weight_hh_l0 with --rnn).
    #[arg(long)]
    array: Option<String>,
    /// Also report intensity and coherence (Onnela 2005, BCT motif3struct_wei) from |weights|.
    #[arg(long)]
    weighted: bool,
    /// Read a matrix in the RNN convention: W[i][j] is the weight from j to i.
    #[arg(long)]
    rnn: bool,
    /// Null model for z-scores: `swap` (degree-preserving) or `er` (same density).
    #[arg(long)]
    null: Option<String>,
    /// Number of null samples (2–10000).
    #[arg(long, default_value_t = 100)]
    samples: usize,
    /// Seed of the null samples.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Include the 13 × N per-node participation table (`per_node[m][u]`).
    #[arg(long)]
    per_node: bool,
    /// With --rnn: find the stable fixed points of dh/dt = −h + W tanh(h) and
    /// count, per level, the motif instances (edges |W_ij| > --motif-threshold)
    /// whose 3 × 3 Jacobian block meets that level's stability conditions.
    #[arg(long)]
    at_fixed_points: bool,
    /// Presence threshold θ for --at-fixed-points (default 1/√N).
    #[arg(long)]
    motif_threshold: Option<f64>,
    /// Keep this fraction (0–1] of the off-diagonal |w| as edges, largest
    /// first (the page's "strongest fraction"; ties at the cut kept).
    #[arg(long, conflicts_with = "min_weight")]
    keep: Option<f64>,
    /// Keep the entries with |w| ≥ this as edges (the page's "|w| ≥ t").
    #[arg(long)]
    min_weight: Option<f64>,
    /// Random Newton starts for --at-fixed-points (the origin is always tried).
    #[arg(long, default_value_t = 20)]
    starts: usize,
}

/// Load a graph from bytes: edge list if the first line is a `source,…`
/// header (every listed edge kept; report `None`), else a matrix (`array`
/// picks one in an NPZ, safetensors or MAT file) thresholded with the core's
/// `graph_from_weights`.
pub fn load_graph_thresholded(
    bytes: &[u8],
    rnn: bool,
    array: Option<&str>,
    rule: Threshold,
) -> Result<(Digraph, Option<ThresholdReport>)> {
    if is_edge_list(bytes) {
        if rnn {
            return Err(Error::param(
                "rnn",
                "--rnn applies to matrices; an edge list already says source → target",
            ));
        }
        let e = parse_edge_list(bytes)?;
        Ok((Digraph::from_edges(e.n, &e.edges)?, None))
    } else {
        let m = io::read_square_named(bytes, array)?;
        let m = if rnn { m.t().to_owned() } else { m };
        let (g, r) = motifs::graph_from_weights(&m, rule)?;
        Ok((g, Some(r)))
    }
}

fn finite(v: f64) -> Value {
    if v.is_finite() {
        json!(v)
    } else {
        Value::Null
    }
}

/// Largest N with `--per-node` (13 × N numbers in the JSON).
const MAX_PER_NODE_N: usize = 100_000;
/// Largest null-model work, `--samples` × edges (a few minutes).
const MAX_NULL_WORK: usize = 50_000_000;

/// Refuse, before the census, work whose output or null-model cost is over budget.
fn motifs_budget(a: &MotifsArgs, n: usize, m: usize) -> Result<()> {
    if a.per_node && n > MAX_PER_NODE_N {
        return Err(Error::TooLarge {
            what: "N with --per-node (largest node id + 1; 13 × N values)",
            got: n,
            limit: MAX_PER_NODE_N,
        });
    }
    if a.null.is_some() && a.samples.saturating_mul(m.max(1)) > MAX_NULL_WORK {
        return Err(Error::TooLarge {
            what: "--samples × edges (null-model work)",
            got: a.samples.saturating_mul(m.max(1)),
            limit: MAX_NULL_WORK,
        });
    }
    Ok(())
}

pub fn motifs(a: MotifsArgs) -> Result<Value> {
    let null = a.null.as_deref().map(str::parse::<NullModel>).transpose()?;
    if null.is_some() {
        rnnscope::error::check_size("samples", a.samples, 2, motifs::MAX_SAMPLES)?;
    }
    let bytes = io::read_file(&a.file)?;
    let bridge = if a.at_fixed_points {
        if !a.rnn || is_edge_list(&bytes) {
            return Err(Error::param(
                "at-fixed-points",
                "needs --rnn and a weight matrix (the fixed points are of dh/dt = −h + W tanh h)",
            ));
        }
        let w = io::read_square_named(&bytes, a.array.as_deref())?;
        let theta = a
            .motif_threshold
            .unwrap_or(1.0 / (w.nrows().max(1) as f64).sqrt());
        let opts = rnnscope::dynamics::NewtonOpts {
            starts: a.starts,
            seed: a.seed,
            ..Default::default()
        };
        Some(motifs::motifs_at_fixed_points(&w, theta, &opts)?)
    } else {
        if a.motif_threshold.is_some() {
            return Err(Error::param(
                "motif-threshold",
                "applies with --at-fixed-points only",
            ));
        }
        None
    };
    let rule = match (a.keep, a.min_weight) {
        (Some(keep), _) => Threshold::Keep { keep },
        (None, Some(min_abs)) => Threshold::Abs { min_abs },
        (None, None) => Threshold::None,
    };
    let (g, threshold) = load_graph_thresholded(&bytes, a.rnn, a.array.as_deref(), rule)?;
    let density = motifs::check_density(&g);
    if let Some(w) = &density.warning {
        super::output::warn(w);
    }
    motifs_budget(&a, g.n(), g.m())?;
    let census = super::output::with_ticker("motif census", || motifs::census(&g))?;
    let levels = motifs::motif_levels();
    let weighted = if a.weighted {
        Some(motifs::weighted_census(&g)?)
    } else {
        None
    };
    let stats = match null {
        Some(model) => {
            let mut bar = super::output::Progress::new("null samples", a.samples as u64);
            let samples = (0..a.samples as u64)
                .map(|k| {
                    bar.update(k);
                    motifs::null_sample_counts(&g, model, a.seed, k)
                })
                .collect::<Result<Vec<_>>>()?;
            bar.finish();
            Some(motifs::null_stats(&census.counts, &samples)?)
        }
        None => None,
    };
    let list: Vec<Value> = MOTIFS
        .iter()
        .enumerate()
        .map(|(m, motif)| {
            let mut o = json!({
                "id": motif.id,
                "name": motif.name,
                "edges": motif.edges.iter().map(|&(x, y)| [x, y]).collect::<Vec<_>>(),
                "level": levels[m],
                "count": census.counts[m],
            });
            if let Some(w) = &weighted {
                o["intensity"] = finite(w.intensity[m]);
                o["coherence"] = finite(w.coherence[m]);
            }
            if let Some(s) = &stats {
                // Undefined z (a null with zero variance) is left out, not
                // null; `warnings` names the motifs.
                if let Some(z) = s.z[m] {
                    o["z"] = finite(z);
                }
                o["null_mean"] = finite(s.mean[m]);
                o["null_std"] = finite(s.std[m]);
                if let Some(p) = s.profile[m] {
                    o["significance_profile"] = finite(p);
                }
            }
            if a.per_node {
                o["per_node"] = json!(census.per_node.row(m).to_vec());
            }
            o
        })
        .collect();
    let prof = motifs::stability_profile(&census);
    let mut out = json!({
        "n": g.n(),
        "m": g.m(),
        "orientation": if a.rnn { "rnn: W[i][j] is the edge j -> i" } else { "adjacency: A[i][j] is the edge i -> j" },
        "motifs": list,
        "by_level": { "1": prof[0], "2": prof[1], "3": prof[2] },
        "density": serde_json::to_value(&density).map_err(|e| Error::Format(e.to_string()))?,
    });
    if let Some(t) = threshold.filter(|t| t.applied) {
        out["threshold"] = serde_json::to_value(&t).map_err(|e| Error::Format(e.to_string()))?;
    }
    if let Some(b) = bridge {
        out["at_fixed_points"] =
            serde_json::to_value(&b).map_err(|e| Error::Format(e.to_string()))?;
        out["level_conditions"] = json!({
            "1": motifs::level_conditions(1),
            "2": motifs::level_conditions(2),
            "3": motifs::level_conditions(3),
        });
    }
    if let Some(s) = &stats {
        let flat: Vec<String> = (0..13)
            .filter(|&m| s.z[m].is_none())
            .map(|m| MOTIFS[m].id.to_string())
            .collect();
        let mut warnings = Vec::new();
        if !flat.is_empty() {
            warnings.push(format!(
                "every null sample has the same count of motif(s) {}: their z and significance_profile are undefined and left out",
                flat.join(", ")
            ));
        }
        if s.profile.iter().all(Option::is_none) && flat.len() < 13 {
            warnings.push(
                "every defined z is 0: the significance profile is undefined and left out".into(),
            );
        }
        for w in &warnings {
            super::output::warn(w);
        }
        out["warnings"] = json!(warnings);
    }
    if let (Some(model), Some(s)) = (null, &stats) {
        out["null"] = json!({
            "model": if model == NullModel::Swap { "swap" } else { "er" },
            "samples": s.samples,
            "seed": a.seed,
        });
    }
    Ok(out)
}
