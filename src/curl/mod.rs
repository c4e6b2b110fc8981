//! Curl descent: non-gradient learning dynamics from sign-diverse plasticity
//! (Ninou, Kadmon & Cayco-Gajic 2025, NeurIPS; code: GitHub
//! `caycogajiclab/Curl_Descent`).
//!
//! A two-layer student learns a teacher of the same architecture. Some neurons
//! have rule-flipped plasticity: their weight updates are sign-flipped, so the
//! update is `Δθ = −η D ∇L` with `D = diag(±1)` instead of `−η ∇L`. The flipped
//! components add a non-gradient ("curl") part to the learning flow.
//!
//! - [`model`]: network, teacher/student/data, parameters, flip signs.
//! - [`dynamics`]: the flow `F = −D∇L`, its Jacobian `−D H`, the training loop.
//! - [`stability`]: zero and normal modes of the Jacobian at a solution, the
//!   critical number of flipped neurons.
//! - [`lyapunov`]: largest Lyapunov exponent of the weight dynamics (Benettin).
//! - [`phase`]: the phase diagram over (flipped neurons, init scale).
//!
//! [`run`] is the one-call analysis behind `rnnscope curl`.

pub mod dynamics;
pub mod lyapunov;
pub mod model;
pub mod phase;
pub mod stability;

use crate::error::{check_range, Result};
use dynamics::{train, Rule};
use lyapunov::{Benettin, Lyapunov, LyapunovParams};
use model::{CurlParams, Problem};
use serde::Serialize;
use stability::{critical_scan, stability_at, CriticalScan, Layer, Stability};

/// What [`run`] computes besides the training run itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunOptions {
    /// Loss threshold as a fraction of the initial train ½·MSE (for
    /// `time_to_threshold` and `converged`).
    pub threshold_frac: f64,
    /// Estimate the largest Lyapunov exponent (None = skip).
    pub lyapunov: Option<LyapunovParams>,
    /// Eigen-analysis of the Jacobian at the teacher solution (needs K ≥ M).
    pub jacobian: bool,
    /// Also compute all P eigenvalues of the full Jacobian (P ≤ 1500).
    pub full_eigenvalues: bool,
    /// Points of the critical-flips scans at the teacher solution (0 = no scan).
    pub scan_points: usize,
    /// Also train plain gradient descent from the same start (for the speed-up).
    pub compare_gd: bool,
    /// Number of log-spaced points of the loss curves.
    pub n_log: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            threshold_frac: 0.01,
            lyapunov: Some(LyapunovParams::default()),
            jacobian: true,
            full_eigenvalues: true,
            scan_points: 21,
            compare_gd: true,
            n_log: 100,
        }
    }
}

/// The gradient-descent baseline from the same initial student, data and batches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    /// Train ½·MSE curve (same epochs as the curl run's).
    pub train_loss: Vec<f64>,
    /// Test ½·MSE curve.
    pub test_loss: Vec<f64>,
    /// First epoch with train ½·MSE ≤ threshold.
    pub time_to_threshold: Option<usize>,
    /// Final train ½·MSE.
    pub final_train_loss: f64,
    /// Final test ½·MSE.
    pub final_test_loss: f64,
}

/// Everything `rnnscope curl` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurlResult {
    /// The parameters used.
    pub params: CurlParams,
    /// Parameter count P.
    pub n_params: usize,
    /// "gradient" (no flips) or "curl".
    pub rule: &'static str,
    /// Epochs of the curve points.
    pub epochs: Vec<usize>,
    /// Train ½·MSE curve.
    pub train_loss: Vec<f64>,
    /// Test ½·MSE curve.
    pub test_loss: Vec<f64>,
    /// Final train ½·MSE.
    pub final_train_loss: f64,
    /// Final test ½·MSE.
    pub final_test_loss: f64,
    /// The loss threshold (threshold_frac × initial train ½·MSE).
    pub threshold: f64,
    /// First epoch with train ½·MSE ≤ threshold (None: not reached).
    pub time_to_threshold: Option<usize>,
    /// Final train ½·MSE ≤ threshold and weights finite.
    pub converged: bool,
    /// Weights became non-finite.
    pub diverged: bool,
    /// Plain GD from the same start (None when the run is GD or it was skipped).
    pub gd: Option<Baseline>,
    /// GD's time to threshold / the curl run's (> 1: curl faster).
    pub speedup: Option<f64>,
    /// Largest Lyapunov exponent of the weight dynamics.
    pub lyapunov: Option<Lyapunov>,
    /// Eigenvalues (re, im) of the flow's Jacobian at the teacher solution: all P
    /// when computed, else the normal modes only (the rest are zero modes).
    pub jacobian_eigenvalues: Vec<(f64, f64)>,
    /// Full analysis at the teacher solution (None when K < M or skipped).
    pub jacobian: Option<Stability>,
    /// Normal-mode analysis at the end of this run (meaningful when converged).
    pub final_point: Option<Stability>,
    /// Critical flips in layer 1 (layer 2 unflipped) at the teacher solution.
    pub critical_l1: Option<CriticalScan>,
    /// Critical flips in layer 2 (layer 1 unflipped) at the teacher solution.
    pub critical_l2: Option<CriticalScan>,
    /// Caveats (e.g. why an analysis was skipped).
    pub notes: Vec<String>,
}

/// Train the student with the curl rule of `p` and analyse it.
///
/// # Errors
/// Invalid parameters or options; numeric failures of the eigen-solvers.
///
/// # Complexity
/// Training O(epochs · n · K d) (twice with `compare_gd`, ×~1.5 with Lyapunov);
/// Jacobian O(n P² + P³).
pub fn run(p: &CurlParams, o: &RunOptions) -> Result<CurlResult> {
    p.check()?;
    check_range("threshold-frac", o.threshold_frac, 0.0, 1.0)?;
    let prob = Problem::new(p)?;
    let rule = Rule::for_params(p, false);
    let is_gd = rule == Rule::Gradient;
    let l0 = model::mse(&prob.student0, &prob.train, p.activation);
    let threshold = o.threshold_frac * l0;
    let mut notes = vec![];
    let (traj, lyap) = match o.lyapunov {
        Some(lp) => {
            let mut b = Benettin::new(p, rule.clone(), &prob.student0, lp)?;
            let t = train(p, &prob, rule, threshold, o.n_log, &mut b)?;
            (t, b.result())
        }
        None => (train(p, &prob, rule, threshold, o.n_log, &mut ())?, None),
    };
    if o.lyapunov.is_some() && lyap.is_none() {
        notes.push("lyapunov: no estimate (run too short or diverged)".into());
    }
    let gd = if o.compare_gd && !is_gd {
        let t = train(p, &prob, Rule::Gradient, threshold, o.n_log, &mut ())?;
        Some(Baseline {
            final_train_loss: model::mse(&t.net, &prob.train, p.activation),
            final_test_loss: model::mse(&t.net, &prob.test, p.activation),
            train_loss: t.train_loss,
            test_loss: t.test_loss,
            time_to_threshold: t.time_to_threshold,
        })
    } else {
        None
    };
    let speedup = match (&gd, traj.time_to_threshold) {
        (Some(g), Some(tc)) if tc > 0 => g.time_to_threshold.map(|tg| tg as f64 / tc as f64),
        _ => None,
    };
    let signs = p.signs();
    let mut jac = None;
    let (mut c1, mut c2) = (None, None);
    if o.jacobian {
        match prob.teacher_solution() {
            Some(ts) => {
                jac = Some(stability_at(
                    &ts,
                    &prob.train,
                    p.activation,
                    p.loss,
                    &signs,
                    o.full_eigenvalues,
                )?);
                if o.scan_points > 0 {
                    c1 = Some(critical_scan(p, &ts, &prob.train, Layer::L1, o.scan_points)?);
                    c2 = Some(critical_scan(p, &ts, &prob.train, Layer::L2, o.scan_points)?);
                }
            }
            None => notes.push(format!(
                "jacobian: student K = {} < teacher M = {}: the teacher is not on the student's solution manifold",
                p.student, p.teacher
            )),
        }
    }
    let final_train_loss = model::mse(&traj.net, &prob.train, p.activation);
    let final_test_loss = model::mse(&traj.net, &prob.test, p.activation);
    let converged = !traj.diverged && final_train_loss <= threshold;
    let final_point = if converged && o.jacobian {
        Some(stability_at(
            &traj.net,
            &prob.train,
            p.activation,
            p.loss,
            &signs,
            false,
        )?)
    } else {
        None
    };
    let jacobian_eigenvalues = jac
        .as_ref()
        .map(|s| {
            s.full_eigenvalues
                .clone()
                .unwrap_or_else(|| s.normal_eigenvalues.clone())
        })
        .unwrap_or_default();
    Ok(CurlResult {
        params: p.clone(),
        n_params: p.n_params(),
        rule: if is_gd { "gradient" } else { "curl" },
        epochs: traj.epochs,
        train_loss: traj.train_loss,
        test_loss: traj.test_loss,
        final_train_loss,
        final_test_loss,
        threshold,
        time_to_threshold: traj.time_to_threshold,
        converged,
        diverged: traj.diverged,
        gd,
        speedup,
        lyapunov: lyap,
        jacobian_eigenvalues,
        jacobian: jac,
        final_point,
        critical_l1: c1,
        critical_l2: c2,
        notes,
    })
}
