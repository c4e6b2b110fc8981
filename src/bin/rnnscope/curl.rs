//! `curl` and `curl-phase` subcommands: curl descent (Ninou, Kadmon &
//! Cayco-Gajic 2025) — a student–teacher network trained with sign-flipped
//! plasticity in some neurons. JSON on stdout, progress on stderr.

use super::study_shard::{self, MergeCmd, Study};
use clap::Args;
use rnnscope::curl::lyapunov::LyapunovParams;
use rnnscope::curl::model::{Activation, CurlParams, InitKind, LossKind, Side};
use rnnscope::curl::phase::{aggregate, run_unit, PhaseParams, UnitRun};
use rnnscope::curl::stability::Layer;
use rnnscope::curl::{run, RunOptions};
use rnnscope::hebbff::shard::Merged;
use rnnscope::{Error, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Learning settings shared by `curl` and `curl-phase`.
#[derive(Args, Clone)]
pub struct LearnArgs {
    /// Flip side: row (postsynaptic: l1 = hidden, l2 = output) or col
    /// (presynaptic: l1 = inputs, l2 = hidden).
    #[arg(long, default_value = "col")]
    side: String,
    /// Learning rate η per epoch (each mini-batch uses η·batch/n-train).
    #[arg(long, default_value_t = 0.1)]
    lr: f64,
    /// Training epochs.
    #[arg(long, default_value_t = 2000)]
    epochs: usize,
    /// Mini-batch size (default: n-train = full batch; 1 = online).
    #[arg(long)]
    batch_size: Option<usize>,
    /// Training samples.
    #[arg(long, default_value_t = 250)]
    n_train: usize,
    /// Test samples.
    #[arg(long, default_value_t = 100)]
    n_test: usize,
    /// Nonlinearity: tanh or linear.
    #[arg(long, default_value = "tanh")]
    activation: String,
    /// Rule's objective: matching (authors' code: error not multiplied by ψ') or mse.
    #[arg(long, default_value = "matching")]
    loss: String,
    /// Weight init: uniform or normal.
    #[arg(long, default_value = "uniform")]
    init: String,
    /// Do not rescale the layers to their initial norms after each step.
    #[arg(long)]
    no_normalize: bool,
    /// Loss threshold as a fraction of the initial train ½·MSE.
    #[arg(long, default_value_t = 0.01)]
    threshold_frac: f64,
    /// Skip the Lyapunov exponent.
    #[arg(long)]
    no_lyapunov: bool,
    /// Epochs before the Lyapunov shadow starts (default: epochs/2).
    #[arg(long)]
    lyap_transient: Option<usize>,
    /// Epochs between Benettin renormalisations.
    #[arg(long, default_value_t = 10)]
    lyap_renorm_every: usize,
    /// RNG seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

impl LearnArgs {
    fn params(&self, d: usize, m: usize, k: usize) -> Result<CurlParams> {
        let p = CurlParams {
            input_dim: d,
            teacher: m,
            student: k,
            side: Side::parse(&self.side)?,
            lr: self.lr,
            epochs: self.epochs,
            batch_size: self.batch_size.unwrap_or(self.n_train),
            n_train: self.n_train,
            n_test: self.n_test,
            activation: Activation::parse(&self.activation)?,
            loss: LossKind::parse(&self.loss)?,
            init: InitKind::parse(&self.init)?,
            normalize: !self.no_normalize,
            seed: self.seed,
            ..CurlParams::default()
        };
        Ok(p)
    }

    fn lyapunov(&self) -> Option<LyapunovParams> {
        (!self.no_lyapunov).then(|| LyapunovParams {
            transient: self.lyap_transient.unwrap_or(self.epochs / 2),
            renorm_every: self.lyap_renorm_every,
            ..LyapunovParams::default()
        })
    }
}

#[derive(Args)]
pub struct CurlArgs {
    /// Input dimension d.
    #[arg(long, default_value_t = 10)]
    input_dim: usize,
    /// Teacher hidden width M.
    #[arg(long, default_value_t = 40)]
    teacher: usize,
    /// Student hidden width K.
    #[arg(long, default_value_t = 40)]
    student: usize,
    /// Rule-flipped neurons in layer 1 (the first ones).
    #[arg(long, default_value_t = 0)]
    flipped_l1: usize,
    /// Rule-flipped neurons in layer 2.
    #[arg(long, default_value_t = 0)]
    flipped_l2: usize,
    /// Student init scale s (W₁ ~ U(±s/√d), w₂ ~ U(±s/√K)).
    #[arg(long, default_value_t = 1.0)]
    init_scale: f64,
    #[command(flatten)]
    learn: LearnArgs,
    /// Skip the full P × P Jacobian spectrum (keep the normal modes).
    #[arg(long)]
    no_full_eigenvalues: bool,
    /// Points of the critical-flips scans (0 = skip).
    #[arg(long, default_value_t = 21)]
    scan_points: usize,
    /// Do not train the GD baseline.
    #[arg(long)]
    no_gd: bool,
}

pub fn curl(a: CurlArgs) -> Result<Value> {
    let mut p = a.learn.params(a.input_dim, a.teacher, a.student)?;
    p.flipped_l1 = a.flipped_l1;
    p.flipped_l2 = a.flipped_l2;
    p.init_scale = a.init_scale;
    p.check()?;
    let o = RunOptions {
        threshold_frac: a.learn.threshold_frac,
        lyapunov: a.learn.lyapunov(),
        jacobian: true,
        full_eigenvalues: !a.no_full_eigenvalues,
        scan_points: a.scan_points,
        compare_gd: !a.no_gd,
        n_log: 100,
    };
    let r = run(&p, &o)?;
    serde_json::to_value(&r).map_err(|e| Error::Format(e.to_string()))
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CurlPhaseArgs {
    /// `merge DIR… --out OUT`: merge the shard files of `--shard K/S` runs.
    #[command(subcommand)]
    merge: Option<MergeCmd>,
    /// Expanding architecture "d,K" (K > d; teacher M = K).
    #[arg(long, default_value = "10,40")]
    expanding: String,
    /// Contracting architecture "d,K" (K < d; teacher M = K).
    #[arg(long, default_value = "40,10")]
    contracting: String,
    /// Layer whose neurons are flipped: l1 or l2.
    #[arg(long, default_value = "l1")]
    layer: String,
    /// Flipped fractions of the layer's flippable neurons, comma-separated.
    #[arg(long, default_value = "0,0.1,0.25,0.5,0.75,1")]
    flip_fracs: String,
    /// Init scales, comma-separated.
    #[arg(long, default_value = "0.1,0.5,1,2")]
    init_scales: String,
    /// Seeds per cell.
    #[arg(long, default_value_t = 3)]
    seeds: usize,
    /// λ₁ (per unit time) above which a run counts as chaotic.
    #[arg(long, default_value_t = 1e-3)]
    chaos_tol: f64,
    /// Worker threads (0 = all cores, or RAYON_NUM_THREADS).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Compute only shard K of S (1-based): work unit i (0-based; the
    /// (architecture, init scale, seed) units, expanding first, then scale,
    /// then seed) belongs to shard i mod S + 1. Writes
    /// DIR/shard-KKKK-of-SSSS.json (needs --out); a complete one is skipped.
    #[arg(long, value_name = "K/S")]
    shard: Option<String>,
    /// Output directory: report.json and timings.json (one process), or the
    /// shard file (with --shard).
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    learn: LearnArgs,
}

fn list<T: std::str::FromStr>(name: &'static str, s: &str) -> Result<Vec<T>> {
    s.split(',')
        .map(|t| {
            t.trim()
                .parse::<T>()
                .map_err(|_| Error::param(name, format!("cannot parse {t:?} in {s:?}")))
        })
        .collect()
}

fn arch(name: &'static str, s: &str) -> Result<(usize, usize)> {
    match list::<usize>(name, s)?.as_slice() {
        [d, k] => Ok((*d, *k)),
        _ => Err(Error::param(name, format!("expected \"d,K\", got {s:?}"))),
    }
}

/// The `kind` of a curl-phase shard file.
const PHASE_KIND: &str = "curl-phase";
/// The two architectures, in work-unit order.
const ARCHS: [&str; 2] = ["expanding", "contracting"];

/// The work units of both architectures: (architecture, scale index, seed
/// index), architecture-major, as `PhaseParams::units` within one.
fn phase_jobs(archs: &[PhaseParams; 2]) -> Vec<(usize, usize, usize)> {
    archs
        .iter()
        .enumerate()
        .flat_map(|(ai, pp)| pp.units().into_iter().map(move |(s, k)| (ai, s, k)))
        .collect()
}

pub fn curl_phase(a: CurlPhaseArgs) -> Result<Value> {
    if let Some(MergeCmd::Merge(m)) = &a.merge {
        return study_shard::merge(PHASE_KIND, m, phase_report);
    }
    let layer = Layer::parse(&a.layer)?;
    let fracs: Vec<f64> = list("flip-fracs", &a.flip_fracs)?;
    let scales: Vec<f64> = list("init-scales", &a.init_scales)?;
    let (de, ke) = arch("expanding", &a.expanding)?;
    let (dc, kc) = arch("contracting", &a.contracting)?;
    if ke <= de {
        return Err(Error::param("expanding", "needs K > d"));
    }
    if kc >= dc {
        return Err(Error::param("contracting", "needs K < d"));
    }
    let mk = |d: usize, k: usize| -> Result<PhaseParams> {
        let pp = PhaseParams {
            base: a.learn.params(d, k, k)?,
            layer,
            flip_fracs: fracs.clone(),
            init_scales: scales.clone(),
            seeds: a.seeds,
            threshold_frac: a.learn.threshold_frac,
            lyapunov: a.learn.lyapunov(),
            chaos_tol: a.chaos_tol,
        };
        pp.check()?;
        Ok(pp)
    };
    let archs = [mk(de, ke)?, mk(dc, kc)?];
    let params = json!({
        "expanding": study_shard::to_value(&archs[0])?,
        "contracting": study_shard::to_value(&archs[1])?,
    });
    let jobs = phase_jobs(&archs);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads)
        .build()
        .map_err(|e| Error::Io(format!("thread pool: {e}")))?;
    let study = Study {
        kind: PHASE_KIND,
        name: PHASE_KIND,
        items_key: "items",
        params: &params,
        total: jobs.len(),
    };
    pool.install(|| {
        study_shard::run(
            study,
            a.shard.as_deref(),
            a.out.as_deref(),
            |i| {
                let (ai, s, k) = jobs[i];
                run_unit(&archs[ai], s, k)
            },
            |i| {
                let (ai, s, k) = jobs[i];
                format!("{} scale {} seed {k}", ARCHS[ai], archs[ai].init_scales[s])
            },
            phase_report,
        )
    })
}

/// The phase diagrams from every unit (in work-unit order) and the stored
/// parameters: `{"expanding": {"diagram", "units"}, "contracting": …}`.
fn phase_report(m: Merged<UnitRun>) -> Result<Value> {
    let archs: [PhaseParams; 2] = [
        study_shard::param(&m.params, ARCHS[0])?,
        study_shard::param(&m.params, ARCHS[1])?,
    ];
    let jobs = phase_jobs(&archs);
    if jobs.len() != m.items.len() {
        return Err(Error::Format(format!(
            "the parameters give {} work units, the shards {}",
            jobs.len(),
            m.items.len()
        )));
    }
    let mut per: [Vec<UnitRun>; 2] = [vec![], vec![]];
    for (i, (u, &(ai, s, k))) in m.items.into_iter().zip(&jobs).enumerate() {
        if u.seed != k || u.init_scale != archs[ai].init_scales[s] {
            return Err(Error::Format(format!(
                "work unit {i} is scale {} seed {}, expected {} scale {} seed {k}",
                u.init_scale, u.seed, ARCHS[ai], archs[ai].init_scales[s]
            )));
        }
        per[ai].push(u);
    }
    let mut out = serde_json::Map::new();
    for (ai, pp) in archs.iter().enumerate() {
        let diag = aggregate(pp, &per[ai]);
        out.insert(
            ARCHS[ai].to_string(),
            json!({"diagram": diag, "units": per[ai]}),
        );
    }
    Ok(Value::Object(out))
}
