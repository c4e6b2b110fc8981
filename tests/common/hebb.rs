//! HebbFF fixtures shared by the native tests (`hebbff`, `schema`, through
//! `mod common`) and the WASM test `web_hebbff` (through `#[path]`): plain
//! parameters, so the native and WASM sides of one check cannot drift apart.
#![allow(dead_code)]

use rnnscope::hebbff::{HebbParams, TaskParams};

/// The task of the small runs: N = 20, repeats at interval R = 3, p = ½.
pub fn task20() -> TaskParams {
    TaskParams {
        n: 20,
        r_min: 3,
        r_max: 3,
        p: 0.5,
    }
}

/// The seeded run pinned bit for bit natively (tests/hebbff.rs) and in WASM
/// (tests/web/hebbff.rs): M = 16, 30 epochs of 50 steps, lr 0.01, 200
/// held-out items, seed 11.
pub fn pinned_params() -> HebbParams {
    HebbParams {
        task: task20(),
        m: 16,
        seq_len: 50,
        epochs: 30,
        lr: 0.01,
        test_len: 200,
        seed: 11,
        ..HebbParams::default()
    }
}

/// The pinned run's final held-out loss (bits) …
pub const PINNED_LOSS_BITS: u64 = 0x3fdb_616f_c7e0_9a1c;
/// … and accuracy: the study's (1 − f)·TPR + f·(1 − FPR); fraction correct
/// was 0.855.
pub const PINNED_ACCURACY: f64 = 0.8677022780832679;

/// The tiny setting of the e2e test as core parameters: M = 16, 30 epochs of
/// 50 steps, 4 snapshots (every 10 epochs) of 200 held-out items.
pub fn tiny_params(seed: u64) -> HebbParams {
    HebbParams {
        task: task20(),
        m: 16,
        seq_len: 50,
        epochs: 30,
        eval_every: 10,
        test_len: 200,
        seed,
        ..HebbParams::default()
    }
}
