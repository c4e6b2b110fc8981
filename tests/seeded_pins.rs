//! Same seed ⇒ same results natively and in WASM (issue 10). This native test
//! computes a few seeded results, checks each against an independent
//! evaluation, and compares them with tests/data/seeded_pins.json;
//! tests/web/seeded.rs recomputes them through the WASM exports and compares
//! with the same file. Regenerate the file with `PIN_UPDATE=1 cargo test
//! --test seeded_pins` (only after a deliberate change of a seeded algorithm).
#![cfg(not(target_arch = "wasm32"))]

use ndarray::Array2;
use rnnscope::dynamics::{Activation, Input, Params, Simulator};
use rnnscope::ensembles;
use rnnscope::modularity::multilayer::{multilayer_from_layers, MultilayerParams};
use rnnscope::modularity::signed::modularity;
use rnnscope::modularity::{community_louvain, synthetic, windowed_fc, Signed};
use rnnscope::motifs::{census, census_brute_force, erdos_renyi};
use rnnscope::train::{TaskKind, TrainConfig, Trainer};
use serde_json::{json, Value};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seeded_pins.json");

/// (W + Wᵀ)/2 of a seeded Gaussian matrix — the same arithmetic in the WASM test.
fn symmetric(n: usize, seed: u64) -> Array2<f64> {
    let g = ensembles::gaussian(n, 1.0, seed).expect("test setup");
    Array2::from_shape_fn((n, n), |(i, j)| {
        if i == j {
            0.0
        } else {
            (g[[i, j]] + g[[j, i]]) / 2.0
        }
    })
}

fn compute() -> Value {
    // 1. Gaussian ensemble: rows must have the N(0, g²/N) scale (loose check).
    let g = ensembles::gaussian(6, 1.5, 7).expect("test setup");
    // 2. Motif census of a seeded G(N, p), checked against the brute force.
    let er = erdos_renyi(60, 0.08, 3).expect("test setup");
    let c = census(&er).expect("test setup");
    assert_eq!(
        c.counts,
        census_brute_force(&er).expect("test setup").counts
    );
    // 3. Signed Louvain, Q checked against the library's direct evaluation.
    let w = symmetric(40, 5);
    let r = community_louvain(&w, 1.0, Signed::Asym, 1, 11).expect("test setup");
    let direct = modularity(&w, &r.communities, 1.0, Signed::Asym).expect("test setup");
    assert!((r.q - direct).abs() < 1e-12);
    // 4. Noisy simulation (Euler–Maruyama; noise and h0 from the seed).
    let wg = ensembles::gaussian(20, 1.2, 9).expect("test setup");
    let p = Params {
        tau: 1.0,
        dt: 0.05,
        sigma: 0.3,
        phi: Activation::Tanh,
    };
    let mut sim = Simulator::new(wg, Simulator::random_state(20, 1.0, 9), p, Input::None, 9)
        .expect("test setup");
    sim.step(200).expect("test setup");
    let h = sim.state().to_vec();
    assert!(h.iter().all(|v| v.is_finite() && v.abs() < 10.0));
    // 5. Multilayer on planted activity (positive FC, as the WASM benchMultilayer export).
    let (x, _) = synthetic::planted_activity(30, 3, 6, 40, 1, 0.8, 2).expect("test setup");
    let layers: Vec<_> = windowed_fc(x.view(), 40, None)
        .expect("test setup")
        .layers
        .into_iter()
        .map(|l| l.mapv(|v| v.max(0.0)))
        .collect();
    let mp = MultilayerParams {
        omega: 1.0,
        runs: 1,
        seed: 4,
        ..Default::default()
    };
    let ml = multilayer_from_layers(&layers, &mp, &mut |_, _| {}).expect("test setup");
    assert!(ml.q > 0.0 && ml.q <= 1.0);
    // 6. Supervised training (issue 17): web_seeded.rs requires the same bits (==).
    let mut cfg = TrainConfig::new(TaskKind::Sine);
    (cfg.n, cfg.steps, cfg.batch, cfg.seed) = (8, 30, 4, 5);
    let mut tr = Trainer::new(cfg, None).expect("test setup");
    let losses: Vec<f64> = (0..20)
        .map(|_| tr.step().expect("test setup").loss)
        .collect();
    assert!(losses[19] < losses[0], "{losses:?}");
    json!({
        "train_sine_n8_seed5_20steps": {"loss": losses, "w": tr.net.w.iter().collect::<Vec<_>>()},
        "gaussian_n6_g1.5_seed7": g.iter().collect::<Vec<_>>(),
        "census_er_n60_p0.08_seed3": c.counts,
        "louvain_asym_sym40_seed5_run11": {"q": r.q, "n_communities": r.n_communities},
        "simulation_n20_g1.2_sigma0.3_seed9_200steps": h,
        "multilayer_planted_seed2_run4": {"q": ml.q, "n_communities": ml.n_communities},
    })
}

/// Equal within `rel` relative error, recursively (integers exactly).
fn close(a: &Value, b: &Value, rel: f64) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| close(p, q, rel))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| close(v, w, rel)))
        }
        (Value::Number(p), Value::Number(q)) if p.is_u64() && q.is_u64() => p == q,
        (Value::Number(p), Value::Number(q)) => {
            let (p, q) = (
                p.as_f64().expect("test setup"),
                q.as_f64().expect("test setup"),
            );
            (p - q).abs() <= rel * p.abs().max(q.abs()).max(1e-300)
        }
        _ => a == b,
    }
}

#[test]
fn seeded_results_match_the_pinned_file() {
    let now = compute();
    if std::env::var_os("PIN_UPDATE").is_some() {
        std::fs::write(PATH, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
    }
    let pinned: Value = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    // The same build must reproduce itself exactly (up to JSON round-off).
    assert!(
        close(&now, &pinned, 1e-14),
        "now {now:#}\npinned {pinned:#}"
    );
}
