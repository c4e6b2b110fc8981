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
use crate::error::{Error, Result};
use crate::modularity::fc::windowed_fc;
use crate::modularity::multilayer::{multilayer_from_layers, ActivityParams};
use crate::modularity::null::{null_test, warn_if_null, NullParams};
use crate::modularity::partition;
use crate::stats::activity_stats;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Which hidden quantity the network analysis reads (serde: `"pre"`, `"post"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Record {
    /// Pre-activations a(t) — the paper's A_H = [a(1), …, a(T)].
    Pre,
    /// Activations h(t) = σ(a(t)).
    Post,
}

/// How each snapshot is analysed.
#[derive(Debug, Clone)]
pub struct AnalysisParams {
    /// Windows, step and multilayer modularity settings (γ⁺, γ⁻, ω, runs) of the network analysis.
    pub activity: ActivityParams,
    /// Whether the analysis reads the pre-activations a(t) (the paper's) or the activations h(t).
    pub record: Record,
    /// Keep the M×M allegiance matrix of every snapshot (for the page's animation).
    pub keep_allegiance: bool,
    /// Histogram bins of the activation statistics.
    pub bins: usize,
    /// Compare each snapshot's Q with this null model (costly: K optimisations).
    pub null: Option<NullParams>,
    /// Run the null only at snapshots whose epoch is a multiple of this
    /// (0 or 1: every snapshot). The null costs `samples` optimisations per
    /// snapshot, so a study thins it out.
    pub null_every: usize,
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
            null_every: 0,
        }
    }
}

impl AnalysisParams {
    /// Check the analysis against the held-out stream it will read
    /// (`test_len` items): [`ActivityParams::check`] (window ≥ 2, step,
    /// γ⁺/γ⁻/ω ranges, runs), at least two windows of the stream (the
    /// multilayer analysis compares windows; flexibility needs two), the
    /// histogram bins and the null's samples. This is the one place the
    /// window-against-stream rule lives: the CLI and the page reach it
    /// through [`super::params::RunParams::check`], and [`run_instance`]
    /// applies it before training.
    ///
    /// # Errors
    /// A named [`Error::Param`] for the first rule broken.
    pub fn check(&self, test_len: usize) -> Result<()> {
        self.activity.check()?;
        let (w, step) = (
            self.activity.window,
            self.activity.step.unwrap_or(self.activity.window),
        );
        let windows = if w > test_len {
            0
        } else {
            (test_len - w) / step + 1
        };
        if windows < 2 {
            return Err(Error::param(
                "window",
                format!(
                    "Z = {w} gives {windows} window(s) of the {test_len}-item held-out stream \
                     (test_len); the multilayer analysis needs at least 2 (Z ≤ test_len / 2)"
                ),
            ));
        }
        crate::error::check_size("bins", self.bins, 1, crate::stats::MAX_BINS)?;
        if let Some(np) = &self.null {
            np.check()?;
        }
        Ok(())
    }
}

/// Everything measured at one snapshot. The serde names (`lambda`, `q`,
/// `system_flexibility`, …) are the one key set of the CLI's JSON and CSV,
/// the page and the page's exports. (Deserialize: shard files; JSON `null`
/// reads back as NaN.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotMetrics {
    /// Epochs trained when the snapshot was taken (0 = the untrained network).
    pub epoch: usize,
    /// Held-out accuracy, the study's (1 − f)·TPR + f·(1 − FPR) ([`super::model::study_accuracy`]).
    #[serde(deserialize_with = "nan_f64")]
    pub accuracy: f64,
    /// Mean binary cross-entropy on the held-out stream (nats per item).
    #[serde(deserialize_with = "nan_f64")]
    pub loss: f64,
    /// Decay λ ∈ [0, 1] of the plastic matrix at this snapshot (serde key `lambda`).
    #[serde(rename = "lambda", deserialize_with = "nan_f64")]
    pub lam: f64,
    /// Plasticity rate η at this snapshot (η < 0: anti-Hebbian).
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
    /// Distinct communities over all windows (layers) of the multilayer partition.
    pub n_communities: usize,
    /// System flexibility: mean over units of the fraction of consecutive windows in which the unit
    /// changes community.
    #[serde(deserialize_with = "nan_f64")]
    pub system_flexibility: f64,
    /// Mean of all T·M values of the analysed activity (a(t) or h(t), per
    /// [`AnalysisParams::record`]).
    #[serde(deserialize_with = "nan_f64")]
    pub mean_activation: f64,
    /// Skewness of the pooled activity values.
    #[serde(deserialize_with = "nan_f64")]
    pub skewness: f64,
    /// Excess kurtosis of the pooled activity values (0 for a Gaussian).
    #[serde(deserialize_with = "nan_f64")]
    pub excess_kurtosis: f64,
    /// Mean pairwise correlation = connection strength.
    #[serde(deserialize_with = "nan_f64")]
    pub mean_correlation: f64,
    /// Gaussian entropy ½ ln det(2πe Σ) of the activity, in nats
    /// ([`crate::stats::gaussian_entropy`]).
    #[serde(deserialize_with = "nan_f64")]
    pub entropy: f64,
    /// M×M module allegiance, row-major (fraction of windows and runs in which units i and j share
    /// a community); kept only with [`AnalysisParams::keep_allegiance`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allegiance: Option<Vec<f64>>,
    /// Node order grouping the consensus communities, and community borders in it
    /// (kept with the allegiance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<(Vec<usize>, Vec<usize>)>,
    /// Histogram of the activity values as (bin edges, counts), kept with the allegiance.
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
    let null_here = ap.null_every <= 1 || snap.epoch.is_multiple_of(ap.null_every);
    let null = match &ap.null {
        Some(np) if null_here => {
            let nr = null_test(&fc.layers, &ap.activity.multilayer, &ml, np, &mut |_, _| {})?;
            warn_if_null(&mut ml, &nr);
            Some(nr)
        }
        _ => None,
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
    /// Seed of the instance's training run ([`HebbParams::seed`]): model, training data and
    /// held-out stream.
    pub seed: u64,
    /// Accuracy on the held-out stream after the last epoch.
    #[serde(deserialize_with = "nan_f64")]
    pub test_accuracy: f64,
    /// Decay λ of the trained network (last snapshot; serde key `lambda`).
    #[serde(rename = "lambda", deserialize_with = "nan_f64")]
    pub lam: f64,
    /// Plasticity rate η of the trained network (last snapshot).
    #[serde(deserialize_with = "nan_f64")]
    pub eta: f64,
    /// Epochs until the held-out accuracy first reached 0.95 (at snapshot resolution).
    pub epochs_to_95: Option<usize>,
    /// The metrics of every snapshot, in epoch order.
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
    if let Some(ap) = ap {
        ap.check(p.test_len)?;
    }
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

pub(crate) fn nan_f64<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<f64, D::Error> {
    Ok(<Option<f64> as serde::Deserialize>::deserialize(d)?.unwrap_or(f64::NAN))
}

pub(crate) fn nan_vec<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<f64>, D::Error> {
    let v = <Vec<Option<f64>> as serde::Deserialize>::deserialize(d)?;
    Ok(v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
}

pub(crate) fn nan_pair<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<[f64; 2], D::Error> {
    let v = <[Option<f64>; 2] as serde::Deserialize>::deserialize(d)?;
    Ok(v.map(|x| x.unwrap_or(f64::NAN)))
}

// The study analyses (curves, correlations, modes, mediation) live in
// `analysis.rs`; re-exported so `hebbff::study::X` paths keep working.
pub use super::analysis::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hebbff::analysis::{effect, mean_sd};

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
