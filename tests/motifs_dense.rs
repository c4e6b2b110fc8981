//! Thresholding dense weight matrices into motif graphs, the density check
//! and the cost estimate (src/motifs/dense.rs), against hand-worked values.

use ndarray::{array, Array2};
use rnnscope::motifs::{
    census, check_density, estimate_cost, threshold_matrix, Digraph, Threshold,
};

/// 3 × 3 with off-diagonal |w| = 6, 5, 4, 3, 2, 1 (diagonal 9 is never an edge).
fn w3() -> Array2<f64> {
    array![[9.0, -6.0, 1.0], [5.0, 9.0, -2.0], [4.0, 3.0, 9.0]]
}

#[test]
fn keep_fraction_keeps_the_largest_magnitudes() {
    // keep 0.5 of 6 off-diagonal entries → the 3 largest |w|: 6, 5, 4 (cut 4).
    let (t, r) = threshold_matrix(&w3(), Threshold::Keep { keep: 0.5 }).unwrap();
    assert_eq!(
        t,
        array![[0.0, -6.0, 0.0], [5.0, 0.0, 0.0], [4.0, 0.0, 0.0]]
    );
    assert!(r.applied);
    assert_eq!((r.cut, r.nonzero_before, r.kept), (4.0, 6, 3));
}

#[test]
fn absolute_threshold_keeps_signed_weights_at_or_above_t() {
    let (t, r) = threshold_matrix(&w3(), Threshold::Abs { min_abs: 2.0 }).unwrap();
    assert_eq!(
        t,
        array![[0.0, -6.0, 0.0], [5.0, 0.0, -2.0], [4.0, 3.0, 0.0]]
    );
    assert_eq!((r.cut, r.kept), (2.0, 5));
}

#[test]
fn ties_at_the_cut_are_kept_so_binary_matrices_keep_every_edge() {
    let a = array![[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]];
    let (t, r) = threshold_matrix(&a, Threshold::Keep { keep: 0.1 }).unwrap();
    assert_eq!(t, a);
    assert_eq!(r.kept, 3);
}

#[test]
fn auto_thresholds_only_dense_matrices() {
    // Dense (6/6 non-zero) → keep 1/3: |w| 6 and 5.
    let (t, r) = threshold_matrix(&w3(), Threshold::Auto { keep: 1.0 / 3.0 }).unwrap();
    assert!(r.applied);
    assert_eq!(r.kept, 2);
    assert_eq!(t[[0, 1]], -6.0);
    assert_eq!(t[[1, 0]], 5.0);
    // Sparse (3/6 = 0.5, not above 0.5) → unchanged apart from the diagonal.
    let a = array![[2.0, 0.3, 0.0], [0.0, 0.0, 0.7], [0.1, 0.0, 0.0]];
    let (t, r) = threshold_matrix(&a, Threshold::Auto { keep: 0.1 }).unwrap();
    assert!(!r.applied);
    assert_eq!(t, array![[0.0, 0.3, 0.0], [0.0, 0.0, 0.7], [0.1, 0.0, 0.0]]);
}

#[test]
fn bad_rules_and_matrices_are_named() {
    let e = threshold_matrix(&w3(), Threshold::Keep { keep: 0.0 }).unwrap_err();
    assert!(e.to_string().contains("keep"), "{e}");
    let e = threshold_matrix(&w3(), Threshold::Keep { keep: 1.5 }).unwrap_err();
    assert!(e.to_string().contains("keep"), "{e}");
    let e = threshold_matrix(&w3(), Threshold::Abs { min_abs: f64::NAN }).unwrap_err();
    assert!(e.to_string().contains("min_abs"), "{e}");
    let e = threshold_matrix(&Array2::zeros((2, 3)), Threshold::None).unwrap_err();
    assert!(e.to_string().contains("2 rows × 3 columns"), "{e}");
    let mut a = w3();
    a[[2, 0]] = f64::INFINITY;
    let e = threshold_matrix(&a, Threshold::None).unwrap_err();
    assert!(e.to_string().contains("(3, 1)"), "{e}");
}

#[test]
fn rules_parse_from_the_page_s_json() {
    let r: Threshold = serde_json::from_str(r#"{"mode":"keep","keep":0.1}"#).unwrap();
    assert_eq!(r, Threshold::Keep { keep: 0.1 });
    let r: Threshold = serde_json::from_str(r#"{"mode":"abs","min_abs":0.2}"#).unwrap();
    assert_eq!(r, Threshold::Abs { min_abs: 0.2 });
    let r: Threshold = serde_json::from_str(r#"{"mode":"none"}"#).unwrap();
    assert_eq!(r, Threshold::None);
}

fn complete(n: usize) -> Digraph {
    let mut a = Array2::from_elem((n, n), 0.3);
    a.diag_mut().fill(0.0);
    Digraph::from_matrix(&a).expect("a complete graph")
}

#[test]
fn density_check_warns_on_complete_and_dense_graphs() {
    let d = check_density(&complete(5));
    assert_eq!((d.n, d.m, d.density, d.complete), (5, 20, 1.0, true));
    assert!(d.warning.unwrap().contains("complete"));
    // 4 nodes, 6 of 12 ordered pairs = 0.5 → dense warning, not complete.
    let g = Digraph::from_edges(
        4,
        &[
            (0, 1, 1.0),
            (1, 0, 1.0),
            (1, 2, 1.0),
            (2, 3, 1.0),
            (3, 0, 1.0),
            (0, 2, 1.0),
        ],
    )
    .unwrap();
    let d = check_density(&g);
    assert_eq!((d.m, d.density, d.complete), (6, 0.5, false));
    assert!(d.warning.unwrap().contains("50% dense"));
    // A directed 3-cycle on 4 nodes: 3/12 = 0.25 → no warning.
    let g = Digraph::from_edges(4, &[(0, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0)]).unwrap();
    assert_eq!(check_density(&g).warning, None);
}

#[test]
fn cost_counts_the_census_neighbour_pairs() {
    // Complete graph on N nodes: every node has N − 1 neighbours → N·C(N−1, 2) pairs.
    let c = estimate_cost(&complete(10), 0);
    assert_eq!(c.census_pairs, 10 * 9 * 8 / 2);
    assert_eq!(c.census_seconds, c.total_seconds);
    // A directed path 0 → 1 → 2: only node 1 has two neighbours → 1 pair.
    let g = Digraph::from_edges(3, &[(0, 1, 1.0), (1, 2, 1.0)]).unwrap();
    let c = estimate_cost(&g, 40);
    assert_eq!(c.census_pairs, 1);
    let per_null = c.census_seconds + 2.0 * rnnscope::motifs::NS_PER_NULL_EDGE * 1e-9;
    assert!((c.total_seconds - (c.census_seconds + 40.0 * per_null)).abs() < 1e-15);
}

#[test]
fn a_dense_64_node_w_thresholded_to_10_percent_has_level_1_motifs() {
    // A seeded Gaussian W: dense, no ties among the |w|.
    let n = 64;
    let w = rnnscope::ensembles::gaussian(n, 1.0, 7).unwrap();
    let full = Digraph::from_matrix(&w).unwrap();
    assert!(check_density(&full).complete);
    let c = census(&full).unwrap();
    assert_eq!(c.counts[12], (n * (n - 1) * (n - 2) / 6) as u64);
    let (t, r) = threshold_matrix(&w, Threshold::Keep { keep: 0.1 }).unwrap();
    assert_eq!(r.kept, (0.1f64 * (n * (n - 1)) as f64).round() as usize);
    let g = Digraph::from_matrix(&t).unwrap();
    assert_eq!(check_density(&g).warning, None);
    let c = census(&g).unwrap();
    // Level-1 motifs (ids 1, 2, 3, 5: 021U, 021C, 021D, 030T) are present.
    assert!(c.counts[0] + c.counts[1] + c.counts[2] + c.counts[4] > 0);
}
