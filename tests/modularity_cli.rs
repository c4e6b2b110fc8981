//! `rnnscope modularity | multilayer | stats` end to end.
#![cfg(not(target_arch = "wasm32"))]

use rnnscope::modularity::synthetic::planted_activity;

use crate::common;
use common::run;

#[test]
fn modularity_multilayer_and_stats_json() {
    let karate = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/karate.csv");
    let (ok, v, _) = run(&["modularity", karate, "--runs", "20"]);
    assert!(ok);
    assert!(v["q"].as_f64().unwrap() >= 0.4197);
    assert_eq!(v["communities"].as_array().unwrap().len(), 34);

    let dir = std::env::temp_dir().join(format!("rnnscope-mod-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("act.npy");
    let (x, _) = planted_activity(20, 2, 4, 30, 1, 0.8, 1).unwrap();
    std::fs::write(&path, rnnscope::io::write_npy(&x).unwrap()).unwrap();
    let p = path.to_str().unwrap();
    let (ok, v, _) = run(&["multilayer", p, "--window", "30", "--runs", "2"]);
    assert!(ok);
    assert_eq!(v["labels"].as_array().unwrap().len(), 4);
    assert_eq!(v["allegiance"].as_array().unwrap().len(), 20);
    assert!(v["system_flexibility"].as_f64().is_some());
    let (ok, _, err) = run(&["multilayer", p]);
    assert!(!ok && err.contains("window"), "{err}");
    let (ok, v, _) = run(&["stats", p]);
    assert!(ok && v["gaussian_entropy"].as_f64().unwrap().is_finite());
    let (ok, _, err) = run(&["modularity", karate, "--signed", "maybe"]);
    assert!(!ok && err.contains("signed"), "{err}");
}
