//! The CLI end to end: JSON on stdout, one error line on stderr, exit codes.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rnnscope"))
        .args(args)
        .output()
        .expect("test setup");
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("test setup"),
        String::from_utf8(out.stderr).expect("test setup"),
    )
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rnnscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("test setup");
    dir.join(name)
}

#[test]
fn random_then_spectrum_round_trip() {
    for ext in ["csv", "npy"] {
        let path = tmp(&format!("w.{ext}"));
        let (ok, out, err) = run(&[
            "random",
            "--n",
            "100",
            "--g",
            "1.5",
            "--seed",
            "7",
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let (ok, out, err) = run(&["spectrum", path.to_str().unwrap()]);
        assert!(ok, "{err}");
        let s: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(s["eigenvalues"].as_array().unwrap().len(), 100);
        let r = s["spectral_radius"].as_f64().unwrap();
        assert!((r - v["spectral_radius"].as_f64().unwrap()).abs() < 1e-9);
        assert!((r / 1.5 - 1.0).abs() < 0.2, "{r}");
    }
}

#[test]
fn errors_are_one_line_on_stderr_with_failure_exit() {
    let path = tmp("bad.csv");
    std::fs::write(&path, "1,2\n3,x\n").unwrap();
    let (ok, out, err) = run(&["spectrum", path.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.is_empty());
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("row 2, column 2"), "{err}");
    let (ok, _, err) = run(&["spectrum", "/nonexistent/file.csv"]);
    assert!(!ok && err.contains("cannot read"), "{err}");
    let (ok, _, err) = run(&["random", "--n", "10000000"]);
    assert!(!ok && err.contains("parameter `n`"), "{err}");
}
