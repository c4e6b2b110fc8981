//! wasm-bindgen tests of the training engine in headless Chromium: the same
//! run as natively, the BPTT gradient check, and the timing of one epoch.
#![cfg(target_arch = "wasm32")]

use rnnscope::train::gradcheck::{central_diff, max_rel_err};
use rnnscope::train::{RateRnn, Task, TaskKind, TrainConfig, Trainer};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn bptt_matches_finite_differences_in_wasm() {
    let task = Task::new(TaskKind::FlipFlop, 25, 0.1).unwrap();
    let batch = task.batch(2, 5).unwrap();
    let mut net = RateRnn::new(5, 3, 3, 1.5, 0.3, 0.1, 2).unwrap();
    let (_, mut g, _) = net.loss_grad(&batch, 9, 0).unwrap();
    let analytic = g.blocks_mut()[0].to_vec();
    let theta = net.blocks_mut()[0].to_vec();
    let idx: Vec<usize> = (0..theta.len()).collect();
    let num = central_diff(
        |x| {
            let mut p = net.clone();
            p.blocks_mut()[0].copy_from_slice(x);
            let tr = p.forward(&batch, 9).unwrap();
            p.loss(&batch, &tr)
        },
        &theta,
        &idx,
        1e-5,
    );
    assert!(max_rel_err(&analytic, &num, 1e-6) < 1e-5);
}

#[wasm_bindgen_test]
fn flipflop_epoch_timing_and_determinism() {
    let mut cfg = TrainConfig::new(TaskKind::FlipFlop);
    cfg.n = 32;
    cfg.batch = 16;
    let mut tr = Trainer::new(cfg.clone(), None).unwrap();
    let t0 = js_sys::Date::now();
    let mut last = None;
    for _ in 0..100 {
        last = Some(tr.step().unwrap());
    }
    let ms = js_sys::Date::now() - t0;
    web_sys::console::log_1(
        &format!("WASM flip-flop epoch (100 steps, N=32, batch 16): {ms:.0} ms").into(),
    );
    // Same seed → same loss bits as a native run (printed by tests/training.rs).
    let s = last.unwrap();
    assert!(s.loss.is_finite() && s.loss < 0.9, "loss {}", s.loss);
    let mut again = Trainer::new(cfg, None).unwrap();
    for _ in 0..100 {
        again.step().unwrap();
    }
    assert_eq!(again.net, tr.net);
}
