//! wasm-bindgen tests of HebbFF in headless Chromium: the gradient through the
//! plastic matrix, bit-identical seeded training (pinned natively in
//! tests/hebbff.rs), and the timing of one epoch at the study's sizes.
#![cfg(target_arch = "wasm32")]

use rnnscope::hebbff::{generate, HebbFF, HebbParams, HebbTrainer, TaskParams};

#[path = "../common/hebb.rs"]
mod hebb;
use hebb::{pinned_params, tiny_params, PINNED_ACCURACY, PINNED_LOSS_BITS};
use rnnscope::train::gradcheck::{central_diff, max_rel_err};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn gradient_through_a_matches_finite_differences_in_wasm() {
    let task = TaskParams {
        n: 6,
        r_min: 2,
        r_max: 3,
        p: 0.5,
    };
    let s = generate(&task, 90, 2).unwrap();
    let mut net = HebbFF::new(6, 4, 8).unwrap();
    net.lam = 0.85;
    net.eta = -0.5;
    let (_, g) = net.loss_and_grad(&s).unwrap();
    let mut analytic = g.w1.clone();
    analytic.extend_from_slice(&g.b1);
    analytic.extend_from_slice(&g.w2);
    analytic.extend_from_slice(&[g.b2, g.lam, g.eta]);
    let theta = net.to_flat();
    let idx: Vec<usize> = (0..theta.len()).collect();
    let mut probe = net.clone();
    let num = central_diff(
        |v| {
            probe.set_flat(v);
            probe.run(&s, false).unwrap().loss
        },
        &theta,
        &idx,
        1e-5,
    );
    assert!(max_rel_err(&analytic, &num, 1e-6) < 1e-5);
}

#[wasm_bindgen_test]
fn seeded_run_matches_the_native_pin() {
    let p = pinned_params();
    let mut tr = HebbTrainer::new(p).unwrap();
    while !tr.finished() {
        tr.step().unwrap();
    }
    let s = tr.snapshot().unwrap();
    assert_eq!(s.loss.to_bits(), PINNED_LOSS_BITS, "loss {}", s.loss);
    assert_eq!(s.accuracy, PINNED_ACCURACY); // the study's accuracy definition
}

#[wasm_bindgen_test]
fn study_size_epoch_timing() {
    let mut tr = HebbTrainer::new(HebbParams::default()).unwrap();
    let t0 = js_sys::Date::now();
    for _ in 0..20 {
        tr.step().unwrap();
    }
    let ms = (js_sys::Date::now() - t0) / 20.0;
    web_sys::console::log_1(
        &format!("WASM HebbFF epoch (N=100, M=120, 100 fresh items): {ms:.1} ms").into(),
    );
    // The timed epochs are the real ones: the same seeded run in two chunks
    // of 10 epochs gives the same losses bit for bit, and an untrained
    // network's first epoch loss is near ln 2 (output ≈ ½ on every item).
    let mut again = HebbTrainer::new(HebbParams::default()).unwrap();
    for _ in 0..20 {
        again.step().unwrap();
    }
    assert_eq!(tr.train_loss, again.train_loss);
    assert!(
        (tr.train_loss[0] - std::f64::consts::LN_2).abs() < 0.2,
        "{}",
        tr.train_loss[0]
    );
}

/// The page's HebbFF export is the core's: `runHebbffInstance` hands out
/// the same snapshots (same keys, same values) as `run_instance` — which is
/// what the CLI prints (tests/schema.rs checks that side).
#[wasm_bindgen_test]
fn page_snapshots_are_the_core_struct() {
    use rnnscope::hebbff::study::{run_instance, AnalysisParams, SnapshotMetrics};
    use wasm_bindgen::JsValue;
    let params = js_sys::JSON::parse(
        r#"{"n": 20, "m": 16, "r_min": 3, "r_max": 3, "p": 0.5, "data": "fresh", "seq_len": 50,
            "epochs": 30, "lr": 0.001, "eval_every": 10, "test_len": 200, "window": 20,
            "runs": 1, "seed": 3}"#,
    )
    .unwrap();
    let calls = std::cell::Cell::new(0);
    let cb = js_sys::Function::new_with_args(
        "s, acc, epochs",
        "return epochs === 30 && typeof s.snapshot.q === 'number';",
    );
    let out = rnnscope::wasm::run_hebbff_instance(params, &cb).unwrap();
    let inst = js_sys::Reflect::get(&out, &"instance".into()).unwrap();
    let snaps_js = js_sys::Reflect::get(&inst, &"snapshots".into()).unwrap();
    let page: Vec<SnapshotMetrics> = serde_wasm_bindgen::from_value(snaps_js.clone()).unwrap();
    calls.set(page.len());
    // The core's run with the same settings.
    let hp = tiny_params(3);
    let mut ap = AnalysisParams {
        keep_allegiance: true,
        ..AnalysisParams::default()
    };
    ap.activity.window = 20;
    ap.activity.multilayer.runs = 1;
    let core = run_instance(hp, Some(&ap), &mut |_, _| true).unwrap();
    let stripped: Vec<SnapshotMetrics> = core
        .snapshots
        .iter()
        .map(|s| SnapshotMetrics {
            allegiance: None,
            order: None,
            activation_histogram: None,
            ..s.clone()
        })
        .collect();
    assert_eq!(calls.get(), 4);
    assert_eq!(page, stripped);
    // Same keys as the core's serde serialisation (the CLI's JSON).
    let first = js_sys::Reflect::get(&snaps_js, &JsValue::from(0)).unwrap();
    let mut keys: Vec<String> = js_sys::Object::keys(&first.into())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    let v = serde_json::to_value(&stripped[0]).unwrap();
    let mut want: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    want.sort();
    assert_eq!(keys, want);
    assert!(
        want.contains(&"lambda".to_string()) && want.contains(&"system_flexibility".to_string())
    );
}

/// `checkHebbffParams` and `runHebbffInstance` read the core's one
/// `RunParams` and its check: the page gets the CLI's errors, named, before
/// anything trains.
#[wasm_bindgen_test]
fn page_params_are_checked_by_the_core() {
    use rnnscope::wasm::check_hebbff_params;
    let message = |json: &str| -> String {
        match check_hebbff_params(js_sys::JSON::parse(json).unwrap()) {
            Ok(()) => String::new(),
            Err(e) => wasm_bindgen::JsValue::from(e)
                .dyn_into::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default(),
        }
    };
    use wasm_bindgen::JsCast;
    // The page's defaults (0 = the data mode's default) pass.
    assert_eq!(
        message(
            r#"{"n": 100, "m": 120, "r_min": 5, "r_max": 5, "p": 0.5, "data": "fresh", "seq_len": 0,
                "epochs": 0, "lr": 0.001, "eval_every": 0, "test_len": 2500, "window": 50, "runs": 3, "seed": 1}"#
        ),
        ""
    );
    // One window of the held-out stream: the core's rule, named `window`.
    let m = message(r#"{"test_len": 200, "window": 150}"#);
    assert!(m.contains("`window`") && m.contains("at least 2"), "{m}");
    assert!(message(r#"{"gamma": -1}"#).contains("`gamma`"));
    assert!(message(r#"{"data": "stale"}"#).contains("HebbFF parameters"));
    assert!(message(r#"{"null": "connectional", "null_samples": 1}"#).contains("null-samples"));
    assert!(message(r#"{"seq_len": 20001}"#).contains("at most 20000"));
}
