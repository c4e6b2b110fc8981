//! HebbFF against the modularity paper: the authors' accuracy definition,
//! the Q split and null in snapshot metrics, and the study-level warning.

use rnnscope::hebbff::model::study_accuracy;
use rnnscope::hebbff::study::{run_instance, structure_warnings, AnalysisParams};
use rnnscope::hebbff::{DataMode, HebbParams, TaskParams};
use rnnscope::modularity::multilayer::NO_STRUCTURE;
use rnnscope::modularity::null::{NullKind, NullParams};

/// A small fixed-data HebbFF run (N = 20, M = 24, R = 3, 20 epochs of 300
/// steps, seed 2) with snapshots every `eval_every` epochs.
fn small_fixed(eval_every: usize) -> HebbParams {
    HebbParams {
        task: TaskParams {
            n: 20,
            r_min: 3,
            r_max: 3,
            p: 0.5,
        },
        m: 24,
        data: DataMode::Fixed,
        seq_len: 300,
        epochs: 20,
        lr: 1e-2,
        eval_every,
        test_len: 300,
        seed: 2,
        ..HebbParams::default()
    }
}

/// Snapshot analysis with one multilayer run and a connectional null of
/// `samples` samples (seed 1).
fn connectional_null(samples: usize) -> AnalysisParams {
    let mut ap = AnalysisParams::default();
    ap.activity.multilayer.runs = 1;
    ap.null = Some(NullParams {
        kind: NullKind::Connectional,
        samples,
        seed: 1,
    });
    ap
}

#[test]
fn authors_accuracy_weights_tpr_by_the_new_fraction() {
    // f = 1/3; TPR = 1, FPR = ½ → (2/3)·1 + (1/3)·½ = 5/6 (fraction correct: 2/3).
    let y = [1.0, 0.0, 0.0];
    let out = [0.9, 0.9, 0.1];
    assert!((study_accuracy(&out, &y) - 5.0 / 6.0).abs() < 1e-15);
    // Always "new" scores f, always "familiar" 1 − f.
    let y: Vec<f64> = (0..9).map(|t| f64::from(u8::from(t % 3 == 0))).collect();
    let task = TaskParams::study();
    assert!((study_accuracy(&[0.1; 9], &y) - 1.0 / 3.0).abs() < 1e-15);
    assert!((study_accuracy(&[0.9; 9], &y) - 2.0 / 3.0).abs() < 1e-15);
    assert!((task.chance_study() - 1.0 / 3.0).abs() < 1e-15);
    // Perfect answers score 1; one class missing falls back to the fraction correct.
    assert_eq!(study_accuracy(&[0.9, 0.1, 0.1], &[1.0, 0.0, 0.0]), 1.0);
    assert!((study_accuracy(&[0.1, 0.9], &[0.0, 0.0]) - 0.5).abs() < 1e-15);
}

#[test]
fn study_defaults_are_the_papers_regime() {
    let p = HebbParams::study();
    assert_eq!(p.data, DataMode::Fixed);
    assert_eq!((p.seq_len, p.epochs, p.eval_every), (2500, 1000, 10));
    assert_eq!(
        (p.task.n, p.m, p.task.r_min, p.test_len),
        (100, 120, 5, 2500)
    );
}

#[test]
fn snapshots_carry_the_q_split_null_and_warning() {
    let p = small_fixed(20);
    let ap = connectional_null(4);
    let r = run_instance(p, Some(&ap), &mut |_, _| true).unwrap();
    assert_eq!(r.snapshots.len(), 2);
    for s in &r.snapshots {
        assert!((s.q_intra + s.q_inter - s.q).abs() < 1e-12, "{s:?}");
        let pn = s.null_p.expect("null p");
        assert!((0.2 - 1e-12..=1.0).contains(&pn), "{pn}");
        assert!(s.null_z.is_some());
        // K = 4 cannot reach 0.05: the snapshot says so.
        assert!(s.warnings.iter().any(|w| w.contains("--null-samples")));
        let flagged = s.warnings.iter().any(|w| w.starts_with(NO_STRUCTURE));
        assert_eq!(flagged, s.q_intra <= 0.0 || pn > 0.2 + 1e-12, "{s:?}");
    }
    // The study summary counts flagged snapshots.
    let mut flagged = r.clone();
    for s in &mut flagged.snapshots {
        s.warnings = vec![format!("{NO_STRUCTURE}: test")];
    }
    let w = structure_warnings(&[flagged, r.clone()]);
    assert_eq!(w.len(), 1);
    let n_r = r
        .snapshots
        .iter()
        .filter(|s| s.warnings.iter().any(|w| w.starts_with(NO_STRUCTURE)))
        .count();
    assert!(
        w[0].contains(&format!("in {} of 4 analysed snapshots", 2 + n_r)),
        "{w:?}"
    );
}

#[test]
fn null_every_thins_the_null_and_the_summary_bands_it() {
    use rnnscope::hebbff::study::summarize;
    let p = small_fixed(5);
    let mut ap = connectional_null(3);
    ap.null_every = 10;
    let a = run_instance(p.clone(), Some(&ap), &mut |_, _| true).unwrap();
    let b = run_instance(HebbParams { seed: 3, ..p }, Some(&ap), &mut |_, _| true).unwrap();
    // Snapshots at epochs 0, 5, 10, 15, 20: the null runs at 0, 10 and 20 only.
    let epochs: Vec<usize> = a.snapshots.iter().map(|s| s.epoch).collect();
    assert_eq!(epochs, [0, 5, 10, 15, 20]);
    for s in &a.snapshots {
        assert_eq!(s.null_p.is_some(), s.epoch % 10 == 0, "{s:?}");
    }
    let sum = summarize(&[a.clone(), b.clone()], 3, 1.0 / 3.0).unwrap();
    let z = sum.null_z.expect("null band");
    assert_eq!(z.x, [0.0, 10.0, 20.0]);
    // The band is the mean of the two instances' z at each nulled snapshot.
    for (i, s) in [0usize, 2, 4].iter().enumerate() {
        let (za, zb) = (a.snapshots[*s].null_z, b.snapshots[*s].null_z);
        let want: Vec<f64> = [za, zb].into_iter().flatten().collect();
        assert_eq!(z.n[i], want.len());
        if !want.is_empty() {
            let m = want.iter().sum::<f64>() / want.len() as f64;
            assert!((z.mean[i] - m).abs() <= 1e-12 * m.abs().max(1.0));
        }
        let sig = [a.snapshots[*s].null_p, b.snapshots[*s].null_p]
            .into_iter()
            .flatten()
            .filter(|&p| p <= 0.05)
            .count() as f64
            / 2.0;
        assert_eq!(sum.null_significant.as_ref().unwrap()[i], sig);
    }
    // Without a null there is no band.
    let plain: Vec<_> = [a, b]
        .into_iter()
        .map(|mut r| {
            for s in &mut r.snapshots {
                s.null_p = None;
                s.null_z = None;
            }
            r
        })
        .collect();
    let sum = summarize(&plain, 3, 1.0 / 3.0).unwrap();
    assert!(sum.null_z.is_none() && sum.null_significant.is_none());
}
