//! One key set per result: the CLI's JSON and CSV are the core result
//! struct's serde serialisation (the page exports the same struct: see
//! tests/web/hebbff.rs and tests/e2e/hebbff.test.mjs).

use crate::common;
use common::hebb::tiny_params;
use rnnscope::hebbff::study::{run_instance, AnalysisParams, Record};
use rnnscope::hebbff::HebbParams;
use serde_json::Value;
use std::process::Command;

/// `a` and `b` have the same keys everywhere; integers and strings are equal,
/// floats agree to 1e-12 relative (the CLI binary and this test are built
/// with different optimisation levels, which may move the last bit).
fn same(a: &Value, b: &Value, at: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let (mut kx, mut ky): (Vec<_>, Vec<_>) = (x.keys().collect(), y.keys().collect());
            kx.sort();
            ky.sort();
            assert_eq!(kx, ky, "{at}: keys");
            for (k, v) in x {
                same(v, &y[k], &format!("{at}.{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}: length");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same(p, q, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (p, q) = (x.as_f64().expect("f64"), y.as_f64().expect("f64"));
            assert!(
                (p - q).abs() <= 1e-12 * q.abs().max(1.0),
                "{at}: {p} vs {q}"
            );
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

fn cli(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_rnnscope"))
        .args(args)
        .output()
        .expect("run the CLI");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The tiny setting of the e2e test: 4 snapshots of 200 held-out items in 10 windows.
const TINY: &[&str] = &[
    "--n",
    "20",
    "--m",
    "16",
    "--r",
    "3",
    "--epochs",
    "30",
    "--seq-len",
    "50",
    "--snapshot-every",
    "10",
    "--test-len",
    "200",
    "--window",
    "20",
    "--runs",
    "1",
];

fn tiny_core(seed: u64) -> (HebbParams, AnalysisParams) {
    let hp = tiny_params(seed);
    let mut ap = AnalysisParams::default();
    ap.activity.window = 20;
    ap.activity.multilayer.runs = 1;
    ap.record = Record::Pre;
    (hp, ap)
}

#[test]
fn hebbff_train_json_is_the_core_struct() {
    let mut args = vec!["hebbff", "train", "--seed", "3"];
    args.extend_from_slice(TINY);
    let out = cli(&args);
    let (hp, ap) = tiny_core(3);
    let r = run_instance(hp, Some(&ap), &mut |_, _| true).expect("core run");
    let core = serde_json::to_value(&r).expect("serialise");
    // Same snapshots, key for key and value for value.
    same(&out["snapshots"], &core["snapshots"], "snapshots");
    for k in ["seed", "test_accuracy", "lambda", "eta", "epochs_to_95"] {
        same(&out[k], &core[k], k);
    }
    let snap = core["snapshots"][0].as_object().expect("object");
    for k in ["lambda", "q", "system_flexibility"] {
        assert!(snap.contains_key(k), "snapshot key {k}");
    }
    assert!(!snap.contains_key("lam") && !snap.contains_key("flexibility"));
}

#[test]
fn hebbff_study_csv_columns_are_the_snapshot_keys() {
    let dir = std::env::temp_dir().join(format!("rnnscope-schema-{}", std::process::id()));
    let d = dir.to_str().expect("utf-8 path");
    let mut args = vec![
        "hebbff",
        "study",
        "--instances",
        "2",
        "--seed",
        "3",
        "--threads",
        "1",
        // `hebbff study` defaults to the paper's fixed training set; the
        // core defaults (tiny_core) to fresh streams, as `hebbff train`.
        "--data",
        "fresh",
        "--out",
        d,
    ];
    args.extend_from_slice(TINY);
    let out = cli(&args);
    let csv = std::fs::read_to_string(dir.join("curves.csv")).expect("curves.csv");
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().expect("header").split(',').collect();
    let (hp, ap) = tiny_core(3);
    let r = run_instance(hp, Some(&ap), &mut |_, _| true).expect("core run");
    let v = serde_json::to_value(&r.snapshots[0]).expect("serialise");
    // The CSV holds the scalar keys; list-valued ones (warnings, allegiance)
    // are in the JSON only.
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .iter()
        .filter(|(_, x)| !x.is_array() && !x.is_object())
        .map(|(k, _)| k.as_str())
        .collect();
    let mut want = vec!["seed"];
    want.extend(keys.iter().copied());
    let (mut a, mut b) = (head.clone(), want.clone());
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "CSV columns vs serde keys");
    // The first row is instance seed 3's first snapshot, in the header's order.
    let row: Vec<&str> = lines.next().expect("row").split(',').collect();
    for (h, cell) in head.iter().zip(&row) {
        let want = if *h == "seed" {
            "3".to_string()
        } else {
            match &v[*h] {
                Value::Number(n) => n.to_string(),
                other => panic!("{h}: {other}"),
            }
        };
        let (p, q): (f64, f64) = (cell.parse().expect("number"), want.parse().expect("number"));
        assert!((p - q).abs() <= 1e-12 * q.abs().max(1.0), "{h}: {p} vs {q}");
    }
    // instances.json holds the same struct as `hebbff train`.
    let inst: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("instances.json")).expect("instances.json"),
    )
    .expect("JSON");
    same(
        &inst[0]["snapshots"],
        &serde_json::to_value(&r.snapshots).expect("serialise"),
        "instances.json",
    );
    assert_eq!(out["instances"], 2);
    let _ = std::fs::remove_dir_all(&dir);
}
