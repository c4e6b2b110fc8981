//! Same seed ⇒ same results in WASM as natively: recomputes the seeded
//! results of tests/seeded_pins.rs through the WASM exports and compares them
//! with the values the native test pinned in tests/data/seeded_pins.json.
//! Integers (motif counts, community counts) must match exactly; floats to
//! 1e-12 relative (the simulation to 1e-9: tanh comes from a different libm
//! in WASM than natively, which may differ in the last bit).
#![cfg(target_arch = "wasm32")]

use rnnscope::wasm::{
    bench_louvain, bench_multilayer, planted_activity, random_gaussian, Matrix, MotifGraph,
    Simulation,
};
use serde_json::Value;
use wasm_bindgen_test::*;

fn pins() -> Value {
    serde_json::from_str(include_str!("../data/seeded_pins.json")).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn assert_close(got: &[f64], want: &[f64], rel: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (k, (a, b)) in got.iter().zip(want).enumerate() {
        assert!(
            (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300),
            "{what}[{k}]: wasm {a} vs native {b}"
        );
    }
}

#[wasm_bindgen_test]
fn gaussian_ensemble_matches_native() {
    let m = random_gaussian(6, 1.5, 7).unwrap();
    assert_close(
        &m.data(),
        &floats(&pins()["gaussian_n6_g1.5_seed7"]),
        1e-12,
        "gaussian",
    );
}

#[wasm_bindgen_test]
fn motif_census_matches_native() {
    let g = MotifGraph::random(60, 0.08, 3).unwrap();
    let want: Vec<f64> = floats(&pins()["census_er_n60_p0.08_seed3"]);
    // census() is {counts, participation}: the counts are pinned.
    let c = js_sys::Reflect::get(&g.census().unwrap(), &"counts".into()).unwrap();
    assert_eq!(js_sys::Float64Array::new(&c).to_vec(), want);
}

#[wasm_bindgen_test]
fn signed_louvain_matches_native() {
    let n = 40;
    let g = random_gaussian(n, 1.0, 5).unwrap().data();
    let mut w = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                w[i * n + j] = (g[i * n + j] + g[j * n + i]) / 2.0;
            }
        }
    }
    let r = bench_louvain(&Matrix::new(n, n, &w).unwrap(), 1.0, 11).unwrap();
    let p = &pins()["louvain_asym_sym40_seed5_run11"];
    assert_close(&r[..1], &[p["q"].as_f64().unwrap()], 1e-12, "Q");
    assert_eq!(r[1], p["n_communities"].as_f64().unwrap());
}

#[wasm_bindgen_test]
fn noisy_simulation_matches_native() {
    let w = random_gaussian(20, 1.2, 9).unwrap();
    let params =
        js_sys::JSON::parse(r#"{"tau": 1, "dt": 0.05, "sigma": 0.3, "phi": "tanh", "seed": 9}"#)
            .unwrap();
    let mut sim = Simulation::new(&w, params).unwrap();
    sim.step(200).unwrap();
    assert_close(
        &sim.state(),
        &floats(&pins()["simulation_n20_g1.2_sigma0.3_seed9_200steps"]),
        1e-9,
        "state",
    );
}

#[wasm_bindgen_test]
fn multilayer_matches_native() {
    let x = planted_activity(
        js_sys::JSON::parse(
            r#"{"units": 30, "modules": 3, "windows": 6, "window": 40, "drift": 1, "noise": 0.8, "seed": 2}"#,
        )
        .unwrap(),
    )
    .unwrap();
    let r = bench_multilayer(&x, 40, 1.0, 4).unwrap();
    let p = &pins()["multilayer_planted_seed2_run4"];
    assert_close(&r[..1], &[p["q"].as_f64().unwrap()], 1e-12, "Q");
    assert_eq!(r[1], p["n_communities"].as_f64().unwrap());
    assert_eq!(r[2], 6.0);
}

#[wasm_bindgen_test]
fn training_is_bit_identical_to_native() {
    // The core's trainer compiled to WASM (what the page's worker runs):
    // every loss and every entry of W equal to the native pin, exactly
    // (fmath, rng::StandardNormal and linalg::matmul; issue 17).
    use rnnscope::train::{TaskKind, TrainConfig, Trainer};
    let mut cfg = TrainConfig::new(TaskKind::Sine);
    (cfg.n, cfg.steps, cfg.batch, cfg.seed) = (8, 30, 4, 5);
    let mut tr = Trainer::new(cfg, None).unwrap();
    let losses: Vec<f64> = (0..20).map(|_| tr.step().unwrap().loss).collect();
    let p = &pins()["train_sine_n8_seed5_20steps"];
    assert_eq!(losses, floats(&p["loss"]));
    assert_eq!(
        tr.net.w.iter().copied().collect::<Vec<_>>(),
        floats(&p["w"])
    );
}
