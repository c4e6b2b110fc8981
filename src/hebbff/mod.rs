//! HebbFF on continual familiarity detection, and the learning-dynamics study
//! of its hidden modules (Tyulmankov, Yang & Abbott 2022; the HebbFF
//! modularity study, "Network neuroscience techniques reveal a link between network modularity and task performance in artificial neural networks").
//!
//! - [`task`]: the seeded familiarity stream;
//! - [`model`]: the network and BPTT through the plastic matrix A(t);
//! - [`params`]: the one parameter set of a run ([`RunParams`]), validated
//!   once, used by the CLI and the page;
//! - [`train`]: Adam on fresh streams or a fixed training set, snapshots of
//!   held-out accuracy and hidden activity;
//! - [`study`]: per-snapshot network metrics and the across-instance analyses;
//! - [`shard`]: a study split into shards (Slurm array tasks) and merged exactly.

pub mod analysis;
pub mod figures;
pub mod model;
pub mod params;
pub mod shard;
pub mod study;
pub mod task;
pub mod train;

pub use model::{Grads, HebbFF, Pass};
pub use params::RunParams;
pub use task::{generate, Stream, TaskParams};
pub use train::{train, DataMode, HebbParams, HebbTrainer, Snapshot};
