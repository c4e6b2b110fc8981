// wasm_bindgen_test functions are tests, but clippy's allow-unwrap-in-tests
// does not recognise them: allow unwrap in this test file.
#![allow(clippy::unwrap_used)]

//! Modularity through the WASM boundary, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use rnnscope::wasm::{activity_stats, multilayer_activity, planted_activity};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn demo_multilayer_and_stats() {
    let x = planted_activity(30, 3, 6, 40, 1, 0.8, 2).unwrap();
    let f = js_sys::Function::new_no_args("");
    let r = multilayer_activity(&x, 40, 0, 1.0, 1.02, 1.0, false, 2, 1, &f).unwrap();
    assert_eq!(r.layers(), 6);
    assert_eq!(r.nodes(), 30);
    assert!(r.q() > 0.3 && r.q() < 1.0);
    let a = r.allegiance();
    for i in 0..30 {
        assert_eq!(a[i * 30 + i], 1.0);
        for j in 0..30 {
            assert_eq!(a[i * 30 + j], a[j * 30 + i]);
        }
    }
    let s = activity_stats(&x, 20).unwrap();
    assert!(s.summary().iter().all(|v| v.is_finite()));
    assert!(multilayer_activity(&x, 5000, 0, 1.0, 1.0, 1.0, false, 1, 1, &f).is_err());
}

#[wasm_bindgen_test]
fn q_split_floor_and_null_through_wasm() {
    use rnnscope::wasm::Matrix;
    let f = js_sys::Function::new_no_args("");
    // Planted modules: Q splits into its parts, the floor is Louvain's, and
    // the connectional null is far below (large z, smallest attainable p).
    let x = planted_activity(30, 3, 6, 40, 1, 0.8, 2).unwrap();
    let mut r = multilayer_activity(&x, 40, 0, 1.0, 1.02, 1.0, false, 2, 1, &f).unwrap();
    assert!((r.q_intra() + r.q_inter() - r.q()).abs() < 1e-12);
    assert!(r.q_intra() > 0.0);
    assert_eq!(r.floor().unwrap(), "louvain");
    assert!(r.q() >= r.q_singletons() && r.q() >= r.q_one_community());
    let nul = r.null_test("connectional", 5, 3, &f).unwrap();
    let nul: serde_json::Value = serde_wasm_bindgen::from_value(nul).unwrap();
    assert_eq!(nul["kind"], "connectional");
    assert_eq!(nul["samples"], 5);
    assert!(nul["z"].as_f64().unwrap() > 3.0, "{nul}");
    assert!((nul["p"].as_f64().unwrap() - 1.0 / 6.0).abs() < 1e-12);
    assert!(!r.warnings().contains("no community structure"));
    assert!(r.null_test("bogus", 5, 3, &f).is_err());

    // One common factor (60 units, r ≈ 0.8): the no-structure warning fires
    // and the optimiser never returns less than the trivial partitions.
    let (t, m) = (400, 60);
    let mut rng = rnnscope::rng::seeded(4);
    use rand_distr::{Distribution, StandardNormal};
    let mut data = Vec::with_capacity(t * m);
    for _ in 0..t {
        let c: f64 = StandardNormal.sample(&mut rng);
        for _ in 0..m {
            let e: f64 = StandardNormal.sample(&mut rng);
            data.push(2.0 * c + e);
        }
    }
    let x = Matrix::new(t, m, &data).unwrap();
    let r = multilayer_activity(&x, 50, 0, 1.0, 1.02, 1.0, false, 2, 1, &f).unwrap();
    assert!((r.q_intra() + r.q_inter() - r.q()).abs() < 1e-12);
    assert!(r.q() >= r.q_singletons() - 1e-12 && r.q() >= r.q_one_community() - 1e-12);
    assert!(
        r.warnings()
            .contains("no community structure beyond the inter-layer coupling"),
        "warnings: {}",
        r.warnings()
    );
}
