//! One training epoch (here: 100 Adam steps of one mini-batch each) of the rate
//! RNN on the 3-bit flip-flop, N = 32 (page default) and N = 64 (CLI default),
//! batch 16/32 × 100 steps, full BPTT.
#![allow(missing_docs, clippy::unwrap_used)] // a measurement harness, not library code

use criterion::{criterion_group, criterion_main, Criterion};
use rnnscope::train::{TaskKind, TrainConfig, Trainer};

fn epoch(c: &mut Criterion) {
    let mut g = c.benchmark_group("training");
    g.sample_size(10);
    for (n, batch) in [(32usize, 16usize), (64, 32)] {
        let mut cfg = TrainConfig::new(TaskKind::FlipFlop);
        cfg.n = n;
        cfg.batch = batch;
        g.bench_function(format!("flipflop_epoch100_n{n}_b{batch}"), |b| {
            b.iter_batched(
                || Trainer::new(cfg.clone(), None).expect("valid config"),
                |mut tr| {
                    for _ in 0..100 {
                        tr.step().expect("finite");
                    }
                    tr
                },
                criterion::BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, epoch);
criterion_main!(benches);
