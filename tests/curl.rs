//! Curl descent: bit-identity with GD, derivative checks, the linear closed form
//! of the normal-mode block, stability at the teacher solution, Benettin λ₁
//! against the spectral radius of the linearised map.

// Index loops mirror the formulas (θ_a, J[a][b]).
#![allow(clippy::needless_range_loop)]

use ndarray::Array2;
use rand::Rng;
use rnnscope::curl::dynamics::{gradient, hessian, jacobian, train, vector_field, Rule};
use rnnscope::curl::lyapunov::{Benettin, LyapunovParams};
use rnnscope::curl::model::{mse, objective, Activation, CurlParams, LossKind, Net, Problem, Side};
use rnnscope::curl::stability::{critical_scan, stability_at, Layer};
use rnnscope::curl::{run, RunOptions};
use rnnscope::linalg::eigenvalues;
use rnnscope::rng::seeded;

fn small(act: Activation, loss: LossKind) -> CurlParams {
    CurlParams {
        input_dim: 5,
        teacher: 4,
        student: 4,
        n_train: 30,
        n_test: 10,
        batch_size: 30,
        epochs: 50,
        activation: act,
        loss,
        ..CurlParams::default()
    }
}

/// A generic (non-solution) point: the student init perturbed.
fn off_solution(p: &CurlParams) -> (Problem, Net) {
    let prob = Problem::new(p).expect("valid params");
    let mut net = prob.student0.clone();
    let mut rng = seeded(99);
    for t in net.theta.iter_mut() {
        *t += rng.random_range(-0.5..0.5);
    }
    (prob, net)
}

#[test]
fn no_flips_is_gradient_descent_bit_for_bit() {
    // Mini-batches with shuffling and the norm rescaling: the full discrete rule.
    let p = CurlParams {
        batch_size: 7,
        epochs: 200,
        ..small(Activation::Tanh, LossKind::Matching)
    };
    let prob = Problem::new(&p).unwrap();
    let curl = train(&p, &prob, Rule::for_params(&p, true), 0.0, 30, &mut ()).unwrap();
    assert!(matches!(Rule::for_params(&p, true), Rule::Curl(_)));
    let gd = train(&p, &prob, Rule::Gradient, 0.0, 30, &mut ()).unwrap();
    assert_eq!(curl.net.theta, gd.net.theta, "weights differ");
    assert_eq!(curl.train_loss, gd.train_loss);
    assert_eq!(curl.test_loss, gd.test_loss);
    // It learned something (the comparison is not between two frozen nets).
    assert!(gd.train_loss.last().unwrap() < &(0.5 * gd.train_loss[0]));
    // And one flipped neuron does change the trajectory.
    let q = CurlParams {
        flipped_l2: 1,
        ..p.clone()
    };
    let c2 = train(&q, &prob, Rule::for_params(&q, false), 0.0, 30, &mut ()).unwrap();
    assert_ne!(c2.net.theta, gd.net.theta);
    // The public entry point reports the GD rule for zero flips.
    let o = RunOptions {
        lyapunov: None,
        scan_points: 0,
        ..RunOptions::default()
    };
    let r = run(&p, &o).unwrap();
    assert_eq!(r.rule, "gradient");
    assert_eq!(r.train_loss.last(), gd.train_loss.last());
    assert_eq!(r.final_test_loss, mse(&gd.net, &prob.test, p.activation));
}

#[test]
fn flip_sign_conventions() {
    let mut p = small(Activation::Tanh, LossKind::Matching);
    let (d, k) = (p.input_dim, p.student);
    p.side = Side::Col;
    p.flipped_l1 = 2;
    p.flipped_l2 = 3;
    let s = p.signs();
    for i in 0..k {
        for j in 0..d {
            assert_eq!(s[i * d + j], if j < 2 { -1.0 } else { 1.0 });
        }
        assert_eq!(s[k * d + i], if i < 3 { -1.0 } else { 1.0 });
    }
    p.side = Side::Row;
    p.flipped_l1 = 3;
    p.flipped_l2 = 1;
    let s = p.signs();
    for i in 0..k {
        for j in 0..d {
            assert_eq!(s[i * d + j], if i < 3 { -1.0 } else { 1.0 });
        }
        assert_eq!(s[k * d + i], -1.0);
    }
    p.flipped_l2 = 2;
    assert!(p.check().is_err(), "row side has one output neuron");
    // One full-batch step: the curl update is the GD update times σ.
    let mut q = small(Activation::Tanh, LossKind::Mse);
    q.normalize = false;
    q.epochs = 1;
    q.flipped_l1 = 2;
    q.flipped_l2 = 1;
    let prob = Problem::new(&q).unwrap();
    let c = train(&q, &prob, Rule::for_params(&q, false), 0.0, 2, &mut ()).unwrap();
    let g = train(&q, &prob, Rule::Gradient, 0.0, 2, &mut ()).unwrap();
    let sig = q.signs();
    for a in 0..sig.len() {
        let t0 = prob.student0.theta[a];
        let dc = c.net.theta[a] - t0;
        let dg = g.net.theta[a] - t0;
        assert!(
            (dc - sig[a] * dg).abs() <= 1e-15 * (1.0 + t0.abs()),
            "param {a}"
        );
    }
}

fn check_gradient(act: Activation, loss: LossKind) {
    let p = small(act, loss);
    let (prob, net) = off_solution(&p);
    let g = gradient(&net, &prob.train, act, loss);
    let h = 1e-6;
    let mut worst: f64 = 0.0;
    for a in 0..net.theta.len() {
        let mut np = net.clone();
        np.theta[a] += h;
        let mut nm = net.clone();
        nm.theta[a] -= h;
        let fd = (objective(&np, &prob.train, act, loss) - objective(&nm, &prob.train, act, loss))
            / (2.0 * h);
        worst = worst.max((fd - g[a]).abs() / (1e-3 + g[a].abs()));
    }
    assert!(worst < 1e-6, "{act:?} {loss:?}: relative error {worst}");
    // The reported ½·MSE is the objective for the MSE rule.
    if loss == LossKind::Mse {
        assert_eq!(
            objective(&net, &prob.train, act, loss),
            mse(&net, &prob.train, act)
        );
    }
}

#[test]
fn gradient_matches_finite_differences() {
    check_gradient(Activation::Tanh, LossKind::Matching);
    check_gradient(Activation::Tanh, LossKind::Mse);
    check_gradient(Activation::Linear, LossKind::Matching);
    check_gradient(Activation::Linear, LossKind::Mse);
}

fn check_jacobian(act: Activation, loss: LossKind, side: Side, f1: usize, f2: usize) {
    let mut p = small(act, loss);
    p.side = side;
    p.flipped_l1 = f1;
    p.flipped_l2 = f2;
    let (prob, net) = off_solution(&p);
    let sig = p.signs();
    let j = jacobian(&net, &prob.train, act, loss, &sig);
    let h = 1e-5;
    let pn = net.theta.len();
    let scale = j.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let mut worst: f64 = 0.0;
    for b in 0..pn {
        let mut np = net.clone();
        np.theta[b] += h;
        let mut nm = net.clone();
        nm.theta[b] -= h;
        let fp = vector_field(&np, &prob.train, act, loss, &sig);
        let fm = vector_field(&nm, &prob.train, act, loss, &sig);
        for a in 0..pn {
            let fd = (fp[a] - fm[a]) / (2.0 * h);
            worst = worst.max((fd - j[[a, b]]).abs());
        }
    }
    assert!(
        worst < 1e-7 * scale.max(1.0),
        "{act:?} {loss:?} {side:?}: {worst} (scale {scale})"
    );
    // With flips the Jacobian is not symmetric (curl), without it is −H.
    let asym = (&j - &j.t()).iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if f1 + f2 > 0 {
        assert!(
            asym > 1e-6 * scale,
            "flipped Jacobian should be non-symmetric"
        );
    } else {
        assert!(asym < 1e-12 * scale);
    }
}

#[test]
fn jacobian_matches_finite_differences_of_the_flow() {
    check_jacobian(Activation::Tanh, LossKind::Matching, Side::Col, 2, 1);
    check_jacobian(Activation::Tanh, LossKind::Mse, Side::Row, 1, 1);
    check_jacobian(Activation::Tanh, LossKind::Mse, Side::Col, 0, 0);
    check_jacobian(Activation::Linear, LossKind::Matching, Side::Col, 1, 2);
}

#[test]
fn gradient_flow_is_stable_at_the_teacher_with_explicit_zero_modes() {
    // K = M with fewer samples than parameters (zero modes the data cannot see),
    // and K > M (extra neurons with w₂ = 0: a genuine manifold of solutions).
    for (k, m, n) in [(6, 6, 20), (9, 6, 80)] {
        let p = CurlParams {
            input_dim: 5,
            teacher: m,
            student: k,
            n_train: n,
            batch_size: n,
            lr: 0.05,
            ..CurlParams::default()
        };
        let prob = Problem::new(&p).unwrap();
        let ts = prob.teacher_solution().unwrap();
        assert_eq!(mse(&ts, &prob.train, p.activation), 0.0);
        let st = stability_at(&ts, &prob.train, p.activation, p.loss, &p.signs(), true).unwrap();
        let pn = p.n_params();
        assert_eq!(st.n_params, pn);
        assert_eq!(st.zero_modes + st.normal_dim, pn);
        assert!(
            st.zero_modes > 0,
            "a solution manifold has tangent directions"
        );
        let full = st.full_eigenvalues.as_ref().unwrap();
        assert_eq!(full.len(), pn);
        let scale = full.iter().fold(0.0f64, |a, e| a.max(e.0.hypot(e.1)));
        // Normal modes: strictly negative, real (−H restricted to the normal space).
        assert!(st.stable);
        for e in &st.normal_eigenvalues {
            assert!(e.0 < -1e-10 * scale && e.1.abs() < 1e-9 * scale, "{e:?}");
        }
        // Full spectrum: Re ≤ 0, exactly P − r (numerical) zeros.
        for e in full {
            assert!(e.0 <= 1e-9 * scale, "{e:?}");
        }
        assert_eq!(st.full_zero_count, Some(st.zero_modes), "K={k}");
        // The discrete map θ ↦ θ + η F is non-expanding at this lr.
        let rho = full
            .iter()
            .map(|e| (1.0 + p.lr * e.0).hypot(p.lr * e.1))
            .fold(0.0, f64::max);
        assert!(rho <= 1.0 + 1e-9);
        // The non-zero full eigenvalues are the normal ones.
        let mut nz: Vec<f64> = full
            .iter()
            .filter(|e| e.0.hypot(e.1) > 1e-8 * scale)
            .map(|e| e.0)
            .collect();
        let mut nn: Vec<f64> = st.normal_eigenvalues.iter().map(|e| e.0).collect();
        nz.sort_by(f64::total_cmp);
        nn.sort_by(f64::total_cmp);
        assert_eq!(nz.len(), nn.len());
        for (a, b) in nz.iter().zip(&nn) {
            assert!((a - b).abs() < 1e-8 * scale, "{a} vs {b}");
        }
    }
}

/// Linear network, col and row side: the normal block equals the closed-form
/// end-to-end matrix (the authors' `−W₂W₂ᵀ D₁ − W₁ᵀ D₂ W₁`, times Σ̂).
#[test]
fn linear_normal_modes_match_closed_form() {
    for (side, d, k, f1, f2) in [
        (Side::Col, 8, 3, 8, 0),
        (Side::Col, 4, 12, 3, 5),
        (Side::Row, 5, 9, 4, 1),
        (Side::Col, 6, 6, 0, 0),
    ] {
        let p = CurlParams {
            input_dim: d,
            teacher: k,
            student: k,
            n_train: 60,
            batch_size: 60,
            side,
            flipped_l1: f1,
            flipped_l2: f2,
            activation: Activation::Linear,
            ..CurlParams::default()
        };
        let prob = Problem::new(&p).unwrap();
        let ts = prob.teacher_solution().unwrap();
        let st = stability_at(&ts, &prob.train, p.activation, p.loss, &p.signs(), false).unwrap();
        assert_eq!(st.normal_dim, d, "end-to-end map has d directions");
        let n = prob.train.len();
        let sig_hat = Array2::from_shape_fn((d, d), |(a, b)| {
            (0..n)
                .map(|m| prob.train.xi(m)[a] * prob.train.xi(m)[b])
                .sum::<f64>()
                / n as f64
        });
        let w1 = Array2::from_shape_fn((k, d), |(i, j)| ts.w1(i, j));
        let w2: Vec<f64> = (0..k).map(|i| ts.w2(i)).collect();
        let sgn = |i: usize, f: usize| if i < f { -1.0 } else { 1.0 };
        let c = match side {
            Side::Col => Array2::from_shape_fn((d, d), |(a, b)| {
                let t: f64 = (0..k).map(|i| w1[[i, a]] * sgn(i, f2) * w1[[i, b]]).sum();
                let w2n: f64 = w2.iter().map(|v| v * v).sum();
                t + if a == b { w2n * sgn(a, f1) } else { 0.0 }
            }),
            Side::Row => Array2::from_shape_fn((d, d), |(a, b)| {
                let t: f64 = (0..k).map(|i| w1[[i, a]] * w1[[i, b]]).sum();
                let w2d: f64 = (0..k).map(|i| w2[i] * w2[i] * sgn(i, f1)).sum();
                sgn(0, f2) * t + if a == b { w2d } else { 0.0 }
            }),
        };
        let a_mat = -c.dot(&sig_hat);
        let mut want = eigenvalues(&a_mat).unwrap();
        let mut got = st.normal_eigenvalues.clone();
        let key = |e: &(f64, f64)| (e.0, e.1);
        want.sort_by(|a, b| key(a).partial_cmp(&key(b)).unwrap());
        got.sort_by(|a, b| key(a).partial_cmp(&key(b)).unwrap());
        let scale = want.iter().fold(0.0f64, |m, e| m.max(e.0.hypot(e.1)));
        for (g, w) in got.iter().zip(&want) {
            assert!(
                (g.0 - w.0).abs() < 1e-8 * scale && (g.1.abs() - w.1.abs()).abs() < 1e-8 * scale,
                "{side:?} d={d} K={k}: {g:?} vs {w:?}"
            );
        }
        let max_re = want.iter().map(|e| e.0).fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(st.stable, max_re < 0.0);
    }
    // Contracting (d > K) with every input flipped: d − K directions only see
    // +‖w₂‖² Σ̂ → unstable; the critical L1 scan finds an instability.
    let p = CurlParams {
        input_dim: 8,
        teacher: 3,
        student: 3,
        n_train: 60,
        batch_size: 60,
        activation: Activation::Linear,
        ..CurlParams::default()
    };
    let prob = Problem::new(&p).unwrap();
    let ts = prob.teacher_solution().unwrap();
    let scan = critical_scan(&p, &ts, &prob.train, Layer::L1, 9).unwrap();
    assert_eq!(scan.curve[0].0, 0);
    assert!(scan.curve[0].1 < 0.0, "no flips: stable");
    assert!(scan.critical.is_some() && scan.curve.last().unwrap().1 > 0.0);
}

/// Start at the teacher solution (a fixed point), no renormalisation: the shadow
/// evolves by the linearised map θ ↦ (I + ηJ)θ, so Benettin's λ₁ per epoch must
/// approach ln ρ(I + ηJ): > 0 for an unstable flip pattern, 0 (zero modes) for GD.
#[test]
fn benettin_matches_linearised_map() {
    for (f1, f2) in [(0usize, 0usize), (8, 0)] {
        let p = CurlParams {
            input_dim: 8,
            teacher: 3,
            student: 3,
            n_train: 60,
            batch_size: 60,
            epochs: 3000,
            lr: 0.2,
            flipped_l1: f1,
            flipped_l2: f2,
            normalize: false,
            activation: Activation::Linear,
            ..CurlParams::default()
        };
        let mut prob = Problem::new(&p).unwrap();
        let ts = prob.teacher_solution().unwrap();
        prob.student0 = ts.clone();
        let sig = p.signs();
        let j = jacobian(&ts, &prob.train, p.activation, p.loss, &sig);
        let ev = eigenvalues(&j).unwrap();
        let rho = ev
            .iter()
            .map(|e| (1.0 + p.lr * e.0).hypot(p.lr * e.1))
            .fold(0.0, f64::max);
        let rule = Rule::for_params(&p, true);
        let lp = LyapunovParams {
            transient: 1,
            renorm_every: 5,
            eps_rel: 1e-9,
        };
        let mut b = Benettin::new(&p, rule.clone(), &ts, lp).unwrap();
        let tr = train(&p, &prob, rule, 0.0, 2, &mut b).unwrap();
        assert!(!tr.diverged);
        let l = b.result().expect("estimate");
        let want = rho.ln();
        assert!(
            (l.per_epoch - want).abs() < 2e-3 + 0.03 * want.abs(),
            "flips ({f1},{f2}): λ {} vs ln ρ {want}",
            l.per_epoch
        );
        if f1 > 0 {
            assert!(want > 0.01 && l.per_epoch > 0.0);
        }
        // The flow's own Hessian is the matching-loss Hessian (linear: = MSE's).
        let hm = hessian(&ts, &prob.train, p.activation, LossKind::Mse);
        let hm2 = hessian(&ts, &prob.train, p.activation, LossKind::Matching);
        assert!((&hm - &hm2).iter().all(|v| v.abs() < 1e-14));
    }
}

#[test]
fn bad_input_is_a_clear_error() {
    let p = CurlParams {
        flipped_l1: CurlParams::default().input_dim + 1,
        ..CurlParams::default()
    };
    let e = p.check().unwrap_err().to_string();
    assert!(e.contains("flipped-l1"), "{e}");
    let p = CurlParams {
        lr: f64::NAN,
        ..CurlParams::default()
    };
    assert!(p.check().unwrap_err().to_string().contains("lr"));
    let p = CurlParams {
        batch_size: CurlParams::default().n_train + 1,
        ..CurlParams::default()
    };
    assert!(p.check().unwrap_err().to_string().contains("batch-size"));
    // K < M: no teacher embedding, reported as a note, not a failure.
    let p = CurlParams {
        input_dim: 4,
        teacher: 6,
        student: 3,
        epochs: 5,
        n_train: 20,
        batch_size: 20,
        ..CurlParams::default()
    };
    let r = run(&p, &RunOptions::default()).unwrap();
    assert!(r.jacobian.is_none() && !r.notes.is_empty());
    assert!(r.train_loss.iter().all(|v| v.is_finite()));
}

/// A tiny phase diagram: the zero-flip column is GD itself (stable, never
/// faster or slower than GD), and the cells count what the units say.
#[test]
fn phase_diagram_zero_flips_is_gd() {
    use rnnscope::curl::phase::{phase_diagram, PhaseParams};
    let base = CurlParams {
        input_dim: 3,
        teacher: 6,
        student: 6,
        n_train: 20,
        batch_size: 20,
        epochs: 300,
        lr: 0.5,
        ..CurlParams::default()
    };
    let pp = PhaseParams {
        base,
        layer: Layer::L2,
        flip_fracs: vec![0.0, 0.5, 1.0],
        init_scales: vec![1.0],
        seeds: 2,
        threshold_frac: 0.05,
        lyapunov: None,
        chaos_tol: 1e-3,
    };
    assert_eq!(pp.flips(), vec![0, 3, 6]);
    let mut calls = 0;
    let d = phase_diagram(&pp, &mut |done, total| {
        calls += 1;
        assert!(done <= total);
    })
    .unwrap();
    assert_eq!(calls, 2);
    assert_eq!(d.cells.len(), 3);
    let c0 = &d.cells[0];
    assert_eq!((c0.flips, c0.n), (0, 2));
    assert_eq!(c0.faster_than_gd_frac, 0.0);
    if c0.reached_frac > 0.0 {
        assert_eq!(c0.median_speedup, Some(1.0));
    }
    if let Some(s) = c0.stable_frac_gd_solution {
        assert_eq!(s, 1.0);
    }
    assert!(d.cells.iter().all(|c| c.lyapunov.is_none()));
    let bad = PhaseParams {
        flip_fracs: vec![1.5],
        ..pp
    };
    assert!(bad.check().unwrap_err().to_string().contains("flip-fracs"));
}
