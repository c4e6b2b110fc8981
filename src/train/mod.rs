//! Training small recurrent models by backpropagation through time.
//!
//! One reverse-mode path, hand-derived and gradient-checked (see `tests` in
//! [`rnn`] and `tests/training.rs`):
//! - [`rnn`]: the Euler rate RNN, its batched forward pass and full or
//!   truncated BPTT (Werbos 1990; Williams & Peng 1990 for truncation).
//! - [`adam`]: Adam (Kingma & Ba 2015) over any list of flat parameter
//!   slices, plus global-norm gradient clipping (Pascanu et al. 2013) — model
//!   agnostic, so other models (HebbFF's plastic A(t)) reuse it.
//! - [`tasks`]: seeded trial generators with accuracy readouts (3-bit
//!   flip-flop, sine generation, two-choice decision).
//! - [`penalty`]: the `WeightPenalty` trait that adds λ·penalty(W) to the loss,
//!   and the parser for `--motif-reg level1:+1,level3:-1`.
//! - [`gradcheck`]: central finite differences, for tests of any model.
//! - [`trainer`]: the loop (seeded mini-batches → BPTT → penalty → clip → Adam).
//! - [`curves`]: group curves with error bars across networks.
//! - [`groups`]: group kinds (motif spec or the norm-matched control) and the
//!   weight statistics every group reports.
//! - [`perturb`]: kicked rollouts, deviation curves, latent trajectories.
//! - [`experiments`]: the poster's noise-robustness and perturbation experiments
//!   on groups of motif-regularized networks, with error bars across seeds.

pub mod adam;
pub mod curves;
pub mod experiments;
pub mod gradcheck;
pub mod groups;
pub mod params;
pub mod penalty;
pub mod perturb;
pub mod rl;
pub mod rl_experiment;
pub mod rl_run;
pub mod rnn;
pub mod tasks;
pub mod trainer;

pub use adam::{clip_global_norm, Adam};
pub use experiments::{Experiment, ExperimentParams, NoiseKind};
pub use params::TrainParams;
pub use penalty::{L2Penalty, MotifPenalty, MotifRegSpec, WeightPenalty};
pub use rnn::{RateRnn, RnnGrads};
pub use tasks::{Batch, Task, TaskKind};
pub use trainer::{TrainConfig, Trainer};
