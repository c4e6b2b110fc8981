//! Issue 17: recurrent noise kind, the norm-matched control group, group
//! statistics in the reports, latent trajectories, and the bandit learned by
//! an unregularised policy network.

use rnnscope::train::experiments::{Experiment, ExperimentParams, NoiseKind};
use rnnscope::train::groups::frobenius;
use rnnscope::train::rl::{RlConfig, RlTrainer};
use rnnscope::train::{Task, TaskKind, TrainConfig, Trainer};

fn small() -> ExperimentParams {
    ExperimentParams {
        n: 12,
        seeds: 3,
        iters: 40,
        batch: 8,
        lambda: 0.002,
        noise_levels: vec![0.0, 0.5],
        test_trials: 16,
        kick_step: 20,
        horizon: 20,
        trials: 1,
        kicks: 2,
        permutations: 200,
        ..ExperimentParams::default()
    }
}

fn trained(p: ExperimentParams) -> Experiment {
    let mut e = Experiment::new(p).expect("valid params");
    e.train(50, |_, _| {}).expect("training runs");
    e
}

#[test]
fn zero_recurrent_sigma_equals_the_noiseless_run() {
    // Trained without any noise: a recurrent sweep at σ = 0 is the noiseless
    // forward pass, so it equals the input sweep at σ = 0 and the plain
    // held-out evaluation exactly.
    let p = ExperimentParams {
        input_noise: 0.0,
        rec_noise: 0.0,
        ..small()
    };
    let rec = trained(ExperimentParams {
        noise_kind: NoiseKind::Recurrent,
        ..p.clone()
    });
    let inp = trained(p);
    let (a, b) = (rec.noise_sweep().unwrap(), inp.noise_sweep().unwrap());
    for (ca, cb) in a.accuracy.iter().zip(&b.accuracy) {
        for (ra, rb) in ca.per_network.iter().zip(&cb.per_network) {
            assert_eq!(ra[0], rb[0]);
        }
    }
    let nets = rec.networks().unwrap();
    for (k, n) in nets.iter().enumerate() {
        let g = k / 3;
        assert_eq!(a.accuracy[g].per_network[k % 3][0], n.test_accuracy);
    }
    assert_eq!(a.noise_kind, NoiseKind::Recurrent);
    // At the network level: σ = 0 ignores the noise seed entirely.
    let mut cfg = TrainConfig::new(TaskKind::FlipFlop);
    cfg.n = 10;
    cfg.rec_noise = 0.0;
    let t = Trainer::new(cfg, None).unwrap();
    let batch = Task::new(TaskKind::FlipFlop, 30, 0.0)
        .unwrap()
        .batch(2, 4)
        .unwrap();
    assert_eq!(
        t.net.forward(&batch, 1).unwrap().y,
        t.net.forward(&batch, 2).unwrap().y
    );
    let mut noisy = t.net.clone();
    noisy.noise = 0.3;
    assert_ne!(
        noisy.forward(&batch, 1).unwrap().y,
        t.net.forward(&batch, 1).unwrap().y
    );
}

#[test]
fn matched_group_norm_equals_its_target() {
    let e = trained(ExperimentParams {
        groups: vec!["level1:+1".into(), "level3:+1".into(), "matched".into()],
        lambda: 0.01,
        ..small()
    });
    let s = e.params().seeds;
    let ref_norms: Vec<f64> = e.trainers()[s..2 * s]
        .iter()
        .map(|t| frobenius(&t.net.w))
        .collect();
    let target = ref_norms.iter().sum::<f64>() / s as f64;
    for t in &e.trainers()[2 * s..] {
        assert_eq!(t.norm_target(), Some(target));
        assert!((frobenius(&t.net.w) - target).abs() < 1e-12 * target);
    }
    let r = e.report(true, true).unwrap();
    assert_eq!(r.groups.len(), 3);
    assert!((r.groups[2].frobenius.mean - target).abs() < 1e-12 * target);
    assert!((r.groups[1].frobenius.mean - target).abs() < 1e-12 * target);
    assert!(r.groups[2].norm_target.is_some() && r.groups[0].norm_target.is_none());
    for g in &r.groups {
        assert!(g.spectral_radius.mean > 0.0);
        assert!((0.0..=1.0).contains(&g.density.mean));
    }
    // Tests: 3 pairs × 2 levels, Holm never below the raw p.
    let t = &r.noise.as_ref().unwrap().tests;
    assert_eq!(t.len(), 6);
    assert!(t.iter().all(|x| x.p_holm >= x.p && x.p_perm.is_some()));
    let pt = &r.perturbation.as_ref().unwrap().tests;
    assert_eq!(pt.len(), 3 * 21);
    // A matched group without a Level-3 group to match is an error.
    let bad = ExperimentParams {
        groups: vec!["none".into(), "matched".into()],
        ..small()
    };
    let err = Experiment::new(bad).err().expect("rejected");
    assert!(err.to_string().contains("groups"), "{err}");
}

#[test]
fn trajectories_coincide_before_the_kick() {
    let e = trained(small());
    let tr = e.trajectories(0).unwrap();
    assert_eq!(tr.len(), 2);
    for t in &tr {
        assert_eq!(t.unkicked.len(), 41);
        assert_eq!(t.kicked.len(), 2);
        assert!(t.unkicked.iter().all(|z| z.len() == 3));
        for k in &t.kicked {
            assert_eq!(k[..20], t.unkicked[..20]);
            assert_ne!(k[20], t.unkicked[20]);
        }
        assert!(t.explained.iter().sum::<f64>() <= 1.0 + 1e-12);
    }
    assert!(e.trajectories(3).is_err());
}

#[test]
fn an_unregularised_policy_learns_the_bandit_above_chance() {
    let cfg = RlConfig {
        n: 16,
        seed: 3,
        ..RlConfig::default()
    };
    let mut t = RlTrainer::new(cfg, None).unwrap();
    let (before, _) = t.evaluate(256, 99).unwrap();
    for _ in 0..400 {
        t.step().unwrap();
    }
    let (after, good) = t.evaluate(256, 99).unwrap();
    // Chance is 0.5 (either arm pays 0.5 on average); a stay-on-win policy
    // reaches ≈ 0.7. 256 × 50 trials: sem ≈ 0.004.
    assert!(after > 0.6, "reward {after} (before {before})");
    assert!(good > 0.65, "good-arm choices {good}");
    assert!(after > before + 0.05);
}

fn cli(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rnnscope"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_rl_and_bad_flags() {
    let dir = std::env::temp_dir().join(format!("rnnscope-rl-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let dir_s = dir.to_str().expect("utf-8 temp dir").to_string();
    let (ok, out, err) = cli(&[
        "train-experiment",
        "rl",
        "--n",
        "6",
        "--seeds",
        "2",
        "--iters",
        "6",
        "--batch",
        "2",
        "--episode-trials",
        "5",
        "--block",
        "3",
        "--test-trials",
        "4",
        "--quiet",
        "--group",
        "level3:+1",
        "--group",
        "matched",
        "--out",
        &dir_s,
    ]);
    assert!(ok, "{err}");
    let mut v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    // --out writes report.json: the printed report without its timings.
    let written: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("report.json")).expect("report.json"),
    )
    .expect("JSON");
    let seconds = v.as_object_mut().expect("object").remove("seconds");
    assert!(seconds.is_some());
    assert_eq!(written, v);
    let _ = std::fs::remove_dir_all(&dir);
    // rl does not shard: a clear error, not a silently ignored flag.
    let (ok, _, err) = cli(&["train-experiment", "rl", "--shard", "1/2", "--out", &dir_s]);
    assert!(!ok && err.contains("shard"), "{err}");
    assert_eq!(v["tests"].as_array().expect("tests").len(), 2);
    let t = &v["tests"][0];
    for k in [
        "level", "a", "b", "diff", "sem", "t", "p", "p_holm", "p_perm",
    ] {
        assert!(t.get(k).is_some(), "missing {k}");
    }
    assert_eq!(
        v["groups"][1]["norm_target"],
        v["groups"][0]["frobenius"]["mean"]
    );
    for bad in [
        vec![
            "train-experiment",
            "noise",
            "--noise-kind",
            "thermal",
            "--seeds",
            "2",
        ],
        vec![
            "train-experiment",
            "noise",
            "--group",
            "none",
            "--group",
            "matched",
        ],
        vec!["rl", "--task", "maze"],
    ] {
        let (ok, _, err) = cli(&bad);
        assert!(!ok && err.contains("parameter"), "{bad:?}: {err}");
    }
}
