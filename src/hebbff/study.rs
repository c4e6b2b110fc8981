//! The HebbFF learning-dynamics study: per-snapshot network metrics of the
//! hidden activity, and the analyses across epochs and instances of the
//! HebbFF modularity paper (Figs. 2–5).
//!
//! Per snapshot (held-out stream, T items): Pearson FC of the M hidden units in
//! windows (default 50 × 50) → signed multilayer modularity (Mucha et al. 2010,
//! γ⁺ 1.02, γ⁻ 1, ω 1) → Q, #communities, flexibility, allegiance; activation
//! statistics and the Gaussian entropy ½ ln det(2πe Σ) ([`crate::stats`]).
//! "Connection strength" is the mean off-diagonal Pearson correlation of the
//! whole test stream (our reading: the paper does not define it further).

use super::train::{train, HebbParams, HebbTrainer, Snapshot};
use crate::error::{check_size, Error, Result};
use crate::modularity::fc::windowed_fc;
use crate::modularity::multilayer::{multilayer_from_layers, ActivityParams, NO_STRUCTURE};
use crate::modularity::null::{null_test, warn_if_null, NullParams};
use crate::modularity::partition;
use crate::stats::activity_stats;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Which hidden quantity the network analysis reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Record {
    /// Pre-activations a(t) — the paper's A_H = [a(1), …, a(T)].
    Pre,
    /// Activations h(t) = σ(a(t)).
    Post,
}

/// How each snapshot is analysed.
#[derive(Debug, Clone)]
pub struct AnalysisParams {
    pub activity: ActivityParams,
    pub record: Record,
    /// Keep the M×M allegiance matrix of every snapshot (for the page's animation).
    pub keep_allegiance: bool,
    /// Histogram bins of the activation statistics.
    pub bins: usize,
    /// Compare each snapshot's Q with this null model (costly: K optimisations).
    pub null: Option<NullParams>,
}

impl Default for AnalysisParams {
    /// The paper's analysis ([`ActivityParams::hebbff`]) on a(t), 3 Louvain runs.
    fn default() -> Self {
        let mut activity = ActivityParams::hebbff();
        activity.multilayer.runs = 3;
        AnalysisParams {
            activity,
            record: Record::Pre,
            keep_allegiance: false,
            bins: 30,
            null: None,
        }
    }
}

/// Everything measured at one snapshot. The serde names (`lambda`, `q`,
/// `system_flexibility`, …) are the one key set of the CLI's JSON and CSV,
/// the page and the page's exports. (Deserialize: shard files; JSON `null`
/// reads back as NaN.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotMetrics {
    pub epoch: usize,
    #[serde(deserialize_with = "nan_f64")]
    pub accuracy: f64,
    #[serde(deserialize_with = "nan_f64")]
    pub loss: f64,
    #[serde(rename = "lambda", deserialize_with = "nan_f64")]
    pub lam: f64,
    #[serde(deserialize_with = "nan_f64")]
    pub eta: f64,
    /// Multilayer modularity Q.
    #[serde(deserialize_with = "nan_f64")]
    pub q: f64,
    /// Within-layer part of Q (q_intra + q_inter = q).
    #[serde(default, deserialize_with = "nan_f64")]
    pub q_intra: f64,
    /// Inter-layer (coupling) part of Q.
    #[serde(default, deserialize_with = "nan_f64")]
    pub q_inter: f64,
    /// z of Q against the null of [`AnalysisParams::null`] (None without a null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_z: Option<f64>,
    /// Empirical p of Q against that null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_p: Option<f64>,
    /// Cautions of the analysis (e.g. "no community structure beyond the inter-layer coupling").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub n_communities: usize,
    #[serde(deserialize_with = "nan_f64")]
    pub system_flexibility: f64,
    #[serde(deserialize_with = "nan_f64")]
    pub mean_activation: f64,
    #[serde(deserialize_with = "nan_f64")]
    pub skewness: f64,
    #[serde(deserialize_with = "nan_f64")]
    pub excess_kurtosis: f64,
    /// Mean pairwise correlation = connection strength.
    #[serde(deserialize_with = "nan_f64")]
    pub mean_correlation: f64,
    #[serde(deserialize_with = "nan_f64")]
    pub entropy: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allegiance: Option<Vec<f64>>,
    /// Node order grouping the consensus communities, and community borders in it
    /// (kept with the allegiance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<(Vec<usize>, Vec<usize>)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_histogram: Option<(Vec<f64>, Vec<usize>)>,
}

impl SnapshotMetrics {
    /// Accuracy, loss, λ and η of a snapshot; the network fields NaN (no analysis).
    pub fn accuracy_only(s: &Snapshot) -> SnapshotMetrics {
        SnapshotMetrics {
            epoch: s.epoch,
            accuracy: s.accuracy,
            loss: s.loss,
            lam: s.lam,
            eta: s.eta,
            q: f64::NAN,
            q_intra: f64::NAN,
            q_inter: f64::NAN,
            null_z: None,
            null_p: None,
            warnings: Vec::new(),
            n_communities: 0,
            system_flexibility: f64::NAN,
            mean_activation: f64::NAN,
            skewness: f64::NAN,
            excess_kurtosis: f64::NAN,
            mean_correlation: f64::NAN,
            entropy: f64::NAN,
            allegiance: None,
            order: None,
            activation_histogram: None,
        }
    }
}

/// Analyse one snapshot's hidden activity (T×M).
///
/// # Errors
/// Window longer than the test stream; the modularity and statistics errors.
///
/// # Complexity
/// O(T M² + M³) plus the multilayer optimisation.
pub fn snapshot_metrics(snap: &Snapshot, m: usize, ap: &AnalysisParams) -> Result<SnapshotMetrics> {
    let data = match ap.record {
        Record::Pre => &snap.pre,
        Record::Post => &snap.post,
    };
    let t = data.len() / m.max(1);
    let x = ArrayView2::from_shape((t, m), data).map_err(|e| Error::Shape(e.to_string()))?;
    let fc = windowed_fc(x, ap.activity.window, ap.activity.step)?;
    let mut ml = multilayer_from_layers(&fc.layers, &ap.activity.multilayer, &mut |_, _| {})?;
    let null = match &ap.null {
        Some(np) => {
            let nr = null_test(&fc.layers, &ap.activity.multilayer, &ml, np, &mut |_, _| {})?;
            warn_if_null(&mut ml, &nr);
            Some(nr)
        }
        None => None,
    };
    let st = activity_stats(x, ap.bins)?;
    let order = if ap.keep_allegiance {
        let refs: Vec<&[usize]> = ml.labels.iter().map(|v| v.as_slice()).collect();
        let cons = partition::consensus(&refs, 0.5, 5, ap.activity.multilayer.seed)?;
        Some(partition::order_by_community(&cons))
    } else {
        None
    };
    Ok(SnapshotMetrics {
        order,
        epoch: snap.epoch,
        accuracy: snap.accuracy,
        loss: snap.loss,
        lam: snap.lam,
        eta: snap.eta,
        q: ml.q,
        q_intra: ml.q_intra,
        q_inter: ml.q_inter,
        null_z: null.as_ref().and_then(|n| n.z),
        null_p: null.as_ref().map(|n| n.p),
        warnings: fc.warnings.into_iter().chain(ml.warnings).collect(),
        n_communities: ml.n_communities,
        system_flexibility: ml.system_flexibility,
        mean_activation: st.mean,
        skewness: st.skewness,
        excess_kurtosis: st.excess_kurtosis,
        mean_correlation: st.mean_correlation,
        entropy: st.gaussian_entropy,
        allegiance: ap
            .keep_allegiance
            .then(|| ml.allegiance.iter().copied().collect()),
        activation_histogram: ap.keep_allegiance.then(|| {
            (
                st.activation_histogram.edges.clone(),
                st.activation_histogram.counts.clone(),
            )
        }),
    })
}

/// One trained instance with its snapshot metrics (Deserialize: shard files;
/// the model is not stored).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct InstanceResult {
    pub seed: u64,
    /// Accuracy on the held-out stream after the last epoch.
    #[serde(deserialize_with = "nan_f64")]
    pub test_accuracy: f64,
    #[serde(rename = "lambda", deserialize_with = "nan_f64")]
    pub lam: f64,
    #[serde(deserialize_with = "nan_f64")]
    pub eta: f64,
    /// Epochs until the held-out accuracy first reached 0.95 (at snapshot resolution).
    pub epochs_to_95: Option<usize>,
    pub snapshots: Vec<SnapshotMetrics>,
    /// The trained network.
    #[serde(skip)]
    pub model: Option<super::model::HebbFF>,
}

impl InstanceResult {
    /// An instance from its snapshots, the last of which is the trained
    /// network's: final accuracy, λ and η from it, and the first epoch at 95 %.
    pub fn from_snapshots(
        seed: u64,
        snapshots: Vec<SnapshotMetrics>,
        model: Option<super::model::HebbFF>,
    ) -> InstanceResult {
        let last = snapshots.last();
        InstanceResult {
            seed,
            test_accuracy: last.map_or(0.0, |s| s.accuracy),
            lam: last.map_or(f64::NAN, |s| s.lam),
            eta: last.map_or(f64::NAN, |s| s.eta),
            epochs_to_95: snapshots
                .iter()
                .find(|s| s.accuracy >= 0.95)
                .map(|s| s.epoch),
            snapshots,
            model,
        }
    }
}

/// Train one instance, analysing every snapshot with `ap` (or recording only
/// accuracy, loss, λ and η when `ap` is `None`). `on_snapshot(trainer,
/// metrics)` sees each snapshot as it is taken (the page streams them; the
/// trainer gives the epoch and the training curve) and returns `false` to
/// cancel (then `Error::Param("cancelled")`).
///
/// # Errors
/// As [`train`] and [`snapshot_metrics`]; cancellation.
pub fn run_instance(
    p: HebbParams,
    ap: Option<&AnalysisParams>,
    on_snapshot: &mut dyn FnMut(&HebbTrainer, &SnapshotMetrics) -> bool,
) -> Result<InstanceResult> {
    let (m, seed) = (p.m, p.seed);
    let mut snaps = Vec::new();
    let mut cancelled = false;
    let tr = train(p, &mut |tr, s| {
        let metrics = match ap {
            Some(ap) => snapshot_metrics(&s, m, ap)?,
            None => SnapshotMetrics::accuracy_only(&s),
        };
        let go = on_snapshot(tr, &metrics);
        snaps.push(metrics);
        cancelled = !go;
        Ok(go)
    })?;
    if cancelled {
        return Err(Error::param("run", "cancelled"));
    }
    Ok(InstanceResult::from_snapshots(seed, snaps, Some(tr.model)))
}

// ---------------------------------------------------------------- analyses

/// A metric of a snapshot, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Metric {
    Accuracy,
    Q,
    NCommunities,
    Flexibility,
    Entropy,
    MeanActivation,
    MeanCorrelation,
    Skewness,
    Kurtosis,
    /// Within-layer part of Q.
    QIntra,
    /// Inter-layer part of Q.
    QInter,
}

impl Metric {
    /// Every metric, in report order.
    pub const ALL: [Metric; 11] = [
        Metric::Accuracy,
        Metric::Q,
        Metric::NCommunities,
        Metric::Flexibility,
        Metric::Entropy,
        Metric::MeanActivation,
        Metric::MeanCorrelation,
        Metric::Skewness,
        Metric::Kurtosis,
        Metric::QIntra,
        Metric::QInter,
    ];

    /// The JSON key.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Accuracy => "accuracy",
            Metric::Q => "q",
            Metric::NCommunities => "n_communities",
            Metric::Flexibility => "flexibility",
            Metric::Entropy => "entropy",
            Metric::MeanActivation => "mean_activation",
            Metric::MeanCorrelation => "mean_correlation",
            Metric::Skewness => "skewness",
            Metric::Kurtosis => "excess_kurtosis",
            Metric::QIntra => "q_intra",
            Metric::QInter => "q_inter",
        }
    }

    /// The value at a snapshot.
    pub fn of(self, s: &SnapshotMetrics) -> f64 {
        match self {
            Metric::Accuracy => s.accuracy,
            Metric::Q => s.q,
            Metric::NCommunities => s.n_communities as f64,
            Metric::Flexibility => s.system_flexibility,
            Metric::Entropy => s.entropy,
            Metric::MeanActivation => s.mean_activation,
            Metric::MeanCorrelation => s.mean_correlation,
            Metric::Skewness => s.skewness,
            Metric::Kurtosis => s.excess_kurtosis,
            Metric::QIntra => s.q_intra,
            Metric::QInter => s.q_inter,
        }
    }
}

/// Pearson correlation; `None` when either side is constant or n < 3.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 3 {
        return None;
    }
    let (mx, my) = (mean(&x[..n]), mean(&y[..n]));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for k in 0..n {
        let (dx, dy) = (x[k] - mx, y[k] - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let d = (sxx * syy).sqrt();
    (d > 1e-300 * n as f64 && d.is_finite()).then(|| (sxy / d).clamp(-1.0, 1.0))
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len().max(1) as f64
}

/// Mean and sample standard deviation of the finite values.
fn mean_sd(x: &[f64]) -> (f64, f64, usize) {
    let v: Vec<f64> = x.iter().copied().filter(|v| v.is_finite()).collect();
    let n = v.len();
    if n == 0 {
        return (f64::NAN, f64::NAN, 0);
    }
    let m = mean(&v);
    let sd = if n > 1 {
        (v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    (m, sd, n)
}

// serde_json writes NaN as null; read null back as NaN.
fn nan_f64<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<f64, D::Error> {
    Ok(<Option<f64> as serde::Deserialize>::deserialize(d)?.unwrap_or(f64::NAN))
}

fn nan_vec<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<f64>, D::Error> {
    let v = <Vec<Option<f64>> as serde::Deserialize>::deserialize(d)?;
    Ok(v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
}

fn nan_pair<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<[f64; 2], D::Error> {
    let v = <[Option<f64>; 2] as serde::Deserialize>::deserialize(d)?;
    Ok(v.map(|x| x.unwrap_or(f64::NAN)))
}

/// Mean ± sd (and n) of a quantity at each point.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Band {
    #[serde(deserialize_with = "nan_vec")]
    pub x: Vec<f64>,
    #[serde(deserialize_with = "nan_vec")]
    pub mean: Vec<f64>,
    #[serde(deserialize_with = "nan_vec")]
    pub sd: Vec<f64>,
    pub n: Vec<usize>,
}

fn check_instances(inst: &[InstanceResult]) -> Result<usize> {
    let first = inst
        .first()
        .ok_or_else(|| Error::Shape("the study has no instances".into()))?;
    let k = first.snapshots.len();
    check_size("snapshots", k, 1, usize::MAX)?;
    for (i, r) in inst.iter().enumerate() {
        let same = r.snapshots.len() == k
            && r.snapshots
                .iter()
                .zip(&first.snapshots)
                .all(|(a, b)| a.epoch == b.epoch);
        if !same {
            return Err(Error::Shape(format!(
                "instance {} was snapshotted at different epochs than instance 1",
                i + 1
            )));
        }
    }
    Ok(k)
}

/// A metric over epochs: mean ± sd across instances (the paper's bands).
///
/// # Errors
/// No instances, or instances with different snapshot epochs.
pub fn band(inst: &[InstanceResult], metric: Metric) -> Result<Band> {
    let k = check_instances(inst)?;
    let mut b = Band {
        x: inst[0].snapshots.iter().map(|s| s.epoch as f64).collect(),
        mean: Vec::with_capacity(k),
        sd: Vec::with_capacity(k),
        n: Vec::with_capacity(k),
    };
    for s in 0..k {
        let v: Vec<f64> = inst.iter().map(|r| metric.of(&r.snapshots[s])).collect();
        let (m, sd, n) = mean_sd(&v);
        b.mean.push(m);
        b.sd.push(sd);
        b.n.push(n);
    }
    Ok(b)
}

/// Correlation of `metric` with accuracy **within instances**, over the
/// snapshots of consecutive epoch windows of `window` snapshots (the paper's
/// Fig. 4A: 10 snapshots = 100 epochs): mean ± sd of the per-instance r.
/// `x` holds each window's first epoch.
///
/// # Errors
/// As [`band`]; `window` < 3.
pub fn within_window_correlation(
    inst: &[InstanceResult],
    metric: Metric,
    window: usize,
) -> Result<Band> {
    let k = check_instances(inst)?;
    check_size("correlation window (snapshots)", window, 3, k.max(3))?;
    let mut b = Band {
        x: vec![],
        mean: vec![],
        sd: vec![],
        n: vec![],
    };
    // Skip the epoch-0 snapshot so windows cover whole epoch ranges.
    let start = usize::from(k > window && inst[0].snapshots[0].epoch == 0);
    let mut w0 = start;
    while w0 + window <= k {
        let rs: Vec<f64> = inst
            .iter()
            .filter_map(|r| {
                let s = &r.snapshots[w0..w0 + window];
                let a: Vec<f64> = s.iter().map(|v| v.accuracy).collect();
                let m: Vec<f64> = s.iter().map(|v| metric.of(v)).collect();
                pearson(&m, &a)
            })
            .collect();
        let (m, sd, n) = mean_sd(&rs);
        b.x.push(inst[0].snapshots[w0].epoch as f64);
        b.mean.push(m);
        b.sd.push(sd);
        b.n.push(n);
        w0 += window;
    }
    Ok(b)
}

/// Correlation of `metric` with accuracy **across instances** at each
/// snapshot (the paper's Fig. 4C). NaN where undefined (constant values).
///
/// # Errors
/// As [`band`].
pub fn across_instance_correlation(inst: &[InstanceResult], metric: Metric) -> Result<Band> {
    let k = check_instances(inst)?;
    let mut b = Band {
        x: vec![],
        mean: vec![],
        sd: vec![],
        n: vec![],
    };
    for s in 0..k {
        let a: Vec<f64> = inst.iter().map(|r| r.snapshots[s].accuracy).collect();
        let m: Vec<f64> = inst.iter().map(|r| metric.of(&r.snapshots[s])).collect();
        b.x.push(inst[0].snapshots[s].epoch as f64);
        b.mean.push(pearson(&m, &a).unwrap_or(f64::NAN));
        b.sd.push(0.0);
        b.n.push(inst.len());
    }
    Ok(b)
}

/// Learning-mode grouping of the accuracy curves.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct LearningModes {
    /// Mode of each instance: 1 = warm-up plateau (mode I), 2 = early rise (mode II).
    pub mode: Vec<u8>,
    /// Epochs each instance spent within 0.02 of chance before leaving it.
    pub plateau_epochs: Vec<usize>,
    /// Mean accuracy curve of each mode (empty if the mode has no member).
    pub mean_curve: [Vec<f64>; 2],
    #[serde(deserialize_with = "nan_pair")]
    pub mean_plateau: [f64; 2],
    pub size: [usize; 2],
}

/// Group accuracy curves into two learning modes by 2-means (Lloyd's
/// algorithm on the curves, started from the instances with the longest and
/// the shortest plateau, so it is deterministic). The group whose members
/// spend longer near chance is mode I.
///
/// # Errors
/// As [`band`].
pub fn learning_modes(inst: &[InstanceResult], chance: f64) -> Result<LearningModes> {
    let k = check_instances(inst)?;
    let curves: Vec<Vec<f64>> = inst
        .iter()
        .map(|r| r.snapshots.iter().map(|s| s.accuracy).collect())
        .collect();
    let plateau: Vec<usize> = inst
        .iter()
        .map(|r| {
            r.snapshots
                .iter()
                .find(|s| s.accuracy > chance + 0.02)
                .map(|s| s.epoch)
                .unwrap_or_else(|| r.snapshots[k - 1].epoch)
        })
        .collect();
    let by = |f: fn(usize, usize) -> bool| {
        (0..inst.len()).fold(0, |b, i| if f(plateau[i], plateau[b]) { i } else { b })
    };
    let mut centre = [
        curves[by(|a, b| a > b)].clone(),
        curves[by(|a, b| a < b)].clone(),
    ];
    let dist = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>();
    let mut assign = vec![0usize; inst.len()];
    for _ in 0..100 {
        let new: Vec<usize> = curves
            .iter()
            .map(|c| usize::from(dist(c, &centre[1]) < dist(c, &centre[0])))
            .collect();
        let changed = new != assign;
        assign = new;
        for (g, c) in centre.iter_mut().enumerate() {
            let members: Vec<&Vec<f64>> = curves
                .iter()
                .zip(&assign)
                .filter(|(_, &a)| a == g)
                .map(|(c, _)| c)
                .collect();
            if !members.is_empty() {
                *c = (0..k)
                    .map(|s| members.iter().map(|m| m[s]).sum::<f64>() / members.len() as f64)
                    .collect();
            }
        }
        if !changed {
            break;
        }
    }
    let group_plateau = |g: usize| {
        let v: Vec<f64> = (0..inst.len())
            .filter(|&i| assign[i] == g)
            .map(|i| plateau[i] as f64)
            .collect();
        (mean(&v), v.len())
    };
    let (p0, n0) = group_plateau(0);
    let (p1, n1) = group_plateau(1);
    // Mode I = longer plateau; an empty group counts as plateau 0.
    let swap = n1 > 0 && (n0 == 0 || p1 > p0);
    let mode_of = |g: usize| if (g == 1) == swap { 1u8 } else { 2u8 };
    let empty_if = |n: usize, c: &Vec<f64>| if n == 0 { vec![] } else { c.clone() };
    let (c0, c1) = (empty_if(n0, &centre[0]), empty_if(n1, &centre[1]));
    let (pl0, pl1) = (
        if n0 > 0 { p0 } else { f64::NAN },
        if n1 > 0 { p1 } else { f64::NAN },
    );
    Ok(LearningModes {
        mode: assign.iter().map(|&g| mode_of(g)).collect(),
        plateau_epochs: plateau,
        mean_curve: if swap { [c1, c0] } else { [c0, c1] },
        mean_plateau: if swap { [pl1, pl0] } else { [pl0, pl1] },
        size: if swap { [n1, n0] } else { [n0, n1] },
    })
}

/// A fixed effect of the mixed model with its test.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Effect {
    #[serde(deserialize_with = "nan_f64")]
    pub beta: f64,
    #[serde(deserialize_with = "nan_f64")]
    pub se: f64,
    /// F = t² with (1, I − 1) degrees of freedom.
    #[serde(deserialize_with = "nan_f64")]
    pub f: f64,
    #[serde(deserialize_with = "nan_f64")]
    pub p: f64,
}

/// Mediation of connection strength (X) → modularity (M) → accuracy (Y).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Mediation {
    /// M ~ X.
    pub a: Effect,
    /// Y ~ M.
    pub b: Effect,
    /// Y ~ X (total effect).
    pub c: Effect,
    /// Y ~ X + M: the direct effect of X …
    pub c_prime: Effect,
    /// … and of M.
    pub b_given_x: Effect,
    /// a · b_given_x.
    #[serde(deserialize_with = "nan_f64")]
    pub indirect: f64,
    pub instances: usize,
    pub method: String,
}

/// Per-instance OLS slopes of `y` on `xs` (with an intercept); `None` if singular.
fn ols(xs: &[&[f64]], y: &[f64]) -> Option<Vec<f64>> {
    let p = xs.len();
    let n = y.len();
    if n <= p + 1 {
        return None;
    }
    let xm: Vec<f64> = xs.iter().map(|x| mean(x)).collect();
    let ym = mean(y);
    // Normal equations on centred data: S β = s.
    let mut s = vec![vec![0.0; p]; p];
    let mut r = vec![0.0; p];
    for t in 0..n {
        for a in 0..p {
            let da = xs[a][t] - xm[a];
            r[a] += da * (y[t] - ym);
            for b in 0..p {
                s[a][b] += da * (xs[b][t] - xm[b]);
            }
        }
    }
    match p {
        1 => (s[0][0] > 1e-300).then(|| vec![r[0] / s[0][0]]),
        2 => {
            let det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
            let scale = s[0][0] * s[1][1];
            (scale > 0.0 && det.abs() > 1e-10 * scale).then(|| {
                vec![
                    (r[0] * s[1][1] - r[1] * s[0][1]) / det,
                    (s[0][0] * r[1] - s[1][0] * r[0]) / det,
                ]
            })
        }
        _ => None,
    }
}

fn effect(betas: &[f64]) -> Effect {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let (m, sd, n) = mean_sd(betas);
    let se = sd / (n as f64).sqrt();
    let t = m / se;
    let p = if n > 1 && t.is_finite() {
        StudentsT::new(0.0, 1.0, (n - 1) as f64)
            .map(|d| 2.0 * (1.0 - d.cdf(t.abs())))
            .unwrap_or(f64::NAN)
    } else {
        f64::NAN
    };
    Effect {
        beta: m,
        se,
        f: t * t,
        p,
    }
}

/// Mediation analysis with the mixed model Y_ij = μ + U_i + V_i X_ij + β X_ij + ε_ij
/// (random intercept U_i and slope V_i per instance), estimated by the
/// two-stage summary-statistics method: OLS within each instance, then the
/// fixed effect β is the mean of the per-instance slopes, tested against 0 by
/// t = β̂/(sd/√I), F = t² on (1, I−1) df (Holmes & Friston 1998; equal to the
/// mixed-model estimate for balanced designs with equal within-instance
/// variance). Snapshots before `from_epoch` are left out.
///
/// # Errors
/// As [`band`]; fewer than 3 instances with usable (non-constant) data.
pub fn mediation(inst: &[InstanceResult], from_epoch: usize) -> Result<Mediation> {
    check_instances(inst)?;
    let mut a = vec![];
    let mut b = vec![];
    let mut c = vec![];
    let mut cp = vec![];
    let mut bx = vec![];
    for r in inst {
        let s: Vec<&SnapshotMetrics> = r
            .snapshots
            .iter()
            .filter(|s| s.epoch >= from_epoch)
            .collect();
        let x: Vec<f64> = s.iter().map(|v| v.mean_correlation).collect();
        let m: Vec<f64> = s.iter().map(|v| v.q).collect();
        let y: Vec<f64> = s.iter().map(|v| v.accuracy).collect();
        if let (Some(ea), Some(eb), Some(ec), Some(e2)) = (
            ols(&[&x], &m),
            ols(&[&m], &y),
            ols(&[&x], &y),
            ols(&[&x, &m], &y),
        ) {
            a.push(ea[0]);
            b.push(eb[0]);
            c.push(ec[0]);
            cp.push(e2[0]);
            bx.push(e2[1]);
        }
    }
    if a.len() < 3 {
        return Err(Error::Shape(format!(
            "mediation needs at least 3 instances whose strength, modularity and accuracy vary; {} do",
            a.len()
        )));
    }
    let (ea, ebx) = (effect(&a), effect(&bx));
    Ok(Mediation {
        indirect: ea.beta * ebx.beta,
        a: ea,
        b: effect(&b),
        c: effect(&c),
        c_prime: effect(&cp),
        b_given_x: ebx,
        instances: a.len(),
        method: "two-stage mixed model (per-instance OLS, t-test of slopes)".into(),
    })
}

/// Everything `rnnscope hebbff study` reports besides the instances.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct StudySummary {
    pub instances: usize,
    pub test_accuracy: Band,
    /// Mean ± sd over epochs of every metric, keyed by [`Metric::name`].
    pub curves: Vec<(String, Band)>,
    /// Within-instance (epoch-window) correlation with accuracy, per metric.
    pub within_instance_correlation: Vec<(String, Band)>,
    /// Across-instance correlation with accuracy at each snapshot, per metric.
    pub across_instance_correlation: Vec<(String, Band)>,
    pub learning_modes: LearningModes,
    pub mediation: Option<Mediation>,
    pub mediation_error: Option<String>,
    /// Study-level cautions (snapshots without community structure).
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// Study-level warning: how many analysed snapshots (and final snapshots)
/// carry [`NO_STRUCTURE`].
pub fn structure_warnings(inst: &[InstanceResult]) -> Vec<String> {
    let analysed = |s: &&SnapshotMetrics| s.q.is_finite();
    let flagged = |s: &&&SnapshotMetrics| s.warnings.iter().any(|w| w.starts_with(NO_STRUCTURE));
    let all: Vec<&SnapshotMetrics> = inst
        .iter()
        .flat_map(|r| &r.snapshots)
        .filter(analysed)
        .collect();
    let last: Vec<&SnapshotMetrics> = inst
        .iter()
        .filter_map(|r| r.snapshots.last())
        .filter(analysed)
        .collect();
    let (na, nl) = (
        all.iter().filter(flagged).count(),
        last.iter().filter(flagged).count(),
    );
    if na == 0 {
        return Vec::new();
    }
    vec![format!(
        "{NO_STRUCTURE} in {na} of {} analysed snapshots ({nl} of {} final snapshots): \
         communities, flexibility and allegiance there reflect the γ–ω trade-off, not modules",
        all.len(),
        last.len()
    )]
}

/// Run every study analysis on finished instances.
///
/// # Errors
/// As [`band`], [`within_window_correlation`] and [`learning_modes`].
pub fn summarize(inst: &[InstanceResult], window: usize, chance: f64) -> Result<StudySummary> {
    let k = check_instances(inst)?;
    let final_acc: Vec<f64> = inst.iter().map(|r| r.test_accuracy).collect();
    let (m, sd, n) = mean_sd(&final_acc);
    let mut curves = vec![];
    let mut within = vec![];
    let mut across = vec![];
    for metric in Metric::ALL {
        curves.push((metric.name().to_string(), band(inst, metric)?));
        if metric != Metric::Accuracy {
            within.push((
                metric.name().to_string(),
                within_window_correlation(inst, metric, window.min(k).max(3))?,
            ));
            across.push((
                metric.name().to_string(),
                across_instance_correlation(inst, metric)?,
            ));
        }
    }
    let med = mediation(inst, 0);
    Ok(StudySummary {
        instances: inst.len(),
        test_accuracy: Band {
            x: vec![inst[0].snapshots[k - 1].epoch as f64],
            mean: vec![m],
            sd: vec![sd],
            n: vec![n],
        },
        curves,
        within_instance_correlation: within,
        across_instance_correlation: across,
        learning_modes: learning_modes(inst, chance)?,
        mediation_error: med.as_ref().err().map(|e| e.to_string()),
        mediation: med.ok(),
        warnings: structure_warnings(inst),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(epoch: usize, acc: f64, q: f64, strength: f64) -> SnapshotMetrics {
        SnapshotMetrics {
            epoch,
            accuracy: acc,
            loss: 0.0,
            lam: 0.9,
            eta: -0.1,
            q,
            q_intra: q / 2.0,
            q_inter: q / 2.0,
            null_z: None,
            null_p: None,
            warnings: Vec::new(),
            n_communities: 3,
            system_flexibility: 0.1,
            mean_activation: 0.0,
            skewness: 0.0,
            excess_kurtosis: 0.0,
            mean_correlation: strength,
            entropy: 0.0,
            allegiance: None,
            order: None,
            activation_histogram: None,
        }
    }

    fn inst(seed: u64, snaps: Vec<SnapshotMetrics>) -> InstanceResult {
        InstanceResult {
            seed,
            test_accuracy: snaps.last().unwrap().accuracy,
            lam: 0.9,
            eta: -0.1,
            epochs_to_95: None,
            snapshots: snaps,
            model: None,
        }
    }

    #[test]
    fn pearson_by_hand() {
        // x = 1,2,3; y = 2,4,7: cov = 5/2·… → r = 5/√(2·(… )) worked out: sxy = 5, sxx = 2, syy = 12.667.
        let r = pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 7.0]).unwrap();
        assert!((r - 5.0 / (2.0f64 * 38.0 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
    }

    /// The Simpson's-paradox construction of the paper: inside every instance
    /// Q rises with accuracy, yet instances with higher Q are less accurate.
    #[test]
    fn within_and_across_correlations_can_disagree_in_sign() {
        let inst: Vec<InstanceResult> = (0..5)
            .map(|i| {
                let off = i as f64;
                inst(
                    i,
                    (0..6)
                        .map(|e| {
                            let acc = 0.7 + 0.01 * e as f64 + 0.04 * off;
                            snap(e * 10, acc, 0.5 + 0.02 * e as f64 - 0.1 * off, 0.3)
                        })
                        .collect(),
                )
            })
            .collect();
        let w = within_window_correlation(&inst, Metric::Q, 3).unwrap();
        assert_eq!(w.x, vec![10.0]); // epoch 0 skipped, one window of 3 snapshots (10..30)
        assert!((w.mean[0] - 1.0).abs() < 1e-12 && w.n[0] == 5);
        let a = across_instance_correlation(&inst, Metric::Q).unwrap();
        assert!(a.mean.iter().all(|&r| (r + 1.0).abs() < 1e-12));
        let b = band(&inst, Metric::Q).unwrap();
        // At epoch 0: Q = 0.5 − 0.1·i, i = 0..4 → mean 0.3, sd = 0.1·√2.5.
        assert!((b.mean[0] - 0.3).abs() < 1e-12);
        assert!((b.sd[0] - 0.1 * 2.5f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn mediation_recovers_planted_slopes() {
        // Within instance i: M = 2 − 0.5 X + u_i, Y = 3 M + 0·X + v_i, with X varying
        // and a small instance-specific wiggle so slopes differ slightly.
        let inst: Vec<InstanceResult> = (0..6)
            .map(|i| {
                let s = (0..12)
                    .map(|k| {
                        let x = 0.1 * k as f64 + 0.01 * ((k * 7 + i) % 5) as f64;
                        let wig = 0.001 * ((k * 3 + i * 5) % 7) as f64;
                        let m = 2.0 - 0.5 * x + 0.1 * i as f64 + wig;
                        let y = 3.0 * m + 0.05 * i as f64;
                        snap(k * 10, y, m, x)
                    })
                    .collect();
                inst(i as u64, s)
            })
            .collect();
        let med = mediation(&inst, 0).unwrap();
        assert!((med.a.beta + 0.5).abs() < 0.01, "{med:?}");
        assert!((med.b_given_x.beta - 3.0).abs() < 1e-9);
        assert!(med.c_prime.beta.abs() < 1e-9);
        assert!((med.c.beta + 1.5).abs() < 0.03);
        assert!(med.a.p < 1e-6 && med.c.p < 1e-6);
    }

    #[test]
    fn student_t_p_value_matches_tables() {
        // Two-sided p for t = 2.228 at 10 df is 0.05 (standard t table).
        let mut betas = vec![2.228 / 11f64.sqrt(); 11];
        // Make the sd equal to 1: alternate ±1 around the mean with n = 11 (10 df).
        let base = betas[0];
        let dev = (10.0f64 / 10.0).sqrt();
        for (k, b) in betas.iter_mut().enumerate() {
            *b = base
                + if k < 5 {
                    dev
                } else if k < 10 {
                    -dev
                } else {
                    0.0
                };
        }
        let (_, sd, _) = mean_sd(&betas);
        let e = effect(&betas);
        let t = e.beta / (sd / 11f64.sqrt());
        let expect_t = base / (sd / 11f64.sqrt());
        assert!((t - expect_t).abs() < 1e-12);
        use statrs::distribution::{ContinuousCDF, StudentsT};
        let d = StudentsT::new(0.0, 1.0, 10.0).unwrap();
        assert!((2.0 * (1.0 - d.cdf(2.228)) - 0.05).abs() < 1e-3);
    }

    #[test]
    fn learning_modes_split_plateau_from_early_risers() {
        let chance = 2.0 / 3.0;
        let curve = |late: bool| {
            (0..10)
                .map(|e| {
                    let start = if late { 5 } else { 1 };
                    let acc = if e < start {
                        chance
                    } else {
                        (chance + 0.06 * (e - start + 1) as f64).min(1.0)
                    };
                    snap(e * 10, acc, 0.3, 0.2)
                })
                .collect::<Vec<_>>()
        };
        let inst: Vec<InstanceResult> = (0..6).map(|i| inst(i, curve(i % 3 == 0))).collect();
        let m = learning_modes(&inst, chance).unwrap();
        assert_eq!(m.mode, vec![1, 2, 2, 1, 2, 2]);
        assert_eq!(m.size, [2, 4]);
        assert_eq!(m.mean_plateau, [50.0, 10.0]);
    }
}
