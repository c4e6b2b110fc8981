//! Issue 18: every case of the adversarial CLI run, as a table. Each one
//! failed before (panic, hang, out-of-memory, NaN/null with exit 0, a wrong
//! flag named, …) and must now give either a finite result with exit 0 or one
//! clear `error:` line with exit 1 (2 for clap's own usage errors), quickly.
#![cfg(not(target_arch = "wasm32"))]

use crate::common;
use common::hostile::{csv, karate_rows, multilayer_rows, pr_activity, triangle};
use common::write;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_rnnscope")
}

/// A scratch directory unique to this test.
fn scratch(name: &str) -> PathBuf {
    common::scratch("rel", name)
}

/// Run; (exit code, stdout, stderr, seconds).
fn run(args: &[&str]) -> (Option<i32>, String, String, f64) {
    let t = Instant::now();
    let out = Command::new(exe())
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run rnnscope");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        t.elapsed().as_secs_f64(),
    )
}

/// Expect a fast error (exit 1) whose single line contains every fragment.
fn fails(args: &[&str], want: &[&str]) {
    let (code, out, err, secs) = run(args);
    assert_eq!(code, Some(1), "{args:?}: exit {code:?}, stderr {err}");
    assert!(out.is_empty(), "{args:?} printed {out}");
    assert!(err.starts_with("error: "), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    for w in want {
        assert!(err.contains(w), "{args:?}: {err:?} lacks {w:?}");
    }
    assert!(secs < 10.0, "{args:?} took {secs} s before failing");
}

/// Expect success; the JSON result, which must hold no null anywhere.
fn succeeds(args: &[&str]) -> Value {
    let (code, out, err, _) = run(args);
    assert_eq!(code, Some(0), "{args:?}: exit {code:?}, stderr {err}");
    let v: Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert!(!has_null(&v), "{args:?} gave a null: {out:.400}");
    v
}

fn has_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.iter().any(has_null),
        Value::Object(o) => o.values().any(has_null),
        _ => false,
    }
}

fn num(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn closed_pipe_ends_quietly() {
    let mut child = Command::new(exe())
        .args(["random", "--n", "600"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut buf = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut buf).unwrap();
    // stdout is dropped here: the reader went away after 100 bytes.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}, stderr {err}", out.status);
    assert!(err.is_empty(), "stderr: {err}");
}

#[test]
fn full_disk_and_closed_stdout_are_errors() {
    let out = Command::new("sh")
        .args(["-c", &format!("{} random --n 3 > /dev/full", exe())])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("No space left"),
        "{err}"
    );
    let out = Command::new("sh")
        .args(["-c", &format!("{} random --n 3 >&-", exe())])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("stdout is closed"), "{err}");
    // `--out /dev/full` is written in place (never renamed over) and fails clearly.
    fails(
        &["random", "--n", "3", "--out", "/dev/full"],
        &["No space left"],
    );
    assert!(Path::new("/dev/full").exists());
}

/// `--out` a named pipe: written once, in place, for the reader that opened
/// it (the up-front check does not open it, which would end the reader's
/// stream before the output; this hung).
#[cfg(unix)]
#[test]
fn out_to_a_fifo_reaches_its_reader() {
    let d = scratch("fifo");
    let fifo = d.join("w.npy");
    let file = d.join("file.npy");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let mut child = Command::new(exe())
        .args(["random", "--n", "4", "--seed", "1", "--out"])
        .arg(&fifo)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t0.elapsed().as_secs() > 30 {
            let _ = child.kill();
            panic!("rnnscope --out FIFO did not finish in 30 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success());
    let got = reader.join().unwrap();
    let out = Command::new(exe())
        .args(["random", "--n", "4", "--seed", "1", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(got, std::fs::read(&file).unwrap());
}

#[test]
fn out_paths_are_checked_before_the_work() {
    let d = scratch("out");
    // Bad directory / extension: immediate error, for a run that would take seconds.
    let missing = d.join("no/such/dir/W.csv");
    fails(
        &[
            "train",
            "--iters",
            "2000",
            "--out",
            missing.to_str().unwrap(),
        ],
        &["does not exist"],
    );
    fails(
        &[
            "train",
            "--iters",
            "2000",
            "--out",
            d.join("W.txt").to_str().unwrap(),
        ],
        &["unknown extension .txt"],
    );
    fails(
        &["simulate", "--n", "5", "--out", d.to_str().unwrap()],
        &["is a directory"],
    );
    // hebbff train --out on a path that is a file: refused before training.
    let f = write(&d, "not-a-dir", "x");
    fails(&["hebbff", "train", "--out", &f], &["not a directory"]);
    // A successful write replaces the file whole and leaves no temporaries.
    let w = d.join("W.csv");
    std::fs::write(&w, "old").unwrap();
    succeeds(&["random", "--n", "3", "--out", w.to_str().unwrap()]);
    let text = std::fs::read_to_string(&w).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    let names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
}

#[test]
fn hebbff_train_out_writes_every_file() {
    let d = scratch("hebb");
    let out = d.join("run");
    // (--no-analysis snapshots carry no network metrics: not checked for null.)
    let (code, _, err, _) = run(&[
        "hebbff",
        "train",
        "--n",
        "20",
        "--m",
        "10",
        "--epochs",
        "4",
        "--snapshot-every",
        "2",
        "--test-len",
        "100",
        "--window",
        "50",
        "--no-analysis",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["W1.npy", "activity.npy", "b1.npy", "result.json", "w2.npy"]
    );
}

#[test]
fn negative_numbers_parse_as_values_everywhere() {
    succeeds(&["ensemble", "--kind", "dale", "--n", "10", "--b", "-0.3"]);
    succeeds(&[
        "fixed-points",
        "--n",
        "5",
        "--input",
        "-0.5",
        "--starts",
        "3",
    ]);
    succeeds(&["simulate", "--n", "5", "--input", "-0.5", "--samples", "10"]);
    succeeds(&["modularity", "--gamma", "1", &karate()]);
    fails(&["random", "--n", "3", "--g", "-1"], &["parameter `g`"]);
    // A negative count reaches clap's parser as a value (not as a flag `-3`).
    let (code, _, err, _) = run(&["train-experiment", "noise", "--n", "-3"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("invalid value '-3' for '--n"), "{err}");
}

fn karate() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/karate.csv")
        .to_str()
        .expect("the repository path is UTF-8")
        .to_string()
}

#[test]
fn nan_and_inf_parameters_name_the_flag() {
    for (args, flag) in [
        (&["fixed-points", "--input", "nan"][..], "--input"),
        (&["ensemble", "--kind", "dale", "--b", "nan"], "--b"),
        (&["simulate", "--dt", "inf"], "--dt"),
        (&["simulate", "--sigma=-inf"], "--sigma"),
        (&["random", "--g", "NaN"], "--g"),
        (&["train", "--lr", "Infinity"], "--lr"),
        (
            &["train-experiment", "noise", "--noise-levels", "0,nan"],
            "--noise-levels",
        ),
        (&["hebbff", "train", "--p", "nan"], "--p"),
    ] {
        fails(args, &[flag, "finite"]);
    }
}

#[test]
fn conflicting_flags_are_errors() {
    let d = scratch("conflict");
    let w = write(&d, "w.csv", "0,1\n1,0\n");
    for extra in [
        ["--kind", "bogus"],
        ["--n", "7"],
        ["--g", "2"],
        ["--b", "1"],
    ] {
        let mut args = vec!["ensemble", "--w", &w];
        args.extend(extra);
        let (code, _, err, _) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains("cannot be used with"), "{err}");
    }
    fails(&["spectrum", &w, "--array", "W"], &["--array", "Csv"]);
}

#[test]
fn messages_quote_short_cells_and_name_the_users_flags() {
    let d = scratch("msg");
    let long = format!("1,{}\n", "x".repeat(1_000_000));
    let f = write(&d, "long.csv", &long);
    let (_, _, err, _) = run(&["spectrum", &f]);
    assert!(err.len() < 400, "message of {} bytes", err.len());
    let e = format!("source,target,weight\n0,1,{}\n", "y".repeat(100_000));
    let f = write(&d, "long-el.csv", &e);
    let (_, _, err, _) = run(&["motifs", &f]);
    assert!(
        err.len() < 400 && err.contains("row 2, column 3"),
        "{err:.300}"
    );
    // Stated limit = real limit (500, not the ensemble's 5000).
    fails(&["fixed-points", "--n", "6000"], &["limit 500"]);
    fails(&["fixed-points", "--n", "600"], &["limit 500"]);
    // hebbff names --test-len / --window, not "layers (windows)".
    fails(
        &["hebbff", "train", "--test-len", "200000"],
        &["--test-len", "--window"],
    );
    fails(
        &["hebbff", "train", "--m", "4096", "--test-len", "200000"],
        &["--m", "--test-len"],
    );
    // train-experiment --n 2 works (pcs follows n) …
    let v = succeeds(&[common::TINY_NOISE_EXPERIMENT, &["--quiet"]].concat());
    assert!(v["groups"].is_array());
    // … and an explicit --pcs above --n names both flags.
    fails(
        &["train-experiment", "perturb", "--n", "2", "--pcs", "3"],
        &["--pcs 3", "--n 2"],
    );
}

#[test]
fn multilayer_names_the_right_layer() {
    let d = scratch("ml");
    // One 2 × 3 layer: the first layer itself is not square.
    // NPY v1.0 by hand (the format's spec: magic, u16 header length, a dict
    // padded with spaces to a 64-byte boundary ending in '\n', then the data):
    // a 2 × 2 × 3 stack of ones.
    let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 3), }";
    let pad = 64 - (10 + dict.len() + 1) % 64;
    let header = format!("{dict}{}\n", " ".repeat(pad % 64));
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((header.len() as u16).to_le_bytes());
    bytes.extend(header.as_bytes());
    assert_eq!(bytes.len() % 64, 0);
    for _ in 0..12 {
        bytes.extend(1.0f64.to_le_bytes());
    }
    let p = d.join("stack.npy");
    std::fs::write(&p, bytes).unwrap();
    let (code, _, err, _) = run(&["multilayer", p.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("layer 1 is 2 × 3") && err.contains("square"),
        "{err}"
    );
    assert!(!err.contains("but layer 1"), "{err}");
}

#[test]
fn edge_list_bom_and_header_hint() {
    let d = scratch("el");
    let f = write(&d, "bom.csv", "\u{feff}source,target\n0,1\n1,2\n");
    let v = succeeds(&["motifs", &f]);
    assert_eq!(v["m"], 2);
    let f = write(&d, "srcdst.csv", "src,dst\n0,1\n");
    fails(&["motifs", &f], &["source,target"]);
}

#[test]
fn budgets_refuse_at_once_naming_the_flags() {
    let d = scratch("budget");
    let el = write(&d, "el.csv", "source,target\n0,1\n1,2\n999999,0\n");
    for (args, want) in [
        (
            &[
                "train",
                "--n",
                "256",
                "--batch",
                "1024",
                "--trial-steps",
                "2500",
                "--iters",
                "1",
            ][..],
            &["--n", "--batch", "--trial-steps"][..],
        ),
        (
            &["hebbff", "train", "--m", "4096", "--test-len", "200000"],
            &["--m", "--test-len"],
        ),
        (&["motifs", &el, "--per-node"], &["--per-node"]),
        (
            &["simulate", "--burn", "1000000000000"],
            &["--burn", "--samples", "--every"],
        ),
        (
            &["simulate", "--samples", "10000", "--every", "1000000"],
            &["--samples", "--every"],
        ),
        (
            &["simulate", "--n", "5000", "--samples", "100000"],
            &["--samples"],
        ),
        (
            &["fixed-points", "--n", "500", "--starts", "10000"],
            &["--starts"],
        ),
    ] {
        fails(args, want);
    }
    // The edge list itself (without --per-node) is fine: sparse, 1e6 nodes.
    succeeds(&["motifs", &el]);
}

#[test]
fn numerics_never_report_null() {
    let d = scratch("num");
    // Diverging linear network: finite activity, a finite PR (one mode).
    let v = succeeds(&[
        "simulate",
        "--n",
        "20",
        "--g",
        "3",
        "--phi",
        "linear",
        "--samples",
        "3000",
        "--out",
        d.join("a.npy").to_str().unwrap(),
    ]);
    assert!((num(&v, "participation_ratio") - 1.0).abs() < 1e-6, "{v}");
    // Zero and identity matrices, g = 0, degenerate ensembles.
    let z = write(&d, "z.csv", "0,0,0,0\n0,0,0,0\n0,0,0,0\n0,0,0,0\n");
    let v = succeeds(&["spectrum", &z]);
    assert_eq!(num(&v, "spectral_radius"), 0.0);
    let v = succeeds(&["random", "--n", "20", "--g", "0"]);
    assert_eq!(num(&v, "spectral_radius"), 0.0);
    let v = succeeds(&["ensemble", "--kind", "flat", "--n", "20", "--b", "1"]);
    assert!(num(&v, "spectral_radius").is_finite());
    // W = I with linear φ and τ = 1: the Jacobian −I + W is zero.
    let eye = write(&d, "eye.csv", "1,0,0\n0,1,0\n0,0,1\n");
    let v = succeeds(&[
        "fixed-points",
        "--w",
        &eye,
        "--phi",
        "linear",
        "--starts",
        "2",
    ]);
    assert_eq!(v["fixed_points"][0]["max_real"], 0.0);
    // Entries ±1e308: eigenvalues 1e308 ± 1e308 i are finite.
    let big = write(&d, "big.csv", "1e308,-1e308\n1e308,1e308\n");
    let v = succeeds(&["spectrum", &big]);
    assert!((num(&v, "spectral_radius") / 1e308 - 2f64.sqrt()).abs() < 1e-12);
    // Eigenvalues past f64::MAX: an error saying so, not null.
    let over = write(&d, "over.csv", "1.7e308,1.7e308\n1.7e308,1.7e308\n");
    fails(&["spectrum", &over], &["f64 range"]);
}

/// Q and PR do not depend on multiplying the input by 1e±200 (or subnormals).
#[test]
fn scale_invariance_of_q_and_pr() {
    let d = scratch("scale");
    let base = karate_rows();
    let save = |name: &str, s: f64| write(&d, name, &csv(&base, s));
    let q0 = num(&succeeds(&["modularity", &save("k1.csv", 1.0)]), "q");
    assert!((q0 - 0.4198).abs() < 1e-3, "karate Q {q0}");
    for s in [1e154, 1e300, 1e-200, 1e-310] {
        let q = num(&succeeds(&["modularity", &save("ks.csv", s)]), "q");
        assert!((q - q0).abs() < 1e-12, "scale {s}: Q {q} vs {q0}");
    }
    // A triangle has Q = 0 at every scale (the old code gave 0.9999… at 1e-200).
    for s in [1.0, 1e-150, 1e-200] {
        let t = write(&d, "tri.csv", &csv(&triangle(s), 1.0));
        let q = num(&succeeds(&["modularity", &t]), "q");
        assert!(q.abs() < 1e-12, "triangle at {s}: Q {q}");
    }
    // Participation ratio of activity ×1e160 and ×1e-300.
    let act = pr_activity();
    let save_act = |s: f64| write(&d, "act.csv", &csv(&act, s));
    let pr0 = num(
        &succeeds(&["dimension", &save_act(1.0)]),
        "participation_ratio",
    );
    assert!(pr0 > 1.5, "{pr0}");
    for s in [1e160, 1e-300] {
        let pr = num(
            &succeeds(&["dimension", &save_act(s)]),
            "participation_ratio",
        );
        assert!((pr - pr0).abs() < 1e-9 * pr0, "scale {s}: PR {pr} vs {pr0}");
    }
}

#[test]
fn multilayer_survives_columns_near_f64_max() {
    let d = scratch("mlbig");
    let rows = |s: f64| csv(&multilayer_rows(s), 1.0);
    let small = write(&d, "s.csv", &rows(1.0));
    let big = write(&d, "b.csv", &rows(1.7e308));
    let v0 = succeeds(&["multilayer", &small, "--window", "40"]);
    let v1 = succeeds(&["multilayer", &big, "--window", "40"]);
    assert!((num(&v0, "q") - num(&v1, "q")).abs() < 1e-9, "{v0} vs {v1}");
    assert_eq!(v0["n_communities"], v1["n_communities"]);
}
