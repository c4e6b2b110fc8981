//! Issue 18 through the WASM exports the page calls: every case of the
//! adversarial CLI run (tests/reliability.rs, tests/cli_no_null.rs) that
//! applies to an analysis the page exposes, asserting the same value as the
//! native test, or a JS `Error` naming the problem (a panic would trap and
//! fail the test; a missing budget would hang or abort it). The table in
//! docs/testing.md ("Hostile input (issue 18)") maps each case to both tests.
#![cfg(target_arch = "wasm32")]

use rnnscope::wasm::{
    activity_dimension, activity_pr, bench_louvain, eigenvalues, fixed_points, make_ensemble,
    multilayer_activity, random_gaussian, run_hebbff_instance, Matrix, MotifGraph, Simulation,
    Training,
};
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::*;

#[path = "../common/hostile.rs"]
mod hostile;
use hostile::{karate_rows, multilayer_rows, pr_activity, triangle};

fn message(e: JsError) -> String {
    let v: JsValue = e.into();
    let err: js_sys::Error = v.dyn_into().expect("a JS Error object");
    String::from(err.message())
}

fn expect_err<T>(what: &str, r: Result<T, JsError>, want: &[&str]) {
    match r {
        Ok(_) => panic!("{what}: accepted, want an error containing {want:?}"),
        Err(e) => {
            let m = message(e);
            for w in want {
                assert!(m.contains(w), "{what}: got {m:?}, want {w:?}");
            }
        }
    }
}

fn mat(rows: &[&[f64]]) -> Matrix {
    let data: Vec<f64> = rows.iter().flat_map(|r| r.iter().copied()).collect();
    Matrix::new(rows.len(), rows[0].len(), &data).unwrap()
}

/// A JS settings object from JSON text.
fn json(t: &str) -> JsValue {
    js_sys::JSON::parse(t).unwrap()
}

/// `{input: x}` with any f64 (JSON has no NaN).
fn input(x: f64) -> JsValue {
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"input".into(), &x.into()).unwrap();
    js_sys::Reflect::set(&o, &"starts".into(), &2.0.into()).unwrap();
    o.into()
}

/// Spectral radius from the interleaved `[re, im, …]` eigenvalues.
fn radius(ev: &[f64]) -> f64 {
    ev.chunks(2).map(|c| c[0].hypot(c[1])).fold(0.0, f64::max)
}

fn noop() -> js_sys::Function {
    js_sys::Function::new_no_args("")
}

#[wasm_bindgen_test]
fn budgets_refuse_at_once() {
    // fixed-points --n 500 --starts 10000: (starts + 1) × N³ over budget.
    let z500 = Matrix::new(500, 500, &vec![0.0; 250_000]).unwrap();
    expect_err(
        "fixed points 500 × 10000 starts",
        fixed_points(&z500, json(r#"{"starts": 10000}"#)),
        &["(starts + 1) × N³"],
    );
    let w = random_gaussian(5, 1.0, 1).unwrap();
    // simulate --burn 10^12 (usize is 32-bit here: 4·10^9) and --samples 10^4 --every 10^6.
    expect_err(
        "burn 4e9",
        activity_pr(&w, json(r#"{"burn": 4000000000, "samples": 10}"#)),
        &["burn + samples × every"],
    );
    expect_err(
        "samples × every",
        activity_pr(
            &w,
            json(r#"{"burn": 0, "samples": 10000, "every": 1000000}"#),
        ),
        &["burn + samples × every"],
    );
    let mut sim = Simulation::new(&w, json(r#"{"tau": 1.0, "dt": 0.05}"#)).unwrap();
    expect_err("step 4e9", sim.step(4_000_000_000), &["simulation steps"]);
    expect_err(
        "stepRecord 2000 × 10^6",
        sim.step_record(json(r#"{"samples": 2000, "every": 1000000, "traces": 2}"#)),
        &["simulation steps"],
    );
    // train --n 256 --batch 1024 --trial-steps 2500: 3.8 GB of BPTT states.
    let p = js_sys::JSON::parse(r#"{"n": 256, "batch": 1024, "trial_steps": 2500}"#).unwrap();
    expect_err("training states", Training::new(p), &["n × batch × steps"]);
    // hebbff --m 4096 --test-len 200000: 6.5 GB of held-out activity.
    let p = js_sys::JSON::parse(
        r#"{"n": 100, "m": 4096, "r_min": 3, "r_max": 3, "p": 0.5, "data": "fresh",
            "lr": 0.001, "test_len": 200000, "window": 20, "runs": 1, "seed": 1}"#,
    )
    .unwrap();
    expect_err(
        "hebbff m × test_len",
        run_hebbff_instance(p, &noop()),
        &["m × test_len"],
    );
    // A 3-line edge list naming node 999999: sparse, 10^6 nodes, counted right.
    let g = MotifGraph::from_bytes(b"source,target\n0,1\n1,2\n999999,0\n", false, None).unwrap();
    assert_eq!((g.n(), g.m()), (1_000_000, 3));
    let c = g.census().unwrap();
    let counts: js_sys::Float64Array = js_sys::Reflect::get(&c, &"counts".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    // Two connected triads, both chains (021C, id 2): 0→1→2 and 999999→0→1.
    let mut want = [0.0; 13];
    want[1] = 2.0;
    assert_eq!(counts.to_vec(), want);
}

#[wasm_bindgen_test]
fn spectra_of_zero_identity_and_extreme_matrices() {
    let z = Matrix::new(4, 4, &[0.0; 16]).unwrap();
    assert_eq!(eigenvalues(&z).unwrap(), vec![0.0; 8]);
    let eye = mat(&[&[1.0, 0.0, 0.0], &[0.0, 1.0, 0.0], &[0.0, 0.0, 1.0]]);
    let ev = eigenvalues(&eye).unwrap();
    assert_eq!(ev.len(), 6);
    for c in ev.chunks(2) {
        assert!((c[0] - 1.0).abs() < 1e-12 && c[1].abs() < 1e-12, "{ev:?}");
    }
    // random --g 0: W = 0, every eigenvalue 0.
    let w0 = random_gaussian(20, 0.0, 1).unwrap();
    assert!(w0.data().iter().all(|&v| v == 0.0));
    assert_eq!(radius(&eigenvalues(&w0).unwrap()), 0.0);
    // ensemble --kind flat --n 20 --b 1: a finite spectrum.
    let f = make_ensemble(json(r#"{"kind": "flat", "n": 20, "g": 1.0, "b": 1.0}"#)).unwrap();
    let r = radius(&eigenvalues(&f).unwrap());
    assert!(r.is_finite() && r > 0.0, "flat ρ = 1: radius {r}");
    // ±1e308: eigenvalues 1e308 ± 1e308 i.
    let big = mat(&[&[1e308, -1e308], &[1e308, 1e308]]);
    let r = radius(&eigenvalues(&big).unwrap());
    assert!((r / 1e308 - 2f64.sqrt()).abs() < 1e-12, "radius {r}");
    // Eigenvalues past f64::MAX: an error saying so.
    let over = mat(&[&[1.7e308, 1.7e308], &[1.7e308, 1.7e308]]);
    expect_err("eigenvalue 3.4e308", eigenvalues(&over), &["f64 range"]);
}

#[wasm_bindgen_test]
fn fixed_point_with_a_zero_jacobian() {
    // W = I, linear φ, τ = 1: J = −I + W = 0, every eigenvalue 0.
    let eye = mat(&[&[1.0, 0.0, 0.0], &[0.0, 1.0, 0.0], &[0.0, 0.0, 1.0]]);
    let fps = fixed_points(&eye, json(r#"{"phi": "linear", "starts": 2}"#)).unwrap();
    assert!(fps.length() >= 1);
    let p = fps.get(0);
    let max_real = js_sys::Reflect::get(&p, &"max_real".into()).unwrap();
    assert_eq!(max_real.as_f64(), Some(0.0));
}

#[wasm_bindgen_test]
fn nan_parameters_and_clear_messages() {
    let w = random_gaussian(5, 1.0, 1).unwrap();
    expect_err(
        "fixed points input NaN",
        fixed_points(&w, input(f64::NAN)),
        &["input", "finite"],
    );
    expect_err(
        "dale b NaN",
        make_ensemble({
            let o = json(r#"{"kind": "dale", "n": 10, "g": 1.0, "a": 0.8}"#);
            js_sys::Reflect::set(&o, &"b".into(), &f64::NAN.into()).unwrap();
            o
        }),
        &["`b`"],
    );
    // A 1 MB cell: the message quotes at most a short prefix.
    let long = format!("1,{}\n", "x".repeat(1_000_000));
    match Matrix::from_bytes(long.as_bytes(), None) {
        Ok(_) => panic!("a 1 MB text cell was accepted"),
        Err(e) => {
            let m = message(e);
            assert!(m.len() < 400 && m.contains("row 1, column 2"), "{m:.300}");
        }
    }
    // Edge lists: a BOM is accepted; src,dst is explained.
    let g = MotifGraph::from_bytes("\u{feff}source,target\n0,1\n1,2\n".as_bytes(), false, None)
        .unwrap();
    assert_eq!((g.n(), g.m()), (3, 2));
    expect_err(
        "src,dst header",
        MotifGraph::from_bytes(b"src,dst\n0,1\n", false, None),
        &["source,target"],
    );
}

fn scaled(rows: &[Vec<f64>], s: f64) -> Matrix {
    let n = rows.len();
    let data: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.iter().map(move |v| v * s))
        .collect();
    Matrix::new(n, rows[0].len(), &data).unwrap()
}

#[wasm_bindgen_test]
fn modularity_and_pr_are_scale_invariant() {
    let k = karate_rows();
    let q0 = bench_louvain(&scaled(&k, 1.0), 1.0, 1).unwrap()[0];
    // Louvain's optimum on karate is 0.4198 (one run may stop at 0.4188).
    assert!((q0 - 0.4198).abs() < 2e-3, "karate Q {q0}");
    for s in [1e154, 1e300, 1e-200, 1e-310] {
        let q = bench_louvain(&scaled(&k, s), 1.0, 1).unwrap()[0];
        assert!((q - q0).abs() < 1e-12, "scale {s}: Q {q} vs {q0}");
    }
    // A triangle has Q = 0 at every scale (the old code gave 0.9999… at 1e-200).
    for s in [1.0, 1e-150, 1e-200] {
        let t = scaled(&triangle(s), 1.0);
        let q = bench_louvain(&t, 1.0, 1).unwrap()[0];
        assert!(q.abs() < 1e-12, "triangle at {s}: Q {q}");
    }
    // PR of activity ×1e160 and ×1e-300 equals the PR at scale 1.
    let act = pr_activity();
    let pr0 = activity_dimension(&scaled(&act, 1.0)).unwrap()[0];
    assert!(pr0 > 1.5, "{pr0}");
    for s in [1e160, 1e-300] {
        let pr = activity_dimension(&scaled(&act, s)).unwrap()[0];
        assert!((pr - pr0).abs() < 1e-9 * pr0, "scale {s}: PR {pr} vs {pr0}");
    }
    // simulate --n 20 --g 3 --phi linear --samples 3000: diverging but finite
    // activity, one mode: PR = 1 (was null).
    let w = random_gaussian(20, 3.0, 1).unwrap();
    let pr = activity_pr(&w, json(r#"{"phi": "linear", "burn": 0, "samples": 3000}"#)).unwrap();
    assert!((pr - 1.0).abs() < 1e-6, "PR {pr}");
}

#[wasm_bindgen_test]
fn multilayer_survives_columns_near_f64_max() {
    let run = |s: f64| {
        multilayer_activity(
            &scaled(&multilayer_rows(s), 1.0),
            json(
                r#"{"window": 40, "multilayer": {"omega": 1.0, "gamma_pos": [1.0],
                    "gamma_neg": [1.0], "runs": 1, "seed": 1}}"#,
            ),
            &noop(),
        )
        .unwrap()
    };
    let (a, b) = (run(1.0), run(1.7e308));
    assert!((a.q() - b.q()).abs() < 1e-9, "Q {} vs {}", a.q(), b.q());
    assert_eq!(a.n_communities(), b.n_communities());
    assert!(b.q().is_finite(), "Q {}", b.q());
}
