//! Motif analysis in WebAssembly (headless Chromium): the same counts as the
//! brute-force reference, the boundary's parsing and chunked null samples.
#![cfg(target_arch = "wasm32")]

use rnnscope::motifs::{self, census, census_brute_force, soft_counts, SoftPresence};
use rnnscope::wasm;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn census_matches_brute_force_in_wasm() {
    let g = motifs::erdos_renyi(40, 0.15, 3).unwrap();
    assert_eq!(census(&g).unwrap(), census_brute_force(&g).unwrap());
    let soft = soft_counts(&g.to_dense(), &SoftPresence::default()).unwrap();
    let exact = census(&g).unwrap().counts;
    for m in 0..13 {
        assert!((soft[m] - exact[m] as f64).abs() < 1e-9);
    }
}

#[wasm_bindgen_test]
fn boundary_parses_orients_and_chunks() {
    // 0 → 1 ← 2 (021U) in the adjacency convention, 1 → 0, 1 → 2 (021D) as RNN.
    let csv = b"0,1,0\n0,0,0\n0,1,0\n";
    let g = wasm::MotifGraph::from_bytes(csv, false).unwrap();
    let c = g.census().unwrap();
    assert_eq!(c[0], 1.0);
    let g = wasm::MotifGraph::from_bytes(csv, true).unwrap();
    assert_eq!(g.census().unwrap()[2], 1.0);
    let e = wasm::MotifGraph::from_bytes(b"source,target\n0,1\n1,2\n", false).unwrap();
    assert_eq!(e.census().unwrap()[1], 1.0);
    assert!(wasm::MotifGraph::from_bytes(b"source,target\n0,x\n", false).is_err());
    let g = wasm::MotifGraph::random(30, 0.2, 5).unwrap();
    let all = g.null_samples("swap", 9, 0, 4).unwrap();
    let mut parts = g.null_samples("swap", 9, 0, 2).unwrap();
    parts.extend(g.null_samples("swap", 9, 2, 2).unwrap());
    assert_eq!(all, parts);
    let stats = wasm::motif_null_stats(&g.census().unwrap()[..13], &all).unwrap();
    assert_eq!(stats.len(), 52);
}
