//! `wasm-bindgen-test` tests for the dynamics area, in headless Chromium.
//! Native runs skip this file.
#![cfg(target_arch = "wasm32")]

use rnnscope::dynamics::{self, Activation, Input, NewtonOpts, Params, Simulator};
use rnnscope::{ensembles, wasm};
use wasm_bindgen_test::*;

/// A settings object from JSON text.
fn ens(t: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(t).unwrap()
}

#[wasm_bindgen_test]
fn linear_network_matches_closed_form_in_wasm() {
    let n = 20;
    let w = ensembles::gaussian(n, 0.7, 5).unwrap();
    let mut a = w.clone();
    for i in 0..n {
        a[[i, i]] -= 1.0;
    }
    let h0 = Simulator::random_state(n, 1.0, 1);
    let p = Params {
        tau: 1.0,
        dt: 1e-4,
        sigma: 0.0,
        phi: Activation::Linear,
    };
    let mut sim = Simulator::new(w, h0.clone(), p, Input::None, 0).unwrap();
    let x = sim.record(1, 10_000).unwrap();
    let exact = dynamics::linear_closed_form(&a, &h0, &[1.0]).unwrap();
    let err = (&x - &exact).iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(err < 1e-3, "max error {err}");
}

#[wasm_bindgen_test]
fn random_mode_and_fixed_points_in_wasm() {
    // Haar modes: an exact SVD, so the singular values are the requested spectrum.
    let spec = ensembles::ModeSpectrum::Exponential { kappa: 4.0 };
    let mut p = ensembles::RandomModeParams::new(40, spec, 1.2);
    p.vectors = ensembles::ModeVectors::Haar;
    p.seed = 3;
    let m = ensembles::random_mode_model(&p).unwrap();
    for (a, b) in spec
        .values(40, 1.2)
        .unwrap()
        .iter()
        .zip(m.singular_values.as_ref().unwrap())
    {
        assert!((a - b).abs() < 1e-9);
    }
    let w = ensembles::gaussian(30, 2.0, 3).unwrap();
    let opts = NewtonOpts {
        starts: 20,
        scale: 0.3,
        ..Default::default()
    };
    let fps = dynamics::find_fixed_points(&w, 1.0, Activation::Tanh, &[], &opts).unwrap();
    assert!(!fps.is_empty());
    assert!(fps.iter().all(|p| p.residual < 1e-9));
}

fn get(o: &wasm_bindgen::JsValue, k: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(o, &k.into()).unwrap()
}

fn floats(o: &wasm_bindgen::JsValue, k: &str) -> Vec<f64> {
    js_sys::Float64Array::new(&get(o, k)).to_vec()
}

#[wasm_bindgen_test]
fn simulation_handle_records_and_fits() {
    let w =
        wasm::make_ensemble(ens(r#"{"kind": "gaussian", "n": 50, "g": 1.8, "seed": 2}"#)).unwrap();
    let params =
        js_sys::JSON::parse(r#"{"tau": 1, "dt": 0.05, "phi": "tanh", "seed": 2}"#).unwrap();
    let mut sim = wasm::Simulation::new(&w, params).unwrap();
    let rec = js_sys::JSON::parse(r#"{"samples": 100, "every": 4, "traces": 5}"#).unwrap();
    let out = sim.step_record(rec).unwrap();
    // The same run natively: the seeded start, 4 Euler steps per sample.
    let p = Params {
        tau: 1.0,
        dt: 0.05,
        sigma: 0.0,
        phi: Activation::Tanh,
    };
    let wn = ensembles::gaussian(50, 1.8, 2).unwrap();
    let mut native =
        Simulator::new(wn, Simulator::random_state(50, 1.0, 2), p, Input::None, 2).unwrap();
    let (t, h) = (floats(&out, "t"), floats(&out, "h"));
    assert_eq!(get(&out, "traces").as_f64(), Some(5.0));
    assert_eq!(
        (t.len(), h.len(), floats(&out, "pc").len()),
        (100, 500, 200)
    );
    for s in 0..100 {
        native.step(4).unwrap();
        assert!((t[s] - native.time()).abs() < 1e-12);
        assert_eq!(&h[5 * s..5 * s + 5], &native.state()[..5], "sample {s}");
    }
    // Before the first fit the projections are 0; afterwards the history
    // projected on the fitted axes has the fitted PR.
    assert!(floats(&out, "pc").iter().all(|&x| x == 0.0));
    let pr = sim.fit_pca().unwrap();
    let x = sim.history_activity().unwrap();
    let xa = ndarray::Array2::from_shape_vec((x.rows(), x.cols()), x.data()).unwrap();
    let want = dynamics::pca(&xa, 0).unwrap().participation_ratio;
    assert!((pr - want).abs() < 1e-9, "PR {pr} vs {want}");
    assert_eq!(sim.history_projection().len(), 200);
    assert!(wasm::make_ensemble(ens(r#"{"kind": "nope", "n": 5}"#)).is_err());
    let bad = js_sys::JSON::parse(r#"{"phi": "cube"}"#).unwrap();
    assert!(wasm::Simulation::new(&w, bad).is_err());
}

#[wasm_bindgen_test]
fn fixed_points_export_matches_the_core() {
    let w =
        wasm::make_ensemble(ens(r#"{"kind": "gaussian", "n": 30, "g": 2.0, "seed": 3}"#)).unwrap();
    let params =
        js_sys::JSON::parse(r#"{"tau": 1, "phi": "tanh", "starts": 20, "seed": 3}"#).unwrap();
    let got = wasm::fixed_points(&w, params).unwrap();
    let opts = NewtonOpts {
        starts: 20,
        seed: 3,
        ..Default::default()
    };
    let wn = ensembles::gaussian(30, 2.0, 3).unwrap();
    let want = dynamics::find_fixed_points(&wn, 1.0, Activation::Tanh, &[], &opts).unwrap();
    assert_eq!(got.length() as usize, want.len());
    for (k, p) in want.iter().enumerate() {
        let o = got.get(k as u32);
        assert_eq!(get(&o, "stable").as_bool(), Some(p.stable));
        assert_eq!(get(&o, "residual").as_f64(), Some(p.residual));
        assert_eq!(get(&o, "norm").as_f64(), Some(p.norm()));
        assert_eq!(floats(&o, "h"), p.h);
        let eig: Vec<f64> = p.eigenvalues.iter().flat_map(|&(a, b)| [a, b]).collect();
        assert_eq!(floats(&o, "eigenvalues"), eig);
    }
}

#[wasm_bindgen_test]
fn speed_n200_10000_euler_steps() {
    // Reported, not asserted: speed goals live in benches/dynamics.rs natively.
    let w = ensembles::gaussian(200, 1.5, 1).unwrap();
    let p = Params {
        tau: 1.0,
        dt: 0.05,
        sigma: 0.0,
        phi: Activation::Tanh,
    };
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let mut sim = Simulator::new(
            w.clone(),
            Simulator::random_state(200, 1.0, 2),
            p,
            Input::None,
            3,
        )
        .unwrap();
        let t0 = js_sys::Date::now();
        sim.step(10_000).unwrap();
        best = best.min(js_sys::Date::now() - t0);
        // The timed steps are the real dynamics: the same run in two chunks
        // ends in the same state bit for bit, and |h_i| stays below the
        // bound Σ_j |W_ij| + max |h0| that dh/dt = −h + W tanh h implies.
        let mut chunked = Simulator::new(
            w.clone(),
            Simulator::random_state(200, 1.0, 2),
            p,
            Input::None,
            3,
        )
        .unwrap();
        chunked.step(4_000).unwrap();
        chunked.step(6_000).unwrap();
        assert_eq!(sim.state(), chunked.state());
        let h0max = Simulator::random_state(200, 1.0, 2)
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()));
        for (i, h) in sim.state().iter().enumerate() {
            let bound: f64 = w.row(i).iter().map(|x| x.abs()).sum::<f64>() + h0max;
            assert!(h.abs() <= bound, "unit {i}: |h| = {} > {bound}", h.abs());
        }
    }
    console_log!("WASM: N = 200, 10,000 Euler steps in {best} ms (best of 3)");
}

/// JSON equality with numbers compared as f64 (a JS number 20 comes back
/// as the integer 20, the core's 20.0 as a float).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => x.as_f64() == y.as_f64(),
        (V::Array(x), V::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (V::Object(x), V::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// A JS object from JSON text (as the page's jobs pass their parameters).
fn js_obj(text: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(text).expect("valid JSON")
}

#[wasm_bindgen_test]
fn lyapunov_export_equals_core_and_changes_sign_with_g() {
    use rnnscope::dynamics::{lyapunov_spectrum, LyapunovParams};
    // N = 100, seed 1: at N = 60 some g = 3 networks sit on limit cycles (λ1 ≈ 0).
    let n = 100;
    let params =
        r#"{"k": 4, "steps": 4000, "burn": 1000, "dt": 0.05, "tau": 1, "phi": "tanh", "seed": 1}"#;
    let core_p = LyapunovParams {
        k: 4,
        steps: 4000,
        burn: 1000,
        seed: 1,
        ..LyapunovParams::default()
    };
    let mut l1 = Vec::new();
    for g in [0.5, 3.0] {
        let w = ensembles::gaussian(n, g, 1).unwrap();
        let m = wasm::Matrix::new(n, n, w.as_slice().unwrap()).unwrap();
        let out = wasm::lyapunov(&m, js_obj(params)).unwrap();
        let page: serde_json::Value = serde_wasm_bindgen::from_value(out).unwrap();
        let core = serde_json::to_value(lyapunov_spectrum(&w, None, &core_p).unwrap()).unwrap();
        // Same keys and the same numbers as the core (and so the CLI).
        assert!(same(&page["exponents"], &core["exponents"]));
        assert!(same(
            &page["kaplan_yorke_dimension"],
            &core["kaplan_yorke_dimension"]
        ));
        let ex: Vec<f64> = serde_json::from_value(page["exponents"].clone()).unwrap();
        assert_eq!(ex.len(), 4);
        assert!(ex.windows(2).all(|p| p[0] >= p[1] - 1e-12), "{ex:?}");
        l1.push(ex[0]);
    }
    // Below the transition λ1 < 0 (≈ −1 + g for small g); above it chaos, λ1 > 0.
    assert!(l1[0] < -0.2, "λ1 at g = 0.5: {}", l1[0]);
    assert!(l1[1] > 0.05, "λ1 at g = 3: {}", l1[1]);
    let m = wasm::Matrix::new(2, 2, &[0.0; 4]).unwrap();
    assert!(wasm::lyapunov(&m, js_obj(r#"{"k": 5}"#)).is_err());
    assert!(wasm::lyapunov(&m, js_obj(r#"{"bogus": 1}"#)).is_err());
}

#[wasm_bindgen_test]
fn sweep_handle_equals_core_sweep() {
    use rnnscope::dynamics::sweep::{sweep, SweepKind, SweepParam, SweepParams};
    let text = r#"{"param": "g", "values": [0.5, 3.0], "seeds": 2, "kind": "gaussian", "n": 40,
        "burn": 400, "samples": 200, "every": 2, "max_lag": 50, "lyap_steps": 1000}"#;
    let mut h = wasm::DynSweep::new(js_obj(text)).unwrap();
    assert_eq!(h.points(), 4);
    for i in 0..4 {
        h.point(i).unwrap();
    }
    assert!(h.point(4).is_err());
    let page: serde_json::Value = serde_wasm_bindgen::from_value(h.summary().unwrap()).unwrap();
    let p = SweepParams {
        param: SweepParam::G,
        values: vec![0.5, 3.0],
        seeds: 2,
        kind: SweepKind::Gaussian,
        n: 40,
        burn: 400,
        samples: 200,
        every: 2,
        max_lag: 50,
        lyap_steps: 1000,
        ..SweepParams::default()
    };
    let core = serde_json::to_value(sweep(&p).unwrap()).unwrap();
    assert!(same(&page["rows"], &core["rows"]), "{page} vs {core}");
    let rows = page["rows"].as_array().unwrap();
    // At N = 40 chaos at g = 3 is weak (λ1 = −0.044 ± 0.041 over 2 seeds:
    // finite-size limit cycles); λ1 is still far above its g = 0.5 value (−0.55).
    let l1 = |i: usize| rows[i]["lambda1"]["mean"].as_f64().unwrap();
    assert!(l1(0) < -0.4, "λ1 at g = 0.5: {}", l1(0));
    assert!(l1(1) > l1(0) + 0.3, "λ1 at g = 3: {}", l1(1));
    assert_eq!(rows[1]["lambda1"]["n"], 2);
    assert_eq!(page["record"], "rates");
    // Bad combinations are named as the CLI names them.
    let bad = wasm::DynSweep::new(js_obj(r#"{"param": "alpha", "kind": "gaussian"}"#));
    assert!(bad.is_err());
}
