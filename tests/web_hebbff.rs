//! wasm-bindgen tests of HebbFF in headless Chromium: the gradient through the
//! plastic matrix, bit-identical seeded training (pinned natively in
//! tests/hebbff.rs), and the timing of one epoch at the study's sizes.
#![cfg(target_arch = "wasm32")]

use rnnscope::hebbff::{generate, HebbFF, HebbParams, HebbTrainer, TaskParams};
use rnnscope::train::gradcheck::{central_diff, max_rel_err};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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
    let p = HebbParams {
        task: TaskParams {
            n: 20,
            r_min: 3,
            r_max: 3,
            p: 0.5,
        },
        m: 16,
        seq_len: 50,
        epochs: 30,
        lr: 0.01,
        test_len: 200,
        seed: 11,
        ..HebbParams::default()
    };
    let mut tr = HebbTrainer::new(p).unwrap();
    while !tr.finished() {
        tr.step().unwrap();
    }
    let s = tr.snapshot().unwrap();
    assert_eq!(s.loss.to_bits(), 0x3fdb_616f_c7e0_9a1c, "loss {}", s.loss);
    assert_eq!(s.accuracy, 0.8677022780832679); // the study's accuracy definition
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
    assert!(ms.is_finite());
}
