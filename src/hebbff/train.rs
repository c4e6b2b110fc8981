//! Training HebbFF: Adam (lr 1e-3), one sequence per step, on fresh streams or
//! on a fixed training set, with held-out evaluation every `eval_every` epochs.
//!
//! Stepwise like [`crate::train::Trainer`]: the CLI runs it to the end, the
//! page's worker runs it in chunks between progress messages.

use super::model::{HebbFF, Pass};
use super::task::{generate, Stream, TaskParams};
use crate::error::{check_range, check_size, Error, Result};
use crate::train::adam::{clip_global_norm, Adam};
use std::borrow::Cow;

/// Where the training sequences come from (serde: `"fresh"`, `"fixed"`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataMode {
    /// A fresh stream of `seq_len` items every epoch (the original HebbFF training).
    Fresh,
    /// One fixed stream of `seq_len` items, reused every epoch (the study: 2,500).
    Fixed,
}

/// Settings of a HebbFF training run. [`HebbParams::default`] is the fresh-stream
/// setting of `rnnscope hebbff train`; [`HebbParams::study`] the study's.
#[derive(Debug, Clone, PartialEq)]
pub struct HebbParams {
    /// The familiarity stream's N, R range and repeat probability P.
    pub task: TaskParams,
    /// Hidden units M.
    pub m: usize,
    /// Fresh stream every epoch or one fixed training stream.
    pub data: DataMode,
    /// Items per training sequence (one Adam step per sequence).
    pub seq_len: usize,
    /// Number of epochs; an epoch is one sequence and one Adam step.
    pub epochs: usize,
    /// Adam learning rate.
    pub lr: f64,
    /// Global-norm gradient clip (≤ 0 disables).
    pub clip: f64,
    /// Evaluate on the held-out stream every this many epochs (0 = only at the end).
    pub eval_every: usize,
    /// Held-out stream length.
    pub test_len: usize,
    /// Seed of the model's initial weights; the training and held-out streams use fixed XOR
    /// offsets of it.
    pub seed: u64,
}

impl Default for HebbParams {
    /// N = 100, M = 120, R = 5, P = ½, fresh streams of 100 items, 1,500 epochs,
    /// lr 1e-3, clip 10, evaluation every 50 epochs on 2,500 held-out items.
    /// (Short fresh sequences: at lr 1e-3 accuracy grows with the number of
    /// Adam steps, so 100-item streams reach 0.97 in a fifth of the compute of
    /// 500-item ones.)
    fn default() -> Self {
        HebbParams {
            task: TaskParams::study(),
            m: 120,
            data: DataMode::Fresh,
            seq_len: 100,
            epochs: 1500,
            lr: 1e-3,
            clip: 10.0,
            eval_every: 50,
            test_len: 2500,
            seed: 1,
        }
    }
}

/// Largest items × units of a stream or its activity (8 bytes each: 256 MB;
/// pre- and post-activations are both kept).
pub const MAX_STREAM: usize = 32 * 1024 * 1024;

impl HebbParams {
    /// The study's setting: a fixed training set of 2,500 items, 1,000 epochs,
    /// evaluation every 10 epochs on a separate 2,500-item stream.
    pub fn study() -> HebbParams {
        HebbParams {
            data: DataMode::Fixed,
            seq_len: 2500,
            epochs: 1000,
            eval_every: 10,
            ..HebbParams::default()
        }
    }

    /// Check every field.
    ///
    /// # Errors
    /// A named [`Error::Param`] for the first field out of range;
    /// [`Error::TooLarge`] for a stream or its activity over [`MAX_STREAM`].
    pub fn validate(&self) -> Result<()> {
        self.task.validate()?;
        check_size("m (hidden units)", self.m, 1, super::model::MAX_M)?;
        check_size("seq_len", self.seq_len, 2, super::task::MAX_T)?;
        check_size("test_len", self.test_len, 2, super::task::MAX_T)?;
        check_size("epochs", self.epochs, 1, 1_000_000)?;
        check_range("lr", self.lr, 1e-9, 1.0)?;
        check_range("clip", self.clip, -1.0, 1e9)?;
        for (what, a, b) in [
            (
                "m × test_len (held-out activity entries)",
                self.m,
                self.test_len,
            ),
            ("m × seq_len (training states)", self.m, self.seq_len),
            (
                "n × test_len (held-out stream entries)",
                self.task.n,
                self.test_len,
            ),
            (
                "n × seq_len (training stream entries)",
                self.task.n,
                self.seq_len,
            ),
        ] {
            let got = a.saturating_mul(b);
            if got > MAX_STREAM {
                return Err(Error::TooLarge {
                    what,
                    got,
                    limit: MAX_STREAM,
                });
            }
        }
        let work = self.m.saturating_mul(self.task.n);
        if work > 4 << 20 {
            return Err(Error::TooLarge {
                what: "network (M·N weights)",
                got: work,
                limit: 4 << 20,
            });
        }
        Ok(())
    }
}

/// One evaluation on the held-out stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Epochs trained so far.
    pub epoch: usize,
    /// Held-out accuracy by the study's definition (1 − f)·TPR + f·(1 − FPR)
    /// ([`super::model::study_accuracy`]).
    pub accuracy: f64,
    /// Mean binary cross-entropy on the held-out stream (nats per item).
    pub loss: f64,
    /// Decay λ of the plastic matrix at this epoch.
    pub lam: f64,
    /// Plasticity rate η at this epoch.
    pub eta: f64,
    /// Hidden activity on the held-out stream (T×M row-major): a(t) and h(t).
    pub pre: Vec<f64>,
    /// Activations h(t) = σ(a(t)) on the held-out stream, T×M row-major.
    pub post: Vec<f64>,
}

/// The held-out stream of a run with these parameters (what snapshots evaluate on).
///
/// # Errors
/// Invalid task parameters.
pub fn held_out(p: &HebbParams) -> Result<Stream> {
    generate(&p.task, p.test_len, p.seed ^ TEST_SEED)
}

/// A training run in progress.
pub struct HebbTrainer {
    /// The parameters the run was started with (validated).
    pub params: HebbParams,
    /// The network being trained, updated in place by every [`HebbTrainer::step`].
    pub model: HebbFF,
    adam: Adam,
    fixed: Option<Stream>,
    test: Stream,
    epoch: usize,
    /// Training loss and accuracy of every epoch so far.
    pub train_loss: Vec<f64>,
    /// Training accuracy of every epoch so far: fraction of items with (ŷ > ½) = y (not the study's
    /// accuracy).
    pub train_accuracy: Vec<f64>,
}

// Seed offsets keep the model, training data and test data on separate streams.
const DATA_SEED: u64 = 0x9e37_79b9_7f4a_7c15;
const TEST_SEED: u64 = 0x2545_f491_4f6c_dd1d;

impl HebbTrainer {
    /// A fresh model and data for `params`.
    ///
    /// # Errors
    /// Invalid parameters (see [`HebbParams::validate`]).
    pub fn new(params: HebbParams) -> Result<HebbTrainer> {
        params.validate()?;
        let model = HebbFF::new(params.task.n, params.m, params.seed)?;
        let sizes = [params.m * params.task.n, params.m, params.m, 1, 1, 1];
        let adam = Adam::new(params.lr, &sizes)?;
        let fixed = match params.data {
            DataMode::Fixed => Some(generate(
                &params.task,
                params.seq_len,
                params.seed ^ DATA_SEED,
            )?),
            DataMode::Fresh => None,
        };
        let test = held_out(&params)?;
        Ok(HebbTrainer {
            params,
            model,
            adam,
            fixed,
            test,
            epoch: 0,
            train_loss: Vec::new(),
            train_accuracy: Vec::new(),
        })
    }

    /// Epochs done.
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// True once every epoch has run.
    pub fn finished(&self) -> bool {
        self.epoch >= self.params.epochs
    }

    /// The held-out stream.
    pub fn test_stream(&self) -> &Stream {
        &self.test
    }

    /// The training sequence of epoch `epoch` (0-based): the fixed stream, or
    /// the fresh stream seeded by the run's seed and the epoch. Lets other
    /// implementations (scripts/bench/hebbff_torch.py) train on the same data.
    ///
    /// # Errors
    /// Invalid task parameters (not after [`HebbTrainer::new`] succeeded).
    ///
    /// # Complexity
    /// O(seq_len · N) for a fresh stream, O(1) for the fixed one.
    pub fn sequence(&self, epoch: usize) -> Result<Cow<'_, Stream>> {
        Ok(match &self.fixed {
            Some(s) => Cow::Borrowed(s),
            None => {
                let seed = self.params.seed ^ DATA_SEED ^ (epoch as u64 + 1);
                Cow::Owned(generate(&self.params.task, self.params.seq_len, seed)?)
            }
        })
    }

    /// One epoch: one sequence, BPTT, clipping, Adam, λ clamped to [0, 1].
    /// Returns the training pass (loss, accuracy).
    ///
    /// # Errors
    /// A non-finite gradient (diverged training).
    ///
    /// # Complexity
    /// O(seq_len · M · N).
    pub fn step(&mut self) -> Result<Pass> {
        let seq = self.sequence(self.epoch)?;
        let (pass, mut g) = self.model.loss_and_grad(&seq)?;
        drop(seq);
        let mut lam = [g.lam];
        let mut b2 = [g.b2];
        let mut eta = [g.eta];
        if self.params.clip > 0.0 {
            clip_global_norm(
                &mut [&mut g.w1, &mut g.b1, &mut g.w2, &mut b2, &mut lam, &mut eta],
                self.params.clip,
            );
        }
        let m = &mut self.model;
        let mut pb2 = [m.b2];
        let mut plam = [m.lam];
        let mut peta = [m.eta];
        self.adam.step(
            &mut [
                &mut m.w1, &mut m.b1, &mut m.w2, &mut pb2, &mut plam, &mut peta,
            ],
            &[&g.w1, &g.b1, &g.w2, &b2, &lam, &eta],
        )?;
        m.b2 = pb2[0];
        m.lam = plam[0].clamp(0.0, 1.0);
        m.eta = peta[0];
        self.epoch += 1;
        self.train_loss.push(pass.loss);
        self.train_accuracy.push(pass.accuracy);
        Ok(pass)
    }

    /// Evaluate on the held-out stream, keeping the hidden activity.
    ///
    /// # Errors
    /// None in practice (the stream matches the model).
    pub fn snapshot(&self) -> Result<Snapshot> {
        let pass = self.model.run(&self.test, true)?;
        Ok(Snapshot {
            epoch: self.epoch,
            accuracy: super::model::study_accuracy(&pass.out, &self.test.y),
            loss: pass.loss,
            lam: self.model.lam,
            eta: self.model.eta,
            pre: pass.pre,
            post: pass.post,
        })
    }

    /// True when a snapshot is due after the epoch just run (and at epoch 0).
    pub fn snapshot_due(&self) -> bool {
        let k = self.params.eval_every;
        self.epoch == 0 || self.finished() || (k > 0 && self.epoch.is_multiple_of(k))
    }
}

/// Train to the end, calling `on_snapshot` at each evaluation (epoch 0 included).
/// `on_snapshot` returns `false` to stop early (cancel).
///
/// # Errors
/// As [`HebbTrainer::new`], [`HebbTrainer::step`] and the callback.
pub fn train(
    params: HebbParams,
    on_snapshot: &mut dyn FnMut(&HebbTrainer, Snapshot) -> Result<bool>,
) -> Result<HebbTrainer> {
    let mut tr = HebbTrainer::new(params)?;
    if !on_snapshot(&tr, tr.snapshot()?)? {
        return Ok(tr);
    }
    while !tr.finished() {
        tr.step()?;
        if tr.snapshot_due() {
            let snap = tr.snapshot()?;
            if !on_snapshot(&tr, snap)? {
                break;
            }
        }
    }
    Ok(tr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_network_learns_above_chance_and_is_deterministic() {
        let p = HebbParams {
            task: TaskParams {
                n: 20,
                r_min: 3,
                r_max: 3,
                p: 0.5,
            },
            m: 16,
            seq_len: 200,
            epochs: 150,
            lr: 1e-2,
            eval_every: 50,
            test_len: 600,
            seed: 3,
            ..HebbParams::default()
        };
        let mut accs = Vec::new();
        let tr = train(p.clone(), &mut |_, s| {
            accs.push(s.accuracy);
            Ok(true)
        })
        .unwrap();
        assert_eq!(accs.len(), 4); // epochs 0, 50, 100, 150
        let chance = p.task.chance();
        assert!(*accs.last().unwrap() > chance + 0.15, "{accs:?}");
        assert!((0.0..=1.0).contains(&tr.model.lam));
        let again = train(p, &mut |_, _| Ok(true)).unwrap();
        assert_eq!(again.model, tr.model);
    }

    #[test]
    fn sequence_is_the_stream_step_trains_on() {
        let p = HebbParams {
            task: TaskParams {
                n: 12,
                r_min: 2,
                r_max: 2,
                p: 0.5,
            },
            m: 6,
            seq_len: 40,
            test_len: 10,
            ..HebbParams::default()
        };
        for data in [DataMode::Fresh, DataMode::Fixed] {
            let mut tr = HebbTrainer::new(HebbParams { data, ..p.clone() }).unwrap();
            for e in 0..3 {
                let s = tr.sequence(e).unwrap().into_owned();
                let before = tr.model.loss_and_grad(&s).unwrap().0.loss;
                assert_eq!(tr.step().unwrap().loss, before, "{data:?} epoch {e}");
            }
            let (a, b) = (tr.sequence(0).unwrap(), tr.sequence(1).unwrap());
            assert_eq!(a == b, data == DataMode::Fixed);
        }
    }

    #[test]
    fn bad_settings_are_named() {
        let p = HebbParams {
            m: 0,
            ..HebbParams::default()
        };
        assert!(HebbTrainer::new(p)
            .err()
            .unwrap()
            .to_string()
            .contains("m (hidden"));
        let p = HebbParams {
            lr: f64::NAN,
            ..HebbParams::default()
        };
        assert!(HebbTrainer::new(p)
            .err()
            .unwrap()
            .to_string()
            .contains("`lr`"));
    }
}
