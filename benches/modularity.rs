//! Speed of the modularity optimisers (issue 7): single-layer signed Louvain
//! on a 1,000-node dense matrix; multilayer on 120 nodes × 50 layers.
#![allow(missing_docs, clippy::unwrap_used)] // a measurement harness, not library code

use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::Array2;
use rand::Rng as _;
use rnnscope::modularity::multilayer::{multilayer_from_layers, MultilayerParams};
use rnnscope::modularity::synthetic::planted_activity;
use rnnscope::modularity::{community_louvain, fc, Signed};

fn signed_dense(n: usize, seed: u64) -> Array2<f64> {
    let mut r = rnnscope::rng::seeded(seed);
    let g: Vec<usize> = (0..n).map(|i| i * 8 / n).collect();
    let mut w = Array2::zeros((n, n));
    for i in 0..n {
        for j in 0..i {
            let base = if g[i] == g[j] { 0.3 } else { -0.05 };
            let v = base + r.random::<f64>() - 0.5;
            w[[i, j]] = v;
            w[[j, i]] = v;
        }
    }
    w
}

fn bench(c: &mut Criterion) {
    let w = signed_dense(1000, 1);
    let mut g = c.benchmark_group("modularity");
    g.sample_size(10);
    g.bench_function("louvain_signed_asym_1000_dense_1run", |b| {
        b.iter(|| community_louvain(&w, 1.0, Signed::Asym, 1, 7).unwrap())
    });
    let (x, _) = planted_activity(120, 6, 50, 50, 5, 1.0, 2).unwrap();
    let layers = fc::windowed_fc(x.view(), 50, None).unwrap().layers;
    let p = MultilayerParams {
        gamma_pos: vec![1.02],
        runs: 1,
        ..Default::default()
    };
    g.bench_function("multilayer_120x50_1run", |b| {
        b.iter(|| multilayer_from_layers(&layers, &p, &mut |_, _| {}).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
