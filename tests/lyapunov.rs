//! Lyapunov exponents by the QR method (Engelken, Wolf & Abbott 2023):
//! closed form for linear networks, the transition to chaos at g ≈ 1, the CLI.
#![cfg(not(target_arch = "wasm32"))]

use rnnscope::dynamics::{lyapunov_spectrum, Activation, LyapunovParams};
use rnnscope::{ensembles, linalg};

use crate::common;
use common::run;

#[test]
fn linear_network_exponents_are_the_real_parts_of_the_jacobian_eigenvalues() {
    // dh/dt = −h + W h: the Euler map is I + dt(−I + W), whose exponents are
    // ln|1 + dt μ_i| / dt → Re μ_i (μ = eigenvalues of −I + W) as dt → 0.
    let n = 20;
    let w = ensembles::gaussian(n, 0.7, 5).unwrap();
    let dt = 0.02;
    let p = LyapunovParams {
        k: 8,
        steps: 25_000,
        burn: 2_500,
        dt,
        tau: 1.0,
        phi: Activation::Linear,
        ortho_every: 5,
        seed: 2,
    };
    let l = lyapunov_spectrum(&w, None, &p).unwrap();
    let eig = linalg::eigenvalues(&w).unwrap();
    let mut map: Vec<f64> = eig
        .iter()
        .map(|&(re, im)| {
            let (a, b) = (1.0 + dt * (re - 1.0), dt * im);
            (a * a + b * b).sqrt().ln() / dt
        })
        .collect();
    map.sort_by(|a, b| b.total_cmp(a));
    let mut re: Vec<f64> = eig.iter().map(|e| e.0 - 1.0).collect();
    re.sort_by(|a, b| b.total_cmp(a));
    for i in 0..p.k {
        assert!(
            (l.exponents[i] - map[i]).abs() < 0.02,
            "λ{} = {} vs ln|1+dtμ|/dt = {}",
            i + 1,
            l.exponents[i],
            map[i]
        );
        assert!(
            (l.exponents[i] - re[i]).abs() < 0.03,
            "λ{} vs Re μ {}",
            i + 1,
            re[i]
        );
    }
    assert!(l.exponents.windows(2).all(|p| p[0] >= p[1]));
    // All negative: a stable linear system has Kaplan–Yorke dimension 0.
    assert_eq!(l.kaplan_yorke_dimension, 0.0);
}

fn lambda1(g: f64) -> f64 {
    let w = ensembles::gaussian(200, g, 3).expect("valid ensemble");
    let p = LyapunovParams {
        k: 1,
        steps: 6000,
        burn: 2000,
        dt: 0.05,
        ..Default::default()
    };
    lyapunov_spectrum(&w, None, &p).expect("runs").exponents[0]
}

#[test]
fn lambda1_changes_sign_near_g_one_for_gaussian_w() {
    // Below g = 1 the origin is stable with λ1 = max Re(−1 + μ) ≈ g − 1 = −0.2;
    // above, the network is chaotic (Sompolinsky et al. 1988) and λ1 > 0, growing
    // like (g − 1)² near the transition (≈ 0.01 at g = 1.5, ≈ 0.1 at g = 2.5 here,
    // N = 200), so just above g = 1 it is only resolved as "not negative".
    let below = lambda1(0.8);
    let just_above = lambda1(1.5);
    let above = lambda1(2.5);
    assert!(below < -0.1 && below > -0.35, "λ1(g = 0.8) = {below}");
    assert!(just_above > -0.005, "λ1(g = 1.5) = {just_above}");
    assert!(above > 0.05, "λ1(g = 2.5) = {above}");
}

#[test]
fn cli_lyapunov_and_sweep() {
    let (ok, v, err) = run(&[
        "lyapunov", "--n", "100", "--g", "3", "--k", "5", "--steps", "4000", "--burn", "1000",
        "--seed", "1",
    ]);
    assert!(ok, "{err}");
    let ex: Vec<f64> = v["exponents"]
        .as_array()
        .expect("exponents")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect();
    assert_eq!(ex.len(), 5);
    assert!(ex.windows(2).all(|p| p[0] >= p[1]));
    assert!(ex[0] > 0.0, "λ1 at g = 3: {}", ex[0]);
    let ky = v["kaplan_yorke_dimension"].as_f64().expect("ky");
    assert!(ky >= 1.0, "KY {ky}");
    let (ok, _, err) = run(&["lyapunov", "--n", "10", "--k", "11"]);
    assert!(!ok && err.contains("`k`"), "{err}");

    let (ok, v, err) = run(&[
        "sweep",
        "--param",
        "g",
        "--values",
        "0.5,2",
        "--seeds",
        "2",
        "--kind",
        "gaussian",
        "--n",
        "40",
        "--burn",
        "400",
        "--samples",
        "200",
        "--every",
        "2",
        "--max-lag",
        "50",
        "--lyap-steps",
        "1000",
    ]);
    assert!(ok, "{err}");
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["lambda1"]["n"], 2);
    assert!(rows[0]["lambda1"]["mean"].as_f64().expect("λ1") < -0.3);
    assert_eq!(v["record"], "rates");
    assert_eq!(v["samples"].as_array().expect("samples").len(), 4);
    let (ok, _, err) = run(&[
        "sweep", "--param", "alpha", "--values", "1", "--kind", "flat",
    ]);
    assert!(!ok && err.contains("powerlaw"), "{err}");
}
