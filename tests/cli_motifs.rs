//! `rnnscope motifs` end to end: JSON shape, orientation flags, errors.
#![cfg(not(target_arch = "wasm32"))]

use crate::common;
use common::run;

fn tmp(name: &str, body: &str) -> String {
    let dir = std::env::temp_dir().join(format!("rnnscope-motifs-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("test setup");
    let p = dir.join(name);
    std::fs::write(&p, body).expect("test setup");
    p.display().to_string()
}

#[test]
fn orientation_and_json_shape() {
    // Matrix with A[0][1] = A[2][1] = 1: convergent 0 → 1 ← 2 (021U, id 1) in
    // the adjacency convention; divergent 1 → 0, 1 → 2 (021D, id 3) with --rnn.
    let f = tmp("conv.csv", "0,1,0\n0,0,0\n0,0.5,0\n");
    let (ok, v, err) = run(&["motifs", &f, "--weighted"]);
    assert!(ok, "{err}");
    let m = &v["motifs"];
    assert_eq!(m.as_array().unwrap().len(), 13);
    assert_eq!(m[0]["id"], 1);
    assert_eq!(m[0]["name"], "021U");
    assert_eq!(m[0]["edges"], serde_json::json!([[0, 1], [2, 1]]));
    assert_eq!(m[0]["level"], 1);
    assert_eq!(m[0]["count"], 1);
    let i = m[0]["intensity"].as_f64().unwrap();
    assert!((i - 0.5f64.sqrt()).abs() < 1e-12);
    assert_eq!(v["by_level"]["1"], 1);
    let (ok, v, _) = run(&["motifs", &f, "--rnn"]);
    assert!(ok);
    assert_eq!(v["motifs"][2]["count"], 1);
    assert_eq!(v["motifs"][0]["count"], 0);
}

#[test]
fn edge_list_and_null() {
    let mut body = String::from("source,target\n");
    for i in 0..30 {
        body += &format!("{i},{}\n{i},{}\n", (i + 1) % 30, (i + 7) % 30);
    }
    let f = tmp("ring.csv", &body);
    let (ok, v, err) = run(&[
        "motifs",
        &f,
        "--null",
        "swap",
        "--samples",
        "5",
        "--seed",
        "3",
    ]);
    assert!(ok, "{err}");
    assert_eq!(v["n"], 30);
    assert_eq!(v["m"], 60);
    assert_eq!(v["null"]["samples"], 5);
    assert!(v["motifs"][1].get("z").is_some());
    let (ok, _, err) = run(&["motifs", &f, "--rnn"]);
    assert!(!ok && err.contains("edge list"), "{err}");
    let (ok, _, err) = run(&["motifs", &f, "--null", "bogus"]);
    assert!(!ok && err.contains("swap"), "{err}");
    let (ok, _, err) = run(&["motifs", &f, "--null", "er", "--samples", "1"]);
    assert!(!ok && err.contains("samples"), "{err}");
}

#[test]
fn bad_matrices() {
    let f = tmp("ragged.csv", "0,1\n1\n");
    let (ok, _, err) = run(&["motifs", &f]);
    assert!(!ok && err.contains("ragged"), "{err}");
    let f = tmp("rect.csv", "0,1,0\n1,0,0\n");
    let (ok, _, err) = run(&["motifs", &f]);
    assert!(!ok && err.contains("square"), "{err}");
    let f = tmp("dup.csv", "source,target\n0,1\n0,1\n");
    let (ok, _, err) = run(&["motifs", &f]);
    assert!(!ok && err.contains("duplicate"), "{err}");
}

#[test]
fn dense_weights_are_thresholded_and_a_complete_graph_warns() {
    // Off-diagonal |w| = 6, 5, 4, 3, 2, 1: --keep 0.5 keeps 6, 5, 4 (cut 4):
    // edges 0 → 1, 1 → 0, 2 → 0: a mutual pair, one of whose nodes receives
    // from the third → motif 4 (111D: 0 ↔ 1 ← 2).
    let f = tmp("dense3.csv", "9,-6,1\n5,9,-2\n4,3,9\n");
    let (ok, v, err) = run(&["motifs", &f, "--keep", "0.5"]);
    assert!(ok, "{err}");
    assert_eq!(v["m"], 3);
    assert_eq!(v["threshold"]["cut"], 4.0);
    assert_eq!(v["threshold"]["kept"], 3);
    assert_eq!(v["motifs"][3]["name"], "111D");
    assert_eq!(v["motifs"][3]["count"], 1);
    let (ok, v, _) = run(&["motifs", &f, "--min-weight", "2"]);
    assert!(ok);
    assert_eq!(v["m"], 5);
    // No threshold: complete (6 of 6 pairs) → density 1, a warning on stderr, motif 13.
    let (ok, v, err) = run(&["motifs", &f]);
    assert!(ok);
    assert_eq!(v["density"]["complete"], true);
    assert_eq!(v["motifs"][12]["count"], 1);
    assert!(err.contains("complete"), "{err}");
    let (ok, _, err) = run(&["motifs", &f, "--keep", "0"]);
    assert!(!ok);
    assert!(err.contains("keep"), "{err}");
}
