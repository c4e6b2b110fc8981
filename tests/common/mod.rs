//! Helpers shared by the native integration tests that drive the CLI binary.
#![allow(dead_code)]

use std::process::Command;

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
