//! `curl-phase` and `richlazy` split into shards (`--shard K/S --out DIR`)
//! and merged (`… merge DIR --out OUT`): the merge of 3 shards equals the
//! one-process run (report.json byte for byte, the printed JSON value
//! exactly, apart from timings); a missing shard, a duplicated item, a shard
//! of other parameters or of another study are named errors that write no
//! output; a complete shard is skipped, a stale one recomputed.

use crate::common;
use common::run;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "rnnscope-shard-learning-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json(p: &Path) -> Value {
    serde_json::from_slice(&read(p)).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `v` without its timings (`seconds`, `timings`).
fn untimed(mut v: Value) -> Value {
    let o = v.as_object_mut().expect("a JSON object");
    assert!(o.remove("seconds").is_some(), "no seconds");
    assert!(o.remove("timings").is_some(), "no timings");
    v
}

/// A tiny phase diagram: 2 architectures × 2 init scales × 2 seeds = 8 work
/// units, each GD plus 3 flip counts for 60 epochs, with Lyapunov exponents.
fn phase(extra: &[&str]) -> (bool, Value, String) {
    let mut a = vec![
        "--quiet",
        "curl-phase",
        "--expanding",
        "2,4",
        "--contracting",
        "4,2",
        "--flip-fracs",
        "0,0.5,1",
        "--init-scales",
        "0.5,1",
        "--seeds",
        "2",
        "--epochs",
        "60",
        "--n-train",
        "12",
        "--n-test",
        "6",
        "--threads",
        "1",
    ];
    a.extend_from_slice(extra);
    run(&a)
}

/// A tiny rank sweep: ranks 1, 3, N=6 plus the aligned W₀ × 2 seeds = 8 runs
/// of 5 iterations, with along-training curves.
fn sweep(extra: &[&str]) -> (bool, Value, String) {
    let mut a = vec![
        "--quiet",
        "richlazy",
        "--task",
        "decision",
        "--n",
        "6",
        "--ranks",
        "1,3,N",
        "--aligned",
        "--seeds",
        "2",
        "--iters",
        "5",
        "--batch",
        "4",
        "--probe",
        "8",
        "--ntk-trials",
        "2",
        "--record-every",
        "5",
    ];
    a.extend_from_slice(extra);
    run(&a)
}

/// Shard k of 3 into `dir`; the items it computed.
fn shard(f: fn(&[&str]) -> (bool, Value, String), k: usize, dir: &Path) -> Vec<u64> {
    let spec = format!("{k}/3");
    let (ok, v, err) = f(&["--shard", &spec, "--out", s(dir)]);
    assert!(ok, "shard {spec}: {err}");
    assert_eq!(v["skipped"], false);
    v["items"]
        .as_array()
        .expect("item list")
        .iter()
        .map(|x| x.as_u64().expect("index"))
        .collect()
}

/// The whole check for one command (`cmd`: its name for `merge`).
fn shards_merge_to_the_one_process_run(
    cmd: &str,
    f: fn(&[&str]) -> (bool, Value, String),
    other_params: &[&str],
    differing: &str,
) {
    let t = |x: &str| tmp(&format!("{cmd}-{x}"));
    let (one, shards, merged, out) = (t("one"), t("shards"), t("merged"), t("out"));
    let (ok, v1, err) = f(&["--out", s(&one)]);
    assert!(ok, "{err}");
    // 8 items, round robin: shard k holds k−1, k−1+3, …
    for k in 1..=3 {
        let want: Vec<u64> = (k as u64 - 1..8).step_by(3).collect();
        assert_eq!(shard(f, k, &shards), want, "shard {k}/3");
    }
    // A complete shard is skipped.
    let (ok, v, err) = f(&["--shard", "2/3", "--out", s(&shards)]);
    assert!(ok && v["skipped"] == true && v["items"] == 3, "{err} {v}");

    let (ok, vm, err) = run(&[cmd, "merge", s(&shards), "--out", s(&merged)]);
    assert!(ok, "{err}");
    assert!(
        read(&one.join("report.json")) == read(&merged.join("report.json")),
        "{cmd}: merged report.json differs from the one-process one"
    );
    let report = json(&merged.join("report.json"));
    assert!(report.get("seconds").is_none() && report.get("timings").is_none());
    assert_eq!(untimed(v1), untimed(vm.clone()));
    assert_eq!(untimed(vm), report);
    let timings = json(&merged.join("timings.json"));
    assert_eq!(timings["shards"].as_array().expect("shards").len(), 3);

    // Missing shard: named with its items and file, nothing written.
    let part = t("part");
    std::fs::create_dir_all(&part).expect("mkdir");
    for k in [1, 3] {
        let name = format!("shard-{k:04}-of-0003.json");
        std::fs::copy(shards.join(&name), part.join(&name)).expect("copy");
    }
    let (ok, _, err) = run(&[cmd, "merge", s(&part), "--out", s(&out)]);
    assert!(!ok, "{cmd}: merged with a shard missing");
    assert!(
        err.contains("3 of 8 instances missing (0-based: 1, 4, 7)")
            && err.contains("shard-0002-of-0003.json"),
        "{err}"
    );
    assert!(!out.exists(), "{cmd}: output written despite the error");

    // Duplicated item: shard 3 given twice.
    let third = part.join("shard-0003-of-0003.json");
    let (ok, _, err) = run(&[cmd, "merge", s(&shards), s(&third), "--out", s(&out)]);
    assert!(!ok && err.contains("instance 2 is duplicated"), "{err}");
    assert!(err.contains("shard-0003-of-0003.json"), "{err}");
    assert!(!out.exists());

    // Mismatched parameters: shard 2 of another study; the key is named.
    let other = t("other");
    let mut args = other_params.to_vec();
    args.extend(["--shard", "2/3", "--out", s(&other)]);
    let (ok, _, err) = f(&args);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&[cmd, "merge", s(&part), s(&other), "--out", s(&out)]);
    assert!(!ok && err.contains("parameters differ"), "{err}");
    assert!(err.contains(differing), "{err}");
    assert!(!out.exists());

    // A stale shard (other parameters) is recomputed, then equals the good one.
    let (ok, v, err) = f(&["--shard", "2/3", "--out", s(&other)]);
    assert!(ok && v["skipped"] == false, "{err}");
    let name = "shard-0002-of-0003.json";
    let (a, b) = (json(&other.join(name)), json(&shards.join(name)));
    assert_eq!((&a["params"], &a["items"]), (&b["params"], &b["items"]));

    // --shard needs --out; bad K/S names the flag.
    let (ok, _, err) = f(&["--shard", "1/3"]);
    assert!(!ok && err.contains("`out`"), "{err}");
    let (ok, _, err) = f(&["--shard", "4/3", "--out", s(&other)]);
    assert!(!ok && err.contains("`shard`"), "{err}");
    for d in [one, shards, merged, part, other] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn curl_phase_shards_merge_to_the_one_process_run() {
    shards_merge_to_the_one_process_run(
        "curl-phase",
        phase,
        &["--chaos-tol", "0.5"],
        "contracting.chaos_tol (0.001 vs 0.5)",
    );
}

#[test]
fn richlazy_shards_merge_to_the_one_process_run() {
    shards_merge_to_the_one_process_run(
        "richlazy",
        sweep,
        &["--lr", "0.05"],
        "run.lr (0.03 vs 0.05)",
    );
}

/// The report does not depend on S (an item's seed does not), the sweep's
/// units are in the one-process order, and a shard of another study is
/// refused by kind.
#[test]
fn any_shard_count_gives_the_same_report_and_kinds_do_not_mix() {
    let (one, two, m2, out) = (tmp("s-one"), tmp("s-two"), tmp("s-m2"), tmp("s-out"));
    let (ok, v1, err) = phase(&["--out", s(&one)]);
    assert!(ok, "{err}");
    for k in ["1/2", "2/2"] {
        let (ok, _, err) = phase(&["--shard", k, "--out", s(&two)]);
        assert!(ok, "{err}");
    }
    let (ok, _, err) = run(&["curl-phase", "merge", s(&two), "--out", s(&m2)]);
    assert!(ok, "{err}");
    assert!(read(&one.join("report.json")) == read(&m2.join("report.json")));
    // Units: scale-major then seed, per architecture.
    let units: Vec<(f64, u64)> = v1["expanding"]["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| {
            (
                u["init_scale"].as_f64().expect("scale"),
                u["seed"].as_u64().expect("seed"),
            )
        })
        .collect();
    assert_eq!(units, vec![(0.5, 0), (0.5, 1), (1.0, 0), (1.0, 1)]);
    let (ok, _, err) = run(&["richlazy", "merge", s(&two), "--out", s(&out)]);
    assert!(
        !ok && err.contains("a curl-phase shard, not richlazy"),
        "{err}"
    );
    assert!(!out.exists());
    // `merge` takes no study flags.
    let (ok, _, err) = run(&[
        "curl-phase",
        "--seeds",
        "2",
        "merge",
        s(&two),
        "--out",
        s(&out),
    ]);
    assert!(!ok && err.contains("cannot be used with"), "{err}");
    for d in [one, two, m2] {
        let _ = std::fs::remove_dir_all(d);
    }
}
