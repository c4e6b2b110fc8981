//! HebbFF at the study's sizes (N = 100, M = 120, R = 5):
//! - one training epoch of the default fresh-stream setting (100 items, one
//!   BPTT + Adam step) and of the study's fixed 2,500-item set;
//! - one held-out evaluation with the network analysis of a snapshot
//!   (2,500 items → 50 windows → multilayer Louvain, statistics);
//! - time to 95% held-out accuracy with the defaults (one timed run, printed).
#![allow(missing_docs, clippy::unwrap_used)] // a measurement harness, not library code

use criterion::{criterion_group, Criterion};
use rnnscope::hebbff::study::{snapshot_metrics, AnalysisParams};
use rnnscope::hebbff::{HebbParams, HebbTrainer};
use std::time::Instant;

fn epochs(c: &mut Criterion) {
    let mut g = c.benchmark_group("hebbff");
    g.sample_size(10);
    for (name, p) in [
        ("epoch_fresh100", HebbParams::default()),
        ("epoch_fixed2500", HebbParams::study()),
    ] {
        let mut tr = HebbTrainer::new(p).expect("valid defaults");
        g.bench_function(name, |b| b.iter(|| tr.step().expect("finite")));
    }
    let tr = HebbTrainer::new(HebbParams::default()).expect("valid defaults");
    let ap = AnalysisParams::default();
    g.bench_function("snapshot_analysis_t2500", |b| {
        b.iter(|| {
            let s = tr.snapshot().expect("snapshot");
            snapshot_metrics(&s, 120, &ap).expect("analysis")
        })
    });
    g.finish();
}

/// Train with the defaults, evaluating every 10 epochs, until 95% held out.
fn time_to_95() {
    let p = HebbParams {
        eval_every: 10,
        ..HebbParams::default()
    };
    let mut tr = HebbTrainer::new(p).expect("valid defaults");
    let start = Instant::now();
    while !tr.finished() {
        tr.step().expect("finite");
        if tr.snapshot_due() && tr.snapshot().expect("snapshot").accuracy >= 0.95 {
            println!(
                "hebbff/time_to_95: {:.2} s native ({} epochs, N=100 M=120 R=5, fresh 100-item streams)",
                start.elapsed().as_secs_f64(),
                tr.epoch()
            );
            return;
        }
    }
    println!("hebbff/time_to_95: not reached in {} epochs", tr.epoch());
}

criterion_group!(benches, epochs);

fn main() {
    benches();
    time_to_95();
    Criterion::default().configure_from_args().final_summary();
}
