//! A sparse directed graph for motif counting (adjacency convention: an edge
//! `(i, j)` means `i → j`). Self-loops are dropped; duplicate edges are errors.

use crate::error::{Error, Result};
use ndarray::Array2;

/// Largest number of nodes accepted (the census needs O(N + m) memory).
pub const MAX_NODES: usize = 1_000_000;
/// Largest number of edges accepted.
pub const MAX_EDGES: usize = 16 * 1024 * 1024;

/// Directed graph with sorted undirected neighbour lists carrying direction bits.
#[derive(Debug, Clone)]
pub struct Digraph {
    n: usize,
    /// For each node u: sorted `(v, bits)` with bit 1 = `u → v`, bit 2 = `v → u`.
    nbrs: Vec<Vec<(u32, u8)>>,
    /// Parallel to `nbrs`: weights `(u → v, v → u)` (0 where absent).
    nbr_w: Vec<Vec<(f64, f64)>>,
    /// Directed edges `(i, j, weight)` (self-loops removed), in input order.
    edges: Vec<(u32, u32, f64)>,
}

impl Digraph {
    /// Build from directed weighted edges `(i, j, w)` meaning `i → j`.
    ///
    /// Arguments: `n` nodes (ids `0..n`), `edges`. Self-loops are ignored
    /// (they take no part in three-node motifs); zero weights are kept as edges.
    ///
    /// # Errors
    /// `n` over [`MAX_NODES`], too many edges, a node id ≥ `n`, a non-finite
    /// weight, or a duplicate edge (named by its position, 1-based).
    ///
    /// Complexity: O(m log d).
    pub fn from_edges(n: usize, edges: &[(usize, usize, f64)]) -> Result<Digraph> {
        if n > MAX_NODES {
            return Err(Error::TooLarge {
                what: "the number of nodes",
                got: n,
                limit: MAX_NODES,
            });
        }
        if edges.len() > MAX_EDGES {
            return Err(Error::TooLarge {
                what: "the number of edges",
                got: edges.len(),
                limit: MAX_EDGES,
            });
        }
        let mut kept = Vec::with_capacity(edges.len());
        let mut raw: Vec<Vec<(u32, u8, f64)>> = vec![Vec::new(); n];
        for (k, &(i, j, w)) in edges.iter().enumerate() {
            if i >= n || j >= n {
                return Err(Error::Shape(format!(
                    "edge {} ({i} → {j}) names a node ≥ N = {n}",
                    k + 1
                )));
            }
            if !w.is_finite() {
                return Err(Error::Format(format!(
                    "edge {} ({i} → {j}) has weight {w}; NaN and Inf are not allowed",
                    k + 1
                )));
            }
            if i == j {
                continue;
            }
            kept.push((i as u32, j as u32, w));
            raw[i].push((j as u32, 1, w));
            raw[j].push((i as u32, 2, w));
        }
        let mut nbrs = Vec::with_capacity(n);
        let mut nbr_w = Vec::with_capacity(n);
        for (u, mut list) in raw.into_iter().enumerate() {
            list.sort_unstable_by_key(|&(v, b, _)| (v, b));
            // Merge (v,1) and (v,2) into (v,3); equal bits twice = duplicate edge.
            let mut out: Vec<(u32, u8)> = Vec::with_capacity(list.len());
            let mut ow: Vec<(f64, f64)> = Vec::with_capacity(list.len());
            for &(v, b, w) in list.iter() {
                let wpair = if b == 1 { (w, 0.0) } else { (0.0, w) };
                match out.last_mut() {
                    Some(last) if last.0 == v => {
                        if last.1 & b != 0 {
                            let (a, c) = if b == 1 {
                                (u, v as usize)
                            } else {
                                (v as usize, u)
                            };
                            return Err(Error::Shape(format!(
                                "duplicate edge {a} → {c} (each directed edge may appear once)"
                            )));
                        }
                        last.1 |= b;
                        let lw = ow.last_mut().expect("parallel lists");
                        lw.0 += wpair.0;
                        lw.1 += wpair.1;
                    }
                    _ => {
                        out.push((v, b));
                        ow.push(wpair);
                    }
                }
            }
            nbrs.push(out);
            nbr_w.push(ow);
        }
        Ok(Digraph {
            n,
            nbrs,
            nbr_w,
            edges: kept,
        })
    }

    /// Build from a square matrix in the adjacency convention (`a[i][j] ≠ 0` ⇔ `i → j`).
    ///
    /// # Errors
    /// A non-square or empty matrix, or a NaN/Inf entry (named, 1-based).
    ///
    /// Complexity: O(N²).
    pub fn from_matrix(a: &Array2<f64>) -> Result<Digraph> {
        let (r, c) = a.dim();
        if r == 0 {
            return Err(Error::Shape("the matrix is empty".into()));
        }
        if r != c {
            return Err(Error::Shape(format!(
                "motifs need a square matrix, got {r} rows × {c} columns"
            )));
        }
        let mut edges = Vec::new();
        for ((i, j), &w) in a.indexed_iter() {
            if !w.is_finite() {
                return Err(Error::Format(format!(
                    "entry ({}, {}) is {w}; NaN and Inf are not allowed",
                    i + 1,
                    j + 1
                )));
            }
            if w != 0.0 && i != j {
                edges.push((i, j, w));
            }
        }
        Digraph::from_edges(r, &edges)
    }

    /// Number of nodes.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of directed edges (self-loops excluded).
    pub fn m(&self) -> usize {
        self.edges.len()
    }

    /// The directed edges `(i, j, w)`.
    pub fn edges(&self) -> &[(u32, u32, f64)] {
        &self.edges
    }

    /// Sorted neighbours of `u` with direction bits (1: `u → v`, 2: `v → u`).
    pub(crate) fn nbrs(&self, u: usize) -> &[(u32, u8)] {
        &self.nbrs[u]
    }

    /// Direction bits between `u` and `v` (0 if not adjacent). O(log d).
    pub(crate) fn bits(&self, u: usize, v: usize) -> u8 {
        let list = &self.nbrs[u];
        match list.binary_search_by_key(&(v as u32), |&(x, _)| x) {
            Ok(k) => list[k].1,
            Err(_) => 0,
        }
    }

    /// Weights `(u → v, v → u)` between neighbours of `u` (parallel to [`Self::nbrs`]).
    pub(crate) fn nbr_weights(&self, u: usize) -> &[(f64, f64)] {
        &self.nbr_w[u]
    }

    /// Direction bits and weights `(u → v, v → u)` between `u` and `v`. O(log d).
    pub(crate) fn link(&self, u: usize, v: usize) -> (u8, f64, f64) {
        let list = &self.nbrs[u];
        match list.binary_search_by_key(&(v as u32), |&(x, _)| x) {
            Ok(k) => (list[k].1, self.nbr_w[u][k].0, self.nbr_w[u][k].1),
            Err(_) => (0, 0.0, 0.0),
        }
    }

    /// Dense 0/1 adjacency (adjacency convention). Only for small N.
    pub fn to_dense(&self) -> Array2<f64> {
        let mut a = Array2::zeros((self.n, self.n));
        for &(i, j, _) in &self.edges {
            a[[i as usize, j as usize]] = 1.0;
        }
        a
    }
}
