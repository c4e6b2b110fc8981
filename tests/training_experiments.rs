//! The poster's two experiments (`train::experiments`): determinism, the
//! zero-kick and zero-noise identities, error bars by hand, motif counts move
//! the chosen way, parameter errors, and the CLI.

use ndarray::Array1;
use rnnscope::train::experiments::{mean_err, rollout, Experiment, ExperimentParams};
use rnnscope::train::{RateRnn, Task, TaskKind};
use rnnscope::Error;
use std::process::Command;

/// A small experiment that runs in about a second.
fn small() -> ExperimentParams {
    ExperimentParams {
        n: 12,
        seeds: 3,
        iters: 60,
        batch: 8,
        lambda: 0.002,
        noise_levels: vec![0.0, 0.5, 1.0],
        test_trials: 32,
        kick_step: 20,
        horizon: 30,
        trials: 2,
        kicks: 3,
        ..ExperimentParams::default()
    }
}

fn trained(p: ExperimentParams) -> Experiment {
    let mut e = Experiment::new(p).expect("test setup");
    e.train(25, |_, _| {}).expect("test setup");
    e
}

#[test]
fn same_seed_same_report_however_training_is_chunked() {
    let a = trained(small()).report(true, true).unwrap();
    let mut e = Experiment::new(small()).unwrap();
    let mut calls = Vec::new();
    e.train(7, |d, t| calls.push((d, t))).unwrap();
    let b = e.report(true, true).unwrap();
    assert_eq!(a, b);
    // Progress reports count up to the total (2 groups × 3 seeds × 60 steps).
    assert_eq!(calls.last(), Some(&(360, 360)));
    assert!(calls.windows(2).all(|w| w[0].0 < w[1].0));
    // Another seed gives other networks.
    let c = trained(ExperimentParams { seed: 2, ..small() })
        .report(true, false)
        .unwrap();
    assert_ne!(a.noise, c.noise);
}

#[test]
fn zero_kick_gives_exactly_zero_deviation() {
    let e = trained(ExperimentParams {
        kick: 0.0,
        ..small()
    });
    let p = e.perturbation().unwrap();
    for c in p.output_deviation.iter().chain(&p.latent_distance) {
        assert!(c.per_network.iter().flatten().all(|&v| v == 0.0), "{c:?}");
    }
    // A non-zero kick moves the output right at the kick.
    let p = trained(small()).perturbation().unwrap();
    assert!(p.output_deviation.iter().all(|c| c.mean[0] > 0.0));
    assert_eq!(p.steps.len(), 31);
}

#[test]
fn rollout_matches_the_training_forward_pass_and_adds_the_kick() {
    let net = RateRnn::new(10, 3, 3, 1.2, 0.2, 0.1, 5).unwrap();
    let batch = Task::new(TaskKind::FlipFlop, 40, 0.2)
        .unwrap()
        .batch(1, 3)
        .unwrap();
    let trace = net.forward(&batch, 77).unwrap();
    let kick = Array1::from_iter((0..10).map(|i| 0.1 * i as f64 - 0.3));
    let st = rollout(&net, &batch.x, 77, 15, std::slice::from_ref(&kick)).unwrap();
    assert_eq!(st.len(), 41);
    for (t, h) in st.iter().enumerate() {
        // Row 0 is bit-identical to RateRnn::forward with the same noise seed.
        assert_eq!(h.row(0), trace.h[t].row(0), "step {t}");
        if t < 15 {
            assert_eq!(h.row(1), h.row(0), "no deviation before the kick");
        }
    }
    let d = &st[15].row(1) - &st[15].row(0);
    for (a, b) in d.iter().zip(&kick) {
        assert!((a - b).abs() < 1e-12);
    }
    assert!(rollout(&net, &batch.x, 77, 15, &[Array1::zeros(4)]).is_err());
}

#[test]
fn accuracy_at_the_training_noise_equals_the_trainers_evaluation() {
    // Train without input noise; the sweep's σ = 0 point must be the trainer's
    // own held-out accuracy on the same trials, and an independent evaluation.
    let p = ExperimentParams {
        input_noise: 0.0,
        ..small()
    };
    let (trials, seed) = (p.test_trials, p.test_seed);
    let e = trained(p);
    let sweep = e.noise_sweep().unwrap();
    assert_eq!(sweep.noise_levels[0], 0.0);
    let nets = e.networks().unwrap();
    for (g, curve) in sweep.accuracy.iter().enumerate() {
        for (k, row) in curve.per_network.iter().enumerate() {
            let t = &e.trainers()[g * 3 + k];
            let (_, acc, _, _) = t.evaluate(trials, seed).unwrap();
            assert_eq!(row[0], acc);
            assert_eq!(nets[g * 3 + k].test_accuracy, acc);
            let task = Task::new(TaskKind::FlipFlop, 100, 0.0).unwrap();
            let b = task.batch(trials, seed).unwrap();
            let y = t.net.forward(&b, seed ^ 0xE7A1).unwrap().y;
            assert_eq!(task.accuracy(&b, &y), acc);
        }
    }
}

#[test]
fn error_bars_are_the_sample_sd_and_sem_across_networks() {
    // By hand: 0.5, 0.7, 0.9 → mean 0.7, Σ(x − m)² = 0.08, sd = √(0.08/2) = 0.2,
    // sem = 0.2/√3.
    let m = mean_err(&[0.5, 0.7, 0.9]);
    assert!((m.mean - 0.7).abs() < 1e-15);
    assert!((m.sd - 0.2).abs() < 1e-15);
    assert!((m.sem - 0.2 / 3f64.sqrt()).abs() < 1e-15);
    // The report's curves are those statistics of their per-network rows.
    let r = trained(small()).report(true, true).unwrap();
    let noise = r.noise.unwrap();
    let pert = r.perturbation.unwrap();
    for c in noise.accuracy.iter().chain(&pert.output_deviation) {
        for i in 0..c.mean.len() {
            let xs: Vec<f64> = c.per_network.iter().map(|row| row[i]).collect();
            let mean = xs.iter().sum::<f64>() / 3.0;
            let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
            assert!((c.mean[i] - mean).abs() < 1e-12);
            assert!((c.sd[i] - sd).abs() < 1e-12);
            assert!((c.sem[i] - sd / 3f64.sqrt()).abs() < 1e-12);
        }
    }
    // Summary = mean over the horizon of each network's curve, then mean_err.
    for (c, s) in pert
        .output_deviation
        .iter()
        .zip(&pert.mean_output_deviation)
    {
        let per: Vec<f64> = c
            .per_network
            .iter()
            .map(|r| r.iter().sum::<f64>() / r.len() as f64)
            .collect();
        assert_eq!(*s, mean_err(&per));
    }
}

#[test]
fn the_regulariser_enriches_the_chosen_level() {
    let r = trained(ExperimentParams {
        iters: 100,
        ..small()
    })
    .report(false, false)
    .unwrap();
    let (l1, l3) = (&r.groups[0], &r.groups[1]);
    assert_eq!(
        (l1.group.as_str(), l3.group.as_str()),
        ("level1:+1", "level3:+1")
    );
    // Same initial W per seed, so the before-counts are paired.
    for k in 0..3 {
        assert_eq!(r.networks[k].levels_before, r.networks[3 + k].levels_before);
        let (a, b) = (&r.networks[k], &r.networks[3 + k]);
        assert!(a.levels_after[0] > 2.0 * b.levels_after[0], "{a:?} {b:?}");
        assert!(b.levels_after[2] > 2.0 * a.levels_after[2], "{a:?} {b:?}");
    }
    assert!(l1.levels_after[0].mean > l3.levels_after[0].mean);
}

#[test]
fn bad_parameters_are_named_errors() {
    let name = |p: ExperimentParams| match Experiment::new(p).err() {
        Some(Error::Param { name, .. }) => name,
        other => panic!("expected a parameter error, got {other:?}"),
    };
    assert_eq!(
        name(ExperimentParams {
            seeds: 0,
            ..small()
        }),
        "seeds"
    );
    assert_eq!(
        name(ExperimentParams {
            groups: vec![],
            ..small()
        }),
        "groups"
    );
    assert_eq!(
        name(ExperimentParams {
            groups: vec!["level9:+1".into()],
            ..small()
        }),
        "motif-reg"
    );
    assert_eq!(
        name(ExperimentParams {
            noise_levels: vec![0.0, -1.0],
            ..small()
        }),
        "noise_levels"
    );
    assert_eq!(
        name(ExperimentParams {
            noise_levels: vec![],
            ..small()
        }),
        "noise_levels"
    );
    assert_eq!(name(ExperimentParams { pcs: 13, ..small() }), "pcs");
    assert_eq!(
        name(ExperimentParams {
            kick: f64::NAN,
            ..small()
        }),
        "kick"
    );
    assert_eq!(
        name(ExperimentParams {
            seeds: 150,
            ..small()
        }),
        "seeds"
    );
    // Experiments before training are refused.
    let e = Experiment::new(small()).unwrap();
    assert!(matches!(
        e.noise_sweep(),
        Err(Error::Param {
            name: "experiment",
            ..
        })
    ));
    assert!(e.perturbation().is_err());
}

#[test]
fn cli_reports_curves_with_error_bars() {
    let out = Command::new(env!("CARGO_BIN_EXE_rnnscope"))
        .args([
            "train-experiment",
            "both",
            "--seeds",
            "2",
            "--n",
            "10",
            "--iters",
            "30",
            "--noise-levels",
            "0,1",
            "--test-trials",
            "16",
            "--horizon",
            "20",
            "--kick-step",
            "10",
            "--trials",
            "1",
            "--kicks",
            "2",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let acc = &v["noise"]["accuracy"];
    assert_eq!(acc.as_array().unwrap().len(), 2);
    assert_eq!(acc[0]["group"], "level1:+1");
    assert_eq!(acc[1]["sem"].as_array().unwrap().len(), 2);
    let dev = &v["perturbation"]["output_deviation"][1];
    assert_eq!(dev["mean"].as_array().unwrap().len(), 21);
    assert_eq!(v["networks"].as_array().unwrap().len(), 4);
    assert_eq!(v["groups"][0]["levels_after"][0]["count"], 2);
    // Only the asked-for experiment is in the report.
    let out = Command::new(env!("CARGO_BIN_EXE_rnnscope"))
        .args([
            "train-experiment",
            "noise",
            "--seeds",
            "1",
            "--n",
            "6",
            "--iters",
            "3",
            "--quiet",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["perturbation"].is_null() && v["noise"]["accuracy"].is_array());
    // A bad setting: one line on stderr, failure exit.
    let out = Command::new(env!("CARGO_BIN_EXE_rnnscope"))
        .args(["train-experiment", "noise", "--seeds", "0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("seeds") && err.lines().count() == 1, "{err}");
}
