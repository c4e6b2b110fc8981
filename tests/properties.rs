//! Property tests (proptest, issue 10): invariants that must hold for every
//! input, checked against independent naive code. Case counts are modest so
//! the file runs in seconds.

#![allow(clippy::needless_range_loop)] // naive reference loops mirror the formulas

use ndarray::Array2;
use proptest::prelude::*;
use rnnscope::dynamics::dimension::{participation_ratio, pca};
use rnnscope::modularity::partition::allegiance;
use rnnscope::modularity::signed::modularity;
use rnnscope::modularity::{community_louvain, Signed};
use rnnscope::motifs::{census, Digraph};

/// Random directed graph: n nodes, edges from a bit mask over ordered pairs.
fn digraph() -> impl Strategy<Value = (usize, Vec<(usize, usize)>)> {
    (3usize..14).prop_flat_map(|n| {
        proptest::collection::vec(any::<bool>(), n * n).prop_map(move |bits| {
            let e = (0..n)
                .flat_map(|i| (0..n).map(move |j| (i, j)))
                .filter(|&(i, j)| i != j && bits[i * n + j])
                .collect();
            (n, e)
        })
    })
}

fn build(n: usize, e: &[(usize, usize)]) -> Digraph {
    let w: Vec<_> = e.iter().map(|&(i, j)| (i, j, 1.0)).collect();
    Digraph::from_edges(n, &w).expect("valid graph")
}

/// Triples {a, b, c} whose underlying undirected graph is connected (≥ 2 of
/// the 3 pairs joined), counted by brute force.
fn connected_triads(n: usize, e: &[(usize, usize)]) -> u64 {
    let mut adj = vec![vec![false; n]; n];
    for &(i, j) in e {
        adj[i][j] = true;
        adj[j][i] = true;
    }
    let mut c = 0;
    for a in 0..n {
        for b in a + 1..n {
            for d in b + 1..n {
                if adj[a][b] as u8 + adj[a][d] as u8 + adj[b][d] as u8 >= 2 {
                    c += 1;
                }
            }
        }
    }
    c
}

/// Symmetric signed matrix with zero diagonal and at least one positive weight.
fn signed_matrix() -> impl Strategy<Value = Array2<f64>> {
    (2usize..16).prop_flat_map(|n| {
        proptest::collection::vec(-1.0f64..1.0, n * n).prop_map(move |v| {
            let mut w = Array2::zeros((n, n));
            for i in 0..n {
                for j in 0..i {
                    w[[i, j]] = v[i * n + j];
                    w[[j, i]] = v[i * n + j];
                }
            }
            w[[0, 1]] = w[[0, 1]].abs() + 0.1;
            w[[1, 0]] = w[[0, 1]];
            w
        })
    })
}

/// Rubinov & Sporns (2011) Q written out directly:
/// Q = Σ_ij [(w⁺ − k⁺_i k⁺_j / s⁺)/s⁺ − (w⁻ − k⁻_i k⁻_j / s⁻)/(s⁺ + s⁻)] δ(g_i, g_j).
fn naive_q_asym(w: &Array2<f64>, g: &[usize], gamma: f64) -> f64 {
    let n = w.nrows();
    let (mut kp, mut kn) = (vec![0.0; n], vec![0.0; n]);
    for i in 0..n {
        for j in 0..n {
            kp[i] += w[[i, j]].max(0.0);
            kn[i] += (-w[[i, j]]).max(0.0);
        }
    }
    let (sp, sn): (f64, f64) = (kp.iter().sum(), kn.iter().sum());
    let mut q = 0.0;
    for i in 0..n {
        for j in 0..n {
            if g[i] != g[j] {
                continue;
            }
            q += (w[[i, j]].max(0.0) - gamma * kp[i] * kp[j] / sp) / sp;
            if sn > 0.0 {
                q -= ((-w[[i, j]]).max(0.0) - gamma * kn[i] * kn[j] / sn) / (sp + sn);
            }
        }
    }
    q
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn motif_counts_invariant_under_relabelling(
        (n, e) in digraph(),
        perm_seed in any::<u64>(),
    ) {
        // A permutation from the seed (Fisher–Yates with a splitmix step).
        let mut perm: Vec<usize> = (0..n).collect();
        let mut s = perm_seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(0x6a09_e667);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let relabelled: Vec<_> = e.iter().map(|&(i, j)| (perm[i], perm[j])).collect();
        let a = census(&build(n, &e)).unwrap();
        let b = census(&build(n, &relabelled)).unwrap();
        prop_assert_eq!(a.counts, b.counts);
        // Participation moves with the node.
        for m in 0..13 {
            for u in 0..n {
                prop_assert_eq!(a.per_node[[m, u]], b.per_node[[m, perm[u]]]);
            }
        }
    }

    #[test]
    fn motif_counts_sum_to_connected_triads((n, e) in digraph()) {
        let c = census(&build(n, &e)).unwrap();
        prop_assert_eq!(c.counts.iter().sum::<u64>(), connected_triads(n, &e));
    }

    #[test]
    fn louvain_q_at_most_one_and_equal_to_direct_evaluation(
        w in signed_matrix(),
        gamma in 0.5f64..2.0,
        seed in 0u64..1000,
    ) {
        let r = community_louvain(&w, gamma, Signed::Asym, 1, seed).unwrap();
        prop_assert!(r.q <= 1.0 + 1e-12, "Q = {}", r.q);
        let direct = naive_q_asym(&w, &r.communities, gamma);
        prop_assert!((r.q - direct).abs() < 1e-9, "Q {} vs direct {}", r.q, direct);
        let lib = modularity(&w, &r.communities, gamma, Signed::Asym).unwrap();
        prop_assert!((lib - direct).abs() < 1e-9);
    }

    #[test]
    fn allegiance_symmetric_with_unit_diagonal(
        parts in (1usize..20).prop_flat_map(|n| proptest::collection::vec(
            proptest::collection::vec(0usize..5, n), 1..8)),
    ) {
        let refs: Vec<&[usize]> = parts.iter().map(|p| p.as_slice()).collect();
        let p = allegiance(&refs).unwrap();
        let n = parts[0].len();
        for i in 0..n {
            prop_assert_eq!(p[[i, i]], 1.0);
            for j in 0..n {
                prop_assert_eq!(p[[i, j]], p[[j, i]]);
                let same = parts.iter().filter(|q| q[i] == q[j]).count() as f64;
                prop_assert!((p[[i, j]] - same / parts.len() as f64).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn participation_ratio_between_one_and_n(
        (t, n, v) in (3usize..30, 1usize..12).prop_flat_map(|(t, n)|
            (Just(t), Just(n), proptest::collection::vec(-10.0f64..10.0, t * n))),
    ) {
        let x = Array2::from_shape_vec((t, n), v).unwrap();
        let p = pca(&x, 1).unwrap();
        let pr = p.participation_ratio;
        // PR = 0 only when there is no variance at all.
        if p.eigenvalues.iter().any(|&l| l > 1e-9) {
            prop_assert!((1.0 - 1e-9..=n as f64 + 1e-9).contains(&pr), "PR {pr} for N = {n}");
        }
        prop_assert!((participation_ratio(&p.eigenvalues) - pr).abs() < 1e-9);
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        // Any result is fine; a panic fails the test.
        let _ = rnnscope::io::read_array(&bytes);
        let _ = rnnscope::io::read_npy(&bytes);
        let _ = rnnscope::io::parse_csv(&bytes);
        let _ = rnnscope::io::edgelist::parse_edge_list(&bytes);
    }

    #[test]
    fn npy_parser_never_panics_on_mangled_headers(
        tail in proptest::collection::vec(any::<u8>(), 0..256),
        header in "[ -~]{0,80}",
        major in 0u8..4,
    ) {
        // Valid magic so the parser gets past it and into the header.
        let mut b = b"\x93NUMPY".to_vec();
        b.push(major);
        b.push(0);
        let h = header.as_bytes();
        b.extend_from_slice(&(h.len() as u16).to_le_bytes());
        b.extend_from_slice(h);
        b.extend_from_slice(&tail);
        let _ = rnnscope::io::read_npy(&b);
    }

    #[test]
    fn csv_parser_never_panics_on_numeric_looking_text(
        text in "[0-9eE.,;+\\- \\n\"nainfNAIF]{0,300}",
    ) {
        let _ = rnnscope::io::parse_csv(text.as_bytes());
        let _ = rnnscope::io::read_array(text.as_bytes());
    }
}
