//! `hebbff train` and `hebbff study`: HebbFF on continual familiarity
//! detection, with the per-snapshot network analysis; the study runs many
//! seeded instances on all cores (rayon).

use clap::{Args, Subcommand};
use ndarray::Array2;
use rayon::prelude::*;
use rnnscope::hebbff::study::{run_instance, summarize, AnalysisParams, InstanceResult, Record};
use rnnscope::hebbff::train::held_out;
use rnnscope::hebbff::{DataMode, HebbParams, TaskParams};
use rnnscope::modularity::null::NullParams;
use rnnscope::{io, Error, Result};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

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
    /// Directory for summary.json, instances.json and curves.csv.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn hebbff(a: HebbffArgs) -> Result<Value> {
    match a.cmd {
        HebbCmd::Train(t) => train(t),
        HebbCmd::Study(s) => study(s),
        HebbCmd::Figures(f) => figures(f),
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

fn params(c: &Common, seed: u64, data: &str) -> Result<(HebbParams, AnalysisParams)> {
    let (r_min, r_max) = parse_r(&c.r)?;
    let mut p = match c.data.as_deref().unwrap_or(data) {
        "fresh" => HebbParams::default(),
        "fixed" => HebbParams::study(),
        d => {
            return Err(Error::param(
                "data",
                format!("expected fresh or fixed, got {d:?}"),
            ))
        }
    };
    p.task = TaskParams {
        n: c.n,
        r_min,
        r_max,
        p: c.p,
    };
    p.m = c.m;
    p.lr = c.lr;
    p.test_len = c.test_len;
    p.seed = seed;
    if let Some(e) = c.epochs {
        p.epochs = e;
    }
    if let Some(s) = c.seq_len {
        p.seq_len = s;
    }
    if let Some(k) = c.snapshot_every {
        p.eval_every = k;
    }
    p.validate()?;
    let mut ap = AnalysisParams::default();
    ap.activity.window = c.window;
    ap.activity.multilayer.runs = c.runs;
    ap.activity.multilayer.gamma_pos = vec![c.gamma];
    ap.activity.multilayer.gamma_neg = vec![c.gamma_neg];
    ap.activity.multilayer.omega = c.omega;
    for (name, v) in [
        ("gamma", c.gamma),
        ("gamma-neg", c.gamma_neg),
        ("omega", c.omega),
    ] {
        if !(v.is_finite() && (0.0..=1e6).contains(&v)) {
            return Err(Error::param(name, format!("must be in [0, 1e6], got {v}")));
        }
    }
    if let Some(k) = &c.null {
        let np = NullParams {
            kind: k.parse()?,
            samples: c.null_samples,
            seed,
        };
        np.check()?;
        ap.null = Some(np);
    }
    ap.record = match c.record.as_str() {
        "pre" => Record::Pre,
        "post" => Record::Post,
        r => {
            return Err(Error::param(
                "record",
                format!("expected pre or post, got {r:?}"),
            ))
        }
    };
    if c.window > c.test_len {
        return Err(Error::param(
            "window",
            format!(
                "{} is longer than the held-out stream ({})",
                c.window, c.test_len
            ),
        ));
    }
    Ok((p, ap))
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

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    std::fs::write(dir.join(name), bytes)
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", dir.join(name).display())))
}

fn mkdir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))
}

fn train(a: TrainArgs) -> Result<Value> {
    let (p, ap) = params(&a.c, a.seed, "fresh")?;
    let desc = describe(&p);
    let (n, m) = (p.task.n, p.m);
    let start = std::time::Instant::now();
    let r = run_instance(p.clone(), (!a.c.no_analysis).then_some(&ap), &mut |_, _| {
        true
    })?;
    let secs = start.elapsed().as_secs_f64();
    let out = json!({
        "settings": desc, "seed": a.seed,
        "test_accuracy": r.test_accuracy, "lambda": r.lam, "eta": r.eta,
        "b2": r.model.as_ref().map(|m| m.b2),
        "epochs_to_95": r.epochs_to_95, "seconds": secs,
        "snapshots": r.snapshots,
    });
    if let Some(dir) = &a.out {
        mkdir(dir)?;
        let model = r
            .model
            .as_ref()
            .ok_or_else(|| Error::Numeric("training kept no model".into()))?;
        write(dir, "W1.npy", &npy(m, n, &model.w1)?)?;
        write(dir, "b1.npy", &npy(m, 1, &model.b1)?)?;
        write(dir, "w2.npy", &npy(1, m, &model.w2)?)?;
        let snap = model.run(&held_out(&p)?, true)?;
        let t = snap.pre.len() / m;
        let act = match ap.record {
            Record::Pre => &snap.pre,
            Record::Post => &snap.post,
        };
        write(dir, "activity.npy", &npy(t, m, act)?)?;
        write(dir, "result.json", out.to_string().as_bytes())?;
    }
    Ok(out)
}

fn study(a: StudyArgs) -> Result<Value> {
    if a.instances == 0 || a.instances > 10_000 {
        return Err(Error::param("instances", "must be between 1 and 10000"));
    }
    let (p0, ap) = params(&a.c, a.seed, "fixed")?;
    let desc = describe(&p0);
    let chance = p0.task.chance_study();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Io(format!("thread pool: {e}")))?;
    let done = AtomicUsize::new(0);
    let total = a.instances;
    let start = std::time::Instant::now();
    let results: Vec<Result<InstanceResult>> = pool.install(|| {
        (0..a.instances)
            .into_par_iter()
            .map(|k| {
                let mut p = p0.clone();
                p.seed = a.seed + k as u64;
                let r = run_instance(p, (!a.c.no_analysis).then_some(&ap), &mut |_, _| true);
                let d = done.fetch_add(1, Ordering::SeqCst) + 1;
                eprintln!(
                    "hebbff study: instance {} done ({d}/{total}, {:.0} s)",
                    k + 1,
                    start.elapsed().as_secs_f64()
                );
                r
            })
            .collect()
    });
    let inst: Vec<InstanceResult> = results.into_iter().collect::<Result<_>>()?;
    let secs = start.elapsed().as_secs_f64();
    let summary = summarize(&inst, a.corr_window, chance)?;
    let short: Vec<Value> = inst
        .iter()
        .map(|r| {
            json!({"seed": r.seed, "test_accuracy": r.test_accuracy, "lambda": r.lam,
                   "eta": r.eta, "epochs_to_95": r.epochs_to_95})
        })
        .collect();
    let out = json!({
        "settings": desc, "instances": a.instances, "seconds": secs,
        "per_instance": short, "summary": summary,
    });
    if let Some(dir) = &a.out {
        mkdir(dir)?;
        write(dir, "summary.json", out.to_string().as_bytes())?;
        let all = serde_json::to_string(&inst).map_err(|e| Error::Io(e.to_string()))?;
        write(dir, "instances.json", all.as_bytes())?;
        let mut csv = String::from("seed,epoch,accuracy,loss,lambda,eta,q,n_communities,flexibility,mean_activation,skewness,excess_kurtosis,mean_correlation,entropy,q_intra,q_inter\n");
        for r in &inst {
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
        write(dir, "curves.csv", csv.as_bytes())?;
    }
    Ok(out)
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
    mkdir(&a.out)?;
    write(&a.out, "curves.svg", curves_svg(&s)?.as_bytes())?;
    write(&a.out, "paradox.svg", paradox_svg(&s)?.as_bytes())?;
    Ok(json!({"written": ["curves.svg", "paradox.svg"], "instances": s.instances}))
}
