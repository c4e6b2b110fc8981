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

use super::{code_table, pair_bit, Census, MOTIFS};
use crate::dynamics::fixed_points::{find_fixed_points, jacobian, NewtonOpts};
use crate::dynamics::simulate::Activation;
use crate::error::{check_range, Result};
use ndarray::Array2;
use serde::Serialize;

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

/// Whether a 3 × 3 linear system meets the stability conditions of motif
/// `m` (index `id − 1`), block by block (module docs): every J_ii < 0, and
/// per strongly connected component the 2 × 2 minor condition (mutual dyad)
/// or the full Routh–Hurwitz conditions (3-node component).
///
/// # Arguments
/// * `m` — motif index 0–12 (a larger index returns `false`).
/// * `j` — `j[b][a]` = influence of node a on node b (the Jacobian
///   ∂ḣ_b/∂h_a), on the motif's node labels of [`MOTIFS`]; entries off the
///   motif's edges and diagonal should be zero (they are ignored by the
///   component decomposition, which is only exact when they are zero).
///
/// # Returns
/// `true` when every condition holds. For a motif with an acyclic part these
/// conditions are necessary and sufficient for all eigenvalues of `j` to have
/// negative real part.
///
/// # Complexity
/// O(1).
pub fn meets_conditions(m: usize, j: &[[f64; 3]; 3]) -> bool {
    match MOTIFS.get(m) {
        Some(motif) => conditions_hold(motif.edges, j),
        None => false,
    }
}

/// As [`meets_conditions`] for any edge list on nodes 0–2 (`(a, b)` = a → b).
pub fn conditions_hold(edges: &[(u8, u8)], j: &[[f64; 3]; 3]) -> bool {
    let comps = components(edges);
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

/// Motif instances at one stable fixed point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointMotifs {
    /// ‖h*‖₂.
    pub norm: f64,
    /// Largest real part of the full Jacobian's eigenvalues (< 0: stable).
    pub max_real: f64,
    /// Motif instances per level 1–3 in the thresholded graph.
    pub instances: [u64; 3],
    /// Of those, instances whose 3 × 3 Jacobian block meets its level's conditions.
    pub meeting: [u64; 3],
}

/// The motif–dynamics bridge of a network (see [`motifs_at_fixed_points`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixedPointBridge {
    /// Presence threshold θ: edge j → i when |W_ij| > θ.
    pub threshold: f64,
    /// Fixed points found (stable or not).
    pub fixed_points: usize,
    /// One entry per stable fixed point, sorted by ‖h*‖.
    pub stable: Vec<PointMotifs>,
    /// Per level, the fraction of instances meeting the conditions, pooled
    /// over the stable fixed points (None: no stable point or no instance).
    pub fraction_meeting: [Option<f64>; 3],
}

/// The poster's link from local motifs to network dynamics, made concrete:
/// at each stable fixed point h* of dh/dt = −h + W tanh(h) (time in units of
/// τ, no input; Newton's method from `opts`), with Jacobian
/// J = −I + W diag(1 − tanh² h*), count for each level how many motif
/// instances {x₀, x₁, x₂} of the graph "edge j → i when |W_ij| > θ" have a
/// 3 × 3 block J_b[a][b] = J[x_a][x_b] (diagonal, and entries on the
/// instance's edges; the rest set to zero, as the level conditions assume)
/// that meets their level's stability conditions ([`conditions_hold`] on
/// the instance's own edges).
///
/// # Arguments
/// `w` — N × N, RNN convention (W[i][j] = weight from j to i); `threshold` θ ≥ 0.
///
/// # Errors
/// As [`find_fixed_points`] (N ≤ 500); θ negative or not finite.
///
/// # Complexity
/// O(starts · iterations · N³) for the fixed points plus O(N³) per stable
/// point for the triples.
pub fn motifs_at_fixed_points(
    w: &Array2<f64>,
    threshold: f64,
    opts: &NewtonOpts,
) -> Result<FixedPointBridge> {
    check_range("motif-threshold", threshold, 0.0, 1e9)?;
    let fps = find_fixed_points(w, 1.0, Activation::Tanh, &[], opts)?;
    let n = w.nrows();
    let levels = motif_levels();
    let table = code_table();
    let edge = |a: usize, b: usize| a != b && w[[b, a]].abs() > threshold; // a → b
    let mut stable = Vec::new();
    for fp in fps.iter().filter(|p| p.stable) {
        let jac = jacobian(w, 1.0, Activation::Tanh, &fp.h);
        let (mut inst, mut meet) = ([0u64; 3], [0u64; 3]);
        for x0 in 0..n {
            for x1 in x0 + 1..n {
                for x2 in x1 + 1..n {
                    let x = [x0, x1, x2];
                    let mut edges = Vec::with_capacity(6);
                    let mut code = 0u8;
                    for a in 0..3 {
                        for b in 0..3 {
                            if edge(x[a], x[b]) {
                                code |= pair_bit(a, b);
                                edges.push((a as u8, b as u8));
                            }
                        }
                    }
                    let m = table[code as usize];
                    if m == 255 {
                        continue;
                    }
                    let lvl = levels[m as usize] as usize - 1;
                    let mut jb = [[0.0; 3]; 3];
                    for (a, row) in jb.iter_mut().enumerate() {
                        for (b, v) in row.iter_mut().enumerate() {
                            if a == b || edge(x[b], x[a]) {
                                *v = jac[[x[a], x[b]]];
                            }
                        }
                    }
                    inst[lvl] += 1;
                    meet[lvl] += u64::from(conditions_hold(&edges, &jb));
                }
            }
        }
        stable.push(PointMotifs {
            norm: fp.h.iter().map(|v| v * v).sum::<f64>().sqrt(),
            max_real: fp.max_real,
            instances: inst,
            meeting: meet,
        });
    }
    let fraction_meeting = [0, 1, 2].map(|l| {
        let i: u64 = stable.iter().map(|p| p.instances[l]).sum();
        let m: u64 = stable.iter().map(|p| p.meeting[l]).sum();
        (i > 0).then(|| m as f64 / i as f64)
    });
    Ok(FixedPointBridge {
        threshold,
        fixed_points: fps.len(),
        stable,
        fraction_meeting,
    })
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

    #[test]
    fn conditions_by_hand() {
        // 030C (motif 7, a 3-cycle): J = −I + c·cycle has characteristic
        // polynomial λ³ + 3λ² + 3λ + (1 − c³); Routh–Hurwitz: a3 > 0 ⇔ c < 1,
        // a1·a2 = 9 > 1 − c³ ⇔ c > −2.
        let cyc = |c: f64| [[-1.0, 0.0, c], [c, -1.0, 0.0], [0.0, c, -1.0]];
        assert!(meets_conditions(6, &cyc(0.5)));
        assert!(!meets_conditions(6, &cyc(1.5))); // a3 = 1 − c³ < 0
                                                  // A non-negative self-term fails every level.
        assert!(!meets_conditions(
            0,
            &[[0.1, 0.0, 0.0], [1.0, -1.0, 0.0], [1.0, 0.0, -1.0]]
        ));
        assert!(!meets_conditions(13, &cyc(0.5)));
    }

    #[test]
    fn bridge_on_a_contracting_cycle() {
        // W = 0.5 × (3-cycle 0→1→2→0) in the RNN convention W[i][j] = j → i:
        // the only fixed point is 0, J = −I + W, and the one 030C instance
        // meets the Level-3 conditions (c = 0.5 above).
        let mut w = Array2::<f64>::zeros((3, 3));
        w[[1, 0]] = 0.5;
        w[[2, 1]] = 0.5;
        w[[0, 2]] = 0.5;
        let b = motifs_at_fixed_points(&w, 0.1, &NewtonOpts::default()).unwrap();
        assert_eq!(b.stable.len(), 1);
        assert_eq!(b.stable[0].instances, [0, 0, 1]);
        assert_eq!(b.stable[0].meeting, [0, 0, 1]);
        assert_eq!(b.fraction_meeting, [None, None, Some(1.0)]);
        // Above the threshold no edge survives: no instances.
        let b = motifs_at_fixed_points(&w, 0.6, &NewtonOpts::default()).unwrap();
        assert_eq!(b.stable[0].instances, [0, 0, 0]);
    }
}
