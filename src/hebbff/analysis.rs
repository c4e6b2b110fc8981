//! The HebbFF study analyses over many instances: mean ± sd curves
//! ([`band`]), correlations with accuracy within instances over epoch windows
//! and across instances at each epoch (the two views of the paper's Simpson's
//! paradox), learning modes by 2-means ([`learning_modes`]), the two-stage
//! mediation model ([`mediation`]) and the study summary ([`summarize`]).

use super::study::{nan_f64, nan_pair, nan_vec, InstanceResult, SnapshotMetrics};
use crate::error::{check_size, Error, Result};
use crate::modularity::multilayer::NO_STRUCTURE;
use serde::Serialize;

/// A metric of a snapshot, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Metric {
    /// Held-out accuracy, the study's (1 − f)·TPR + f·(1 − FPR) (JSON key `accuracy`).
    Accuracy,
    /// Multilayer modularity Q of the snapshot's windowed-FC network (key `q`).
    Q,
    /// Number of distinct communities over all layers (key `n_communities`).
    NCommunities,
    /// System flexibility: mean over units of the fraction of consecutive windows in which the unit
    /// changes community (key `flexibility`).
    Flexibility,
    /// Gaussian entropy ½ ln det(2πe Σ) of the hidden activity, in nats (key `entropy`).
    Entropy,
    /// Mean of all hidden activity values on the held-out stream (key `mean_activation`).
    MeanActivation,
    /// Connection strength: mean off-diagonal Pearson correlation of the hidden units (key
    /// `mean_correlation`).
    MeanCorrelation,
    /// Skewness of the pooled hidden activity values (key `skewness`).
    Skewness,
    /// Excess kurtosis of the pooled hidden activity values, 0 for a Gaussian (key
    /// `excess_kurtosis`).
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
pub(crate) fn mean_sd(x: &[f64]) -> (f64, f64, usize) {
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

/// Mean ± sd (and n) of a quantity at each point.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Band {
    /// Where each point sits: the snapshot epoch (or a window's first epoch for the within-instance
    /// correlations).
    #[serde(deserialize_with = "nan_vec")]
    pub x: Vec<f64>,
    /// Mean over the finite values at each point (NaN when there are none).
    #[serde(deserialize_with = "nan_vec")]
    pub mean: Vec<f64>,
    /// Sample (n − 1) standard deviation at each point (0 with one value, and for the
    /// across-instance correlations, which have one r per point).
    #[serde(deserialize_with = "nan_vec")]
    pub sd: Vec<f64>,
    /// Number of finite values behind each point.
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
    /// Mean plateau length (epochs) of mode I and mode II (NaN for an empty mode).
    #[serde(deserialize_with = "nan_pair")]
    pub mean_plateau: [f64; 2],
    /// Number of instances in mode I and mode II.
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
    /// Fixed effect β: the mean of the per-instance OLS slopes.
    #[serde(deserialize_with = "nan_f64")]
    pub beta: f64,
    /// Standard error of β: sd of the slopes / √I over the I instances.
    #[serde(deserialize_with = "nan_f64")]
    pub se: f64,
    /// F = t² with (1, I − 1) degrees of freedom.
    #[serde(deserialize_with = "nan_f64")]
    pub f: f64,
    /// Two-sided p of t = β/se against Student's t with I − 1 degrees of freedom.
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
    /// Instances I with usable data (non-constant X, M and Y) that enter the slopes.
    pub instances: usize,
    /// How the effects were estimated, in words (the two-stage summary-statistics method).
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

pub(crate) fn effect(betas: &[f64]) -> Effect {
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
    /// Number of instances in the study.
    pub instances: usize,
    /// Final held-out accuracy: mean ± sd over instances at the last snapshot (one point).
    pub test_accuracy: Band,
    /// Mean ± sd over epochs of every metric, keyed by [`Metric::name`].
    pub curves: Vec<(String, Band)>,
    /// Within-instance (epoch-window) correlation with accuracy, per metric.
    pub within_instance_correlation: Vec<(String, Band)>,
    /// Across-instance correlation with accuracy at each snapshot, per metric.
    pub across_instance_correlation: Vec<(String, Band)>,
    /// Learning modes of the accuracy curves ([`learning_modes`]).
    pub learning_modes: LearningModes,
    /// Mediation strength → modularity → accuracy ([`mediation`]); `None` when it could not be
    /// estimated.
    pub mediation: Option<Mediation>,
    /// Why the mediation could not be estimated (`None` when it was).
    pub mediation_error: Option<String>,
    /// Study-level cautions (snapshots without community structure).
    #[serde(default)]
    pub warnings: Vec<String>,
    /// z of Q against the per-snapshot null, mean ± sd over instances, at the
    /// snapshots where the null ran (None when the study ran no null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_z: Option<Band>,
    /// Fraction of instances whose Q beat the null at p ≤ 0.05, at the same
    /// snapshots (`x` of [`StudySummary::null_z`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_significant: Option<Vec<f64>>,
}

/// The null-z band over the snapshots where any instance ran the null, and
/// the fraction of instances significant (p ≤ 0.05) there.
fn null_band(inst: &[InstanceResult], k: usize) -> Option<(Band, Vec<f64>)> {
    let mut b = Band {
        x: vec![],
        mean: vec![],
        sd: vec![],
        n: vec![],
    };
    let mut sig = vec![];
    for s in 0..k {
        let z: Vec<f64> = inst.iter().filter_map(|r| r.snapshots[s].null_z).collect();
        let p: Vec<f64> = inst.iter().filter_map(|r| r.snapshots[s].null_p).collect();
        if p.is_empty() {
            continue;
        }
        let (m, sd, n) = mean_sd(&z);
        b.x.push(inst[0].snapshots[s].epoch as f64);
        b.mean.push(m);
        b.sd.push(sd);
        b.n.push(n);
        sig.push(p.iter().filter(|&&p| p <= 0.05).count() as f64 / p.len() as f64);
    }
    (!b.x.is_empty()).then_some((b, sig))
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
    let (null_z, null_significant) = match null_band(inst, k) {
        Some((b, s)) => (Some(b), Some(s)),
        None => (None, None),
    };
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
        null_z,
        null_significant,
    })
}
