//! Tests of [`super`] (the simulator and the linear closed form).

use super::*;
use crate::ensembles;

#[test]
fn rotation_closed_form_by_hand() {
    // dx/dt = [[−0.1, −2],[2, −0.1]] x: x(t) = e^{−0.1t} R(2t) x0.
    let a = ndarray::array![[-0.1, -2.0], [2.0, -0.1]];
    let t = 1.3f64;
    let x = linear_closed_form(&a, &[1.0, 0.0], &[t]).unwrap();
    let d = (-0.1 * t).exp();
    assert!((x[[0, 0]] - d * (2.0 * t).cos()).abs() < 1e-10);
    assert!((x[[0, 1]] - d * (2.0 * t).sin()).abs() < 1e-10);
}

#[test]
fn linear_network_matches_closed_form() {
    // Linear φ, no noise: dh/dt = (−I/τ + W) h. Euler has global error O(dt).
    let n = 30;
    let tau = 1.0;
    let w = ensembles::gaussian(n, 0.8, 2).unwrap();
    let mut a = w.clone();
    for i in 0..n {
        a[[i, i]] -= 1.0 / tau;
    }
    let h0 = Simulator::random_state(n, 1.0, 3);
    let params = Params {
        tau,
        dt: 1e-4,
        sigma: 0.0,
        phi: Activation::Linear,
    };
    let mut sim = Simulator::new(w, h0.clone(), params, Input::None, 1).unwrap();
    let rec = sim.record(4, 5000).unwrap(); // t = 0.5, 1, 1.5, 2
    let exact = linear_closed_form(&a, &h0, &[0.5, 1.0, 1.5, 2.0]).unwrap();
    let err = (&rec - &exact).iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let scale = exact.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(err < 1e-3 * scale, "max error {err} (scale {scale})");
    // Halving dt halves the error (first-order method): a test that can fail.
    let mut sim2 = Simulator::new(
        ensembles::gaussian(n, 0.8, 2).unwrap(),
        h0,
        Params { dt: 5e-5, ..params },
        Input::None,
        1,
    )
    .unwrap();
    let rec2 = sim2.record(4, 10000).unwrap();
    let err2 = (&rec2 - &exact).iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert!((err / err2 - 2.0).abs() < 0.2, "order: {err} / {err2}");
}

#[test]
fn ou_noise_variance() {
    // W = 0, linear: dh = −h/τ dt + σ dB → stationary variance σ²τ/2.
    let n = 400;
    let (tau, sigma) = (0.5, 0.8);
    let params = Params {
        tau,
        dt: 0.005,
        sigma,
        phi: Activation::Linear,
    };
    let mut sim =
        Simulator::new(Array2::zeros((n, n)), vec![0.0; n], params, Input::None, 7).unwrap();
    sim.step(1000).unwrap();
    let rec = sim.record(200, 20).unwrap();
    let var = rec.iter().map(|v| v * v).sum::<f64>() / rec.len() as f64;
    // Euler–Maruyama's exact stationary variance: σ²dt / (1 − (1−dt/τ)²).
    let q = 1.0 - params.dt / tau;
    let expect = sigma * sigma * params.dt / (1.0 - q * q);
    assert!(
        (var / expect - 1.0).abs() < 0.03,
        "variance {var} vs {expect}"
    );
}

#[test]
fn inputs_and_errors() {
    // Constant input c, W = 0: h → τ c.
    let p = Params {
        tau: 2.0,
        dt: 0.01,
        sigma: 0.0,
        phi: Activation::Tanh,
    };
    let mut sim = Simulator::new(
        Array2::zeros((2, 2)),
        vec![0.0; 2],
        p,
        Input::Constant(vec![1.0, -0.5]),
        0,
    )
    .unwrap();
    sim.step(5000).unwrap();
    assert!((sim.state()[0] - 2.0).abs() < 1e-6 && (sim.state()[1] + 1.0).abs() < 1e-6);
    // Pulses: on for the first half of each period.
    let inp = Input::Pulses {
        amplitude: vec![1.0],
        period: 1.0,
        width: 0.5,
    };
    let mut s = Simulator::new(
        Array2::zeros((1, 1)),
        vec![0.0],
        Params {
            tau: 1e6,
            dt: 0.001,
            ..p
        },
        inp,
        0,
    )
    .unwrap();
    s.step(2000).unwrap();
    assert!((s.state()[0] - 1.0).abs() < 0.01, "{}", s.state()[0]);
    // Series: held piecewise constant.
    let data = ndarray::array![[1.0], [3.0]];
    let mut s = Simulator::new(
        Array2::zeros((1, 1)),
        vec![0.0],
        Params {
            tau: 1e6,
            dt: 0.001,
            ..p
        },
        Input::Series { dt: 1.0, data },
        0,
    )
    .unwrap();
    s.step(2000).unwrap();
    assert!((s.state()[0] - 4.0).abs() < 0.01, "{}", s.state()[0]);
    assert!(Simulator::new(Array2::zeros((2, 2)), vec![0.0], p, Input::None, 0).is_err());
    assert!(Simulator::new(
        Array2::zeros((2, 2)),
        vec![0.0; 2],
        Params { dt: 5.0, ..p },
        Input::None,
        0
    )
    .is_err());
    assert!(Simulator::new(
        Array2::zeros((2, 2)),
        vec![0.0; 2],
        p,
        Input::Constant(vec![1.0]),
        0
    )
    .is_err());
    // Unstable linear network → an error, not NaN.
    let w = ndarray::array![[50.0]];
    let mut s = Simulator::new(
        w,
        vec![1.0],
        Params {
            phi: Activation::Linear,
            dt: 0.1,
            ..p
        },
        Input::None,
        0,
    )
    .unwrap();
    let e = s.step(100_000).unwrap_err();
    assert!(e.to_string().contains("diverged"), "{e}");
    assert!(Activation::parse("cube").is_err());
}

#[test]
fn derivatives_match_finite_differences() {
    for phi in [
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Relu,
        Activation::Linear,
    ] {
        for &x in &[-1.3, 0.4, 2.0] {
            let fd = (phi.f(x + 1e-6) - phi.f(x - 1e-6)) / 2e-6;
            assert!((fd - phi.df(x)).abs() < 1e-6, "{phi:?} at {x}");
        }
    }
}

#[test]
fn pow2_recip_only_for_exact_reciprocals() {
    assert_eq!(pow2_recip(1.0), Some(1.0));
    assert_eq!(pow2_recip(0.25), Some(4.0));
    assert_eq!(pow2_recip(1024.0), Some(1.0 / 1024.0));
    for tau in [3.0, 0.1, 1.5, 1e-6, f64::MIN_POSITIVE / 4.0] {
        assert_eq!(pow2_recip(tau), None, "tau = {tau}");
    }
    // Where it applies, h·(1/τ) is h/τ to the bit, subnormals included.
    for tau in [0.5, 2.0, 64.0] {
        let inv = pow2_recip(tau).unwrap();
        for h in [1.0, -3.3, 1e-308, 4.9e-324, 7.1e300, 0.1 + 0.2] {
            assert_eq!((h * inv).to_bits(), (h / tau).to_bits(), "{h} / {tau}");
        }
    }
}
