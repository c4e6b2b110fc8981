//! Sharded studies through the CLI: 3 shards merged equal the one-process
//! study byte for byte (HebbFF: summary.json, instances.json, curves.csv;
//! poster experiments: report.json); a missing shard, a duplicated instance
//! and mismatched parameters are named errors that write no output.

use crate::common;
use common::run;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rnnscope-shard-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A tiny HebbFF study (5 instances, 30 epochs) with extra arguments.
fn study(extra: &[&str]) -> (bool, serde_json::Value, String) {
    let mut a = vec![
        "hebbff",
        "study",
        "--instances",
        "5",
        "--n",
        "16",
        "--m",
        "12",
        "--r",
        "2",
        "--epochs",
        "30",
        "--snapshot-every",
        "10",
        "--lr",
        "0.01",
        "--test-len",
        "200",
        "--window",
        "20",
        "--runs",
        "1",
        "--corr-window",
        "3",
        "--seed",
        "11",
        "--threads",
        "1",
    ];
    a.extend_from_slice(extra);
    run(&a)
}

#[test]
fn three_hebbff_shards_merge_to_the_one_process_study() {
    let (one, shards, merged) = (tmp("one"), tmp("shards"), tmp("merged"));
    let (ok, v1, err) = study(&["--out", s(&one)]);
    assert!(ok, "{err}");
    for k in 1..=3 {
        let spec = format!("{k}/3");
        let (ok, v, err) = study(&["--shard", &spec, "--out", s(&shards)]);
        assert!(ok, "{err}");
        // Round-robin assignment: shard k holds instances k−1, k−1+3, …
        let want: Vec<u64> = (k - 1..5).step_by(3).map(|i| i as u64).collect();
        let got: Vec<u64> = v["instances"]
            .as_array()
            .expect("instance list")
            .iter()
            .map(|x| x.as_u64().expect("index"))
            .collect();
        assert_eq!(got, want);
        assert_eq!(v["skipped"], false);
    }
    // A complete shard is not recomputed.
    let (ok, v, err) = study(&["--shard", "2/3", "--out", s(&shards)]);
    assert!(ok && v["skipped"] == true, "{err} {v}");
    let (ok, vm, err) = run(&["hebbff", "merge", s(&shards), "--out", s(&merged)]);
    assert!(ok, "{err}");
    for f in ["summary.json", "instances.json", "curves.csv"] {
        assert!(read(&one.join(f)) == read(&merged.join(f)), "{f} differs");
    }
    assert_eq!(v1["summary"], vm["summary"]);
    let seeds: Vec<u64> = vm["per_instance"]
        .as_array()
        .expect("per_instance")
        .iter()
        .map(|r| r["seed"].as_u64().expect("seed"))
        .collect();
    assert_eq!(seeds, vec![11, 12, 13, 14, 15]);
    // Timings are kept out of the compared files.
    let summary = String::from_utf8(read(&merged.join("summary.json"))).expect("text");
    assert!(!summary.contains("seconds"));
    let t: serde_json::Value =
        serde_json::from_slice(&read(&merged.join("timings.json"))).expect("timings JSON");
    assert_eq!(t["shards"].as_array().expect("shards").len(), 3);

    // Missing shard: named, nothing written.
    let part = tmp("part");
    std::fs::create_dir_all(&part).expect("mkdir");
    for k in [1, 3] {
        let f = format!("shard-{k:04}-of-0003.json");
        std::fs::copy(shards.join(&f), part.join(&f)).expect("copy");
    }
    let out = tmp("out-missing");
    let (ok, _, err) = run(&["hebbff", "merge", s(&part), "--out", s(&out)]);
    assert!(!ok, "merged with a shard missing");
    assert!(
        err.contains("2 of 5 instances missing (0-based: 1, 4)")
            && err.contains("shard-0002-of-0003.json"),
        "{err}"
    );
    assert!(!out.exists(), "output written despite the error");

    // Duplicated instance: the same shard twice.
    let (ok, _, err) = run(&[
        "hebbff",
        "merge",
        s(&shards),
        s(&part.join("shard-0003-of-0003.json")),
        "--out",
        s(&out),
    ]);
    assert!(!ok && err.contains("instance 2 is duplicated"), "{err}");
    assert!(err.contains("shard-0003-of-0003.json"), "{err}");
    assert!(!out.exists());

    // Mismatched parameters: shard 2 computed with another repeat probability.
    let other = tmp("other");
    let (ok, _, err) = study(&["--shard", "2/3", "--p", "0.4", "--out", s(&other)]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["hebbff", "merge", s(&part), s(&other), "--out", s(&out)]);
    assert!(!ok && err.contains("parameters differ"), "{err}");
    assert!(err.contains("settings.p (0.5 vs 0.4)"), "{err}");
    assert!(!out.exists());

    // A stale shard (other parameters) in the shard directory is recomputed, not skipped.
    let stale = other.join("shard-0002-of-0003.json");
    let (ok, v, err) = study(&["--shard", "2/3", "--out", s(&other)]);
    assert!(ok && v["skipped"] == false, "{err}");
    let json =
        |p: &Path| -> serde_json::Value { serde_json::from_slice(&read(p)).expect("shard JSON") };
    let (a, b) = (json(&stale), json(&shards.join("shard-0002-of-0003.json")));
    assert_eq!(a["params"], b["params"]);
    assert_eq!(a["items"], b["items"]);

    // Bad --shard values name the flag.
    for bad in ["0/3", "4/3", "2"] {
        let (ok, _, err) = study(&["--shard", bad, "--out", s(&other)]);
        assert!(!ok && err.contains("`shard`"), "{bad}: {err}");
    }
    let (ok, _, err) = study(&["--shard", "1/3"]);
    assert!(!ok && err.contains("`out`"), "{err}");
    for d in [one, shards, merged, part, other] {
        let _ = std::fs::remove_dir_all(d);
    }
}

fn experiment(extra: &[&str]) -> (bool, serde_json::Value, String) {
    let mut a = vec![
        "train-experiment",
        "both",
        "--seeds",
        "3",
        "--n",
        "8",
        "--iters",
        "20",
        "--noise-levels",
        "0,1",
        "--test-trials",
        "8",
        "--horizon",
        "12",
        "--kick-step",
        "5",
        "--trials",
        "1",
        "--kicks",
        "2",
        "--quiet",
    ];
    a.extend_from_slice(extra);
    run(&a)
}

#[test]
fn three_experiment_shards_merge_to_the_one_process_report() {
    let (one, shards, merged) = (tmp("x-one"), tmp("x-shards"), tmp("x-merged"));
    let (ok, mut v1, err) = experiment(&["--out", s(&one)]);
    assert!(ok, "{err}");
    for k in 1..=3 {
        let spec = format!("{k}/3");
        let (ok, _, err) = experiment(&["--shard", &spec, "--out", s(&shards)]);
        assert!(ok, "{err}");
    }
    let (ok, mut vm, err) = run(&["train-experiment", "merge", s(&shards), "--out", s(&merged)]);
    assert!(ok, "{err}");
    assert!(read(&one.join("report.json")) == read(&merged.join("report.json")));
    v1.as_object_mut().expect("object").remove("seconds");
    vm.as_object_mut().expect("object").remove("seconds");
    assert_eq!(v1, vm);
    // 2 groups × 3 seeds, group-major, seeds 1, 2, 3.
    let seeds: Vec<u64> = vm["networks"]
        .as_array()
        .expect("networks")
        .iter()
        .map(|n| n["seed"].as_u64().expect("seed"))
        .collect();
    assert_eq!(seeds, vec![1, 2, 3, 1, 2, 3]);
    // Missing shard → named error, no report.
    std::fs::remove_file(shards.join("shard-0001-of-0003.json")).expect("rm");
    let out = tmp("x-out");
    let (ok, _, err) = run(&["train-experiment", "merge", s(&shards), "--out", s(&out)]);
    assert!(
        !ok && err.contains("1 of 3 instances missing (0-based: 0)"),
        "{err}"
    );
    assert!(!out.exists());
    for d in [one, shards, merged] {
        let _ = std::fs::remove_dir_all(d);
    }
}
