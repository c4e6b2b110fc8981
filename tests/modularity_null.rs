//! Multilayer modularity that says when there is no community structure:
//! the q_intra/q_inter split, the trivial-partition floor, the null models
//! of Bassett et al. 2011 and the no-structure warning.

use ndarray::Array2;
use rnnscope::modularity::fc::windowed_fc;
use rnnscope::modularity::multilayer::{
    multilayer_from_layers, Coupling, Floor, MultiB, MultilayerParams, NO_STRUCTURE,
};
use rnnscope::modularity::null::{
    connectional_layer, nodal, null_test, temporal, warn_if_null, NullKind, NullParams,
};
use rnnscope::modularity::synthetic::planted_activity;
use rnnscope::rng;

fn params(gamma: f64, omega: f64, runs: usize) -> MultilayerParams {
    MultilayerParams {
        omega,
        gamma_pos: vec![gamma],
        gamma_neg: vec![1.0],
        runs,
        ..Default::default()
    }
}

fn fc_layers(units: usize, modules: usize, noise: f64, seed: u64) -> Vec<Array2<f64>> {
    let (x, _) = planted_activity(units, modules, 6, 50, 2, noise, seed).expect("planted activity");
    windowed_fc(x.view(), 50, None).expect("windowed FC").layers
}

/// Two layers of one edge each: every term of Q by hand.
/// k = (1, 1), 2m = 2 per layer, B = [[-½, ½], [½, -½]], 2μ = 2 + 2 + 2ωN(L−1) = 8.
#[test]
fn split_by_hand_two_layers_one_edge() {
    let a = Array2::from_shape_vec((2, 2), vec![0.0, 1.0, 1.0, 0.0]).unwrap();
    let layers = vec![a.clone(), a];
    let p = params(1.0, 1.0, 3);
    let b = MultiB::new(&layers, &p).unwrap();
    assert_eq!(b.two_mu, 8.0);
    // One community: intra ½·2 − ½·2 = 0 per layer; inter 4 coupled pairs × ω / 8.
    let (qi, qe) = b.q_split(&[0, 0, 0, 0]);
    assert!(
        (qi - 0.0).abs() < 1e-15 && (qe - 0.5).abs() < 1e-15,
        "{qi} {qe}"
    );
    // Singletons: intra = Σ diag = 4 · (−½) / 8 = −¼; inter ½.
    let (qi, qe) = b.q_split(&b.singletons());
    assert!(
        (qi + 0.25).abs() < 1e-15 && (qe - 0.5).abs() < 1e-15,
        "{qi} {qe}"
    );
    // Split layers differently: layer 0 together, layer 1 apart; node 0 keeps label.
    let (qi, qe) = b.q_split(&[0, 0, 0, 1]);
    assert!(
        (qi + 0.125).abs() < 1e-15 && (qe - 0.25).abs() < 1e-15,
        "{qi} {qe}"
    );
    let r = multilayer_from_layers(&layers, &p, &mut |_, _| {}).unwrap();
    assert!((r.q - 0.5).abs() < 1e-12, "{}", r.q);
    assert!((r.q_singletons - 0.25).abs() < 1e-15);
    assert!((r.q_one_community - 0.5).abs() < 1e-15);
    // q_intra = 0 ≤ 0: all of Q is coupling, and the warning says so.
    assert!(
        r.warnings.iter().any(|w| w.starts_with(NO_STRUCTURE)),
        "{:?}",
        r.warnings
    );
}

#[test]
fn split_sums_to_q_on_every_partition() {
    for (coupling, seed) in [(Coupling::Ordinal, 3), (Coupling::Categorical, 4)] {
        let layers = fc_layers(30, 3, 1.0, seed);
        let mut p = params(1.02, 0.7, 2);
        p.coupling = coupling;
        let r = multilayer_from_layers(&layers, &p, &mut |_, _| {}).unwrap();
        assert!((r.q_intra + r.q_inter - r.q).abs() < 1e-12, "{r:?}");
        assert!(
            r.q_intra > 0.1 && r.q_inter > 0.0,
            "{} {}",
            r.q_intra,
            r.q_inter
        );
        let b = MultiB::new(&layers, &p).unwrap();
        let mut rnd = rng::seeded(seed);
        for _ in 0..5 {
            let lab: Vec<usize> = (0..30 * layers.len())
                .map(|_| rand::Rng::random_range(&mut rnd, 0..4))
                .collect();
            let (qi, qe) = b.q_split(&lab);
            assert!((qi + qe - b.q(&lab)).abs() < 1e-12);
        }
    }
}

#[test]
fn connectional_null_keeps_signs_and_weight_multisets() {
    let layers = fc_layers(25, 3, 1.0, 7);
    let mut r = rng::seeded(1);
    for a in &layers {
        let b = connectional_layer(a, &mut r);
        let n = a.nrows();
        let (mut wa_pos, mut wa_neg, mut wb_pos, mut wb_neg) = (vec![], vec![], vec![], vec![]);
        let mut moved = 0;
        for i in 0..n {
            assert_eq!(b[[i, i]], a[[i, i]]);
            for j in i + 1..n {
                assert_eq!(b[[i, j]], b[[j, i]], "symmetric");
                assert_eq!(b[[i, j]].signum(), a[[i, j]].signum(), "sign of ({i},{j})");
                moved += usize::from(b[[i, j]] != a[[i, j]]);
                for (w, v) in [(&mut wa_pos, a[[i, j]]), (&mut wb_pos, b[[i, j]])] {
                    if v > 0.0 {
                        w.push(v);
                    }
                }
                for (w, v) in [(&mut wa_neg, a[[i, j]]), (&mut wb_neg, b[[i, j]])] {
                    if v < 0.0 {
                        w.push(v);
                    }
                }
            }
        }
        for w in [&mut wa_pos, &mut wa_neg, &mut wb_pos, &mut wb_neg] {
            w.sort_by(f64::total_cmp);
        }
        assert_eq!(wa_pos, wb_pos);
        assert_eq!(wa_neg, wb_neg);
        assert!(moved > n * (n - 1) / 4, "only {moved} weights moved");
    }
}

#[test]
fn nodal_null_relabels_layers_and_keeps_a_matching() {
    let layers = fc_layers(20, 2, 1.0, 8);
    let (out, perms) = nodal(&layers, &mut rng::seeded(2));
    assert_eq!(perms[0], (0..20).collect::<Vec<_>>());
    let mut changed = 0;
    for (k, (a, b)) in layers.iter().zip(&out).enumerate() {
        let pi = &perms[k];
        let mut seen = pi.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..20).collect::<Vec<_>>(), "π_{k} is a permutation");
        for i in 0..20 {
            for j in 0..20 {
                assert_eq!(b[[pi[i], pi[j]]], a[[i, j]]);
            }
        }
        changed += usize::from(pi.iter().enumerate().any(|(i, &p)| i != p));
    }
    assert!(changed >= layers.len() - 2, "{changed}");
    // The coupling is still one identity link per node-layer pair: same 2μ.
    let p = params(1.0, 1.0, 1);
    let (b0, b1) = (
        MultiB::new(&layers, &p).unwrap(),
        MultiB::new(&out, &p).unwrap(),
    );
    assert!((b0.two_mu - b1.two_mu).abs() < 1e-9 * b0.two_mu);
}

#[test]
fn temporal_null_keeps_the_multiset_of_layers() {
    let layers = fc_layers(15, 2, 1.0, 9);
    let (out, order) = temporal(&layers, &mut rng::seeded(3));
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..layers.len()).collect::<Vec<_>>());
    assert_ne!(order, sorted, "seed 3 must actually reorder 6 layers");
    for (k, &src) in order.iter().enumerate() {
        assert_eq!(out[k], layers[src]);
    }
}

#[test]
fn planted_modules_beat_every_null_and_raise_no_warning() {
    let layers = fc_layers(40, 4, 1.0, 11);
    let p = params(1.02, 1.0, 2);
    let mut r = multilayer_from_layers(&layers, &p, &mut |_, _| {}).unwrap();
    assert_eq!(r.floor, Floor::Louvain);
    for kind in [NullKind::Connectional, NullKind::Nodal, NullKind::Temporal] {
        let np = NullParams {
            kind,
            samples: 19,
            seed: 5,
        };
        let nr = null_test(&layers, &p, &r, &np, &mut |_, _| {}).unwrap();
        assert_eq!(nr.q_samples.len(), 19);
        // No null reaches the observed Q: p is its floor 1/(1 + K) = 0.05.
        assert!((nr.p - 0.05).abs() < 1e-12, "{kind:?}: p = {}", nr.p);
        if kind == NullKind::Connectional {
            let z = nr.z.unwrap();
            assert!(z > 10.0, "connectional z = {z}");
            assert!(nr.q_mean < r.q - 0.15, "{} vs {}", nr.q_mean, r.q);
            assert!((nr.q_intra.p - 0.05).abs() < 1e-12, "{:?}", nr.q_intra);
            assert!(nr.q_intra.z.unwrap() > 10.0, "{:?}", nr.q_intra);
        }
        warn_if_null(&mut r, &nr);
    }
    assert!(r.q_intra > 0.2, "{}", r.q_intra);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // Too few nulls to decide at 0.05: say so, but do not claim "no structure".
    let few = NullParams {
        kind: NullKind::Connectional,
        samples: 4,
        seed: 5,
    };
    let nr = null_test(&layers, &p, &r, &few, &mut |_, _| {}).unwrap();
    assert!((nr.p - 0.2).abs() < 1e-12);
    warn_if_null(&mut r, &nr);
    assert_eq!(r.warnings.len(), 1);
    assert!(
        r.warnings[0].contains("--null-samples ≥ 19"),
        "{:?}",
        r.warnings
    );
}

/// One common factor, 60 units, r = 1/(1 + σ²) = 0.8: no modules to find.
#[test]
fn common_factor_warns_and_never_scores_below_trivial_partitions() {
    let layers = fc_layers(60, 1, 0.5, 21);
    let mean_r: f64 =
        layers.iter().map(|a| a.sum() / (60.0 * 59.0)).sum::<f64>() / layers.len() as f64;
    assert!((mean_r - 0.8).abs() < 0.05, "mean r {mean_r}");
    let p = params(1.02, 1.0, 3);
    let mut r = multilayer_from_layers(&layers, &p, &mut |_, _| {}).unwrap();
    assert!(r.q >= r.q_singletons - 1e-15 && r.q >= r.q_one_community - 1e-15);
    for q in &r.run_q {
        assert!(*q >= r.q_singletons.max(r.q_one_community) - 1e-15);
    }
    let np = NullParams {
        kind: NullKind::Connectional,
        samples: 19,
        seed: 1,
    };
    let nr = null_test(&layers, &p, &r, &np, &mut |_, _| {}).unwrap();
    warn_if_null(&mut r, &nr);
    eprintln!(
        "common factor: Q {} q_intra {} q_inter {} floor {:?} singletons {} one {} null mean {} sd {} z {:?} p {} warnings {:?}",
        r.q, r.q_intra, r.q_inter, r.floor, r.q_singletons, r.q_one_community, nr.q_mean, nr.q_sd, nr.z, nr.p, r.warnings
    );
    assert!(nr.p > 0.05, "p = {}", nr.p);
    assert!(
        nr.q_intra.observed < 0.0 && nr.q_intra.p > 0.05,
        "{:?}",
        nr.q_intra
    );
    assert!(
        r.warnings.iter().any(|w| w.starts_with(NO_STRUCTURE)),
        "q_intra {} p {} z {:?}",
        r.q_intra,
        nr.p,
        nr.z
    );
}

#[test]
fn null_rejects_bad_requests() {
    let layers = fc_layers(10, 2, 1.0, 1);
    let mut p = params(1.0, 1.0, 1);
    let r = multilayer_from_layers(&layers, &p, &mut |_, _| {}).unwrap();
    let bad = NullParams {
        kind: NullKind::Nodal,
        samples: 1,
        seed: 1,
    };
    let e = null_test(&layers, &p, &r, &bad, &mut |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("null-samples"), "{e}");
    p.coupling = Coupling::Categorical;
    let t = NullParams {
        kind: NullKind::Temporal,
        samples: 3,
        seed: 1,
    };
    let e = null_test(&layers, &p, &r, &t, &mut |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("categorical"), "{e}");
    assert!("shuffle".parse::<NullKind>().is_err());
}
