//! Network-neuroscience analysis of activity: functional connectivity
//! ([`fc`]), single-layer and signed Louvain ([`louvain`], [`signed`]),
//! multilayer (multi-slice) modularity ([`multilayer`]) and what follows from
//! community labels ([`partition`]: allegiance, flexibility, consensus, NMI),
//! and null models that say whether Q exceeds chance ([`null`]).
//!
//! Every optimiser maximises Σ_ij B_ij δ(g_i, g_j) for a symmetric "modularity
//! matrix" B through the generic engine in [`louvain`]; the files differ only
//! in how B is built and normalised.

pub mod fc;
pub mod levels;
pub mod louvain;
pub mod multilayer;
pub mod null;
pub mod partition;
pub mod pipeline;
mod rowscan;
pub mod signed;
mod simd;
mod supra;
pub mod synthetic;

pub use fc::{functional_connectivity, windowed_fc, FcLayers};
pub use louvain::{community_louvain, LouvainResult};
pub use multilayer::{
    multilayer_from_activity, multilayer_from_layers, ActivityParams, Coupling, MultilayerParams,
    MultilayerResult,
};
pub use null::{null_test, NullKind, NullParams, NullResult};
pub use pipeline::{multilayer_pipeline, ActivityMultilayer};
pub use signed::Signed;
