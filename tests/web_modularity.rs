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
