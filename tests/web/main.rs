//! `wasm-bindgen-test` tests, run in headless Chromium (`make test-wasm`):
//! the core in WebAssembly and the boundary (`src/wasm/`). One test binary
//! for every area, so the suite is compiled, linked and run in one browser
//! once (it was 11 binaries, each its own link and browser start). Native
//! runs compile this to nothing.
//!
//! Run one area: `scripts/cargo-wasm test --features bench --test web -- dynamics::`.
#![cfg(target_arch = "wasm32")]
// wasm_bindgen_test functions are tests, but clippy's allow-unwrap-in-tests
// does not recognise them: allow unwrap in these tests.
#![allow(clippy::unwrap_used)]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod bad_inputs;
mod core;
mod dynamics;
mod hebbff;
mod learning;
mod modularity;
mod motifs;
mod product;
mod reliability;
mod seeded;
mod training;
