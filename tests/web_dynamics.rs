//! `wasm-bindgen-test` tests for the dynamics area, in headless Chromium.
//! Native runs skip this file.
#![cfg(target_arch = "wasm32")]

use rnnscope::dynamics::{self, Activation, Input, NewtonOpts, Params, Simulator};
use rnnscope::{ensembles, wasm};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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

#[wasm_bindgen_test]
fn simulation_handle_records_and_fits() {
    let w = wasm::make_ensemble("gaussian", 50, 1.8, 0.0, 0.0, 2).unwrap();
    let mut sim = wasm::Simulation::new(&w, 1.0, 0.05, 0.0, "tanh", 0.0, 2).unwrap();
    let out = sim.step_record(100, 4, 5).unwrap();
    assert_eq!(out.len(), 100 * (3 + 5));
    assert!((sim.time() - 20.0).abs() < 1e-9);
    let pr = sim.fit_pca().unwrap();
    assert!(pr >= 1.0 && pr <= 50.0, "PR {pr}");
    assert_eq!(sim.history_projection().len(), 200);
    assert!(wasm::make_ensemble("nope", 5, 1.0, 0.0, 0.0, 1).is_err());
    assert!(wasm::Simulation::new(&w, 1.0, 0.05, 0.0, "cube", 0.0, 1).is_err());
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
