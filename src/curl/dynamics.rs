//! The learning rule as a vector field, its Jacobian, and the discrete training
//! loop of the authors' code.
//!
//! Flow (continuous time): `dθ/dt = F(θ) = −D ∇L(θ)`, `D = diag(σ)`, σ_p = ±1
//! ([`CurlParams::signs`]). With no flips D = I and this is gradient flow; with
//! flips F is not a gradient field (its Jacobian `−D H` is not symmetric), the
//! "curl" of Ninou, Kadmon & Cayco-Gajic (2025).
//!
//! Discrete rule (authors' `learning_simu_batch`): per epoch the training set is
//! shuffled (skipped for full batch) and cut into mini-batches; each batch does
//! `θ ← θ − η (B/n) D Ḡ_batch` (Ḡ the batch-mean gradient) and then, when
//! `normalize`, rescales W₁ and w₂ to their initial Frobenius norms
//! (`W *= ‖W⁰‖/‖W‖`). One epoch is thus ≈ one Euler step of size η of the flow.

use super::model::{Activation, CurlParams, Dataset, LossKind, Net, Problem};
use crate::error::{Error, Result};
use ndarray::Array2;
use rand::seq::SliceRandom;

/// Per-sample output-error factors: `r = ∂ℓ/∂a₂` and `q = ∂²ℓ/∂a₂²`.
///
/// Matching loss: `r = e`, `q = ψ'(a₂)`. MSE: `r = e ψ'(a₂)`, `q = ψ'² + e ψ''`.
#[inline]
fn output_factors(yh: f64, y: f64, act: Activation, loss: LossKind) -> (f64, f64) {
    let e = yh - y;
    match loss {
        LossKind::Matching => (e, act.df(yh)),
        LossKind::Mse => {
            let d1 = act.df(yh);
            (e * d1, d1 * d1 + e * act.d2f(yh))
        }
    }
}

/// Batch-mean gradient of the objective over the samples `batch`, written into
/// `g` (length P). `h` is scratch of length K.
///
/// `∂ℓ/∂w₂ᵢ = r hᵢ`, `∂ℓ/∂W₁ᵢⱼ = r w₂ᵢ φ'(aᵢ) xⱼ`.
///
/// # Complexity
/// O(|batch| K d).
pub fn batch_gradient(
    net: &Net,
    data: &Dataset,
    batch: &[usize],
    act: Activation,
    loss: LossKind,
    g: &mut [f64],
    h: &mut [f64],
) {
    let (d, k) = (net.d, net.k);
    g.fill(0.0);
    for &m in batch {
        let x = data.xi(m);
        let a2 = net.hidden(x, act, h);
        let (r, _) = output_factors(act.f(a2), data.y[m], act, loss);
        for i in 0..k {
            g[k * d + i] += r * h[i];
            let delta = r * net.w2(i) * act.df(h[i]);
            for (gv, xv) in g[i * d..(i + 1) * d].iter_mut().zip(x) {
                *gv += delta * xv;
            }
        }
    }
    let inv = 1.0 / batch.len() as f64;
    for v in g.iter_mut() {
        *v *= inv;
    }
}

/// Full-data gradient ∇L(θ).
pub fn gradient(net: &Net, data: &Dataset, act: Activation, loss: LossKind) -> Vec<f64> {
    let all: Vec<usize> = (0..data.len()).collect();
    let mut g = vec![0.0; net.theta.len()];
    let mut h = vec![0.0; net.k];
    batch_gradient(net, data, &all, act, loss, &mut g, &mut h);
    g
}

/// The learning-rule vector field `F(θ) = −σ ⊙ ∇L(θ)` on the full data.
pub fn vector_field(
    net: &Net,
    data: &Dataset,
    act: Activation,
    loss: LossKind,
    signs: &[f64],
) -> Vec<f64> {
    gradient(net, data, act, loss)
        .iter()
        .zip(signs)
        .map(|(g, s)| -(s * g))
        .collect()
}

/// Hessian H of the objective on the full data (P × P, symmetric):
/// `H = (1/n) Σ_μ [q_μ g_μ g_μᵀ + r_μ ∂²a₂/∂θ²]`, `g = ∂a₂/∂θ`, with
/// `∂²a₂/∂w₂ᵢ∂W₁ᵢⱼ = φ'(aᵢ) xⱼ` and `∂²a₂/∂W₁ᵢⱼ∂W₁ᵢₗ = w₂ᵢ φ''(aᵢ) xⱼ xₗ`.
///
/// # Complexity
/// O(n P²) time, O(P²) memory.
pub fn hessian(net: &Net, data: &Dataset, act: Activation, loss: LossKind) -> Array2<f64> {
    let (d, k) = (net.d, net.k);
    let p = net.theta.len();
    let mut hm = Array2::<f64>::zeros((p, p));
    let mut h = vec![0.0; k];
    let mut gv = vec![0.0; p];
    for m in 0..data.len() {
        let x = data.xi(m);
        let a2 = net.hidden(x, act, &mut h);
        let (r, q) = output_factors(act.f(a2), data.y[m], act, loss);
        for i in 0..k {
            let c = net.w2(i) * act.df(h[i]);
            for j in 0..d {
                gv[i * d + j] = c * x[j];
            }
            gv[k * d + i] = h[i];
        }
        // Gauss–Newton part, upper triangle.
        for a in 0..p {
            let qa = q * gv[a];
            if qa == 0.0 {
                continue;
            }
            let mut row = hm.row_mut(a);
            for b in a..p {
                row[b] += qa * gv[b];
            }
        }
        if r != 0.0 {
            for i in 0..k {
                let dfi = act.df(h[i]);
                let c2 = r * net.w2(i) * act.d2f(h[i]);
                for j in 0..d {
                    let a = i * d + j;
                    // (W₁ᵢⱼ, w₂ᵢ): index a < k d + i, so it sits in the upper triangle.
                    hm[[a, k * d + i]] += r * dfi * x[j];
                    if c2 != 0.0 {
                        for l in j..d {
                            hm[[a, i * d + l]] += c2 * x[j] * x[l];
                        }
                    }
                }
            }
        }
    }
    let inv = 1.0 / data.len() as f64;
    for a in 0..p {
        for b in a..p {
            let v = hm[[a, b]] * inv;
            hm[[a, b]] = v;
            hm[[b, a]] = v;
        }
    }
    hm
}

/// Jacobian of the learning-rule flow, `∂F/∂θ = −D H` (P × P).
///
/// # Complexity
/// O(n P²).
pub fn jacobian(
    net: &Net,
    data: &Dataset,
    act: Activation,
    loss: LossKind,
    signs: &[f64],
) -> Array2<f64> {
    let mut j = hessian(net, data, act, loss);
    for (a, mut row) in j.rows_mut().into_iter().enumerate() {
        let s = -signs[a];
        row.mapv_inplace(|v| s * v);
    }
    j
}

/// The update rule: plain gradient descent, or the sign-flipped (curl) rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `θ ← θ − η Ḡ` (no D at all: the baseline).
    Gradient,
    /// `θ ← θ − η (σ ⊙ Ḡ)`.
    Curl(Vec<f64>),
}

impl Rule {
    /// The curl rule for `p`'s flips, or [`Rule::Gradient`] if nothing is flipped
    /// and `force_curl` is false.
    pub fn for_params(p: &CurlParams, force_curl: bool) -> Self {
        if p.flipped_l1 == 0 && p.flipped_l2 == 0 && !force_curl {
            Rule::Gradient
        } else {
            Rule::Curl(p.signs())
        }
    }
}

/// One training trajectory's discrete dynamics (holds scratch buffers).
#[derive(Debug, Clone)]
pub struct Stepper {
    rule: Rule,
    act: Activation,
    loss: LossKind,
    lr_eff: f64,
    batch: usize,
    norms0: Option<(f64, f64)>,
    g: Vec<f64>,
    h: Vec<f64>,
}

impl Stepper {
    /// A stepper for `p` starting from `net0` (its layer norms are the ones kept
    /// fixed when `p.normalize`).
    pub fn new(p: &CurlParams, rule: Rule, net0: &Net) -> Self {
        Self {
            rule,
            act: p.activation,
            loss: p.loss,
            lr_eff: p.lr * p.batch_size as f64 / p.n_train as f64,
            batch: p.batch_size,
            norms0: p.normalize.then(|| net0.layer_norms()),
            g: vec![0.0; net0.theta.len()],
            h: vec![0.0; net0.k],
        }
    }

    /// One mini-batch step on `batch`.
    pub fn step(&mut self, net: &mut Net, data: &Dataset, batch: &[usize]) {
        batch_gradient(
            net,
            data,
            batch,
            self.act,
            self.loss,
            &mut self.g,
            &mut self.h,
        );
        let lr = self.lr_eff;
        match &self.rule {
            Rule::Gradient => {
                for (t, g) in net.theta.iter_mut().zip(&self.g) {
                    *t += -lr * g;
                }
            }
            Rule::Curl(sig) => {
                for ((t, g), s) in net.theta.iter_mut().zip(&self.g).zip(sig) {
                    *t += -lr * (s * g);
                }
            }
        }
        if let Some((n1, n2)) = self.norms0 {
            let kd = net.k * net.d;
            let (c1, c2) = net.layer_norms();
            // A zero norm would divide by 0: leave the layer as is.
            if c1 > 0.0 {
                let f = n1 / c1;
                net.theta[..kd].iter_mut().for_each(|v| *v *= f);
            }
            if c2 > 0.0 {
                let f = n2 / c2;
                net.theta[kd..].iter_mut().for_each(|v| *v *= f);
            }
        }
    }

    /// One epoch over `order` (a permutation of the training indices).
    pub fn epoch(&mut self, net: &mut Net, data: &Dataset, order: &[usize]) {
        for chunk in order.chunks(self.batch) {
            self.step(net, data, chunk);
        }
    }
}

/// Weight magnitude treated as divergence.
pub const DIVERGED: f64 = 1e50;

/// Loss curves and summary of one trajectory.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Trajectory {
    /// Epochs at which the curves were recorded (0 and ~log-spaced, last epoch included).
    pub epochs: Vec<usize>,
    /// Train ½·MSE at those epochs.
    pub train_loss: Vec<f64>,
    /// Test ½·MSE at those epochs.
    pub test_loss: Vec<f64>,
    /// First epoch after which the train ½·MSE ≤ threshold (`None`: never).
    pub time_to_threshold: Option<usize>,
    /// Weights became non-finite or exceeded [`DIVERGED`] (training stopped there).
    pub diverged: bool,
    /// The student after the last epoch (or the last finite one).
    #[serde(skip)]
    pub net: Net,
}

/// Indices at which to log: 0, then round(geomspace(1, epochs, n_log)), unique.
pub fn log_epochs(epochs: usize, n_log: usize) -> Vec<usize> {
    let mut v = vec![0usize];
    let n_log = n_log.max(2);
    let le = (epochs as f64).ln();
    for i in 0..n_log {
        let e = (le * i as f64 / (n_log - 1) as f64).exp().round() as usize;
        let e = e.clamp(1, epochs);
        if *v.last().unwrap_or(&0) < e {
            v.push(e);
        }
    }
    v
}

/// Hooks called after every epoch (e.g. the Benettin shadow trajectory).
pub trait EpochHook {
    /// Called after epoch `epoch` (1-based) with the order used for it.
    fn after_epoch(&mut self, epoch: usize, net: &Net, order: &[usize], data: &Dataset);
}

impl EpochHook for () {
    fn after_epoch(&mut self, _: usize, _: &Net, _: &[usize], _: &Dataset) {}
}

/// Train the student of `prob` with `rule` for `p.epochs` epochs.
///
/// `threshold`: train ½·MSE level for [`Trajectory::time_to_threshold`].
/// The shuffles use a clone of `prob.rng`, so two calls on the same problem see
/// the same batch sequence.
///
/// # Errors
/// Invalid parameters.
pub fn train(
    p: &CurlParams,
    prob: &Problem,
    rule: Rule,
    threshold: f64,
    n_log: usize,
    hook: &mut dyn EpochHook,
) -> Result<Trajectory> {
    p.check()?;
    if !threshold.is_finite() || threshold < 0.0 {
        return Err(Error::param("threshold", "must be finite and ≥ 0"));
    }
    let mut net = prob.student0.clone();
    let mut stepper = Stepper::new(p, rule, &net);
    let mut rng = prob.rng.clone();
    let n = prob.train.len();
    let mut order: Vec<usize> = (0..n).collect();
    let logs = log_epochs(p.epochs, n_log);
    let mut next_log = 0;
    let mut tr = Trajectory {
        epochs: vec![],
        train_loss: vec![],
        test_loss: vec![],
        time_to_threshold: None,
        diverged: false,
        net: net.clone(),
    };
    let act = p.activation;
    let l0 = super::model::mse(&net, &prob.train, act);
    if l0 <= threshold {
        tr.time_to_threshold = Some(0);
    }
    tr.epochs.push(0);
    tr.train_loss.push(l0);
    tr.test_loss.push(super::model::mse(&net, &prob.test, act));
    next_log += 1;
    let mut last_good = net.clone();
    for epoch in 1..=p.epochs {
        if p.batch_size < n {
            order.shuffle(&mut rng);
        }
        stepper.epoch(&mut net, &prob.train, &order);
        // Weights beyond 1e50 would overflow the loss (a₂² ~ ‖θ‖⁴): call it divergence.
        if net
            .theta
            .iter()
            .any(|v| !v.is_finite() || v.abs() > DIVERGED)
        {
            tr.diverged = true;
            break;
        }
        hook.after_epoch(epoch, &net, &order, &prob.train);
        let logging = next_log < logs.len() && logs[next_log] == epoch;
        if tr.time_to_threshold.is_none() || logging {
            let ltr = super::model::mse(&net, &prob.train, act);
            if tr.time_to_threshold.is_none() && ltr <= threshold {
                tr.time_to_threshold = Some(epoch);
            }
            if logging {
                tr.epochs.push(epoch);
                tr.train_loss.push(ltr);
                tr.test_loss.push(super::model::mse(&net, &prob.test, act));
                next_log += 1;
            }
        }
        last_good.theta.copy_from_slice(&net.theta);
    }
    tr.net = last_good;
    Ok(tr)
}
