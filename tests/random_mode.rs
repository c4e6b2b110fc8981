//! The random-mode model (Clark, Marschall, van Meegen & Litwin-Kumar 2024)
//! checked against its definition and random-matrix theory, and the
//! dimension/timescale measures that go with it.
#![cfg(not(target_arch = "wasm32"))]

use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};
use rnnscope::dynamics::{activity_dimension, DimensionParams, Record};
use rnnscope::ensembles::{
    self, effective_rank_of_spectrum, random_mode_matrix, random_mode_model, ModeSpectrum,
    ModeVectors, OverlapProfile, RandomModeParams,
};
use rnnscope::linalg;
use rnnscope::rng::seeded;

use crate::common;
use common::run;

fn params(n: usize, spectrum: ModeSpectrum, g: f64, rho: f64, seed: u64) -> RandomModeParams {
    let mut p = RandomModeParams::new(n, spectrum, g);
    p.overlap = OverlapProfile::Constant(rho);
    p.seed = seed;
    p
}

#[test]
fn haar_modes_give_exactly_the_requested_singular_values() {
    for (spec, p_modes) in [
        (ModeSpectrum::PowerLaw { alpha: 0.8 }, 60),
        (ModeSpectrum::Exponential { kappa: 5.0 }, 25),
        (ModeSpectrum::Flat, 60),
    ] {
        let mut p = params(60, spec, 1.3, 0.0, 4);
        p.modes = Some(p_modes);
        p.vectors = ModeVectors::Haar;
        let m = random_mode_model(&p).unwrap();
        let sv = m.singular_values.as_ref().unwrap();
        let s = &m.requested_singular_values;
        assert_eq!(s.len(), p_modes);
        // Σ s² = g² N.
        let s2: f64 = s.iter().map(|x| x * x).sum();
        assert!((s2 - 1.69 * 60.0).abs() < 1e-9);
        for (i, v) in sv.iter().enumerate() {
            let want = s.get(i).copied().unwrap_or(0.0);
            assert!(
                (v - want).abs() < 1e-9 * s[0],
                "{spec:?}: sv {i} = {v} vs {want}"
            );
        }
        assert!((m.realised_effective_rank.unwrap() - m.effective_rank).abs() < 1e-6);
        // Exact orthonormal modes with ρ = 0: each u_a·v_a is a random O(N^{-1/2}) overlap.
        assert!(m.mean_overlap.abs() < 4.0 / ((60 * p_modes) as f64).sqrt());
    }
    // Haar modes cannot carry an overlap (it would pin the eigenvalues to ρ s_a).
    let mut p = params(20, ModeSpectrum::Flat, 1.0, 0.3, 1);
    p.vectors = ModeVectors::Haar;
    assert!(random_mode_model(&p)
        .unwrap_err()
        .to_string()
        .contains("`rho`"));
}

#[test]
fn gaussian_modes_realise_the_spectrum_up_to_mode_crosstalk() {
    // Fast-decaying spectrum: the leading singular values are the s_a up to
    // O(N^{-1/2}) crosstalk between non-orthogonal modes.
    let n = 300;
    let m = random_mode_model(&params(
        n,
        ModeSpectrum::Exponential { kappa: 3.0 },
        2.0,
        0.0,
        7,
    ))
    .unwrap();
    let sv = m.singular_values.unwrap();
    for (i, (v, s)) in sv
        .iter()
        .zip(&m.requested_singular_values)
        .take(5)
        .enumerate()
    {
        assert!((v / s - 1.0).abs() < 0.1, "mode {i}: {v} vs {s}");
    }
    // ‖J‖_F² = Σ s² (1 + O(1/N)): mean squared coupling g²/N.
    assert!(
        (m.mean_row_sq / 4.0 - 1.0).abs() < 0.05,
        "{}",
        m.mean_row_sq
    );
    // Flat spectrum with independent Gaussian modes: J ≈ g G1 G2ᵀ, a product of two
    // Ginibre matrices, whose squared singular values have the Fuss–Catalan moments
    // E x = 1, E x² = 3, so the realised effective rank is ≈ N/3 while the
    // requested one is N.
    let m = random_mode_model(&params(n, ModeSpectrum::Flat, 1.0, 0.0, 2)).unwrap();
    assert!((m.effective_rank - n as f64).abs() < 1e-9);
    let r = m.realised_effective_rank.unwrap() / (n as f64 / 3.0);
    assert!(
        (r - 1.0).abs() < 0.08,
        "realised effective rank / (N/3) = {r}"
    );
}

#[test]
fn trace_is_rho_sum_s_within_the_theoretical_spread() {
    // tr J = Σ s_a u_a·v_a = ρ Σ s_a + √(1−ρ²) Σ s_a u_a·z_a, and u_a·z_a has mean 0,
    // variance 1/N, so sd(tr J) = √(1−ρ²) √(Σ s_a²/N) = √(1−ρ²) g.
    let (n, g, rho) = (100, 1.5, 0.5);
    let c = (1.0f64 - rho * rho).sqrt();
    let spec = ModeSpectrum::PowerLaw { alpha: 1.0 };
    let s = spec.values(n, g).unwrap();
    let sum_s: f64 = s.iter().sum();
    let z: Vec<f64> = (1..=40u64)
        .map(|seed| {
            let w = random_mode_matrix(&params(n, spec, g, rho, seed)).unwrap();
            let tr: f64 = (0..n).map(|i| w[[i, i]]).sum();
            (tr - rho * sum_s) / (c * g)
        })
        .collect();
    let mean = z.iter().sum::<f64>() / z.len() as f64;
    let var = z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (z.len() - 1) as f64;
    // 40 standard normals: |mean| < 4/√40, sample variance within the χ²₃₉ 99.9% band.
    assert!(mean.abs() < 4.0 / 40f64.sqrt(), "mean z {mean}");
    assert!(var > 0.4 && var < 1.9, "var z {var}");
    assert!(
        rho * sum_s > 10.0 * c * g,
        "the test must resolve the trace"
    );
    // The report's trace and expected trace agree with the same theory.
    let m = random_mode_model(&params(n, spec, g, rho, 3)).unwrap();
    assert!((m.expected_trace - rho * sum_s).abs() < 1e-9);
    assert!((m.trace - m.expected_trace).abs() < 4.5 * c * g);
}

#[test]
fn measured_overlaps_follow_constant_decaying_and_given_profiles() {
    // u_a·v_a − ρ_a = √(1−ρ_a²) u_a·z_a with sd √(1−ρ_a²)/√N.
    let n = 400;
    let profiles = [
        OverlapProfile::Constant(-0.3),
        OverlapProfile::Exponential {
            rho0: 0.9,
            scale: 10.0,
        },
        OverlapProfile::Values((0..50).map(|a| if a < 10 { 0.8 } else { 0.0 }).collect()),
    ];
    for prof in profiles {
        let mut p = params(n, ModeSpectrum::PowerLaw { alpha: 0.5 }, 1.0, 0.0, 5);
        p.overlap = prof.clone();
        p.modes = Some(50);
        let m = random_mode_model(&p).unwrap();
        let want = prof.values(50).unwrap();
        assert_eq!(m.requested_overlaps, want);
        let worst = m
            .overlaps
            .iter()
            .zip(&want)
            .map(|(o, r)| (o - r).abs() * (n as f64).sqrt() / (1.0 - r * r).sqrt())
            .fold(0.0f64, f64::max);
        assert!(
            worst < 4.5,
            "{prof:?}: worst standardised deviation {worst}"
        );
        // Rank P.
        let sv = m.singular_values.unwrap();
        assert!(sv[49] > 1e-6 && sv[50] < 1e-9 * sv[0]);
    }
    let mut p = params(10, ModeSpectrum::Flat, 1.0, 0.0, 1);
    p.overlap = OverlapProfile::Values(vec![0.1; 3]);
    assert!(random_mode_model(&p)
        .unwrap_err()
        .to_string()
        .contains("3 values"));
    p.overlap = OverlapProfile::Constant(1.5);
    assert!(random_mode_model(&p)
        .unwrap_err()
        .to_string()
        .contains("`rho`"));
    p.overlap = OverlapProfile::Constant(0.0);
    p.modes = Some(41);
    assert!(random_mode_model(&p)
        .unwrap_err()
        .to_string()
        .contains("`modes`"));
    // P > N is allowed.
    p.modes = Some(25);
    assert_eq!(random_mode_matrix(&p).unwrap().dim(), (10, 10));
}

#[test]
fn eigenvalues_spread_over_the_plane_at_rho_zero() {
    // The old construction pinned every eigenvalue to Re λ = 0 at ρ = 0 (and to one
    // half-plane for ρ ≠ 0); independent random modes spread them over a disc of
    // outer radius ≈ g.
    let n = 300;
    let spec = ModeSpectrum::PowerLaw { alpha: 1.0 };
    let w = random_mode_matrix(&params(n, spec, 2.0, 0.0, 3)).unwrap();
    let ev = linalg::eigenvalues(&w).unwrap();
    let re: Vec<f64> = ev.iter().map(|e| e.0).collect();
    let max = re.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = re.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(max > 1.0 && min < -1.0, "Re λ in [{min}, {max}]");
    let pos = re.iter().filter(|r| **r > 0.0).count() as f64 / n as f64;
    assert!(pos > 0.35 && pos < 0.65, "fraction Re λ > 0: {pos}");
    // With ρ = 0.5 the spectrum shifts right (tr J = ρ Σ s_a > 0) but is not confined to Re λ > 0.
    let w = random_mode_matrix(&params(n, spec, 2.0, 0.5, 3)).unwrap();
    let ev = linalg::eigenvalues(&w).unwrap();
    let neg = ev.iter().filter(|e| e.0 < 0.0).count();
    assert!(neg > n / 10, "only {neg} eigenvalues with Re λ < 0");
    let mean_re = ev.iter().map(|e| e.0).sum::<f64>() / n as f64;
    let sum_s: f64 = spec.values(n, 2.0).unwrap().iter().sum();
    assert!((mean_re - 0.5 * sum_s / n as f64).abs() < 4.0 * 2.0 * 0.87 / n as f64);
}

#[test]
fn effective_rank_of_power_law_matches_the_sum() {
    // PR of s_a ∝ a^{-α}: (Σ a^{-2α})² / Σ a^{-4α}, computed independently.
    let (n, alpha) = (500usize, 0.75f64);
    let s2: f64 = (1..=n).map(|a| (a as f64).powf(-2.0 * alpha)).sum();
    let s4: f64 = (1..=n).map(|a| (a as f64).powf(-4.0 * alpha)).sum();
    let s = ModeSpectrum::PowerLaw { alpha }.values(n, 3.0).unwrap();
    assert!((effective_rank_of_spectrum(&s) - s2 * s2 / s4).abs() < 1e-9 * s2 * s2 / s4);
}

fn ar1(t: usize, tau: f64, dt: f64, rng: &mut rnnscope::rng::Rng) -> Vec<f64> {
    // Unit-variance AR(1) with autocorrelation e^{-dt/τ} per step.
    let a = (-dt / tau).exp();
    let b = (1.0 - a * a).sqrt();
    let mut x = vec![0.0; t];
    x[0] = StandardNormal.sample(rng);
    for i in 1..t {
        let z: f64 = StandardNormal.sample(rng);
        x[i] = a * x[i - 1] + b * z;
    }
    x
}

#[test]
fn collective_timescale_sees_a_mode_single_units_hide() {
    // x_i = a_i s(t) + e_i(t): a slow shared mode (τ = 20, 20% of each unit's
    // variance) under fast private noise (τ = 1). Single units decay in ≈ 1; the
    // leading PC is the slow mode.
    let (n, t, dt) = (40, 16_000, 0.25);
    let mut rng = seeded(11);
    let s = ar1(t, 20.0, dt, &mut rng);
    let e: Vec<Vec<f64>> = (0..n).map(|_| ar1(t, 1.0, dt, &mut rng)).collect();
    let a = 0.5f64; // slow variance a² = 0.25 vs 1 private
    let x = Array2::from_shape_fn((t, n), |(k, i)| a * s[k] + e[i][k]);
    let d = activity_dimension(
        &x,
        &DimensionParams {
            record: Record::Currents,
            zscore: false,
            max_lag: 160,
            dt,
            pcs: 1,
        },
    )
    .unwrap();
    let unit = d.unit_timescale.unwrap();
    let coll = d.collective_timescale.unwrap();
    // Unit ACF 0.8 e^{-t} + 0.2 e^{-t/20} crosses 1/e at t ≈ 1.2.
    assert!(unit > 0.8 && unit < 1.7, "unit timescale {unit}");
    // Leading PC ≈ s (variance n a² = 10 vs 1): e-folding ≈ 20 (AR sampling error ~15%).
    assert!(coll > 14.0 && coll < 27.0, "collective timescale {coll}");
    assert_eq!(d.record, Record::Currents);
}

#[test]
fn zscoring_gives_the_pr_of_the_correlation_matrix() {
    // Independent units, half with sd 1 and half with sd 10: PR(cov) ≈
    // (Σσ²)²/Σσ⁴ = N·101²/(2·10001) ≈ 0.51 N; PR(corr) ≈ N/(1 + N/T) (Marchenko–Pastur).
    let (t, n) = (8000, 40);
    let mut rng = seeded(3);
    let x = Array2::from_shape_fn((t, n), |(_, i)| {
        let z: f64 = StandardNormal.sample(&mut rng);
        if i < n / 2 {
            z
        } else {
            10.0 * z
        }
    });
    let mut p = DimensionParams {
        max_lag: 5,
        ..Default::default()
    };
    let cov = activity_dimension(&x, &p).unwrap().participation_ratio;
    p.zscore = true;
    let corr = activity_dimension(&x, &p).unwrap();
    let want_cov = n as f64 * 101.0 * 101.0 / (2.0 * 10001.0);
    assert!(
        (cov / want_cov - 1.0).abs() < 0.05,
        "PR cov {cov} vs {want_cov}"
    );
    let want_corr = n as f64 / (1.0 + n as f64 / t as f64);
    assert!(
        (corr.participation_ratio / want_corr - 1.0).abs() < 0.03,
        "PR corr {}",
        corr.participation_ratio
    );
    assert!(corr.zscored && corr.dropped_units == 0);
}

#[test]
fn cli_ensemble_reports_the_random_mode_structure() {
    let (ok, v, err) = run(&[
        "ensemble",
        "--kind",
        "powerlaw",
        "--n",
        "120",
        "--g",
        "2",
        "--a",
        "1",
        "--b=0.3",
        "--modes",
        "60",
        "--seed",
        "3",
        "--out",
        "/dev/null",
    ]);
    assert!(ok, "{err}");
    assert_eq!(v["modes"], 60);
    assert_eq!(v["requested_overlaps"].as_array().unwrap().len(), 60);
    let mo = v["mean_overlap"].as_f64().unwrap();
    assert!(
        (mo - 0.3).abs() < 4.0 * 0.954 / (120.0f64 * 60.0).sqrt(),
        "{mo}"
    );
    assert!(v["effective_rank"].as_f64().unwrap() > 1.0);
    assert!(v["max_real_eigenvalue"].as_f64().unwrap() > 0.5);
    // Flags that only make sense for random-mode kinds are refused elsewhere.
    let (ok, _, err) = run(&[
        "ensemble", "--kind", "gaussian", "--modes", "4", "--n", "10",
    ]);
    assert!(!ok && err.contains("--modes"), "{err}");
    let (ok, _, err) = run(&[
        "ensemble", "--kind", "flat", "--haar", "--b=0.2", "--n", "10",
    ]);
    assert!(!ok && err.contains("rho"), "{err}");
    let _ = ensembles::MAX_N;
}
