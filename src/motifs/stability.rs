//! Stability levels of the 13 motifs (Zhang, Sun, Yao & Zhang poster,
//! "Functional building blocks of neural networks").
//!
//! Each motif is read as the linear system dX/dt = J X on its three nodes,
//! with negative self-terms J_ii and J_ba free wherever the motif has the edge
//! a → b (zero elsewhere). Ordering the nodes by strongly connected components
//! makes J block-triangular (Frobenius normal form), so the characteristic
//! polynomial factors into one polynomial per component, and stability needs
//! exactly the Routh–Hurwitz conditions of each block:
//!
//! * a 1-node block, λ − J_ii: J_ii < 0 (**Level 1**: only W₁₁, W₂₂, W₃₃ < 0);
//! * a 2-node block (a mutual dyad), λ² − (J_aa+J_bb)λ + (J_aa J_bb − J_ab J_ba):
//!   the trace is already negative, so add the 2 × 2 principal-minor condition
//!   J_aa J_bb − J_ab J_ba > 0 (**Level 2**);
//! * a 3-node block, λ³ + a₁λ² + a₂λ + a₃: full Routh–Hurwitz a₁ > 0, a₃ > 0,
//!   a₁a₂ > a₃ (**Level 3**).
//!
//! A motif's level is therefore the size of its largest strongly connected
//! component — computed here from the edge lists, not typed in.

use super::{Census, MOTIFS};

/// Reachability closure of a motif's edges on 3 nodes.
fn reach(edges: &[(u8, u8)]) -> [[bool; 3]; 3] {
    let mut r = [[false; 3]; 3];
    for (i, row) in r.iter_mut().enumerate() {
        row[i] = true;
    }
    for &(a, b) in edges {
        r[a as usize][b as usize] = true;
    }
    for k in 0..3 {
        for i in 0..3 {
            for j in 0..3 {
                if r[i][k] && r[k][j] {
                    r[i][j] = true;
                }
            }
        }
    }
    r
}

/// Strongly connected components of a motif, as node lists.
pub(crate) fn components(edges: &[(u8, u8)]) -> Vec<Vec<usize>> {
    let r = reach(edges);
    let mut seen = [false; 3];
    let mut out = Vec::new();
    for i in 0..3 {
        if seen[i] {
            continue;
        }
        let comp: Vec<usize> = (0..3).filter(|&j| r[i][j] && r[j][i]).collect();
        for &j in &comp {
            seen[j] = true;
        }
        out.push(comp);
    }
    out
}

/// Stability level (1, 2 or 3) of each motif, index `id − 1`, derived from
/// the size of its largest strongly connected component (see module docs).
pub fn motif_levels() -> [u8; 13] {
    let mut out = [0u8; 13];
    for (m, motif) in MOTIFS.iter().enumerate() {
        out[m] = components(motif.edges)
            .iter()
            .map(|c| c.len())
            .max()
            .unwrap_or(1) as u8;
    }
    out
}

/// The conditions of each level, as text for reports and the page.
pub fn level_conditions(level: u8) -> &'static str {
    match level {
        1 => "W11, W22, W33 < 0",
        2 => "W11, W22, W33 < 0 and, for the mutual pair (a, b), Waa·Wbb − Wab·Wba > 0",
        _ => "W11, W22, W33 < 0 and the full Routh–Hurwitz conditions a1 > 0, a3 > 0, a1·a2 > a3",
    }
}

/// Whether `j` (3 × 3, `j[b][a]` = influence of node a on node b, nonzero
/// only on the motif's edges and diagonal) meets the stability conditions of
/// motif `m` (index `id − 1`) block by block.
pub fn meets_conditions(m: usize, j: &[[f64; 3]; 3]) -> bool {
    let comps = components(MOTIFS[m].edges);
    if (0..3).any(|i| j[i][i] >= 0.0) {
        return false;
    }
    comps.iter().all(|c| match c.len() {
        1 => true,
        2 => {
            let (a, b) = (c[0], c[1]);
            j[a][a] * j[b][b] - j[a][b] * j[b][a] > 0.0
        }
        _ => {
            let tr = j[0][0] + j[1][1] + j[2][2];
            let minors = j[0][0] * j[1][1] - j[0][1] * j[1][0] + j[0][0] * j[2][2]
                - j[0][2] * j[2][0]
                + j[1][1] * j[2][2]
                - j[1][2] * j[2][1];
            let det = j[0][0] * (j[1][1] * j[2][2] - j[1][2] * j[2][1])
                - j[0][1] * (j[1][0] * j[2][2] - j[1][2] * j[2][0])
                + j[0][2] * (j[1][0] * j[2][1] - j[1][1] * j[2][0]);
            let (a1, a2, a3) = (-tr, minors, -det);
            a1 > 0.0 && a3 > 0.0 && a1 * a2 > a3
        }
    })
}

/// A network's "stability profile": its motif instances summed by level,
/// `[level 1, level 2, level 3]`.
pub fn stability_profile(c: &Census) -> [u64; 3] {
    let levels = motif_levels();
    let mut out = [0u64; 3];
    for m in 0..13 {
        out[levels[m] as usize - 1] += c.counts[m];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acyclic_motifs_are_level_1_and_cycles_level_3() {
        let l = motif_levels();
        assert!(l.iter().all(|&x| (1..=3).contains(&x)));
        // 021C (a chain) has no cycle; 030C is a 3-cycle; 300 is complete.
        assert_eq!(l[1], 1);
        assert_eq!(l[6], 3);
        assert_eq!(l[12], 3);
    }
}
