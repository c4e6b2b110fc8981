//! Motif analysis: exact counts against brute force and networkx, soft counts
//! and their gradient, stability levels checked numerically, bad input.
#![allow(clippy::needless_range_loop)] // parallel arrays indexed by motif/node

use ndarray::Array2;
use rand::Rng;
use rnnscope::motifs::{
    self, census, census_brute_force, meets_conditions, motif_levels, soft_counts,
    soft_penalty_grad, weighted_census, Digraph, SoftPresence, MOTIFS,
};
use rnnscope::{linalg, rng};

fn random_graph(n: usize, p: f64, seed: u64) -> Digraph {
    let mut r = rng::seeded(seed);
    let mut e = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if i != j && r.random::<f64>() < p {
                e.push((i, j, r.random_range(-2.0..2.0)));
            }
        }
    }
    Digraph::from_edges(n, &e).expect("test setup")
}

#[test]
fn census_equals_brute_force_on_random_graphs() {
    for (seed, (n, p)) in [(25, 0.1), (40, 0.3), (60, 0.05), (15, 0.8), (8, 1.0)]
        .into_iter()
        .enumerate()
    {
        let g = random_graph(n, p, seed as u64);
        let a = census(&g).unwrap();
        let b = census_brute_force(&g).unwrap();
        assert_eq!(a, b, "n={n} p={p}");
        // every instance has 3 nodes
        assert_eq!(a.per_node.sum(), 3 * a.counts.iter().sum::<u64>());
    }
}

#[test]
fn complete_graph_has_only_300() {
    let g = random_graph(7, 1.1, 1);
    let c = census(&g).unwrap();
    assert_eq!(c.counts[12], 35); // C(7,3)
    assert_eq!(c.counts.iter().sum::<u64>(), 35);
}

#[test]
fn census_matches_networkx_triadic_census() {
    let data: serde_json::Value =
        serde_json::from_str(include_str!("data/motifs_networkx.json")).unwrap();
    for case in data.as_array().unwrap() {
        let n = case["n"].as_u64().unwrap() as usize;
        let edges = edges_of(case);
        let c = census(&Digraph::from_edges(n, &edges).unwrap()).unwrap();
        for (m, motif) in MOTIFS.iter().enumerate() {
            let want = case["triadic_census"][motif.name].as_u64().unwrap();
            assert_eq!(c.counts[m], want, "{} on n={n}", motif.name);
        }
    }
}

/// The `edges` array of a reference-data case as unweighted edges.
fn edges_of(case: &serde_json::Value) -> Vec<(usize, usize, f64)> {
    case["edges"]
        .as_array()
        .expect("test setup")
        .iter()
        .map(|e| {
            (
                e[0].as_u64().expect("test setup") as usize,
                e[1].as_u64().expect("test setup") as usize,
                1.0,
            )
        })
        .collect()
}

/// Counts equal igraph's `motifs_randesu(size=3)` on the same graphs
/// (tests/data/igraph_motifs.json, made with python-igraph; its isoclasses
/// named by networkx's triadic census so the two numberings map).
#[test]
fn counts_equal_igraph_motifs_randesu() {
    let data: serde_json::Value =
        serde_json::from_str(include_str!("data/igraph_motifs.json")).unwrap();
    for case in data["cases"].as_array().unwrap() {
        let n = case["n"].as_u64().unwrap() as usize;
        let edges = edges_of(case);
        let c = census(&Digraph::from_edges(n, &edges).unwrap()).unwrap();
        for (m, motif) in MOTIFS.iter().enumerate() {
            let want = case["igraph_counts_by_triad"][motif.name]
                .as_u64()
                .unwrap_or(0);
            assert_eq!(c.counts[m], want, "{} on n={n}", motif.name);
        }
    }
}

#[test]
fn permutation_invariance() {
    let g = random_graph(30, 0.15, 11);
    let c = census(&g).unwrap();
    let n = g.n();
    let mut perm: Vec<usize> = (0..n).collect();
    let mut r = rng::seeded(4);
    for i in (1..n).rev() {
        perm.swap(i, r.random_range(0..=i));
    }
    let e: Vec<_> = g
        .edges()
        .iter()
        .map(|&(i, j, w)| (perm[i as usize], perm[j as usize], w))
        .collect();
    let h = Digraph::from_edges(n, &e).unwrap();
    let d = census(&h).unwrap();
    assert_eq!(c.counts, d.counts);
    for u in 0..n {
        assert_eq!(c.per_node.column(u), d.per_node.column(perm[u]));
    }
}

#[test]
fn hand_worked_small_graphs() {
    let g = |n, e: &[(usize, usize)]| {
        let e: Vec<_> = e.iter().map(|&(i, j)| (i, j, 1.0)).collect();
        census(&Digraph::from_edges(n, &e).unwrap()).unwrap().counts
    };
    // Star 0 → 1, 0 → 2, 0 → 3: three 021D (out-star), nothing else.
    let mut want = [0; 13];
    want[2] = 3;
    assert_eq!(g(4, &[(0, 1), (0, 2), (0, 3)]), want);
    // 3-cycle plus a pendant 3 → 0: one 030C; {3,0,1}: 3→0→1 chain (021C);
    // {3,0,2}: 3→0, 2→0 convergent (021U); {3,1,2}: 1→2 only, disconnected.
    let mut want = [0; 13];
    want[6] = 1;
    want[1] = 1;
    want[0] = 1;
    assert_eq!(g(4, &[(0, 1), (1, 2), (2, 0), (3, 0)]), want);
    // Self-loops are ignored.
    let mut want = [0; 13];
    want[1] = 1;
    assert_eq!(g(3, &[(0, 0), (0, 1), (1, 2)]), want);
}

#[test]
fn weighted_matches_per_instance_brute_force() {
    let g = random_graph(20, 0.25, 5);
    let w = weighted_census(&g).unwrap();
    let a = {
        let mut a = Array2::<f64>::zeros((20, 20));
        for &(i, j, x) in g.edges() {
            a[[i as usize, j as usize]] = x;
        }
        a
    };
    let table: Vec<Vec<(usize, usize)>> = MOTIFS
        .iter()
        .map(|m| {
            m.edges
                .iter()
                .map(|&(x, y)| (x as usize, y as usize))
                .collect()
        })
        .collect();
    let mut inten = [0.0; 13];
    let mut coh = [0.0; 13];
    for i in 0..20 {
        for j in i + 1..20 {
            for k in j + 1..20 {
                let nodes = [i, j, k];
                let present: Vec<(usize, usize)> = (0..3)
                    .flat_map(|x| (0..3).map(move |y| (x, y)))
                    .filter(|&(x, y)| x != y && a[[nodes[x], nodes[y]]] != 0.0)
                    .collect();
                // find the motif by trying all relabellings
                for (m, me) in table.iter().enumerate() {
                    let perms = [
                        [0, 1, 2],
                        [0, 2, 1],
                        [1, 0, 2],
                        [1, 2, 0],
                        [2, 0, 1],
                        [2, 1, 0],
                    ];
                    if me.len() == present.len()
                        && perms
                            .iter()
                            .any(|p| me.iter().all(|&(x, y)| present.contains(&(p[x], p[y]))))
                    {
                        let ws: Vec<f64> = present
                            .iter()
                            .map(|&(x, y)| a[[nodes[x], nodes[y]]].abs())
                            .collect();
                        let l = ws.len() as f64;
                        let geo = ws.iter().product::<f64>().powf(1.0 / l);
                        inten[m] += geo;
                        coh[m] += geo / (ws.iter().sum::<f64>() / l);
                    }
                }
            }
        }
    }
    for m in 0..13 {
        assert!(
            (w.intensity[m] - inten[m]).abs() < 1e-9 * (1.0 + inten[m]),
            "{m}"
        );
        assert!(
            (w.coherence[m] - coh[m]).abs() < 1e-9 * (1.0 + coh[m]),
            "{m}"
        );
    }
}

#[test]
fn soft_counts_equal_exact_counts_on_binary_matrices() {
    for (seed, p) in [(1u64, 0.1), (2, 0.3), (3, 0.6)] {
        let g = random_graph(24, p, seed);
        let mut a = g.to_dense();
        // signs and self-loops do not matter
        a[[0, 0]] = 1.0;
        if let Some(&(i, j, _)) = g.edges().first() {
            a[[i as usize, j as usize]] = -1.0;
        }
        let exact = census(&g).unwrap().counts;
        let soft = soft_counts(&a, &SoftPresence::default()).unwrap();
        for m in 0..13 {
            assert!(
                (soft[m] - exact[m] as f64).abs() < 1e-9,
                "motif {} p={p}: {} vs {}",
                m + 1,
                soft[m],
                exact[m]
            );
        }
    }
    // poster's c1 (convergent j → i ← k) on the lone 021U
    let mut a = Array2::zeros((3, 3));
    a[[0, 1]] = 1.0;
    a[[2, 1]] = 1.0;
    let c = soft_counts(&a, &SoftPresence::default()).unwrap();
    assert_eq!(c[0], 1.0);
}

#[test]
fn gradient_matches_central_differences() {
    let n = 9;
    let mut r = rng::seeded(42);
    let w = Array2::from_shape_fn((n, n), |_| r.random_range(-1.2..1.2));
    let map = SoftPresence {
        threshold: 0.4,
        temperature: 0.2,
    };
    let s: [f64; 13] = std::array::from_fn(|m| (m as f64 - 6.0) * 0.3 + 0.1);
    let (loss, g) = soft_penalty_grad(&w, &map, &s).unwrap();
    let c = soft_counts(&w, &map).unwrap();
    let direct: f64 = (0..13).map(|m| s[m] * c[m]).sum();
    assert!((loss - direct).abs() < 1e-9 * (1.0 + direct.abs()));
    let h = 1e-5;
    let f = |w: &Array2<f64>| -> f64 {
        let c = soft_counts(w, &map).unwrap();
        (0..13).map(|m| s[m] * c[m]).sum()
    };
    let mut worst = 0.0f64;
    for i in 0..n {
        for j in 0..n {
            let mut wp = w.clone();
            wp[[i, j]] += h;
            let mut wm = w.clone();
            wm[[i, j]] -= h;
            let fd = (f(&wp) - f(&wm)) / (2.0 * h);
            worst = worst.max((fd - g[[i, j]]).abs() / (1.0 + fd.abs()));
        }
    }
    assert!(worst < 1e-6, "worst relative error {worst}");
    // single motifs too (each s = e_m)
    for m in 0..13 {
        let mut e = [0.0; 13];
        e[m] = 1.0;
        let (_, gm) = soft_penalty_grad(&w, &map, &e).unwrap();
        let (i, j) = (2, 5);
        let mut wp = w.clone();
        wp[[i, j]] += h;
        let mut wm = w.clone();
        wm[[i, j]] -= h;
        let fd =
            (soft_counts(&wp, &map).unwrap()[m] - soft_counts(&wm, &map).unwrap()[m]) / (2.0 * h);
        assert!(
            (fd - gm[[i, j]]).abs() < 1e-6 * (1.0 + fd.abs()),
            "motif {}",
            m + 1
        );
    }
}

fn max_re(j: &[[f64; 3]; 3]) -> f64 {
    let a = Array2::from_shape_fn((3, 3), |(r, c)| j[r][c]);
    linalg::eigenvalues(&a)
        .expect("test setup")
        .iter()
        .map(|e| e.0)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// J for motif m: J[b][a] = influence of a on b for each motif edge a → b.
fn random_j(m: usize, r: &mut rng::Rng, diag: f64, scale: f64) -> [[f64; 3]; 3] {
    let mut j = [[0.0; 3]; 3];
    for (i, row) in j.iter_mut().enumerate() {
        row[i] = -r.random_range(0.05..1.0) * diag;
    }
    for &(a, b) in MOTIFS[m].edges {
        j[b as usize][a as usize] = r.random_range(-scale..scale);
    }
    j
}

#[test]
fn levels_are_checked_numerically() {
    let levels = motif_levels();
    // the derived levels group 4 / 4 / 5 motifs
    assert_eq!(levels.iter().filter(|&&l| l == 1).count(), 4);
    assert_eq!(levels.iter().filter(|&&l| l == 2).count(), 4);
    assert_eq!(levels.iter().filter(|&&l| l == 3).count(), 5);
    let mut r = rng::seeded(7);
    for m in 0..13 {
        let (mut met, mut unstable_violating) = (0, 0);
        for _ in 0..4000 {
            let j = random_j(m, &mut r, 1.0, 3.0);
            let lam = max_re(&j);
            if meets_conditions(m, &j) {
                met += 1;
                assert!(
                    lam < 1e-9,
                    "motif {} meets its conditions but λ = {lam}",
                    m + 1
                );
            } else if lam > 0.0 {
                unstable_violating += 1;
            }
        }
        assert!(
            met > 50,
            "motif {}: too few samples met the conditions ({met})",
            m + 1
        );
        if levels[m] >= 2 {
            assert!(
                unstable_violating > 0,
                "motif {}: violations never unstable",
                m + 1
            );
        }
        // Level-1 motifs: negative diagonal alone suffices, any off-diagonal size.
        if levels[m] == 1 {
            for _ in 0..200 {
                let j = random_j(m, &mut r, 1.0, 1e3);
                assert!(max_re(&j) < 0.0);
            }
        }
        // Level-3 motifs: negative diagonal and positive 2×2 minors are not enough.
        if levels[m] == 3 {
            let mut found = false;
            for _ in 0..20000 {
                let j = random_j(m, &mut r, 1.0, 3.0);
                let minors_ok =
                    (0..3).all(|a| (a + 1..3).all(|b| j[a][a] * j[b][b] - j[a][b] * j[b][a] > 0.0));
                if minors_ok && max_re(&j) > 0.0 {
                    found = true;
                    break;
                }
            }
            assert!(
                found,
                "motif {}: level 3 but 2×2 conditions always sufficed",
                m + 1
            );
        }
    }
}

#[test]
fn bad_input_gives_clear_errors() {
    let e = Digraph::from_matrix(&Array2::zeros((2, 3)))
        .unwrap_err()
        .to_string();
    assert!(e.contains("square"), "{e}");
    let mut a = Array2::zeros((3, 3));
    a[[1, 2]] = f64::NAN;
    let e = Digraph::from_matrix(&a).unwrap_err().to_string();
    assert!(e.contains("(2, 3)") && e.contains("NaN"), "{e}");
    let e = Digraph::from_edges(3, &[(0, 5, 1.0)])
        .unwrap_err()
        .to_string();
    assert!(e.contains("node ≥ N"), "{e}");
    let e = Digraph::from_edges(3, &[(0, 1, 1.0), (0, 1, 2.0)])
        .unwrap_err()
        .to_string();
    assert!(e.contains("duplicate edge 0 → 1"), "{e}");
    let e = Digraph::from_edges(10_000_000, &[])
        .unwrap_err()
        .to_string();
    assert!(e.contains("too large"), "{e}");
    let e = soft_counts(&a, &SoftPresence::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("NaN"), "{e}");
    let bad = SoftPresence {
        threshold: 1.5,
        temperature: 0.1,
    };
    let e = soft_counts(&Array2::zeros((3, 3)), &bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("threshold"), "{e}");
    let e = soft_counts(&Array2::zeros((5000, 1)), &SoftPresence::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("square"), "{e}");
    let e = motifs::null_stats(&[0; 13], &[[0; 13]])
        .unwrap_err()
        .to_string();
    assert!(e.contains("at least 2"), "{e}");
}

#[test]
fn null_models_z_scores() {
    // A graph rich in feed-forward loops: 030T should be over-represented
    // against both nulls.
    let mut e = Vec::new();
    let mut r = rng::seeded(1);
    for _ in 0..60 {
        let a = r.random_range(0..80usize);
        let b = r.random_range(0..80usize);
        let c = r.random_range(0..80usize);
        if a != b && b != c && a != c {
            for (x, y) in [(a, b), (b, c), (a, c)] {
                e.push((x, y, 1.0));
            }
        }
    }
    e.sort_by_key(|x| (x.0, x.1));
    e.dedup_by(|x, y| x.0 == y.0 && x.1 == y.1);
    let g = Digraph::from_edges(80, &e).unwrap();
    let obs = census(&g).unwrap().counts;
    for model in [motifs::NullModel::Swap, motifs::NullModel::Er] {
        let samples: Vec<_> = (0..30)
            .map(|k| motifs::null_sample_counts(&g, model, 3, k).unwrap())
            .collect();
        let st = motifs::null_stats(&obs, &samples).unwrap();
        assert!(st.z[4].unwrap() > 3.0, "{model:?}: z(030T) = {:?}", st.z[4]);
        let norm: f64 = st.profile.iter().flatten().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-9);
    }
}

#[test]
fn erdos_renyi_has_the_expected_density() {
    let g = motifs::erdos_renyi(300, 0.05, 8).unwrap();
    let expect: f64 = 0.05 * 300.0 * 299.0;
    let sd = (expect * 0.95).sqrt();
    assert!((g.m() as f64 - expect).abs() < 4.0 * sd, "m = {}", g.m());
    assert_eq!(motifs::erdos_renyi(5, 1.0, 1).unwrap().m(), 20);
    assert_eq!(motifs::erdos_renyi(5, 0.0, 1).unwrap().m(), 0);
    assert!(motifs::erdos_renyi(5, 1.5, 1).is_err());
}
