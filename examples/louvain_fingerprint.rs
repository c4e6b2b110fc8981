//! Bit-level fingerprint of the Louvain optimisers on seeded inputs: one line
//! per case with Q's bits and a hash of the partition. Run it before and
//! after an optimisation of `src/modularity/` and `diff` the outputs — equal
//! lines mean the same partitions and the same Q to the last bit.
//!
//! Usage: cargo run --release --example louvain_fingerprint [-- DIR]
//! (DIR: optional `make bench` inputs, `signed_<n>.npy` files, also fingerprinted.)
#![allow(clippy::unwrap_used)] // a measurement harness, not library code

use ndarray::Array2;
use rand::Rng as _;
use rnnscope::modularity::multilayer::{multilayer_from_layers, Coupling, MultilayerParams};
use rnnscope::modularity::synthetic::planted_activity;
use rnnscope::modularity::{community_louvain, fc, Signed};

fn signed_dense(n: usize, seed: u64, shift: f64) -> Array2<f64> {
    let mut r = rnnscope::rng::seeded(seed);
    let g: Vec<usize> = (0..n).map(|i| i * 8 / n).collect();
    let mut w = Array2::zeros((n, n));
    for i in 0..n {
        for j in 0..i {
            let base = if g[i] == g[j] { 0.3 } else { -0.05 };
            let v = base + r.random::<f64>() - 0.5 + shift;
            w[[i, j]] = v;
            w[[j, i]] = v;
        }
    }
    w
}

/// FNV-1a over the labels.
fn hash(labels: &[usize]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &l in labels {
        for b in (l as u64).to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn louvain_line(name: &str, w: &Array2<f64>, gamma: f64, s: Signed, runs: usize, seed: u64) {
    let r = community_louvain(w, gamma, s, runs, seed).unwrap();
    let qs: Vec<String> = r
        .run_q
        .iter()
        .map(|q| format!("{:016x}", q.to_bits()))
        .collect();
    println!(
        "{name} gamma={gamma} {s:?} runs={runs} seed={seed}: q={:016x} ({:.12}) k={} labels={:016x} run_q=[{}]",
        r.q.to_bits(),
        r.q,
        r.n_communities,
        hash(&r.communities),
        qs.join(",")
    );
}

fn main() {
    for (n, seed) in [(60, 3), (200, 1), (500, 2), (1000, 1)] {
        let w = signed_dense(n, seed, 0.0);
        louvain_line(&format!("signed n={n}"), &w, 1.0, Signed::Asym, 3, 7);
        louvain_line(&format!("signed n={n}"), &w, 1.0, Signed::Sym, 2, 11);
        louvain_line(&format!("signed n={n}"), &w, 1.3, Signed::Asym, 1, 1);
        let pos = signed_dense(n, seed, 0.5).mapv(|v| v.max(0.0));
        louvain_line(&format!("positive n={n}"), &pos, 1.0, Signed::None, 2, 5);
    }
    for (m, k, l, seed) in [(30, 3, 8, 5), (120, 6, 50, 2)] {
        let (x, _) = planted_activity(m, k, l, 50, 5, 1.0, seed).unwrap();
        let layers = fc::windowed_fc(x.view(), 50, None).unwrap().layers;
        for (coupling, random_moves, omega, gp) in [
            (Coupling::Ordinal, true, 1.0, 1.02),
            (Coupling::Ordinal, false, 0.5, 1.0),
            (Coupling::Categorical, true, 0.3, 1.0),
            (Coupling::Ordinal, true, 0.0, 1.0),
        ] {
            let p = MultilayerParams {
                omega,
                gamma_pos: vec![gp],
                gamma_neg: vec![1.0],
                coupling,
                runs: 3,
                seed: 9,
                random_moves,
            };
            let r = multilayer_from_layers(&layers, &p, &mut |_, _| {}).unwrap();
            let qs: Vec<String> = r
                .run_q
                .iter()
                .map(|q| format!("{:016x}", q.to_bits()))
                .collect();
            println!(
                "multilayer {m}x{l} {coupling:?} random={random_moves} omega={omega} gp={gp}: q={:016x} ({:.12}) k={} labels={:016x} flex={:016x} run_q=[{}]",
                r.q.to_bits(),
                r.q,
                r.n_communities,
                hash(&r.labels.concat()),
                r.system_flexibility.to_bits(),
                qs.join(",")
            );
        }
    }
    if let Some(dir) = std::env::args().nth(1) {
        for n in [200, 500, 1000, 2000] {
            let path = format!("{dir}/signed_{n}.npy");
            if let Ok(bytes) = rnnscope::io::read_file(std::path::Path::new(&path)) {
                let w = rnnscope::io::read_square(&bytes).unwrap();
                louvain_line(&format!("bench signed_{n}"), &w, 1.0, Signed::Asym, 1, 1);
            }
        }
    }
}
