//! Native timings for `make bench` (scripts/bench/run.sh): the same workloads,
//! on the same input files, as scripts/bench/reference.py and
//! scripts/bench/wasm.mjs. Prints `{"task": {"size": {"rnnscope native":
//! {"seconds": s, ...}}}}` on stdout; see [`timed`] for the timing rule.
//!
//! Usage: cargo run --release --example bench -- target/bench/inputs [TASK…]
//! (TASK: only these tasks, e.g. `signed_louvain multilayer`; default all.)

use ndarray::Array2;
use rnnscope::dynamics::{Activation, Input, Params, Simulator};
use rnnscope::modularity::multilayer::{multilayer_from_layers, MultilayerParams};
use rnnscope::modularity::{community_louvain, fc, Signed};
use rnnscope::motifs::{census, Digraph};
use rnnscope::{io, Result};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

const LIB: &str = "rnnscope native";

/// Seconds per call: best of 5 batches, each of enough calls to last ≥ 50 ms
/// (one call per batch, and fewer batches, for slow workloads), as
/// scripts/bench/wasm.mjs does — the browser's clock has 0.1 ms resolution.
fn timed<T>(mut f: impl FnMut() -> Result<T>) -> Result<(f64, T)> {
    let t = Instant::now();
    let mut value = f()?;
    let first = t.elapsed().as_secs_f64();
    let reps = (0.05 / first.max(1e-9)).ceil().clamp(1.0, 10_000.0) as usize;
    let mut best = first;
    for _ in 0..if first > 10.0 { 1 } else { 5 } {
        let t = Instant::now();
        for _ in 0..reps {
            value = f()?;
        }
        best = best.min(t.elapsed().as_secs_f64() / reps as f64);
    }
    Ok((best, value))
}

/// This thread's CPU time in seconds (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`,
/// exact to the nanosecond; `/proc/thread-self/schedstat`, used before
/// session 9, only moves at the scheduler tick, 4 ms here), `None` off Linux.
fn cpu_seconds() -> Option<f64> {
    #[cfg(target_os = "linux")]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        Some(t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9)
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// [`timed`] on this thread's CPU time where Linux tells it (the 2 cores are
/// shared, so wall time measures the neighbours too), else on the wall clock.
fn timed_cpu<T>(mut f: impl FnMut() -> Result<T>) -> Result<(f64, T)> {
    let c0 = cpu_seconds();
    f()?;
    let first = match (c0, cpu_seconds()) {
        (Some(a), Some(b)) => b - a,
        _ => return timed(f),
    };
    let reps = (0.05 / first.max(1e-9)).ceil().clamp(1.0, 10_000.0) as usize;
    let (cpu, _, value) = timed_cpu_reps(reps, f)?;
    Ok((cpu, value))
}

/// Files `prefix_<n>.ext` in `dir`, sorted by n.
fn sized(dir: &Path, prefix: &str, ext: &str) -> Vec<(usize, PathBuf)> {
    let mut v: Vec<(usize, PathBuf)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    let n = name.strip_prefix(prefix)?.strip_suffix(ext)?.parse().ok()?;
                    Some((n, e.path()))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn put(out: &mut Map<String, Value>, task: &str, size: &str, v: Value) {
    eprintln!("[native] {task} {size}: {v}");
    let t = out.entry(task).or_insert_with(|| json!({}));
    t[size] = json!({ LIB: v });
}

/// Pearson FC in disjoint windows, negative correlations set to 0 (the
/// workload leidenalg gets in reference.py, which has no signed temporal mode).
fn positive_fc_layers(x: &Array2<f64>, window: usize) -> Result<Vec<Array2<f64>>> {
    let layers = fc::windowed_fc(x.view(), window, None)?.layers;
    Ok(layers.into_iter().map(|l| l.mapv(|v| v.max(0.0))).collect())
}

fn main() -> Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/bench/inputs".into()),
    );
    let only: Vec<String> = std::env::args().skip(2).collect();
    let want = |task: &str| only.is_empty() || only.iter().any(|t| t == task);
    let mut out = Map::new();

    // Motif census on the reference's edge lists.
    for (n, path) in sized(&dir, "digraph_", ".csv")
        .into_iter()
        .filter(|_| want("motifs"))
    {
        let e = io::edgelist::parse_edge_list(&io::read_file(&path)?)?;
        let g = Digraph::from_edges(n, &e.edges)?;
        let (s, c) = timed(|| census(&g))?;
        let triads: u64 = c.counts.iter().sum();
        put(
            &mut out,
            "motifs",
            &n.to_string(),
            json!({"seconds": s, "connected_triads": triads}),
        );
    }

    // Signed Louvain, BCT negative_asym (= bctpy qtype "sta"), one run.
    for (n, path) in sized(&dir, "signed_", ".npy")
        .into_iter()
        .filter(|_| want("signed_louvain"))
    {
        let w = io::read_square(&io::read_file(&path)?)?;
        let (s, r) = timed(|| community_louvain(&w, 1.0, Signed::Asym, 1, 1))?;
        put(
            &mut out,
            "signed_louvain",
            &n.to_string(),
            json!({"seconds": s, "q": r.q, "n_communities": r.n_communities}),
        );
    }

    // Multilayer: FC of 50-sample windows, ordinal coupling ω = 1, one run.
    if let Some((_, path)) = sized(&dir, "activity_120x", ".npy")
        .first()
        .cloned()
        .filter(|_| want("multilayer"))
    {
        let x = io::read_matrix(&io::read_file(&path)?)?;
        let p = MultilayerParams {
            omega: 1.0,
            gamma_pos: vec![1.0],
            gamma_neg: vec![1.0],
            runs: 1,
            seed: 1,
            ..Default::default()
        };
        let (s, r) = timed(|| {
            let layers = positive_fc_layers(&x, 50)?;
            multilayer_from_layers(&layers, &p, &mut |_, _| {})
        })?;
        let size = format!("{}x{}", x.ncols(), r.labels.len());
        put(
            &mut out,
            "multilayer",
            &size,
            json!({"seconds": s, "q": r.q, "n_communities": r.n_communities}),
        );
    }

    // RNN simulation: h ← h + dt(−h + W tanh h), N = 200, 10,000 steps.
    if let Some(bytes) = want("rnn_simulation")
        .then(|| io::read_file(&dir.join("rnn_W_200.npy")).ok())
        .flatten()
    {
        let w = io::read_square(&bytes)?;
        let n = w.nrows();
        let params = Params {
            tau: 1.0,
            dt: 0.1,
            sigma: 0.0,
            phi: Activation::Tanh,
        };
        let steps = 10_000;
        // CPU time of this thread (the cores are shared, so wall time
        // overstates) and wall time, best of 5 after a warm-up.
        let (cpu_best, s, h0) = timed_cpu_reps(1, || {
            let mut sim = Simulator::new(w.clone(), vec![0.1; n], params, Input::None, 1)?;
            sim.step(steps)?;
            Ok(sim.state()[0])
        })?;
        // 2N² flops per step (N² multiply–adds) for W r; the step reads all
        // of W (8N² bytes) from cache, so it is bandwidth-bound: 0.25 flop/byte.
        let flops = 2.0 * (n * n) as f64 * steps as f64;
        put(
            &mut out,
            "rnn_simulation",
            &format!("{n}x{steps}"),
            json!({"seconds": s, "h0": h0, "gflops": flops / s / 1e9,
                   "cpu_seconds": cpu_best.is_finite().then_some(cpu_best),
                   "cpu_gflops": cpu_best.is_finite().then(|| flops / cpu_best / 1e9),
                   "w_stream_gb_per_s": 8.0 * (n * n) as f64 * steps as f64 / s / 1e9}),
        );
        // Batched: B trajectories at once (one (B × N)·(N × N)ᵀ product per
        // step, W reused B times: compute-bound for large B).
        for b in [16usize, 64] {
            let bsteps = 1000;
            let h0s = Array2::from_elem((b, n), 0.1);
            let seeds: Vec<u64> = (0..b as u64).collect();
            let (cpu_best, s, h0) = timed_cpu_reps(1, || {
                let mut sim = rnnscope::dynamics::BatchSimulator::new(
                    w.clone(),
                    h0s.clone(),
                    params,
                    Input::None,
                    &seeds,
                )?;
                sim.step(bsteps)?;
                Ok(sim.states()[[0, 0]])
            })?;
            let flops = 2.0 * (n * n) as f64 * (b * bsteps) as f64;
            put(
                &mut out,
                "rnn_simulation",
                &format!("{n}x{bsteps}_batch{b}"),
                json!({"seconds": s, "h0": h0, "gflops": flops / s / 1e9,
                       "cpu_seconds": cpu_best.is_finite().then_some(cpu_best),
                       "cpu_gflops": cpu_best.is_finite().then(|| flops / cpu_best / 1e9),
                       "cpu_seconds_per_trajectory_step":
                           cpu_best.is_finite().then(|| cpu_best / (b * bsteps) as f64)}),
            );
        }
    }

    // HebbFF training epoch (N = 100, M = 120, R = 5): one BPTT + Adam step on
    // a 100-item fresh stream (the CLI default) and on the study's 2,500 items.
    // Timed by this thread's CPU clock (wall time too), as
    // scripts/bench/hebbff_torch.py times PyTorch on the inputs written here.
    for (seq, label) in [(100usize, "100x120_T100"), (2500, "100x120_T2500")]
        .into_iter()
        .filter(|_| want("hebbff_epoch"))
    {
        let p = rnnscope::hebbff::HebbParams {
            seq_len: seq,
            test_len: 100,
            ..rnnscope::hebbff::HebbParams::default()
        };
        let first_losses = write_hebbff_inputs(&dir, &p)?;
        let mut tr = rnnscope::hebbff::HebbTrainer::new(p)?;
        let reps = if seq == 100 { 20 } else { 2 };
        let (cpu, wall, loss) = timed_cpu_reps(reps, || Ok(tr.step()?.loss))?;
        put(
            &mut out,
            "hebbff_epoch",
            label,
            json!({"seconds": cpu, "cpu_seconds": cpu, "wall_seconds": wall, "loss": loss,
                   "first_losses": first_losses}),
        );
    }

    // Readers on the bytes in memory (the CLI adds one file read, the page one
    // upload): MB/s of file size. Then the page's and the CLI's whole motif
    // path from the dense 0/1 CSV: read, threshold, census. CPU seconds.
    for (file, size) in [
        ("dense01_2000.csv", "dense01_2000_csv"),
        ("weights_1000.csv", "weights_1000_csv"),
        ("weights_2000.npy", "weights_2000_npy"),
    ]
    .into_iter()
    .filter(|_| want("read"))
    {
        let Ok(bytes) = io::read_file(&dir.join(file)) else {
            continue;
        };
        let (s, m) = timed_cpu(|| io::read_matrix(&bytes))?;
        let mb = bytes.len() as f64 / 1e6;
        put(
            &mut out,
            "read",
            size,
            json!({"seconds": s, "mb_per_s": mb / s, "sum": m.sum()}),
        );
    }
    if let Some(path) =
        Some(dir.join("dense01_2000.csv")).filter(|p| want("read_census") && p.exists())
    {
        let (s, triads) = timed_cpu(|| {
            let bytes = io::read_file(&path)?;
            let m = io::read_square(&bytes)?;
            let (g, _) =
                rnnscope::motifs::graph_from_weights(&m, rnnscope::motifs::Threshold::None)?;
            Ok(census(&g)?.counts.iter().sum::<u64>())
        })?;
        put(
            &mut out,
            "read_census",
            "dense01_2000_csv",
            json!({"seconds": s, "connected_triads": triads}),
        );
    }

    println!(
        "{}",
        serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default()
    );
    Ok(())
}

/// Seconds per call of `f`: best of 5 batches of `reps` calls, on this
/// thread's CPU clock (the wall clock where that is unavailable) and on the
/// wall clock; and the last value. One warm-up batch is not counted.
fn timed_cpu_reps<T>(reps: usize, mut f: impl FnMut() -> Result<T>) -> Result<(f64, f64, T)> {
    let mut value = f()?;
    for _ in 1..reps {
        value = f()?;
    }
    let (mut cpu, mut wall) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..5 {
        let (c, t) = (cpu_seconds(), Instant::now());
        for _ in 0..reps {
            value = f()?;
        }
        let w = t.elapsed().as_secs_f64() / reps as f64;
        wall = wall.min(w);
        cpu = cpu.min(match (c, cpu_seconds()) {
            (Some(a), Some(b)) => (b - a) / reps as f64,
            _ => w,
        });
    }
    Ok((cpu, wall, value))
}

/// Epochs of each HebbFF case written for the PyTorch comparison.
const HEBBFF_EPOCHS: usize = 5;

/// Write what scripts/bench/hebbff_torch.py needs to train the very same
/// network on the very same data: `hebbff_T<seq>_{w1,b,s,x,y,loss}.npy` =
/// W₁ (M×N); [b₁; w₂] (2×M); [b₂, λ, η] (1×3); the first
/// [`HEBBFF_EPOCHS`] training sequences' items (epochs·T × N) and labels
/// (epochs × T); and rnnscope's training loss of each of those epochs
/// (1 × epochs), returned too.
fn write_hebbff_inputs(dir: &Path, p: &rnnscope::hebbff::HebbParams) -> Result<Vec<f64>> {
    let mut tr = rnnscope::hebbff::HebbTrainer::new(p.clone())?;
    let (n, m, t) = (p.task.n, p.m, p.seq_len);
    let mat = |r: usize, c: usize, v: Vec<f64>| {
        Array2::from_shape_vec((r, c), v)
            .map_err(|e| rnnscope::Error::Shape(e.to_string()))
            .and_then(|a| io::write_npy(&a))
    };
    let net = &tr.model;
    let files = [
        ("w1", mat(m, n, net.w1.clone())?),
        ("b", mat(2, m, [net.b1.clone(), net.w2.clone()].concat())?),
        ("s", mat(1, 3, vec![net.b2, net.lam, net.eta])?),
    ];
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for e in 0..HEBBFF_EPOCHS {
        let s = tr.sequence(e)?;
        xs.extend_from_slice(&s.x);
        ys.extend_from_slice(&s.y);
    }
    let mut losses = Vec::new();
    for _ in 0..HEBBFF_EPOCHS {
        losses.push(tr.step()?.loss);
    }
    let k = HEBBFF_EPOCHS;
    let data = [
        ("x", mat(k * t, n, xs)?),
        ("y", mat(k, t, ys)?),
        ("loss", mat(1, k, losses.clone())?),
    ];
    for (name, bytes) in files.into_iter().chain(data) {
        let path = dir.join(format!("hebbff_T{t}_{name}.npy"));
        std::fs::write(&path, bytes)
            .map_err(|e| rnnscope::Error::Io(format!("{}: {e}", path.display())))?;
    }
    Ok(losses)
}
