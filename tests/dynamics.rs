//! Dynamics end to end: the CLI's simulate / ensemble / fixed-points /
//! dimension commands, and closed-form checks across modules.
#![cfg(not(target_arch = "wasm32"))]

use rnnscope::dynamics::{self, Activation, NewtonOpts, Params};
use rnnscope::{ensembles, linalg};

use crate::common;
use common::run;

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rnnscope-dyn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("test setup");
    dir.join(name)
}

#[test]
fn spectral_radius_is_about_g_for_gaussian_and_sparse() {
    for (w, g) in [
        (ensembles::gaussian(400, 1.3, 2).unwrap(), 1.3),
        (ensembles::sparse_er(400, 0.2, 0.9, 2).unwrap(), 0.9),
        (
            ensembles::random_mode(400, ensembles::ModeSpectrum::Flat, 0.0, 1.1, 2).unwrap(),
            1.1,
        ),
    ] {
        let r = linalg::spectral_radius(&linalg::eigenvalues(&w).unwrap());
        assert!((r / g - 1.0).abs() < 0.1, "radius {r} vs g {g}");
    }
}

#[test]
fn simulate_then_dimension_agree_with_the_library() {
    let path = tmp("x.csv");
    let p = path.to_str().unwrap();
    let (ok, sim, err) = run(&[
        "simulate",
        "--n",
        "50",
        "--g",
        "1.8",
        "--seed",
        "4",
        "--burn",
        "400",
        "--samples",
        "600",
        "--every",
        "4",
        "--out",
        p,
    ]);
    assert!(ok, "{err}");
    let (ok, dim, err) = run(&["dimension", p, "--dt", "0.2"]);
    assert!(ok, "{err}");
    let pr_sim = sim["participation_ratio"].as_f64().unwrap();
    let pr_dim = dim["participation_ratio"].as_f64().unwrap();
    // The CSV round trip keeps full precision (shortest repr), so they agree closely.
    assert!(
        (pr_sim - pr_dim).abs() < 1e-9 * pr_sim,
        "{pr_sim} vs {pr_dim}"
    );
    // Same PR from the library path with the same seed.
    let w = ensembles::gaussian(50, 1.8, 4).unwrap();
    let params = Params {
        tau: 1.0,
        dt: 0.05,
        sigma: 0.0,
        phi: Activation::Tanh,
    };
    let (pr, _) = dynamics::activity_pr(w, params, 400, 600, 4, 4).unwrap();
    assert!((pr - pr_sim).abs() < 1e-9 * pr, "{pr} vs {pr_sim}");
    let ev = dim["explained_variance"].as_array().unwrap();
    assert_eq!(ev.len(), 50);
    let s: f64 = ev.iter().map(|v| v.as_f64().unwrap()).sum();
    assert!((s - 1.0).abs() < 1e-9);
    assert!(pr_sim > 1.0 && pr_sim < 50.0);
}

#[test]
fn cli_fixed_points_and_ensemble() {
    let (ok, v, err) = run(&[
        "fixed-points",
        "--n",
        "40",
        "--g",
        "2",
        "--seed",
        "3",
        "--scale",
        "0.3",
    ]);
    assert!(ok, "{err}");
    let fps = v["fixed_points"].as_array().unwrap();
    assert!(fps.len() >= 3);
    for p in fps {
        assert!(p["residual"].as_f64().unwrap() < 1e-9);
        assert_eq!(p["jacobian_eigenvalues"].as_array().unwrap().len(), 40);
    }
    let (ok, v, err) = run(&[
        "ensemble",
        "--kind",
        "exponential",
        "--a",
        "5",
        "--b",
        "0.4",
        "--n",
        "100",
        "--g",
        "1",
    ]);
    assert!(ok, "{err}");
    let q = (-2.0f64 / 5.0).exp();
    let er = v["effective_rank"].as_f64().unwrap();
    assert!(
        (er - (1.0 + q) / (1.0 - q)).abs() < 1e-3,
        "effective rank {er}"
    );
    let (ok, _, err) = run(&["ensemble", "--kind", "dale", "--a", "1.0", "--b", "1"]);
    assert!(!ok && err.contains("frac_e"), "{err}");
    let (ok, _, err) = run(&["simulate", "--phi", "cubic"]);
    assert!(!ok && err.contains("phi"), "{err}");
    let bad = tmp("bad.csv");
    std::fs::write(&bad, "1,2\n3\n").unwrap();
    let (ok, _, err) = run(&["dimension", bad.to_str().unwrap()]);
    assert!(!ok && err.starts_with("error:"), "{err}");
}

#[test]
fn fixed_point_jacobian_eigs_match_w_at_origin() {
    // At h* = 0 with tanh, J = −I/τ + W: eigenvalues are those of W shifted by −1/τ.
    let w = ensembles::dale(30, 0.8, 0.6, true, 1).unwrap();
    let fps = dynamics::find_fixed_points(&w, 2.0, Activation::Tanh, &[], &NewtonOpts::default())
        .unwrap();
    let origin = fps
        .iter()
        .find(|p| p.h.iter().all(|x| x.abs() < 1e-12))
        .unwrap();
    let ew = linalg::eigenvalues(&w).unwrap();
    for (a, b) in origin.eigenvalues.iter().zip(&ew) {
        assert!((a.0 - (b.0 - 0.5)).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
    }
}

#[test]
fn simulate_npy_streamed_equals_the_in_memory_path() {
    // `--out X.npy` streams the activity to the file and reads it back for
    // the PR (issue 19); CSV and stdout keep it in memory. Same bits: 600
    // samples are three 256-row blocks, the last one partial.
    let args = [
        "simulate",
        "--n",
        "50",
        "--g",
        "1.6",
        "--seed",
        "9",
        "--samples",
        "600",
    ];
    let (npy, csv) = (tmp("stream.npy"), tmp("stream.csv"));
    let mut runs = vec![];
    for out in [Some(&npy), Some(&csv), None] {
        let mut a = args.to_vec();
        if let Some(p) = out {
            a.extend(["--out", p.to_str().unwrap()]);
        }
        let (ok, v, err) = run(&a);
        assert!(ok, "{err}");
        runs.push(v);
    }
    for key in ["participation_ratio", "explained_variance", "t_end"] {
        assert_eq!(runs[0][key], runs[1][key], "{key}");
        assert_eq!(runs[0][key], runs[2][key], "{key}");
    }
    let read = |p: &std::path::Path| {
        rnnscope::io::read_matrix(&rnnscope::io::read_file(p).unwrap()).unwrap()
    };
    let x = read(&npy);
    assert_eq!(x, read(&csv));
    assert_eq!(x.dim(), (600, 50));
    let pca = dynamics::pca(&x, 0).unwrap();
    assert_eq!(
        runs[0]["participation_ratio"].as_f64(),
        Some(pca.participation_ratio)
    );
    // No temporary file is left beside the output.
    let dir = npy.parent().unwrap();
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".stream.npy.tmp-")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
