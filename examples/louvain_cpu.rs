//! CPU time per call of the bench's Louvain workloads (the machine's cores
//! are shared, so wall-clock times say little): signed Louvain on
//! `signed_{200,500,1000,2000}.npy` (BCT `negative_asym`, one run, seed 1)
//! and multilayer on `activity_120x2500.npy` (positive FC of 50-sample
//! windows, ordinal ω = 1, one run, FC included), as examples/bench.rs times
//! them. CPU time is the thread's CPU clock (`clock_gettime`,
//! `CLOCK_THREAD_CPUTIME_ID`, exact; /proc/thread-self/schedstat, used
//! before, moves only at the 4 ms scheduler tick), averaged
//! over REPS calls (default 10; REPS × 2000 / n calls for signed size n). The
//! signed rows also give the best wall time of a call and, when several
//! sizes run, the log-log least-squares slopes of both (report.py's
//! `exponent`); with PHASES=1 in the environment, also the best time of a
//! plain read of W, of the input check alone and of the check with B.
//!
//! Usage: cargo run --release --example louvain_cpu -- DIR [REPS [200|500|1000|2000|signed|ml]]
//! (DIR: the inputs of scripts/bench/reference.py; SIZES=n1,n2,… in the
//! environment for other sizes of its signed matrices.)
#![allow(clippy::unwrap_used)] // a measurement harness, not library code
use rnnscope::modularity::multilayer::{multilayer_from_layers, MultilayerParams};
use rnnscope::modularity::{community_louvain, fc, Signed};
fn cpu() -> f64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let reps: usize = std::env::args().nth(2).map_or(10, |s| s.parse().unwrap());
    let only = std::env::args().nth(3).unwrap_or_default();
    let mut best = vec![];
    // SIZES=1000,2000,4000 in the environment: other sizes (signed_{n}.npy
    // written by reference.py's `signed_matrix(n, seed=n)`).
    let sizes: Vec<usize> = std::env::var("SIZES").map_or(vec![200, 500, 1000, 2000], |s| {
        s.split(',').map(|v| v.trim().parse().unwrap()).collect()
    });
    for n in sizes {
        if !only.is_empty() && only != "signed" && only != n.to_string() {
            continue;
        }
        let w = rnnscope::io::read_square(
            &rnnscope::io::read_file(std::path::Path::new(&format!("{dir}/signed_{n}.npy")))
                .unwrap(),
        )
        .unwrap();
        let mut ts = vec![];
        let mut wall = vec![];
        let mut q = 0.0;
        // More calls of the small sizes (REPS × 2000 / n), so each size
        // takes about the same time.
        let reps = reps * 2000 / n;
        for _ in 0..reps {
            let t = cpu();
            let t0 = std::time::Instant::now();
            let r = community_louvain(&w, 1.0, Signed::Asym, 1, 1).unwrap();
            wall.push(t0.elapsed().as_secs_f64());
            ts.push(cpu() - t);
            q = r.q;
        }
        wall.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let mean = ts.iter().sum::<f64>() / reps as f64;
        // The phases before the optimiser: the check alone, and the check
        // with the strengths and B.
        // (Only with PHASES=1 in the environment.)
        let phases = std::env::var_os("PHASES").is_some();
        let best_of = |f: &dyn Fn()| {
            (0..if phases { reps } else { 0 })
                .map(|_| {
                    let t0 = std::time::Instant::now();
                    f();
                    t0.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        };
        let a = w.as_slice().unwrap();
        let read = best_of(&|| {
            let mut acc = [0.0f64; 8];
            for c in a.chunks_exact(8) {
                for l in 0..8 {
                    acc[l] += c[l];
                }
            }
            std::hint::black_box(acc);
        });
        let check = best_of(&|| rnnscope::modularity::signed::check_symmetric(&w).unwrap());
        let build = best_of(&|| {
            rnnscope::modularity::signed::modularity_matrix(&w, 1.0, Signed::Asym).unwrap();
        });
        println!(
            "signed n={n}: cpu mean {:.3} ms, wall best {:.3} ms (read {:.3}, check {:.3}, check + B {:.3}) q={q:.6}",
            mean * 1e3,
            wall[0] * 1e3,
            read * 1e3,
            check * 1e3,
            build * 1e3
        );
        best.push(((n as f64).ln(), mean.ln(), wall[0].ln()));
    }
    if best.len() > 1 {
        let m = best.len() as f64;
        let mx = best.iter().map(|p| p.0).sum::<f64>() / m;
        let my = best.iter().map(|p| p.1).sum::<f64>() / m;
        let mw = best.iter().map(|p| p.2).sum::<f64>() / m;
        let sxy: f64 = best.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        let sxw: f64 = best.iter().map(|p| (p.0 - mx) * (p.2 - mw)).sum();
        let sxx: f64 = best.iter().map(|p| (p.0 - mx).powi(2)).sum();
        println!(
            "signed slope (log-log least squares): cpu mean {:.2}, wall best {:.2}",
            sxy / sxx,
            sxw / sxx
        );
    }
    if !only.is_empty() && only != "ml" {
        return;
    }
    let x = rnnscope::io::read_matrix(
        &rnnscope::io::read_file(std::path::Path::new(&format!(
            "{dir}/activity_120x2500.npy"
        )))
        .unwrap(),
    )
    .unwrap();
    let p = MultilayerParams {
        omega: 1.0,
        gamma_pos: vec![1.0],
        gamma_neg: vec![1.0],
        runs: 1,
        seed: 1,
        ..Default::default()
    };
    let mut ts = vec![];
    let mut tf = vec![];
    let mut q = 0.0;
    for _ in 0..reps {
        let t = cpu();
        let layers: Vec<_> = fc::windowed_fc(x.view(), 50, None)
            .unwrap()
            .layers
            .into_iter()
            .map(|l| l.mapv(|v| v.max(0.0)))
            .collect();
        let t1 = cpu();
        let r = multilayer_from_layers(&layers, &p, &mut |_, _| {}).unwrap();
        ts.push(cpu() - t);
        tf.push(t1 - t);
        q = r.q;
    }
    ts.sort_by(|a, b| a.partial_cmp(b).unwrap());
    tf.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "multilayer 120x50: cpu mean {:.2} ms (fc {:.2}) q={q:.6}",
        ts.iter().sum::<f64>() / reps as f64 * 1e3,
        tf.iter().sum::<f64>() / reps as f64 * 1e3
    );
}
