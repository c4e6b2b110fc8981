//! The bad-input corpus (`tests/bad-inputs/`) through the CLI: every file gives
//! exit code 1 (not a panic's 101) and one `error:` line naming the problem.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

/// (file, a fragment the error must contain) — the corpus, for `spectrum`.
const CORPUS: &[(&str, &str)] = &[
    ("bad-version.npy", "unknown version"),
    ("blank-lines.csv", "no numbers"),
    ("complex.npy", "unsupported NPY dtype"),
    ("empty.csv", "no numbers"),
    ("garbage.bin", "neither NPY nor UTF-8"),
    ("header.csv", "header"),
    ("huge-shape.npy", "too large"),
    ("inf.csv", "row 1, column 2"),
    ("nan.csv", "row 2, column 1"),
    ("nan.npy", "NaN"),
    ("non-square.csv", "square"),
    ("ragged.csv", "row 2 has 2 columns"),
    ("semicolons.csv", "commas"),
    ("string-dtype.npy", "unsupported NPY dtype"),
    ("three-d.npy", "2-D"),
    ("truncated.npy", "truncated"),
    ("unterminated-quote.csv", "row 2, column 2"),
];

fn check(args: &[&str], want: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_rnnscope"))
        .args(args)
        .output()
        .expect("test setup");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?}: exit {:?}, stderr {err}",
        out.status.code()
    );
    assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(
        err.starts_with("error: ") && err.contains(want),
        "{args:?}: got {err:?}, want {want:?}"
    );
}

#[test]
fn corpus_is_complete() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let listed: Vec<String> = CORPUS.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(files, listed, "every corpus file needs an expected error");
}

#[test]
fn spectrum_rejects_every_bad_file_clearly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs");
    for (file, want) in CORPUS {
        check(&["spectrum", dir.join(file).to_str().unwrap()], want);
    }
}

#[test]
fn absurd_parameters_are_errors() {
    check(&["random", "--n", "10000000"], "parameter `n`");
    check(&["random", "--g=-1"], "parameter `g`");
    check(&["random", "--g", "NaN"], "parameter `g`");
    check(
        &["random", "--n", "3", "--out", "/tmp/x.png"],
        "unknown extension",
    );
}
