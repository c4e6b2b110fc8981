//! wasm-bindgen tests of the Learning panel's exports in headless Chromium:
//! the page's curl run (`curlRun`) and rich/lazy run (`richLazyRun`) return
//! the core's numbers bit for bit, with the core result's keys, and bad
//! parameters become JS errors naming the parameter.
#![cfg(target_arch = "wasm32")]

use rnnscope::curl::model::CurlParams;
use rnnscope::curl::{self, RunOptions};
use rnnscope::richlazy::{self, InitChoice, RlTaskKind};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

fn get(v: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(v, &k.into()).expect("field")
}

fn num(v: &JsValue, k: &str) -> f64 {
    get(v, k).as_f64().expect("a number")
}

fn vec(v: &JsValue, k: &str) -> Vec<f64> {
    serde_wasm_bindgen::from_value(get(v, k)).expect("an array of numbers")
}

fn keys(v: &JsValue) -> Vec<String> {
    let mut k: Vec<String> = js_sys::Object::keys(&js_sys::Object::from(v.clone()))
        .iter()
        .map(|s| s.as_string().expect("a key"))
        .collect();
    k.sort();
    k
}

#[wasm_bindgen_test]
fn page_curl_run_without_flips_equals_the_core_bit_for_bit() {
    let params = js_sys::JSON::parse(
        r#"{"input_dim": 5, "teacher": 4, "student": 6, "epochs": 120, "seed": 3,
            "n_train": 40, "n_test": 20, "scan_points": 0}"#,
    )
    .unwrap();
    let page = rnnscope::wasm::curl_run(params).unwrap();
    let p = CurlParams {
        input_dim: 5,
        teacher: 4,
        student: 6,
        epochs: 120,
        seed: 3,
        n_train: 40,
        n_test: 20,
        batch_size: 40,
        ..CurlParams::default()
    };
    let o = RunOptions {
        lyapunov: Some(curl::lyapunov::LyapunovParams {
            transient: 60,
            ..Default::default()
        }),
        scan_points: 0,
        ..RunOptions::default()
    };
    let core = curl::run(&p, &o).unwrap();
    assert_eq!(core.rule, "gradient");
    assert_eq!(get(&page, "rule").as_string().unwrap(), "gradient");
    assert_eq!(vec(&page, "train_loss"), core.train_loss);
    assert_eq!(vec(&page, "test_loss"), core.test_loss);
    assert_eq!(num(&page, "final_train_loss"), core.final_train_loss);
    assert_eq!(num(&page, "final_test_loss"), core.final_test_loss);
    assert!(
        core.final_train_loss < core.train_loss[0],
        "GD lowered the loss"
    );
    let eig: Vec<f64> = js_sys::Float64Array::new(&get(&page, "eig")).to_vec();
    let want: Vec<f64> = core
        .jacobian_eigenvalues
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .collect();
    assert_eq!(eig, want);
    assert_eq!(eig.len(), 2 * core.n_params, "all P eigenvalues");
    let ly = get(&page, "lyapunov");
    assert_eq!(
        num(&ly, "per_epoch"),
        core.lyapunov.as_ref().unwrap().per_epoch
    );
    // The core result's keys, plus the typed-array `eig`.
    let mut want_keys: Vec<String> = match serde_json::to_value(&core).unwrap() {
        serde_json::Value::Object(m) => m.keys().cloned().collect(),
        _ => unreachable!(),
    };
    want_keys.push("eig".into());
    want_keys.sort();
    assert_eq!(keys(&page), want_keys);
}

#[wasm_bindgen_test]
fn page_curl_run_with_flips_matches_the_core_and_its_gd_baseline() {
    let params = js_sys::JSON::parse(
        r#"{"input_dim": 5, "teacher": 4, "student": 6, "flipped_l1": 2, "side": "col",
            "epochs": 80, "seed": 2, "n_train": 30, "n_test": 10, "scan_points": 0, "lyapunov": false}"#,
    )
    .unwrap();
    let page = rnnscope::wasm::curl_run(params).unwrap();
    let p = CurlParams {
        input_dim: 5,
        teacher: 4,
        student: 6,
        flipped_l1: 2,
        epochs: 80,
        seed: 2,
        n_train: 30,
        n_test: 10,
        batch_size: 30,
        ..CurlParams::default()
    };
    let o = RunOptions {
        lyapunov: None,
        scan_points: 0,
        ..RunOptions::default()
    };
    let core = curl::run(&p, &o).unwrap();
    assert_eq!(core.rule, "curl");
    assert_eq!(vec(&page, "train_loss"), core.train_loss);
    let gd = get(&page, "gd");
    assert_eq!(vec(&gd, "train_loss"), core.gd.as_ref().unwrap().train_loss);
    assert_ne!(core.train_loss, core.gd.as_ref().unwrap().train_loss);
}

#[wasm_bindgen_test]
fn page_rich_lazy_run_equals_the_core() {
    let params = js_sys::JSON::parse(
        r#"{"task": "decision", "n": 12, "iters": 15, "lr": 0.03, "probe": 16, "ntk_trials": 2}"#,
    )
    .unwrap();
    let mut p = richlazy::Params::new(RlTaskKind::Decision);
    p.n = 12;
    p.iters = 15;
    p.lr = 0.03;
    p.probe = 16;
    p.ntk_trials = 2;
    for (rank, init) in [(2, InitChoice::Rank(2)), (0, InitChoice::Aligned)] {
        let page = rnnscope::wasm::rich_lazy_run(params.clone(), rank, 5).unwrap();
        let core = richlazy::run(&p, init, 5).unwrap();
        for (k, v) in [
            ("effective_rank", core.effective_rank),
            ("weight_change", core.weight_change),
            ("weight_change_rel", core.weight_change_rel),
            ("rep_alignment", core.rep_alignment),
            ("kernel_alignment", core.kernel_alignment),
            ("sign_similarity", core.sign_similarity),
            ("loss", core.loss),
            ("accuracy", core.accuracy),
        ] {
            assert_eq!(num(&page, k), v, "{k} at rank {rank}");
        }
        assert!(core.kernel_alignment > 0.0 && core.kernel_alignment <= 1.0 + 1e-12);
        assert!(core.weight_change > 0.0, "training changed W");
    }
}

#[wasm_bindgen_test]
fn bad_learning_parameters_are_js_errors_naming_the_parameter() {
    let msg = |r: Result<JsValue, wasm_bindgen::JsError>| -> String {
        let e: JsValue = r.expect_err("an error").into();
        js_sys::Error::from(e).message().into()
    };
    let bad_side = js_sys::JSON::parse(r#"{"side": "diag"}"#).unwrap();
    let m = msg(rnnscope::wasm::curl_run(bad_side));
    assert!(m.contains("`side`"), "bad_side: {m}");
    let too_many = js_sys::JSON::parse(r#"{"input_dim": 4, "flipped_l1": 9}"#).unwrap();
    let m = msg(rnnscope::wasm::curl_run(too_many));
    assert!(m.contains("`flipped-l1`"), "too_many: {m}");
    let task = js_sys::JSON::parse(r#"{"task": "maze"}"#).unwrap();
    let m = msg(rnnscope::wasm::rich_lazy_run(task, 1, 1));
    assert!(m.contains("`task`"), "task: {m}");
    let n = js_sys::JSON::parse(r#"{"n": 1}"#).unwrap();
    let m = msg(rnnscope::wasm::rich_lazy_run(n, 1, 1));
    assert!(m.contains("`n`"), "n: {m}");
    let m = msg(rnnscope::wasm::spearman_trend(&[1.0], &[2.0, 3.0]));
    assert!(m.contains("2 y values"), "spearman: {m}");
}
