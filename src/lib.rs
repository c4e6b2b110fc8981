//! rnnscope — look inside small recurrent neural networks and the networks they are wired from.
//!
//! The core is plain Rust with no web types: every module below computes on
//! `ndarray` matrices and returns [`Result`] with a typed [`Error`]. Two thin
//! front ends drive it: the CLI (`src/bin/rnnscope.rs`, JSON on stdout) and the
//! WebAssembly boundary (`src/wasm.rs`, only compiled for `wasm32`). Charts in
//! [`plot`] are generic over plotters' `DrawingBackend`, so the same code draws
//! on a `<canvas>` in the page and to SVG natively.
//!
//! Every random routine takes an explicit `u64` seed and uses [`rng::seeded`],
//! so the same seed gives the same numbers in the browser and in the CLI.

pub mod curl;
pub mod dynamics;
pub mod ensembles;
pub mod error;
pub mod fmath;
pub mod hebbff;
pub mod io;
pub mod linalg;
pub mod modularity;
pub mod motifs;
pub mod plot;
pub mod richlazy;
pub mod rng;
pub mod significance;
pub(crate) mod simd;
pub mod stats;
pub mod train;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};
