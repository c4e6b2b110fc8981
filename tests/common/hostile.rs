//! Hostile-input fixtures (issue 18) shared by the native CLI tests
//! (`reliability`, `cli_no_null`, through `mod common`) and the WASM test
//! `web_reliability` (through `#[path]`): plain data, no files or processes,
//! so it compiles for wasm32 too. The native tests write them as CSV
//! ([`csv`]); the WASM test hands them to the exports as matrices.
#![allow(dead_code)]

/// The Zachary karate-club adjacency matrix (`tests/data/karate.csv`), as rows.
pub fn karate_rows() -> Vec<Vec<f64>> {
    include_str!("../data/karate.csv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.split(',')
                .map(|c| c.trim().parse().expect("karate.csv holds numbers"))
                .collect()
        })
        .collect()
}

/// The triangle with every edge weight `s` (Q = 0 at every scale).
pub fn triangle(s: f64) -> Vec<Vec<f64>> {
    vec![vec![0.0, s, s], vec![s, 0.0, s], vec![s, s, 0.0]]
}

/// 200 samples × 3 channels of smooth activity (PR > 1.5) for the scale
/// invariance of the participation ratio.
pub fn pr_activity() -> Vec<Vec<f64>> {
    (0..200)
        .map(|t| {
            let t = t as f64 * 0.1;
            vec![
                t.sin(),
                (2.0 * t).cos(),
                0.5 * t.sin() + 0.1 * (3.0 * t).cos(),
            ]
        })
        .collect()
}

/// 120 samples × 4 correlated channels scaled by `s` (up to 1.7e308, next
/// to f64::MAX) for multilayer modularity of activity.
pub fn multilayer_rows(s: f64) -> Vec<Vec<f64>> {
    (0..120)
        .map(|t| {
            let t = t as f64 * 0.3;
            let (a, b) = (t.sin(), (1.3 * t).cos());
            vec![
                s * a,
                s * (0.9 * a + 0.1 * b),
                -s * b,
                s * (0.8 * b - 0.2 * a),
            ]
        })
        .collect()
}

/// `rows` × `s` as CSV text, every value in `{:e}` (exact round trip).
pub fn csv(rows: &[Vec<f64>], s: f64) -> String {
    rows.iter()
        .map(|r| {
            r.iter()
                .map(|v| format!("{:e}", v * s))
                .collect::<Vec<_>>()
                .join(",")
                + "\n"
        })
        .collect()
}
