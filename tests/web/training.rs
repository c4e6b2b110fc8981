//! wasm-bindgen tests of the training engine in headless Chromium: the same
//! run as natively, the BPTT gradient check, and the timing of one epoch.
#![cfg(target_arch = "wasm32")]

use rnnscope::train::gradcheck::{central_diff, max_rel_err};
use rnnscope::train::{RateRnn, Task, TaskKind, TrainConfig, Trainer};
use wasm_bindgen_test::*;

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

// ---- training experiments ----

#[wasm_bindgen_test]
fn poster_experiments_run_in_wasm_and_keep_their_identities() {
    use rnnscope::train::experiments::{Experiment, ExperimentParams};
    let p = ExperimentParams {
        n: 10,
        seeds: 2,
        iters: 20,
        batch: 4,
        noise_levels: vec![0.1, 1.0],
        test_trials: 16,
        kick_step: 10,
        horizon: 20,
        trials: 1,
        kicks: 2,
        ..ExperimentParams::default()
    };
    let run = |p: ExperimentParams| {
        let mut e = Experiment::new(p).unwrap();
        e.train(7, |_, _| {}).unwrap();
        e
    };
    let e = run(p.clone());
    let r = e.report(true, true).unwrap();
    assert_eq!(r, run(p.clone()).report(true, true).unwrap());
    // σ = 0.1 is the training noise: the sweep's first point is the trainer's evaluation.
    for (g, c) in r.noise.as_ref().unwrap().accuracy.iter().enumerate() {
        for (k, row) in c.per_network.iter().enumerate() {
            let (_, acc, _, _) = e.trainers()[g * 2 + k].evaluate(16, p.test_seed).unwrap();
            assert_eq!(row[0], acc);
        }
    }
    let zero = run(ExperimentParams { kick: 0.0, ..p })
        .perturbation()
        .unwrap();
    assert!(zero.output_deviation.iter().all(|c| c
        .per_network
        .iter()
        .flatten()
        .all(|&v| v == 0.0)));
}
