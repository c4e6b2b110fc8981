//! Rich vs lazy learning by the initial connectivity's effective rank
//! (Liu, Baratin, Cornford, Mihalas, Shea-Brown & Lajoie, "How connectivity
//! structure shapes rich and lazy learning in neural circuits", ICLR 2024;
//! authors' code: GitHub `Helena-Yuhan-Liu/BioRNN_RichLazy`).
//!
//! A rate RNN starts from W₀ = a Gaussian W truncated by SVD to rank r and
//! rescaled to ‖W‖_F, is trained on a neurogym-style task, and the change in
//! weights, representations, activity signs and tangent kernel is measured.
//! The paper's claims: high-rank W₀ learn lazily (small changes), low-rank W₀
//! richly, except a low-rank W₀ aligned with the task, which learns lazily.
//!
//! - [`init`]: truncation, ensembles / user W as the base, task-aligned W₀.
//! - [`tasks`]: decision (reused), delayed match-to-sample, context decision.
//! - [`measures`]: weight change, sign similarity, kernel alignment, tangent kernel.
//! - [`experiment`]: one training run with its measures along training.
//! - [`study`]: the rank sweep over seeds with mean ± s.e.m. and trends.
//! - [`trend`]: Spearman's ρ with its p-value.

pub mod experiment;
pub mod init;
pub mod measures;
pub mod study;
pub mod tasks;
pub mod trend;

pub use experiment::{run, InitChoice, Optimizer, Params, RunResult};
pub use study::{study, StudyResult, Sweep};
pub use tasks::{RlTask, RlTaskKind};
