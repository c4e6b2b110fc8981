//! Speed of the rate-network integrator: N = 200, 10,000 Euler steps.
#![allow(missing_docs, clippy::unwrap_used)] // a measurement harness, not library code
use criterion::{criterion_group, criterion_main, Criterion};
use rnnscope::dynamics::{Activation, Input, Params, Simulator};
use rnnscope::ensembles;

fn euler_n200_10k(c: &mut Criterion) {
    let n = 200;
    let w = ensembles::gaussian(n, 1.5, 1).unwrap();
    let params = Params {
        tau: 1.0,
        dt: 0.05,
        sigma: 0.0,
        phi: Activation::Tanh,
    };
    let mut g = c.benchmark_group("dynamics");
    g.sample_size(10);
    g.bench_function("euler_n200_10000_steps", |b| {
        b.iter(|| {
            let mut sim = Simulator::new(
                w.clone(),
                Simulator::random_state(n, 1.0, 2),
                params,
                Input::None,
                3,
            )
            .unwrap();
            sim.step(10_000).unwrap();
            sim.state()[0]
        })
    });
    let noisy = Params {
        sigma: 0.5,
        ..params
    };
    g.bench_function("euler_maruyama_n200_10000_steps", |b| {
        b.iter(|| {
            let mut sim = Simulator::new(
                w.clone(),
                Simulator::random_state(n, 1.0, 2),
                noisy,
                Input::None,
                3,
            )
            .unwrap();
            sim.step(10_000).unwrap();
            sim.state()[0]
        })
    });
    g.finish();
}

criterion_group!(benches, euler_n200_10k);
criterion_main!(benches);
