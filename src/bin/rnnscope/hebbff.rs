//! `hebbff train` and `hebbff study`: HebbFF on continual familiarity
//! detection, with the per-snapshot network analysis; the study runs many
//! seeded instances on all cores (rayon).

use super::study_shard::{self, Study};
use clap::{Args, Subcommand};
use ndarray::Array2;
use rnnscope::hebbff::shard::{self, Merged};
use rnnscope::hebbff::study::{run_instance, summarize, AnalysisParams, InstanceResult, Record};
use rnnscope::hebbff::train::held_out;
use rnnscope::hebbff::{DataMode, HebbParams, RunParams};
use rnnscope::{io, Error, Result};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct HebbffArgs {
    #[command(subcommand)]
    cmd: HebbCmd,
}

#[derive(Subcommand)]
enum HebbCmd {
    /// Train one instance; JSON with test_accuracy, λ, η and per-snapshot metrics.
    Train(TrainArgs),
    /// Train many instances in parallel and run the study's analyses.
    Study(StudyArgs),
    /// SVG figures (curves over epochs, the paradox) from a study's summary.json.
    Figures(FiguresArgs),
    /// Merge the shard files of `study --shard K/S` into the study's outputs.
    Merge(MergeArgs),
}

#[derive(Args)]
struct MergeArgs {
    /// Shard directories (every shard-*.json in them) or shard files.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Directory for summary.json, instances.json, curves.csv and timings.json.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
struct FiguresArgs {
    /// summary.json written by `hebbff study --out DIR`.
    summary: PathBuf,
    /// Directory for curves.svg and paradox.svg.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args, Clone)]
struct Common {
    /// Input dimension N.
    #[arg(long, default_value_t = 100)]
    n: usize,
    /// Hidden units M.
    #[arg(long, default_value_t = 120)]
    m: usize,
    /// Repeat interval R, or a range like 3-6 sampled per step.
    #[arg(long, default_value = "5")]
    r: String,
    /// Repeat probability P.
    #[arg(long, default_value_t = 0.5)]
    p: f64,
    /// Epochs (one Adam step on one sequence each). Default: 1500 fresh, 1000 fixed.
    #[arg(long)]
    epochs: Option<usize>,
    /// Training data: fresh (a new stream every epoch) or fixed (one stream
    /// reused — the paper's regime). Default: fresh for `train`, fixed for `study`.
    #[arg(long)]
    data: Option<String>,
    /// Items per training sequence. Default: 100 fresh, 2500 fixed.
    #[arg(long)]
    seq_len: Option<usize>,
    /// Adam learning rate.
    #[arg(long, default_value_t = 1e-3)]
    lr: f64,
    /// Evaluate (and analyse) every K epochs. Default: 50 fresh, 10 fixed.
    #[arg(long)]
    snapshot_every: Option<usize>,
    /// Held-out stream length T.
    #[arg(long, default_value_t = 2500)]
    test_len: usize,
    /// FC window length Z for the multilayer analysis.
    #[arg(long, default_value_t = 50)]
    window: usize,
    /// Louvain runs per snapshot.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Resolution γ⁺ of the positive FC part (the paper: 1.02).
    #[arg(long, default_value_t = 1.02)]
    gamma: f64,
    /// Resolution γ⁻ of the negative FC part (the paper: 1.0).
    #[arg(long, default_value_t = 1.0)]
    gamma_neg: f64,
    /// Inter-layer coupling ω (the paper: 1.0).
    #[arg(long, default_value_t = 1.0)]
    omega: f64,
    /// Null model for Q at every snapshot: connectional, nodal or temporal
    /// (costly: --null-samples optimisations per snapshot).
    #[arg(long)]
    null: Option<String>,
    /// Null networks per snapshot (≥ 19 so that p can reach 0.05).
    #[arg(long, default_value_t = 19)]
    null_samples: usize,
    /// Run the null only at snapshots whose epoch is a multiple of this
    /// (default: every snapshot).
    #[arg(long, default_value_t = 0)]
    null_every: usize,
    /// Hidden quantity analysed: pre (a(t), the paper) or post (h(t)).
    #[arg(long, default_value = "pre")]
    record: String,
    /// Only accuracy at snapshots: skip the network analysis (faster).
    #[arg(long)]
    no_analysis: bool,
}

#[derive(Args)]
struct TrainArgs {
    #[command(flatten)]
    c: Common,
    /// Seed (weights, training and test streams).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory for W1.npy, b1.npy, w2.npy, the final snapshot's activity
    /// (activity.npy, T × M) and result.json.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct StudyArgs {
    #[command(flatten)]
    c: Common,
    /// Number of instances (seeds seed, seed+1, …); the paper: 120.
    #[arg(long, default_value_t = 120)]
    instances: usize,
    /// First seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Snapshots per epoch window of the within-instance correlations.
    #[arg(long, default_value_t = 10)]
    corr_window: usize,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Compute only shard K of S (1-based): instance i (0-based, seed
    /// seed + i) belongs to shard i mod S + 1. Writes DIR/shard-KKKK-of-SSSS.json
    /// (needs --out); a complete existing shard file is skipped.
    #[arg(long, value_name = "K/S")]
    shard: Option<String>,
    /// Directory for summary.json, instances.json, curves.csv and timings.json
    /// (with --shard: for the shard file).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn hebbff(a: HebbffArgs) -> Result<Value> {
    match a.cmd {
        HebbCmd::Train(t) => train(t),
        HebbCmd::Study(s) => study(s),
        HebbCmd::Figures(f) => figures(f),
        HebbCmd::Merge(m) => merge(m),
    }
}

fn parse_r(s: &str) -> Result<(usize, usize)> {
    let bad = || {
        Error::param(
            "r",
            format!("expected a number like 5 or a range like 3-6, got {s:?}"),
        )
    };
    match s.split_once('-') {
        Some((a, b)) => Ok((
            a.trim().parse().map_err(|_| bad())?,
            b.trim().parse().map_err(|_| bad())?,
        )),
        None => {
            let r = s.trim().parse().map_err(|_| bad())?;
            Ok((r, r))
        }
    }
}

/// The flags as the core's one [`RunParams`] (validated there: ranges, γ/ω,
/// the window against the held-out stream, the null), then the CLI's memory
/// budget. Returns the training parameters, the analysis (`None` with
/// `--no-analysis`) and the hidden quantity recorded.
fn params(
    c: &Common,
    seed: u64,
    data: &str,
) -> Result<(HebbParams, Option<AnalysisParams>, Record)> {
    let (r_min, r_max) = parse_r(&c.r)?;
    let rp = RunParams {
        n: c.n,
        m: c.m,
        r_min,
        r_max,
        p: c.p,
        data: c.data.as_deref().unwrap_or(data).parse()?,
        seq_len: c.seq_len,
        epochs: c.epochs,
        lr: c.lr,
        eval_every: c.snapshot_every,
        test_len: c.test_len,
        seed,
        analyse: !c.no_analysis,
        window: c.window,
        runs: c.runs,
        gamma: c.gamma,
        gamma_neg: c.gamma_neg,
        omega: c.omega,
        null: c.null.as_deref().map(str::parse).transpose()?,
        null_samples: c.null_samples,
        null_every: c.null_every,
        record: c.record.parse()?,
        keep_allegiance: false,
    };
    let (p, ap) = rp.check().map_err(flag_names)?;
    budget(&p, ap.as_ref())?;
    Ok((p, ap, rp.record))
}

/// The core names its stream limits by field (`m × test_len`); the CLI's
/// user set flags, so say `--m × --test-len`.
fn flag_names(e: Error) -> Error {
    match e {
        Error::TooLarge { what, got, limit } => Error::TooLarge {
            what: match what {
                "m × test_len (held-out activity entries)" => {
                    "--m × --test-len (held-out activity entries)"
                }
                "m × seq_len (training states)" => "--m × --seq-len (training states)",
                "n × test_len (held-out stream entries)" => {
                    "--n × --test-len (held-out stream entries)"
                }
                "n × seq_len (training stream entries)" => {
                    "--n × --seq-len (training stream entries)"
                }
                "network (M·N weights)" => "--m × --n (network weights)",
                other => other,
            },
            got,
            limit,
        },
        e => e,
    }
}

/// Largest items × units of a stream or its activity (8 bytes each: 256 MB;
/// pre- and post-activations are both kept).
const MAX_STREAM: usize = rnnscope::hebbff::train::MAX_STREAM;
/// Largest multilayer supra-matrix, layers × M² entries (8 bytes each: 512 MB).
const MAX_SUPRA: usize = 64 * 1024 * 1024;

/// Refuse, before training, runs whose memory is over budget, naming the
/// flags the user sets (not the internal names of the analysis).
fn budget(p: &HebbParams, ap: Option<&AnalysisParams>) -> Result<()> {
    let entries = |what, a: usize, b: usize| {
        let got = a.saturating_mul(b);
        if got > MAX_STREAM {
            Err(Error::TooLarge {
                what,
                got,
                limit: MAX_STREAM,
            })
        } else {
            Ok(())
        }
    };
    entries(
        "--m × --test-len (held-out activity entries)",
        p.m,
        p.test_len,
    )?;
    entries("--m × --seq-len (training states)", p.m, p.seq_len)?;
    entries(
        "--n × --test-len (held-out stream entries)",
        p.task.n,
        p.test_len,
    )?;
    entries(
        "--n × --seq-len (training stream entries)",
        p.task.n,
        p.seq_len,
    )?;
    let Some(ap) = ap else {
        return Ok(());
    };
    let window = ap.activity.window;
    let layers = (p.test_len - window) / window + 1;
    let max_layers = rnnscope::modularity::fc::MAX_LAYERS;
    if layers > max_layers {
        return Err(Error::TooLarge {
            what: "--test-len / --window (windows = multilayer layers; raise --window or pass --no-analysis)",
            got: layers,
            limit: max_layers,
        });
    }
    let nl = layers.saturating_mul(p.m);
    let max_nl = rnnscope::modularity::multilayer::MAX_NODE_LAYERS;
    if nl > max_nl {
        return Err(Error::TooLarge {
            what: "--m × (--test-len / --window) (multilayer node-layers; raise --window or pass --no-analysis)",
            got: nl,
            limit: max_nl,
        });
    }
    let supra = nl.saturating_mul(p.m);
    if supra > MAX_SUPRA {
        return Err(Error::TooLarge {
            what: "--m² × (--test-len / --window) (multilayer matrix entries; raise --window or pass --no-analysis)",
            got: supra,
            limit: MAX_SUPRA,
        });
    }
    Ok(())
}

fn describe(p: &HebbParams) -> Value {
    json!({
        "n": p.task.n, "m": p.m, "r": [p.task.r_min, p.task.r_max], "p": p.task.p,
        "data": match p.data { DataMode::Fresh => "fresh", DataMode::Fixed => "fixed" },
        "seq_len": p.seq_len, "epochs": p.epochs, "lr": p.lr, "clip": p.clip,
        "snapshot_every": p.eval_every, "test_len": p.test_len,
        "chance_accuracy": p.task.chance_study(),
    })
}

fn npy(rows: usize, cols: usize, v: &[f64]) -> Result<Vec<u8>> {
    let a = Array2::from_shape_vec((rows, cols), v.to_vec())
        .map_err(|e| Error::Shape(e.to_string()))?;
    io::write_npy(&a)
}

/// Write the named files into `dir` all-or-nothing (temporaries, then renames).
fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    let list: Vec<(PathBuf, &[u8])> = files.iter().map(|(n, b)| (dir.join(n), *b)).collect();
    super::output::write_all_atomic(&list)
}

fn train(a: TrainArgs) -> Result<Value> {
    let (p, ap, record) = params(&a.c, a.seed, "fresh")?;
    if let Some(dir) = &a.out {
        super::output::check_dir_out("out", dir)?;
    }
    let desc = describe(&p);
    let (n, m) = (p.task.n, p.m);
    let start = std::time::Instant::now();
    let mut bar = super::output::Progress::new("hebbff train (epochs)", p.epochs as u64);
    let r = run_instance(p.clone(), ap.as_ref(), &mut |_, snap| {
        bar.update(snap.epoch as u64);
        true
    })?;
    bar.finish();
    let secs = start.elapsed().as_secs_f64();
    let out = json!({
        "settings": desc, "seed": a.seed,
        "test_accuracy": r.test_accuracy, "lambda": r.lam, "eta": r.eta,
        "b2": r.model.as_ref().map(|m| m.b2),
        "epochs_to_95": r.epochs_to_95, "seconds": secs,
        "snapshots": r.snapshots,
    });
    if let Some(dir) = &a.out {
        let model = r
            .model
            .as_ref()
            .ok_or_else(|| Error::Numeric("training kept no model".into()))?;
        let snap = model.run(&held_out(&p)?, true)?;
        let t = snap.pre.len() / m;
        let act = match record {
            Record::Pre => &snap.pre,
            Record::Post => &snap.post,
        };
        // Everything is built in memory first, then written all-or-nothing.
        let (w1, b1, w2) = (
            npy(m, n, &model.w1)?,
            npy(m, 1, &model.b1)?,
            npy(1, m, &model.w2)?,
        );
        let activity = npy(t, m, act)?;
        let result = out.to_string();
        write_files(
            dir,
            &[
                ("W1.npy", &w1),
                ("b1.npy", &b1),
                ("w2.npy", &w2),
                ("activity.npy", &activity),
                ("result.json", result.as_bytes()),
            ],
        )?;
    }
    Ok(out)
}

/// The `kind` of a HebbFF study's shard files.
const STUDY_KIND: &str = "hebbff-study";

/// Every parameter a study's results depend on (stored in each shard; shards
/// merge only if these are equal).
fn study_params(a: &StudyArgs, p0: &HebbParams) -> Value {
    json!({
        "settings": describe(p0),
        "instances": a.instances,
        "first_seed": a.seed,
        "corr_window": a.corr_window,
        "analysis": if a.c.no_analysis {
            Value::Null
        } else {
            json!({"window": a.c.window, "runs": a.c.runs, "record": a.c.record,
                   "gamma": a.c.gamma, "gamma_neg": a.c.gamma_neg, "omega": a.c.omega,
                   "null": a.c.null, "null_samples": a.c.null_samples,
                   "null_every": a.c.null_every})
        },
    })
}

fn study(a: StudyArgs) -> Result<Value> {
    if a.instances == 0 || a.instances > 10_000 {
        return Err(Error::param("instances", "must be between 1 and 10000"));
    }
    let (p0, ap, _) = params(&a.c, a.seed, "fixed")?;
    if let Some(dir) = &a.out {
        super::output::check_dir_out("out", dir)?;
    }
    let sp = study_params(&a, &p0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Io(format!("thread pool: {e}")))?;
    let study = Study {
        kind: STUDY_KIND,
        name: "hebbff study",
        items_key: "instances",
        params: &sp,
        total: a.instances,
    };
    // The one-process study is the merge of its single shard, read back from
    // its JSON text: the same code path (and the same numbers) as `hebbff
    // merge` of a sharded run.
    pool.install(|| {
        study_shard::run_with(
            study,
            a.shard.as_deref(),
            a.out.as_deref(),
            |k| {
                let mut p = p0.clone();
                p.seed = a.seed + k as u64;
                run_instance(p, ap.as_ref(), &mut |_, _| true)
            },
            |k| format!("instance {}", k + 1),
            finish,
        )
    })
}

fn merge(a: MergeArgs) -> Result<Value> {
    let m = shard::merge_paths::<InstanceResult>(STUDY_KIND, &a.inputs)?;
    finish(m, Some(&a.out))
}

/// Summary, instances, curves of a complete study; written to `out` only
/// when everything has been computed. Timings go to timings.json alone, so
/// the other three files are identical for one process and for merged shards.
fn finish(m: Merged<InstanceResult>, out: Option<&Path>) -> Result<Value> {
    let inst = &m.items;
    let corr_window = m.params["corr_window"]
        .as_u64()
        .ok_or_else(|| Error::Format("study parameters lack corr_window".into()))?;
    let chance = m.params["settings"]["chance_accuracy"]
        .as_f64()
        .ok_or_else(|| Error::Format("study parameters lack settings.chance_accuracy".into()))?;
    let summary = summarize(inst, corr_window as usize, chance)?;
    let short: Vec<Value> = inst
        .iter()
        .map(|r| {
            json!({"seed": r.seed, "test_accuracy": r.test_accuracy, "lambda": r.lam,
                   "eta": r.eta, "epochs_to_95": r.epochs_to_95})
        })
        .collect();
    let doc = json!({
        "settings": m.params["settings"], "params": m.params, "instances": inst.len(),
        "per_instance": short, "summary": summary,
    });
    let (timings, cpu) = study_shard::timings(&m);
    if let Some(dir) = out {
        let summary_json = doc.to_string();
        let all = serde_json::to_string(inst).map_err(|e| Error::Io(e.to_string()))?;
        let csv = curves_csv(inst);
        let timings_json = timings.to_string();
        super::output::check_dir_out("out", dir)?;
        write_files(
            dir,
            &[
                ("summary.json", summary_json.as_bytes()),
                ("instances.json", all.as_bytes()),
                ("curves.csv", csv.as_bytes()),
                ("timings.json", timings_json.as_bytes()),
            ],
        )?;
    }
    let mut v = doc;
    v["seconds"] = json!(cpu);
    v["timings"] = timings;
    Ok(v)
}

fn curves_csv(inst: &[InstanceResult]) -> String {
    let mut csv = String::from("seed,epoch,accuracy,loss,lambda,eta,q,n_communities,system_flexibility,mean_activation,skewness,excess_kurtosis,mean_correlation,entropy,q_intra,q_inter\n");
    for r in inst {
        for s in &r.snapshots {
            csv.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                r.seed,
                s.epoch,
                s.accuracy,
                s.loss,
                s.lam,
                s.eta,
                s.q,
                s.n_communities,
                s.system_flexibility,
                s.mean_activation,
                s.skewness,
                s.excess_kurtosis,
                s.mean_correlation,
                s.entropy,
                s.q_intra,
                s.q_inter
            ));
        }
    }
    csv
}

fn figures(a: FiguresArgs) -> Result<Value> {
    use rnnscope::hebbff::figures::{curves_svg, paradox_svg};
    use rnnscope::hebbff::study::StudySummary;
    let bytes = io::read_file(&a.summary)?;
    let v: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Format(format!("{}: not JSON: {e}", a.summary.display())))?;
    let s: StudySummary = serde_json::from_value(v["summary"].clone()).map_err(|e| {
        Error::Format(format!(
            "{}: not a `hebbff study` summary: {e}",
            a.summary.display()
        ))
    })?;
    super::output::check_dir_out("out", &a.out)?;
    let (curves, paradox) = (curves_svg(&s)?, paradox_svg(&s)?);
    write_files(
        &a.out,
        &[
            ("curves.svg", curves.as_bytes()),
            ("paradox.svg", paradox.as_bytes()),
        ],
    )?;
    Ok(json!({"written": ["curves.svg", "paradox.svg"], "instances": s.instances}))
}
