//! Motif analysis in WebAssembly (headless Chromium): the same counts as the
//! brute-force reference, the boundary's parsing and chunked null samples.
#![cfg(target_arch = "wasm32")]

use rnnscope::motifs::{self, census, census_brute_force, soft_counts, SoftPresence};
use rnnscope::wasm;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

/// Field `k` of a result object, as numbers.
fn field(v: &JsValue, k: &str) -> Vec<f64> {
    js_sys::Float64Array::new(&js_sys::Reflect::get(v, &k.into()).expect("field")).to_vec()
}

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
    let g = wasm::MotifGraph::from_bytes(csv, false, None).unwrap();
    let c = field(&g.census().unwrap(), "counts");
    assert_eq!(c[0], 1.0);
    // Participation: 13 × 3, each node of the one 021U triad in it once.
    assert_eq!(
        field(&g.census().unwrap(), "participation")[..3],
        [1.0, 1.0, 1.0]
    );
    let g = wasm::MotifGraph::from_bytes(csv, true, None).unwrap();
    assert_eq!(field(&g.census().unwrap(), "counts")[2], 1.0);
    let e = wasm::MotifGraph::from_bytes(b"source,target\n0,1\n1,2\n", false, None).unwrap();
    assert_eq!(field(&e.census().unwrap(), "counts")[1], 1.0);
    assert!(wasm::MotifGraph::from_bytes(b"source,target\n0,x\n", false, None).is_err());
    let g = wasm::MotifGraph::random(30, 0.2, 5).unwrap();
    let all = g.null_samples("swap", 9, 0, 4).unwrap();
    let mut parts = g.null_samples("swap", 9, 0, 2).unwrap();
    parts.extend(g.null_samples("swap", 9, 2, 2).unwrap());
    assert_eq!(all, parts);
    let counts = field(&g.census().unwrap(), "counts");
    let stats = wasm::motif_null_stats(&counts, &all).unwrap();
    // The object's fields are the core's NullStats on the same numbers.
    let obs: [u64; 13] = std::array::from_fn(|m| counts[m] as u64);
    let s: Vec<[u64; 13]> = all
        .chunks_exact(13)
        .map(|c| std::array::from_fn(|m| c[m] as u64))
        .collect();
    let core = motifs::null_stats(&obs, &s).unwrap();
    assert_eq!(field(&stats, "mean"), core.mean.to_vec());
    assert_eq!(field(&stats, "std"), core.std.to_vec());
    let z = field(&stats, "z");
    for (zm, core_z) in z.iter().zip(core.z.iter()) {
        match core_z {
            Some(v) => assert_eq!(*zm, *v),
            None => assert!(zm.is_nan()),
        }
    }
}
