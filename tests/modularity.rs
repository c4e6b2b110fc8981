//! Modularity: reference values (karate club), planted partitions, and Q
//! re-evaluated by independent naive code from the published formulas.

#![allow(clippy::needless_range_loop)] // naive reference loops mirror the formulas

use ndarray::Array2;
use rand::Rng as _;
use rnnscope::modularity::multilayer::{multilayer_from_layers, Coupling, MultilayerParams};
use rnnscope::modularity::partition::{allegiance, flexibility, nmi};
use rnnscope::modularity::synthetic::planted_activity;
use rnnscope::modularity::{
    community_louvain, fc, multilayer_from_activity, ActivityParams, Signed,
};
use rnnscope::{io, rng};

fn karate() -> Array2<f64> {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/karate.csv"
    ))
    .expect("test setup");
    io::read_square(&bytes).expect("test setup")
}

/// Newman's Q written out directly: (1/2m) Σ_ij (A_ij − γ k_i k_j / 2m) δ.
fn naive_newman(a: &Array2<f64>, g: &[usize], gamma: f64) -> f64 {
    let n = a.nrows();
    let k: Vec<f64> = (0..n).map(|i| (0..n).map(|j| a[[i, j]]).sum()).collect();
    let two_m: f64 = k.iter().sum();
    let mut q = 0.0;
    for i in 0..n {
        for j in 0..n {
            if g[i] == g[j] {
                q += a[[i, j]] - gamma * k[i] * k[j] / two_m;
            }
        }
    }
    q / two_m
}

#[test]
fn karate_club_reaches_known_optimum() {
    let a = karate();
    assert_eq!(a.nrows(), 34);
    assert_eq!(a.sum(), 156.0); // 78 edges
    let r = community_louvain(&a, 1.0, Signed::None, 20, 1).unwrap();
    assert!(r.q >= 0.4197, "best Q = {}", r.q);
    assert!(r.q <= 0.41980 + 1e-4, "Q above the known optimum: {}", r.q);
    assert!((r.q - naive_newman(&a, &r.communities, 1.0)).abs() < 1e-12);
    assert_eq!(r.n_communities, 4);
    // γ = 1 with sym on an unsigned matrix is the same quality.
    let s = community_louvain(&a, 1.0, Signed::Sym, 20, 1).unwrap();
    assert!((s.q - r.q).abs() < 1e-9);
}

/// A seeded planted-partition graph: k groups of `size`, p_in / p_out.
fn planted(k: usize, size: usize, p_in: f64, p_out: f64, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let n = k * size;
    let g: Vec<usize> = (0..n).map(|i| i / size).collect();
    let mut r = rng::seeded(seed);
    let mut a = Array2::zeros((n, n));
    for i in 0..n {
        for j in 0..i {
            let p = if g[i] == g[j] { p_in } else { p_out };
            if r.random::<f64>() < p {
                a[[i, j]] = 1.0;
                a[[j, i]] = 1.0;
            }
        }
    }
    (a, g)
}

#[test]
fn planted_partitions_recovered() {
    for seed in 0..5 {
        let (a, truth) = planted(4, 32, 0.4, 0.03, seed);
        let r = community_louvain(&a, 1.0, Signed::None, 5, seed).unwrap();
        let score = nmi(&r.communities, &truth).unwrap();
        assert!(score >= 0.95, "seed {seed}: NMI {score}");
        assert!((r.q - naive_newman(&a, &r.communities, 1.0)).abs() < 1e-12);
    }
}

/// BCT community_louvain signed Q evaluated directly (own split and sums):
/// sym (B⁺ − B⁻)/(s⁺ + s⁻), asym B⁺/s⁺ − B⁻/(s⁺ + s⁻).
fn naive_bct(w: &Array2<f64>, g: &[usize], gamma: f64, asym: bool) -> f64 {
    let n = w.nrows();
    let (mut kp, mut kn) = (vec![0.0; n], vec![0.0; n]);
    for i in 0..n {
        for j in 0..n {
            let v = w[[i, j]];
            if v > 0.0 {
                kp[i] += v
            } else {
                kn[i] -= v
            }
        }
    }
    let sp: f64 = kp.iter().sum();
    let sn: f64 = kn.iter().sum();
    let (mut qp, mut qn) = (0.0, 0.0);
    for i in 0..n {
        for j in 0..n {
            if g[i] != g[j] {
                continue;
            }
            let v = w[[i, j]];
            qp += v.max(0.0) - gamma * kp[i] * kp[j] / sp;
            qn += (-v).max(0.0) - gamma * kn[i] * kn[j] / sn;
        }
    }
    if asym {
        qp / sp - qn / (sp + sn)
    } else {
        (qp - qn) / (sp + sn)
    }
}

fn signed_planted(n: usize, k: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut r = rng::seeded(seed);
    let g: Vec<usize> = (0..n).map(|i| i * k / n).collect();
    let mut w = Array2::zeros((n, n));
    for i in 0..n {
        for j in 0..i {
            let base = if g[i] == g[j] { 0.5 } else { -0.2 };
            let v = base + 0.4 * (r.random::<f64>() - 0.5) * 2.0;
            w[[i, j]] = v;
            w[[j, i]] = v;
        }
    }
    (w, g)
}

#[test]
fn signed_q_matches_direct_bct_formulas() {
    let (w, truth) = signed_planted(60, 3, 4);
    for (mode, asym) in [(Signed::Sym, false), (Signed::Asym, true)] {
        for gamma in [0.8, 1.0, 1.3] {
            let r = community_louvain(&w, gamma, mode, 3, 9).unwrap();
            let direct = naive_bct(&w, &r.communities, gamma, asym);
            assert!(
                (r.q - direct).abs() < 1e-10,
                "{mode:?} γ={gamma}: {} vs {direct}",
                r.q
            );
            if gamma == 1.0 {
                assert!(nmi(&r.communities, &truth).unwrap() >= 0.95);
            }
        }
    }
    assert!(community_louvain(&w, 1.0, Signed::None, 1, 1).is_err());
}

#[test]
fn bad_input_is_a_clear_error() {
    let mut a = karate();
    a[[0, 1]] = 5.0;
    let e = community_louvain(&a, 1.0, Signed::None, 1, 1)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("symmetric") && e.contains("(1, 2)") || e.contains("(2, 1)"),
        "{e}"
    );
    let z = Array2::<f64>::zeros((3, 3));
    assert!(community_louvain(&z, 1.0, Signed::None, 1, 1).is_err());
    assert!(community_louvain(&karate(), 0.0, Signed::None, 1, 1).is_err());
    assert!(community_louvain(&karate(), 1.0, Signed::None, 0, 1).is_err());
    let big = Array2::<f64>::zeros((5000, 1));
    assert!(community_louvain(&big, 1.0, Signed::None, 1, 1).is_err());
}

/// Mucha et al. 2010 signed multislice Q written out over the supra-index:
/// (1/2μ) Σ_{ijlr} [B_ijl δ_lr + δ_ij C_jlr] δ(g_il, g_jr).
fn naive_mucha(
    layers: &[Array2<f64>],
    labels: &[Vec<usize>],
    gp: f64,
    gn: f64,
    omega: f64,
    categorical: bool,
) -> f64 {
    let l = layers.len();
    let n = layers[0].nrows();
    let mut two_mu = 0.0;
    let mut sum = 0.0;
    for (li, a) in layers.iter().enumerate() {
        let kp: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| a[[i, j]].max(0.0)).sum())
            .collect();
        let kn: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| (-a[[i, j]]).max(0.0)).sum())
            .collect();
        let (mp, mn): (f64, f64) = (kp.iter().sum(), kn.iter().sum());
        two_mu += mp + mn;
        for i in 0..n {
            for j in 0..n {
                if labels[li][i] == labels[li][j] {
                    let pos = a[[i, j]].max(0.0)
                        - if mp > 0.0 {
                            gp * kp[i] * kp[j] / mp
                        } else {
                            0.0
                        };
                    let neg = (-a[[i, j]]).max(0.0)
                        - if mn > 0.0 {
                            gn * kn[i] * kn[j] / mn
                        } else {
                            0.0
                        };
                    sum += pos - neg;
                }
            }
        }
    }
    for lr in 0..l {
        for r in 0..l {
            let coupled = if categorical {
                lr != r
            } else {
                lr.abs_diff(r) == 1
            };
            if !coupled {
                continue;
            }
            for i in 0..n {
                two_mu += omega;
                if labels[lr][i] == labels[r][i] {
                    sum += omega;
                }
            }
        }
    }
    sum / two_mu
}

#[test]
fn multilayer_q_matches_naive_mucha_and_recovers_modules() {
    let (x, truth) = planted_activity(40, 4, 8, 60, 2, 0.8, 3).unwrap();
    let mut p = ActivityParams::hebbff();
    p.window = 60;
    p.multilayer.runs = 4;
    let r = multilayer_from_activity(x.view(), &p, &mut |_, _| {}).unwrap();
    let layers = fc::windowed_fc(x.view(), 60, None).unwrap().layers;
    let direct = naive_mucha(&layers, &r.labels, 1.02, 1.0, 1.0, false);
    assert!((r.q - direct).abs() < 1e-10, "{} vs {direct}", r.q);
    assert_eq!(r.labels.len(), 8);
    for (l, (got, want)) in r.labels.iter().zip(&truth).enumerate() {
        let s = nmi(got, want).unwrap();
        assert!(s >= 0.95, "layer {l}: NMI {s}");
    }
    assert_eq!(r.communities_per_layer, vec![4; 8]);
    // Allegiance: symmetric, unit diagonal, in [0, 1].
    let a = &r.allegiance;
    for i in 0..40 {
        assert_eq!(a[[i, i]], 1.0);
        for j in 0..40 {
            assert_eq!(a[[i, j]], a[[j, i]]);
            assert!((0.0..=1.0).contains(&a[[i, j]]));
        }
    }
    // Units that never drift are (almost) never flexible; drifting ones are.
    let drifted: Vec<usize> = (0..40)
        .filter(|&i| truth.windows(2).any(|w| w[0][i] != w[1][i]))
        .collect();
    assert!(!drifted.is_empty());
    let stable: Vec<usize> = (0..40).filter(|i| !drifted.contains(i)).collect();
    let mean_of = |v: &[usize]| v.iter().map(|&i| r.flexibility[i]).sum::<f64>() / v.len() as f64;
    let (f_drift, f_stable) = (mean_of(&drifted), mean_of(&stable));
    eprintln!(
        "flexibility: drifting units {f_drift:.3}, stable units {f_stable:.3}, run Q {:?}",
        r.run_q
    );
    assert!(f_stable < 0.05, "stable units flexibility {f_stable}");
    assert!(
        f_drift > 3.0 * f_stable + 0.05,
        "drifting {f_drift} vs stable {f_stable}"
    );
    assert!((r.system_flexibility - r.flexibility.iter().sum::<f64>() / 40.0).abs() < 1e-15);
}

#[test]
fn categorical_and_greedy_q_match_naive() {
    let (x, _) = planted_activity(20, 2, 5, 40, 1, 1.0, 8).unwrap();
    let layers = fc::windowed_fc(x.view(), 40, None).unwrap().layers;
    for (coupling, cat) in [(Coupling::Categorical, true), (Coupling::Ordinal, false)] {
        for random_moves in [true, false] {
            let p = MultilayerParams {
                omega: 0.5,
                gamma_pos: vec![1.1],
                gamma_neg: vec![0.9],
                coupling,
                runs: 2,
                seed: 5,
                random_moves,
            };
            let r = multilayer_from_layers(&layers, &p, &mut |_, _| {}).unwrap();
            let direct = naive_mucha(&layers, &r.labels, 1.1, 0.9, 0.5, cat);
            assert!(
                (r.q - direct).abs() < 1e-10,
                "{coupling:?}: {} vs {direct}",
                r.q
            );
        }
    }
}

#[test]
fn constant_partition_has_zero_flexibility() {
    let layers = vec![vec![2, 2, 0, 1, 1]; 7];
    assert!(flexibility(&layers).unwrap().iter().all(|&f| f == 0.0));
    // Identical layers with strong coupling: one partition throughout.
    let (a, _) = planted(3, 10, 0.6, 0.05, 2);
    let p = MultilayerParams {
        omega: 5.0,
        runs: 2,
        ..Default::default()
    };
    let r = multilayer_from_layers(&vec![a; 6], &p, &mut |_, _| {}).unwrap();
    assert_eq!(r.system_flexibility, 0.0);
    let refs: Vec<&[usize]> = r.labels.iter().map(|v| v.as_slice()).collect();
    let al = allegiance(&refs).unwrap();
    assert!(al.iter().all(|&v| v == 0.0 || v == 1.0));
}

#[test]
fn multilayer_errors_are_named() {
    let x = Array2::from_shape_fn((100, 5), |(t, j)| ((t * (j + 2)) as f64).sin());
    let mut p = ActivityParams::hebbff();
    p.window = 500;
    let e = multilayer_from_activity(x.view(), &p, &mut |_, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("`window`: 500 is longer than the 100 time samples"),
        "{e}"
    );
    p.window = 20;
    p.multilayer.gamma_pos = vec![1.0, 2.0];
    let e = multilayer_from_activity(x.view(), &p, &mut |_, _| {})
        .unwrap_err()
        .to_string();
    assert!(e.contains("gamma_pos"), "{e}");
    // A constant unit gives a named warning, not NaN.
    let mut y = x.clone();
    y.column_mut(3).fill(2.0);
    p.multilayer.gamma_pos = vec![1.0];
    p.multilayer.runs = 1;
    let r = multilayer_from_activity(y.view(), &p, &mut |_, _| {}).unwrap();
    assert!(
        r.warnings.iter().any(|w| w.contains("unit(s) 4")),
        "{:?}",
        r.warnings
    );
    assert!(r.q.is_finite());
}

/// The trivial partitions' Q kept from the construction of B (Q of one
/// community) or written in closed form (unit-constant singletons) equal
/// Q re-evaluated over B, to the bit, for signed layers, both couplings,
/// ω = 0 and per-layer γ.
#[test]
fn multilayer_trivial_q_equal_quality_to_the_bit() {
    use rnnscope::modularity::multilayer::MultiB;
    let mut r = rng::seeded(11);
    let (n, l) = (13, 5);
    let layers: Vec<Array2<f64>> = (0..l)
        .map(|_| {
            let mut a = Array2::zeros((n, n));
            for i in 0..n {
                for j in 0..i {
                    let v: f64 = r.random::<f64>() - 0.3;
                    a[[i, j]] = v;
                    a[[j, i]] = v;
                }
            }
            a
        })
        .collect();
    for (coupling, omega, gp) in [
        (Coupling::Ordinal, 1.0, vec![1.02]),
        (Coupling::Categorical, 0.3, vec![1.0, 0.9, 1.1, 1.0, 1.3]),
        (Coupling::Ordinal, 0.0, vec![1.0]),
    ] {
        let p = MultilayerParams {
            omega,
            gamma_pos: gp,
            coupling,
            ..Default::default()
        };
        let b = MultiB::new(&layers, &p).unwrap();
        let singles = b.singletons();
        assert_eq!(b.q_singletons().to_bits(), b.q(&singles).to_bits());
        let one = vec![0; n * l];
        assert_eq!(b.q_one_community().to_bits(), b.q(&one).to_bits());
    }
}
