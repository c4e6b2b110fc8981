//! Helpers shared by the native integration tests that drive the CLI binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod hebb;
pub mod hostile;

/// The smallest `train-experiment noise` run (n = 2, one iteration, one seed,
/// one noise level).
pub const TINY_NOISE_EXPERIMENT: &[&str] = &[
    "train-experiment",
    "noise",
    "--n",
    "2",
    "--iters",
    "1",
    "--seeds",
    "1",
    "--test-trials",
    "2",
    "--noise-levels",
    "0",
];

/// A fresh scratch directory `rnnscope-TAG-PID-NAME` in the temp dir (`tag`
/// keeps test binaries that run at once apart).
pub fn scratch(tag: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rnnscope-{tag}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create scratch dir");
    d
}

/// Write `text` to `dir/name`; its path.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p.to_str().expect("utf-8 path").to_string()
}

/// Run `rnnscope ARGS`: (success, stdout parsed as JSON or Null, stderr).
pub fn run(args: &[&str]) -> (bool, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rnnscope"))
        .args(args)
        .output()
        .expect("the rnnscope binary runs");
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.success(),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
