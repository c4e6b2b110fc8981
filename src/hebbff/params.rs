//! The one parameter set of a HebbFF run — training plus the per-snapshot
//! network analysis — shared by the CLI (`rnnscope hebbff train|study`, whose
//! flags convert into it) and the page (`runHebbffInstance` takes it as one
//! JS object). [`RunParams::check`] validates it once and yields the core's
//! [`HebbParams`] and [`AnalysisParams`].

use super::study::{AnalysisParams, Record};
use super::task::TaskParams;
use super::train::{DataMode, HebbParams};
use crate::error::{Error, Result};
use crate::modularity::null::{NullKind, NullParams};
use serde::{Deserialize, Serialize};

/// Settings of one HebbFF run (serde: the CLI's flag names in snake_case;
/// absent fields take [`RunParams::default`], the CLI's defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunParams {
    /// Input dimension N.
    pub n: usize,
    /// Hidden units M.
    pub m: usize,
    /// Repeat interval R (or the lower end of a sampled range).
    pub r_min: usize,
    /// Upper end of the repeat-interval range (= `r_min` for a fixed R).
    pub r_max: usize,
    /// Repeat probability P.
    pub p: f64,
    /// Fresh streams or one fixed training stream.
    pub data: DataMode,
    /// Items per training sequence; `None` (JSON `null` or 0): the data
    /// mode's default (fresh 100, fixed 2,500).
    #[serde(deserialize_with = "zero_is_none")]
    pub seq_len: Option<usize>,
    /// Epochs; `None` (or 0): fresh 1,500, fixed 1,000.
    #[serde(deserialize_with = "zero_is_none")]
    pub epochs: Option<usize>,
    /// Adam learning rate.
    pub lr: f64,
    /// Epochs between snapshots; `None` (or 0): fresh 50, fixed 10.
    #[serde(deserialize_with = "zero_is_none")]
    pub eval_every: Option<usize>,
    /// Held-out stream length T.
    pub test_len: usize,
    /// Seed of the weights, training and test streams (and the null).
    pub seed: u64,
    /// Analyse the hidden activity at each snapshot (false: accuracy only).
    pub analyse: bool,
    /// FC window length Z.
    pub window: usize,
    /// Louvain runs per snapshot.
    pub runs: usize,
    /// Resolution γ⁺ of the positive FC part.
    pub gamma: f64,
    /// Resolution γ⁻ of the negative FC part.
    pub gamma_neg: f64,
    /// Inter-layer coupling ω.
    pub omega: f64,
    /// Null model of Q at each snapshot (none by default).
    pub null: Option<NullKind>,
    /// Null networks per snapshot K.
    pub null_samples: usize,
    /// Run the null only at epochs that are multiples of this (0: every snapshot).
    pub null_every: usize,
    /// Hidden quantity analysed: a(t) (`pre`, the paper) or h(t) (`post`).
    pub record: Record,
    /// Keep each snapshot's allegiance, order and histogram (the page's animation).
    pub keep_allegiance: bool,
}

impl Default for RunParams {
    /// The CLI's `hebbff train` defaults: N = 100, M = 120, R = 5, P = ½,
    /// fresh streams, lr 1e-3, T = 2,500, seed 1; windows of 50, 3 runs,
    /// γ⁺ = 1.02, γ⁻ = 1, ω = 1 on a(t); no null.
    fn default() -> Self {
        let ap = AnalysisParams::default();
        let ml = &ap.activity.multilayer;
        let task = TaskParams::study();
        let hp = HebbParams::default();
        RunParams {
            n: task.n,
            m: hp.m,
            r_min: task.r_min,
            r_max: task.r_max,
            p: task.p,
            data: DataMode::Fresh,
            seq_len: None,
            epochs: None,
            lr: hp.lr,
            eval_every: None,
            test_len: hp.test_len,
            seed: hp.seed,
            analyse: true,
            window: ap.activity.window,
            runs: ml.runs,
            gamma: ml.gamma_pos[0],
            gamma_neg: ml.gamma_neg[0],
            omega: ml.omega,
            null: None,
            null_samples: 19,
            null_every: 0,
            record: Record::Pre,
            keep_allegiance: false,
        }
    }
}

impl RunParams {
    /// Validate every setting and build the core's parameters: the training
    /// run's ([`HebbParams::validate`]) and, when `analyse`, the snapshot
    /// analysis' ([`AnalysisParams::check`] against `test_len`).
    ///
    /// # Errors
    /// A named [`Error::Param`] (or [`Error::TooLarge`]) for the first
    /// setting out of range.
    pub fn check(&self) -> Result<(HebbParams, Option<AnalysisParams>)> {
        let mut hp = match self.data {
            DataMode::Fresh => HebbParams::default(),
            DataMode::Fixed => HebbParams::study(),
        };
        hp.task = TaskParams {
            n: self.n,
            r_min: self.r_min,
            r_max: self.r_max,
            p: self.p,
        };
        hp.m = self.m;
        hp.lr = self.lr;
        hp.test_len = self.test_len;
        hp.seed = self.seed;
        if let Some(s) = self.seq_len {
            hp.seq_len = s;
        }
        if let Some(e) = self.epochs {
            hp.epochs = e;
        }
        if let Some(k) = self.eval_every {
            hp.eval_every = k;
        }
        hp.validate()?;
        if !self.analyse {
            return Ok((hp, None));
        }
        let mut ap = AnalysisParams {
            record: self.record,
            keep_allegiance: self.keep_allegiance,
            null: self.null.map(|kind| NullParams {
                kind,
                samples: self.null_samples,
                seed: self.seed,
            }),
            null_every: self.null_every,
            ..AnalysisParams::default()
        };
        ap.activity.window = self.window;
        let ml = &mut ap.activity.multilayer;
        ml.runs = self.runs;
        ml.gamma_pos = vec![self.gamma];
        ml.gamma_neg = vec![self.gamma_neg];
        ml.omega = self.omega;
        ap.check(hp.test_len)?;
        Ok((hp, Some(ap)))
    }
}

impl std::str::FromStr for DataMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<DataMode> {
        match s {
            "fresh" => Ok(DataMode::Fresh),
            "fixed" => Ok(DataMode::Fixed),
            _ => Err(Error::param(
                "data",
                format!("expected fresh or fixed, got {s:?}"),
            )),
        }
    }
}

impl std::str::FromStr for Record {
    type Err = Error;
    fn from_str(s: &str) -> Result<Record> {
        match s {
            "pre" => Ok(Record::Pre),
            "post" => Ok(Record::Post),
            _ => Err(Error::param(
                "record",
                format!("expected pre or post, got {s:?}"),
            )),
        }
    }
}

/// `null`, absent or 0 → `None` (the page's "0 = default").
fn zero_is_none<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<usize>, D::Error> {
    Ok(Option::<usize>::deserialize(d)?.filter(|&v| v > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_clis_and_pass() {
        let (hp, ap) = RunParams::default().check().unwrap();
        assert_eq!(hp, HebbParams::default());
        let ap = ap.unwrap();
        assert_eq!(ap.activity.window, 50);
        assert_eq!(ap.activity.multilayer.gamma_pos, vec![1.02]);
        assert_eq!(ap.activity.multilayer.runs, 3);
    }

    #[test]
    fn json_keys_zero_defaults_and_named_errors() {
        let rp: RunParams = serde_json::from_value(serde_json::json!({
            "n": 20, "m": 16, "data": "fixed", "epochs": 0, "seq_len": null,
            "test_len": 200, "window": 20, "null": "nodal"
        }))
        .unwrap();
        assert_eq!((rp.epochs, rp.seq_len), (None, None));
        let (hp, ap) = rp.check().unwrap();
        assert_eq!((hp.epochs, hp.seq_len, hp.eval_every), (1000, 2500, 10));
        assert_eq!(ap.unwrap().null.unwrap().kind, NullKind::Nodal);
        assert!(serde_json::from_value::<RunParams>(serde_json::json!({"bogus": 1})).is_err());

        let err = |f: &dyn Fn(&mut RunParams)| {
            let mut rp = RunParams::default();
            f(&mut rp);
            rp.check().unwrap_err().to_string()
        };
        // One window of the stream: refused before training.
        let e = err(&|r| (r.test_len, r.window) = (200, 101));
        assert!(e.contains("`window`") && e.contains("at least 2"), "{e}");
        assert!(err(&|r| r.gamma = -0.5).contains("`gamma`"));
        assert!(err(&|r| r.gamma_neg = f64::NAN).contains("`gamma-neg`"));
        assert!(err(&|r| r.omega = 2e6).contains("`omega`"));
        assert!(err(&|r| r.runs = 0).contains("`runs`"));
        let e = err(&|r| (r.null, r.null_samples) = (Some(NullKind::Temporal), 1));
        assert!(e.contains("`null-samples`"), "{e}");
        // Without the analysis its settings are not checked.
        let mut rp = RunParams {
            analyse: false,
            window: 1_000_000,
            ..RunParams::default()
        };
        assert!(rp.check().unwrap().1.is_none());
        rp.analyse = true;
        assert!(rp.check().is_err());
    }
}
