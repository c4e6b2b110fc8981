//! The 13 connected directed three-node motifs (Sporns & Kötter 2004; numbering
//! of the Brain Connectivity Toolbox, BCT): exact counts, weighted intensity and
//! coherence, differentiable counts, null models and stability levels.
//!
//! # Orientation convention
//! Everything in this module uses the **adjacency convention**:
//! `A[i][j] ≠ 0` ⇔ an edge `i → j` (networkx, BCT). An RNN weight matrix in
//! the convention `dh_i/dt = Σ_j W_ij φ(h_j)` (W[i][j] = weight from j to i) is
//! its transpose: pass `W.t()` (the CLI's `--rnn` flag does this).
//! Self-loops (diagonal entries) never take part in a three-node motif and are
//! ignored.
//!
//! # Numbering
//! Ids 1–13 follow BCT's `motif3struct_bin`; each motif also carries its
//! Holland–Leinhardt triad-census name (as in networkx `triadic_census`) and an
//! edge list on nodes 0, 1, 2, so any other convention can be mapped. The
//! names were checked against networkx on random graphs
//! (`tests/data/motifs_networkx.json`).

mod census;
mod dense;
mod differentiable;
mod graph;
mod null;
mod stability;
mod weighted;

pub use census::{census, census_brute_force, instances, Census};
pub use dense::{
    check_density, estimate_cost, graph_from_weights, threshold_matrix, CostEstimate,
    DensityReport, Threshold, ThresholdReport, AUTO_DENSITY, DENSE_WARNING, NS_PER_NULL_EDGE,
    NS_PER_PAIR,
};
pub use differentiable::{soft_counts, soft_penalty_grad, SoftPresence};
pub use graph::Digraph;
pub use null::{erdos_renyi, null_sample_counts, null_stats, NullModel, NullStats, MAX_SAMPLES};
pub use stability::{
    conditions_hold, level_conditions, meets_conditions, motif_levels, motifs_at_fixed_points,
    stability_profile, FixedPointBridge, PointMotifs,
};
pub use weighted::{weighted_census, WeightedCensus};

/// One motif of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Motif {
    /// BCT / Sporns–Kötter id, 1–13.
    pub id: u8,
    /// Triad-census name (Holland & Leinhardt; networkx `triadic_census`).
    pub name: &'static str,
    /// Directed edges `(a, b)` meaning `a → b` on the nodes 0, 1, 2.
    pub edges: &'static [(u8, u8)],
}

/// The 13 motifs, index `id − 1`.
pub const MOTIFS: [Motif; 13] = [
    Motif {
        id: 1,
        name: "021U",
        edges: &[(0, 1), (2, 1)],
    },
    Motif {
        id: 2,
        name: "021C",
        edges: &[(0, 1), (1, 2)],
    },
    Motif {
        id: 3,
        name: "021D",
        edges: &[(1, 0), (1, 2)],
    },
    Motif {
        id: 4,
        name: "111D",
        edges: &[(0, 1), (1, 0), (2, 1)],
    },
    Motif {
        id: 5,
        name: "030T",
        edges: &[(0, 1), (2, 1), (0, 2)],
    },
    Motif {
        id: 6,
        name: "111U",
        edges: &[(0, 1), (1, 0), (1, 2)],
    },
    Motif {
        id: 7,
        name: "030C",
        edges: &[(0, 1), (1, 2), (2, 0)],
    },
    Motif {
        id: 8,
        name: "120D",
        edges: &[(0, 1), (1, 0), (2, 0), (2, 1)],
    },
    Motif {
        id: 9,
        name: "201",
        edges: &[(0, 1), (1, 0), (1, 2), (2, 1)],
    },
    Motif {
        id: 10,
        name: "120C",
        edges: &[(0, 1), (1, 2), (0, 2), (2, 0)],
    },
    Motif {
        id: 11,
        name: "120U",
        edges: &[(0, 1), (1, 0), (0, 2), (1, 2)],
    },
    Motif {
        id: 12,
        name: "210",
        edges: &[(0, 1), (1, 0), (1, 2), (2, 1), (0, 2)],
    },
    Motif {
        id: 13,
        name: "300",
        edges: &[(0, 1), (1, 0), (1, 2), (2, 1), (0, 2), (2, 0)],
    },
];

/// Bit of the ordered pair `(a, b)`, `a ≠ b ∈ {0,1,2}`, in a 6-bit triad code.
pub(crate) fn pair_bit(a: usize, b: usize) -> u8 {
    // (0,1) (1,0) (0,2) (2,0) (1,2) (2,1) → bits 0..5
    match (a, b) {
        (0, 1) => 1,
        (1, 0) => 2,
        (0, 2) => 4,
        (2, 0) => 8,
        (1, 2) => 16,
        (2, 1) => 32,
        _ => 0,
    }
}

/// Lookup from a 6-bit code of the edges among three labelled nodes to the
/// motif index `id − 1` (or 255 for a disconnected triple). Built from
/// [`MOTIFS`] by applying all 6 relabellings, so the table is derived, not typed.
pub(crate) fn code_table() -> [u8; 64] {
    let mut t = [255u8; 64];
    const PERMS: [[usize; 3]; 6] = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for (m, motif) in MOTIFS.iter().enumerate() {
        for p in PERMS {
            let code = motif
                .edges
                .iter()
                .fold(0u8, |c, &(a, b)| c | pair_bit(p[a as usize], p[b as usize]));
            t[code as usize] = m as u8;
        }
    }
    t
}

/// Number of automorphisms of each motif (labelled embeddings per instance).
pub(crate) fn automorphisms() -> [usize; 13] {
    let t = code_table();
    let mut per_code = [0usize; 13];
    for &m in t.iter() {
        if m != 255 {
            per_code[m as usize] += 1;
        }
    }
    // 6 labellings / number of distinct labelled codes = |Aut|.
    let mut out = [0usize; 13];
    for m in 0..13 {
        out[m] = 6 / per_code[m];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_all_connected_codes() {
        let t = code_table();
        // 64 codes: the disconnected ones are empty (1), a single edge (6) and a
        // single mutual dyad (3) → 10; the other 54 are the labelled motifs.
        assert_eq!(t.iter().filter(|&&m| m == 255).count(), 10);
        // Distinct motifs are not isomorphic to each other: total labelled = 54.
        let aut = automorphisms();
        let labelled: usize = aut.iter().map(|a| 6 / a).sum();
        assert_eq!(labelled, 54);
        assert_eq!(aut[12], 6); // 300: fully symmetric
        assert_eq!(aut[6], 3); // 030C: rotations
    }
}
