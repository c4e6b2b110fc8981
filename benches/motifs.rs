//! Motif census speed. Goal: a 5,000-node sparse directed graph with mean
//! degree 10 (50,000 edges) in well under 1 s natively.
#![allow(missing_docs, clippy::unwrap_used)] // a measurement harness, not library code

use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::Array2;
use rand::Rng;
use rnnscope::motifs::{census, soft_penalty_grad, weighted_census, Digraph, SoftPresence};
use rnnscope::rng;

fn sparse(n: usize, m: usize, seed: u64) -> Digraph {
    let mut r = rng::seeded(seed);
    let mut set = std::collections::HashSet::new();
    while set.len() < m {
        let (i, j) = (r.random_range(0..n), r.random_range(0..n));
        if i != j {
            set.insert((i, j));
        }
    }
    let e: Vec<_> = set.into_iter().map(|(i, j)| (i, j, 1.0)).collect();
    Digraph::from_edges(n, &e).unwrap()
}

fn bench(c: &mut Criterion) {
    let g = sparse(5000, 50_000, 1);
    let mut grp = c.benchmark_group("motifs");
    grp.sample_size(10);
    grp.bench_function("census_5000_nodes_deg10", |b| {
        b.iter(|| census(&g).unwrap())
    });
    grp.bench_function("weighted_census_5000_nodes_deg10", |b| {
        b.iter(|| weighted_census(&g).unwrap())
    });
    let mut r = rng::seeded(2);
    let w = Array2::from_shape_fn((256, 256), |_| r.random_range(-1.0..1.0));
    let s = [1.0; 13];
    grp.bench_function("soft_penalty_grad_n256", |b| {
        b.iter(|| soft_penalty_grad(&w, &SoftPresence::default(), &s).unwrap())
    });
    grp.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
