//! Training engine end to end (native): learning the tasks, the CLI, errors.

use rnnscope::train::{TaskKind, TrainConfig, TrainParams, Trainer};
use std::process::Command;

fn train(kind: TaskKind, iters: usize, n: usize, batch: usize, lr: f64) -> Trainer {
    let mut cfg = TrainConfig::new(kind);
    cfg.n = n;
    cfg.batch = batch;
    cfg.lr = lr;
    let mut tr = Trainer::new(cfg, None).expect("test setup");
    for _ in 0..iters {
        tr.step().expect("test setup");
    }
    tr
}

#[test]
fn flipflop_is_learned_to_95_percent() {
    // The page's defaults (N = 32, batch 16, lr 0.02).
    let tr = train(TaskKind::FlipFlop, 3000, 32, 16, 0.02);
    let (_, acc, _, _) = tr.evaluate(256, 99).unwrap();
    assert!(acc >= 0.95, "held-out accuracy {acc}");
}

#[test]
fn decision_beats_chance_clearly() {
    let untrained = train(TaskKind::Decision, 0, 32, 16, 0.02);
    let tr = train(TaskKind::Decision, 300, 32, 16, 0.02);
    let (l0, a0, _, _) = untrained.evaluate(512, 5).unwrap();
    let (l1, a1, b, _) = tr.evaluate(512, 5).unwrap();
    // Reference: the ideal observer, sign of the summed evidence on the same trials
    // (σ = 1 noise makes the weak coherences hard for anyone).
    let ideal = b
        .label
        .iter()
        .enumerate()
        .filter(|(i, &l)| b.x.iter().map(|x| x[[*i, 0]]).sum::<f64>().signum() == l)
        .count() as f64
        / b.label.len() as f64;
    assert!(
        a1 > ideal - 0.1 && l1 < 0.8 * l0,
        "accuracy {a0} → {a1} (ideal {ideal}), loss {l0} → {l1}"
    );
}

#[test]
fn sine_loss_falls() {
    let untrained = train(TaskKind::Sine, 0, 32, 16, 0.02);
    let tr = train(TaskKind::Sine, 300, 32, 16, 0.02);
    let (l0, _, _, _) = untrained.evaluate(64, 5).unwrap();
    let (l1, _, _, _) = tr.evaluate(64, 5).unwrap();
    assert!(l1 < 0.5 * l0, "loss {l0} → {l1}");
}

fn cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rnnscope"))
        .args(args)
        .output()
        .expect("test setup");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn cli_train_reports_curves_and_saves_w() {
    let dir = std::env::temp_dir().join(format!("rnnscope-train-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let w = dir.join("w.csv");
    let (ok, out, err) = cli(&[
        "train",
        "--task",
        "decision",
        "--n",
        "8",
        "--iters",
        "20",
        "--log-every",
        "5",
        "--seed",
        "3",
        "--stop-at-accuracy",
        "0",
        "--out",
        w.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["curve"]["loss"].as_array().unwrap().len(), 4);
    // The CLI runs the core's TrainParams: the same run through the library
    // gives the same held-out numbers, bit for bit.
    let p = TrainParams {
        task: "decision".into(),
        n: 8,
        iters: 20,
        seed: 3,
        stop_at_accuracy: 0.0,
        ..TrainParams::default()
    };
    let (_, pen) = p.penalty().unwrap();
    let mut tr = Trainer::new(p.config().unwrap(), pen).unwrap();
    for _ in 0..20 {
        tr.step().unwrap();
    }
    let (l, a, _, _) = tr.evaluate(256, 3 + 1_000_003).unwrap();
    assert_eq!(v["test_accuracy"].as_f64().unwrap(), a);
    assert_eq!(v["test_loss"].as_f64().unwrap(), l);
    let m = rnnscope::io::read_square(&std::fs::read(&w).unwrap()).unwrap();
    assert_eq!(m.dim(), (8, 8));
    // Same seed → same run.
    let (_, out2, _) = cli(&[
        "train",
        "--task",
        "decision",
        "--n",
        "8",
        "--iters",
        "20",
        "--log-every",
        "5",
        "--seed",
        "3",
        "--stop-at-accuracy",
        "0",
    ]);
    let v2: serde_json::Value = serde_json::from_str(&out2).unwrap();
    assert_eq!(v["curve"]["loss"], v2["curve"]["loss"]);
}

/// `rnnscope train --task flipflop` with its defaults (the page's: N = 32,
/// batch 16, lr 0.02, stop at 0.95 held-out accuracy, at most 3000
/// iterations) trains to ≥ 0.95 held-out accuracy, as the page does.
#[test]
fn cli_train_defaults_reach_95_percent_on_flipflop() {
    let (ok, out, err) = cli(&["train", "--task", "flipflop"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let acc = v["test_accuracy"].as_f64().unwrap();
    assert!(acc >= 0.95, "held-out accuracy {acc}");
    let stop = &v["stopped_early"];
    assert!(
        stop["held_out_accuracy"].as_f64().unwrap() >= 0.95,
        "{stop}"
    );
    assert!(v["iters"].as_u64().unwrap() < 3000, "{}", v["iters"]);
    assert_eq!(v["penalty"], "none");
}

/// λ > 0 without --motif-reg applies λ·½‖W‖², as in the page (one rule).
#[test]
fn cli_lambda_alone_applies_l2() {
    let (ok, out, err) = cli(&[
        "train",
        "--task",
        "decision",
        "--n",
        "8",
        "--iters",
        "5",
        "--lambda",
        "0.5",
        "--seed",
        "2",
        "--stop-at-accuracy",
        "0",
        "--log-every",
        "1",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["penalty"], "l2");
    // The first step's penalty is λ·½‖W₀‖² of the seeded initial W.
    let p = TrainParams {
        task: "decision".into(),
        n: 8,
        seed: 2,
        lambda: 0.5,
        ..TrainParams::default()
    };
    let tr = Trainer::new(p.config().unwrap(), None).unwrap();
    let half_sq: f64 = 0.5 * tr.net.w.iter().map(|x| x * x).sum::<f64>();
    let first = v["curve"]["penalty"][0].as_f64().unwrap();
    assert!(
        (first - 0.5 * half_sq).abs() < 1e-12,
        "{first} vs {}",
        0.5 * half_sq
    );
}

#[test]
fn cli_bad_input_is_a_clear_error() {
    let (ok, _, err) = cli(&["train", "--task", "xor"]);
    assert!(!ok && err.contains("unknown task"), "{err}");
    let (ok, _, err) = cli(&["train", "--motif-reg", "level7:+1"]);
    assert!(!ok && err.contains("motif-reg"), "{err}");
    let (ok, _, err) = cli(&["train", "--motif-reg", "level1:+1", "--l2", "--iters", "1"]);
    assert!(!ok && err.contains("either --l2 or --motif-reg"), "{err}");
    let (ok, _, err) = cli(&["train", "--n", "100000"]);
    assert!(!ok && err.contains("`n`"), "{err}");
}

/// The poster's motif regulariser moves motif counts the chosen way: with the
/// same seed and task, enriching level-1 motifs ends with more of them than
/// training without the penalty, suppressing ends with fewer.
#[test]
fn motif_regulariser_shifts_level_counts_in_the_chosen_direction() {
    use rnnscope::train::{MotifPenalty, MotifRegSpec};
    let n = 24;
    let run = |spec: &str, lambda: f64| {
        let spec = MotifRegSpec::parse(spec).unwrap();
        let pen = MotifPenalty::enrich(&spec, n);
        let mut cfg = TrainConfig::new(TaskKind::FlipFlop);
        cfg.n = n;
        cfg.batch = 8;
        cfg.lr = 0.01;
        cfg.seed = 5;
        cfg.lambda = lambda;
        let mut tr = Trainer::new(cfg, Some(Box::new(pen.clone()))).unwrap();
        for _ in 0..150 {
            tr.step().unwrap();
        }
        pen.counts_by_level(&tr.net.w).unwrap()
    };
    let plain = run("level1:+1", 0.0);
    let enriched = run("level1:+1", 1e-3);
    let suppressed = run("level1:-1", 1e-3);
    assert!(
        enriched[0] > plain[0] * 1.05,
        "enrich: {enriched:?} vs {plain:?}"
    );
    assert!(
        suppressed[0] < plain[0] * 0.95,
        "suppress: {suppressed:?} vs {plain:?}"
    );
}
