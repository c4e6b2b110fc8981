//! Modularity through the WASM boundary, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use rnnscope::wasm::{activity_stats, multilayer_activity, planted_activity, Matrix};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

/// A JS object from JSON text (what the page's worker passes).
fn obj(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

/// The planted demo of these tests: 30 units, 3 modules, 6 windows of 40.
fn planted() -> Matrix {
    planted_activity(obj(
        r#"{"units": 30, "modules": 3, "windows": 6, "window": 40, "drift": 1, "noise": 0.8, "seed": 2}"#,
    ))
    .unwrap()
}

/// The core's ActivityParams as the page sends them (ordinal, disjoint windows).
fn params(window: usize, runs: usize) -> JsValue {
    obj(&format!(
        r#"{{"window": {window}, "step": null, "multilayer": {{"omega": 1.0, "gamma_pos": [1.02],
            "gamma_neg": [1.0], "runs": {runs}, "seed": 1}}}}"#
    ))
}

#[wasm_bindgen_test]
fn params_objects_are_the_core_types() {
    use rnnscope::modularity::synthetic::PlantedParams;
    use rnnscope::modularity::{multilayer_pipeline, ActivityParams};
    let f = js_sys::Function::new_no_args("");
    // plantedActivity({…}) is the core's PlantedParams::generate, bit for bit.
    let x = planted();
    let p = PlantedParams {
        units: 30,
        modules: 3,
        windows: 6,
        window: 40,
        drift: 1,
        noise: 0.8,
        seed: 2,
    };
    let (native, _) = p.generate().unwrap();
    assert_eq!(x.data(), native.iter().copied().collect::<Vec<_>>());
    // multilayerActivity(x, {…}) is the core's pipeline with that ActivityParams.
    let r = multilayer_activity(&x, params(40, 2), &f).unwrap();
    let mut ap = ActivityParams::hebbff();
    ap.window = 40;
    ap.multilayer.runs = 2;
    let core = multilayer_pipeline(native.view(), &ap, &mut |_, _| {}).unwrap();
    assert_eq!(r.q().to_bits(), core.result.q.to_bits());
    assert_eq!(r.n_communities(), core.result.n_communities);
    // Categorical coupling and a step through the same object.
    let cat =
        obj(r#"{"window": 40, "step": 20, "multilayer": {"coupling": "categorical", "runs": 1}}"#);
    let rc = multilayer_activity(&x, cat, &f).unwrap();
    assert_eq!(rc.layers(), 11); // (240 − 40)/20 + 1
                                 // Wrong types and out-of-range values are named errors.
    for (bad, want) in [
        (r#"{"window": "forty"}"#, "multilayer parameters"),
        (r#"{"window": 40, "multilayer": {"omega": -1}}"#, "omega"),
        (
            r#"{"window": 40, "multilayer": {"gamma_neg": []}}"#,
            "gamma-neg",
        ),
        (r#"{"window": 40, "step": 0}"#, "step"),
        (r#"{"window": 5000}"#, "window"),
    ] {
        let msg = match multilayer_activity(&x, obj(bad), &f) {
            Ok(_) => panic!("{bad} accepted"),
            Err(e) => JsValue::from(e)
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default(),
        };
        assert!(msg.contains(want), "{bad}: {msg}");
    }
    assert!(planted_activity(obj(r#"{"units": 10000000}"#)).is_err());
    assert!(planted_activity(obj(r#"{"noise": -1}"#)).is_err());
}

#[wasm_bindgen_test]
fn stats_summary_is_the_core_struct() {
    let x = planted();
    let s = activity_stats(&x, 20).unwrap();
    let page: serde_json::Value = serde_wasm_bindgen::from_value(s.summary().unwrap()).unwrap();
    let a = ndarray::Array2::from_shape_vec((x.rows(), x.cols()), x.data()).unwrap();
    let core = rnnscope::stats::activity_stats(a.view(), 20).unwrap();
    let want = serde_json::to_value(&core).unwrap();
    // Same keys and the same values (the CLI's `stats` JSON). A JS number
    // comes back as an integer when it is whole (0.0 → 0), so compare every
    // number as f64.
    fn as_f64s(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::Number(n) => n
                .as_f64()
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number),
            Value::Array(a) => Value::Array(a.into_iter().map(as_f64s).collect()),
            Value::Object(o) => {
                Value::Object(o.into_iter().map(|(k, v)| (k, as_f64s(v))).collect())
            }
            v => v,
        }
    }
    assert_eq!(as_f64s(page.clone()), as_f64s(want));
    assert_eq!(
        page["mean"].as_f64().unwrap().to_bits(),
        core.mean.to_bits()
    );
    assert_eq!(page["units"], 30);
    assert_eq!(page["samples"], 240);
}

#[wasm_bindgen_test]
fn demo_multilayer_and_stats() {
    let x = planted();
    let f = js_sys::Function::new_no_args("");
    let r = multilayer_activity(&x, params(40, 2), &f).unwrap();
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
    assert!(multilayer_activity(&x, params(5000, 1), &f).is_err());
}

#[wasm_bindgen_test]
fn q_split_floor_and_null_through_wasm() {
    let f = js_sys::Function::new_no_args("");
    // Planted modules: Q splits into its parts, the floor is Louvain's, and
    // the connectional null is far below (large z, smallest attainable p).
    let x = planted();
    let mut r = multilayer_activity(&x, params(40, 2), &f).unwrap();
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
    let r = multilayer_activity(&x, params(50, 2), &f).unwrap();
    assert!((r.q_intra() + r.q_inter() - r.q()).abs() < 1e-12);
    assert!(r.q() >= r.q_singletons() - 1e-12 && r.q() >= r.q_one_community() - 1e-12);
    assert!(
        r.warnings()
            .contains("no community structure beyond the inter-layer coupling"),
        "warnings: {}",
        r.warnings()
    );
}
