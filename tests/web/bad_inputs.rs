//! The bad-input corpus (`tests/bad-inputs/`, also run through the CLI by
//! tests/bad_inputs.rs) and absurd parameters through the WASM exports: each
//! case must come back as a JS `Error` with a clear message — a panic would
//! trap and fail the test.
#![cfg(target_arch = "wasm32")]

use rnnscope::wasm::{
    bench_louvain, curl_run, eigenvalues, make_ensemble, multilayer_activity, planted_activity,
    random_gaussian, Matrix, MotifGraph, Simulation,
};
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::*;

/// A settings object from JSON text.
fn ens(t: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(t).unwrap()
}

/// (file, its bytes, a fragment the error must contain) — as the CLI test.
const CORPUS: &[(&str, &[u8], &str)] = &[
    (
        "bad-version.npy",
        include_bytes!("../bad-inputs/bad-version.npy"),
        "unknown version",
    ),
    (
        "blank-lines.csv",
        include_bytes!("../bad-inputs/blank-lines.csv"),
        "no numbers",
    ),
    (
        "complex.npy",
        include_bytes!("../bad-inputs/complex.npy"),
        "unsupported NPY dtype",
    ),
    (
        "empty.csv",
        include_bytes!("../bad-inputs/empty.csv"),
        "no numbers",
    ),
    (
        "garbage.bin",
        include_bytes!("../bad-inputs/garbage.bin"),
        "neither NPY nor UTF-8",
    ),
    (
        "header.csv",
        include_bytes!("../bad-inputs/header.csv"),
        "header",
    ),
    (
        "huge-shape.npy",
        include_bytes!("../bad-inputs/huge-shape.npy"),
        "too large",
    ),
    (
        "inf.csv",
        include_bytes!("../bad-inputs/inf.csv"),
        "row 1, column 2",
    ),
    (
        "nan.csv",
        include_bytes!("../bad-inputs/nan.csv"),
        "row 2, column 1",
    ),
    ("nan.npy", include_bytes!("../bad-inputs/nan.npy"), "NaN"),
    (
        "non-square.csv",
        include_bytes!("../bad-inputs/non-square.csv"),
        "square",
    ),
    (
        "ragged.csv",
        include_bytes!("../bad-inputs/ragged.csv"),
        "row 2 has 2 columns",
    ),
    (
        "semicolons.csv",
        include_bytes!("../bad-inputs/semicolons.csv"),
        "commas",
    ),
    (
        "string-dtype.npy",
        include_bytes!("../bad-inputs/string-dtype.npy"),
        "unsupported NPY dtype",
    ),
    (
        "three-d.npy",
        include_bytes!("../bad-inputs/three-d.npy"),
        "2-D",
    ),
    (
        "truncated.npy",
        include_bytes!("../bad-inputs/truncated.npy"),
        "truncated",
    ),
    (
        "unterminated-quote.csv",
        include_bytes!("../bad-inputs/unterminated-quote.csv"),
        "row 2, column 2",
    ),
];

/// The message of the JS `Error` an export returned.
fn message(e: JsError) -> String {
    let v: JsValue = e.into();
    let err: js_sys::Error = v.dyn_into().expect("a JS Error object");
    String::from(err.message())
}

fn expect_err<T>(what: &str, r: Result<T, JsError>, want: &str) {
    match r {
        Ok(_) => panic!("{what}: accepted, want an error containing {want:?}"),
        Err(e) => {
            let m = message(e);
            assert!(m.contains(want), "{what}: got {m:?}, want {want:?}");
        }
    }
}

#[wasm_bindgen_test]
fn corpus_through_the_matrix_loader() {
    // As the connectivity panel does: parse, then ask for the spectrum.
    for (file, bytes, want) in CORPUS {
        let r = Matrix::from_bytes(bytes, None).and_then(|m| eigenvalues(&m));
        expect_err(file, r, want);
    }
}

#[wasm_bindgen_test]
fn corpus_through_the_motif_loader() {
    for (file, bytes, want) in CORPUS {
        expect_err(file, MotifGraph::from_bytes(bytes, false, None), want);
    }
}

#[wasm_bindgen_test]
fn absurd_parameters_are_js_errors() {
    expect_err("N = 10^7", random_gaussian(10_000_000, 1.0, 1), "`n`");
    expect_err("g < 0", random_gaussian(10, -1.0, 1), "`g`");
    expect_err("g NaN", random_gaussian(10, f64::NAN, 1), "`g`");
    expect_err(
        "ensemble N = 10^7",
        make_ensemble(ens(r#"{"kind": "gaussian", "n": 10000000, "g": 1.0}"#)),
        "`n`",
    );
    expect_err(
        "unknown ensemble",
        make_ensemble(ens(r#"{"kind": "nope", "n": 10}"#)),
        "nope",
    );
    expect_err(
        "motif N = 10^7",
        MotifGraph::random(10_000_000, 0.1, 1),
        "`n`",
    );
    expect_err(
        "density NaN",
        MotifGraph::random(10, f64::NAN, 1),
        "density",
    );
    expect_err(
        "odd edge pairs",
        MotifGraph::from_edges(3, &[0, 1, 2]),
        "even",
    );
    expect_err("edge out of range", MotifGraph::from_edges(3, &[0, 7]), "7");
    expect_err(
        "NaN entry",
        Matrix::new(2, 2, &[1.0, f64::NAN, 0.0, 1.0]),
        "NaN",
    );
    expect_err(
        "huge shape",
        Matrix::new(10_000_000, 10_000_000, &[]),
        "too large",
    );
    expect_err("short data", Matrix::new(3, 3, &[1.0]), "needs 9");
    let w = random_gaussian(5, 1.0, 1).unwrap();
    let sim = |tau: f64, dt: f64, sigma: f64, phi: &str| {
        let o = js_sys::Object::new();
        for (k, v) in [("tau", tau), ("dt", dt), ("sigma", sigma)] {
            js_sys::Reflect::set(&o, &k.into(), &JsValue::from_f64(v)).unwrap();
        }
        js_sys::Reflect::set(&o, &"phi".into(), &phi.into()).unwrap();
        Simulation::new(&w, o.into())
    };
    expect_err("tau < 0", sim(-1.0, 0.01, 0.0, "tanh"), "tau");
    expect_err("dt NaN", sim(1.0, f64::NAN, 0.0, "tanh"), "dt");
    expect_err("sigma Inf", sim(1.0, 0.01, f64::INFINITY, "tanh"), "sigma");
    expect_err("unknown phi", sim(1.0, 0.01, 0.0, "sigmoidal"), "sigmoidal");
    expect_err(
        "unknown key",
        Simulation::new(&w, js_sys::JSON::parse(r#"{"gain": 2}"#).unwrap()),
        "gain",
    );
    // Every params object is checked for keys its type does not declare
    // (serde-wasm-bindgen alone would ignore a misspelt one).
    let parse = |s: &str| js_sys::JSON::parse(s).unwrap();
    expect_err(
        "misspelt planted key",
        planted_activity(parse(r#"{"unit": 30}"#)),
        "unknown key `unit`",
    );
    expect_err(
        "misspelt curl key",
        curl_run(parse(r#"{"input_dim": 4, "seeed": 1}"#)),
        "unknown key `seeed`",
    );
    // …and so are the nested params objects (path-named).
    let act = Matrix::new(
        60,
        4,
        &(0..240)
            .map(|i| ((i * 7919) % 101) as f64)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let nop = js_sys::Function::new_no_args("");
    expect_err(
        "misspelt nested multilayer key",
        multilayer_activity(
            &act,
            parse(r#"{"window": 20, "multilayer": {"omgea": 1}}"#),
            &nop,
        ),
        "unknown key `multilayer.omgea`",
    );
    expect_err(
        "misspelt nested RL key",
        rnnscope::wasm::rl::RlGroupExperiment::new(parse(r#"{"seeds": 1, "cfg": {"nn": 8}}"#)),
        "unknown key `cfg.nn`",
    );
    // The same objects with the right keys are accepted.
    assert!(multilayer_activity(
        &act,
        parse(r#"{"window": 20, "multilayer": {"omega": 1}}"#),
        &nop
    )
    .is_ok());
    let mut sim = sim(1.0, 0.01, 0.0, "tanh").unwrap();
    expect_err("sigma < 0 later", sim.set_sigma(-1.0), "sigma");
    expect_err("Louvain gamma NaN", bench_louvain(&w, f64::NAN, 1), "gamma");
    expect_err("Louvain asymmetric", bench_louvain(&w, 1.0, 1), "symmetric");
    expect_err(
        "planted N = 10^7",
        planted_activity(
            js_sys::JSON::parse(r#"{"units": 10000000, "modules": 3, "windows": 4, "window": 40}"#)
                .unwrap(),
        ),
        "units",
    );
    expect_err(
        "planted noise < 0",
        planted_activity(js_sys::JSON::parse(r#"{"units": 30, "noise": -1.0}"#).unwrap()),
        "noise",
    );
}
