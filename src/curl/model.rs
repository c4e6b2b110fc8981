//! The student–teacher model of Ninou, Kadmon & Cayco-Gajic (2025), "Curl
//! Descent: Non-Gradient Learning Dynamics with Sign-Diverse Plasticity"
//! (NeurIPS 2025), as set up in the authors' code (GitHub
//! `caycogajiclab/Curl_Descent`, `Data_generation/*/phase_diag.py`).
//!
//! Network (teacher and student alike): `ŷ = ψ(w₂ · φ(W₁ x))`, input `x ∈ ℝᵈ`,
//! hidden width `K` (student) or `M` (teacher), one output; `φ = ψ = tanh` (or
//! both linear). Inputs `x ~ N(0, ½ I)` (the authors' `1/√2 · N(0,1)`), a fixed
//! training set and a fixed test set. Weights uniform,
//! `W₁ ~ U(−s/√d, s/√d)`, `w₂ ~ U(−s/√K, s/√K)` with `s` the init scale for the
//! student and `s = 1` for the teacher (authors' `initialization_type=uniform`;
//! `normal` uses the same standard deviation parameter `s/√fan_in`).
//!
//! Parameter vector θ = (W₁ row-major, K × d; then w₂, K): `P = K d + K`.

use crate::error::{check_range, check_size, Error, Result};
use crate::rng::{seeded, Rng};
use rand::Rng as _;
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

/// Hidden/output nonlinearity (the same for both layers, as in the authors' code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// `tanh` (the paper's nonlinear case).
    Tanh,
    /// Identity (the paper's analytically tractable linear case).
    Linear,
}

impl Activation {
    /// Parse `tanh` or `linear`/`lin`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "tanh" => Ok(Self::Tanh),
            "linear" | "lin" => Ok(Self::Linear),
            _ => Err(Error::param(
                "activation",
                format!("must be tanh or linear, got {s:?}"),
            )),
        }
    }
    /// φ(a).
    #[inline]
    pub fn f(self, a: f64) -> f64 {
        match self {
            Self::Tanh => a.tanh(),
            Self::Linear => a,
        }
    }
    /// φ'(a) given y = φ(a).
    #[inline]
    pub fn df(self, y: f64) -> f64 {
        match self {
            Self::Tanh => 1.0 - y * y,
            Self::Linear => 1.0,
        }
    }
    /// φ''(a) given y = φ(a).
    #[inline]
    pub fn d2f(self, y: f64) -> f64 {
        match self {
            Self::Tanh => -2.0 * y * (1.0 - y * y),
            Self::Linear => 0.0,
        }
    }
}

/// Which objective the learning rule descends (both are gradient systems when no
/// neuron is flipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LossKind {
    /// The authors' rule: the output error `e = ŷ − y` is back-propagated
    /// without the output derivative ψ'(a₂) (`da2 = e` in their code). That is
    /// exact gradient descent on the matching loss `ℓ = Ψ(a₂) − y a₂`, `Ψ' = ψ`
    /// (`log cosh a₂ − y a₂` for tanh, `½(a₂ − y)²` + const for linear).
    Matching,
    /// Gradient of the mean squared error `ℓ = ½(ŷ − y)²` (includes ψ'(a₂)).
    Mse,
}

impl LossKind {
    /// Parse `matching` or `mse`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "matching" => Ok(Self::Matching),
            "mse" => Ok(Self::Mse),
            _ => Err(Error::param(
                "loss",
                format!("must be matching or mse, got {s:?}"),
            )),
        }
    }
}

/// Side of the weight update the sign flip acts on (authors' `modification_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Postsynaptic: `ΔW = −η D G` (rows). Layer 1 flips hidden neurons (≤ K),
    /// layer 2 flips the output neuron (≤ 1).
    Row,
    /// Presynaptic: `ΔW = −η G D` (columns). Layer 1 flips input neurons (≤ d),
    /// layer 2 flips hidden neurons (≤ K).
    Col,
}

impl Side {
    /// Parse `row` or `col`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "row" => Ok(Self::Row),
            "col" => Ok(Self::Col),
            _ => Err(Error::param(
                "side",
                format!("must be row or col, got {s:?}"),
            )),
        }
    }
}

/// Weight initialisation family (authors' `initialization_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InitKind {
    /// `U(−s/√fan_in, s/√fan_in)`.
    Uniform,
    /// `N(0, (s/√fan_in)²)`.
    Normal,
}

impl InitKind {
    /// Parse `uniform` or `normal`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "uniform" => Ok(Self::Uniform),
            "normal" => Ok(Self::Normal),
            _ => Err(Error::param(
                "init",
                format!("must be uniform or normal, got {s:?}"),
            )),
        }
    }
}

/// Everything that defines one curl-descent run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurlParams {
    /// Input dimension d.
    pub input_dim: usize,
    /// Teacher hidden width M.
    pub teacher: usize,
    /// Student hidden width K.
    pub student: usize,
    /// Number of rule-flipped neurons in layer 1 (the first ones, as the authors).
    pub flipped_l1: usize,
    /// Number of rule-flipped neurons in layer 2.
    pub flipped_l2: usize,
    /// Side the flip acts on.
    pub side: Side,
    /// Student init scale s (authors' `init_range`).
    pub init_scale: f64,
    /// Initialisation family.
    pub init: InitKind,
    /// Learning rate η per epoch (authors' `learning_rate`; each mini-batch step
    /// uses `η · batch / n_train`, so one epoch ≈ one Euler step of size η).
    pub lr: f64,
    /// Training epochs.
    pub epochs: usize,
    /// Mini-batch size (`n_train` = full batch; 1 = online).
    pub batch_size: usize,
    /// Training set size.
    pub n_train: usize,
    /// Test set size.
    pub n_test: usize,
    /// Nonlinearity.
    pub activation: Activation,
    /// Objective whose gradient the rule follows (before the flips).
    pub loss: LossKind,
    /// Rescale ‖W₁‖_F and ‖w₂‖ to their initial values after every step (authors' code).
    pub normalize: bool,
    /// Seed (teacher, student, data, shuffles).
    pub seed: u64,
}

impl Default for CurlParams {
    fn default() -> Self {
        Self {
            input_dim: 10,
            teacher: 40,
            student: 40,
            flipped_l1: 0,
            flipped_l2: 0,
            side: Side::Col,
            init_scale: 1.0,
            init: InitKind::Uniform,
            lr: 0.1,
            epochs: 2000,
            batch_size: 250,
            n_train: 250,
            n_test: 100,
            activation: Activation::Tanh,
            loss: LossKind::Matching,
            normalize: true,
            seed: 1,
        }
    }
}

/// Largest parameter count accepted (keeps the O(P²) Hessian and O(P³) eigen-solve bounded).
pub const MAX_PARAMS: usize = 20_000;

impl CurlParams {
    /// Validate every field, naming the offending parameter.
    ///
    /// # Errors
    /// [`Error::Param`] for sizes out of range, flips exceeding the layer size on the
    /// chosen side, non-finite or non-positive scales and rates.
    pub fn check(&self) -> Result<()> {
        check_size("input-dim", self.input_dim, 1, 10_000)?;
        check_size("teacher", self.teacher, 1, 10_000)?;
        check_size("student", self.student, 1, 10_000)?;
        let p = self.student * self.input_dim + self.student;
        if p > MAX_PARAMS {
            return Err(Error::TooLarge {
                what: "student parameter count (student × (input-dim + 1))",
                got: p,
                limit: MAX_PARAMS,
            });
        }
        let (m1, m2) = self.flip_capacity();
        if self.flipped_l1 > m1 {
            return Err(Error::param(
                "flipped-l1",
                format!(
                    "at most {m1} on side {:?}, got {}",
                    self.side, self.flipped_l1
                ),
            ));
        }
        if self.flipped_l2 > m2 {
            return Err(Error::param(
                "flipped-l2",
                format!(
                    "at most {m2} on side {:?}, got {}",
                    self.side, self.flipped_l2
                ),
            ));
        }
        check_range("init-scale", self.init_scale, 1e-6, 1e3)?;
        check_range("lr", self.lr, 1e-9, 100.0)?;
        check_size("epochs", self.epochs, 1, 10_000_000)?;
        check_size("n-train", self.n_train, 1, 1_000_000)?;
        check_size("n-test", self.n_test, 1, 1_000_000)?;
        check_size("batch-size", self.batch_size, 1, self.n_train)?;
        Ok(())
    }

    /// Parameter count P = K d + K.
    pub fn n_params(&self) -> usize {
        self.student * self.input_dim + self.student
    }

    /// How many neurons can be flipped in (layer 1, layer 2) on the chosen side.
    pub fn flip_capacity(&self) -> (usize, usize) {
        match self.side {
            Side::Row => (self.student, 1),
            Side::Col => (self.input_dim, self.student),
        }
    }

    /// The diagonal of D over θ: σ_p ∈ {+1, −1}. Row side: W₁[i,·] has the sign of
    /// hidden neuron i, all of w₂ the sign of the output. Col side: W₁[·,j] has the
    /// sign of input j, w₂[i] the sign of hidden neuron i. The first
    /// `flipped_l*` neurons are the flipped ones (authors' convention).
    pub fn signs(&self) -> Vec<f64> {
        let (d, k) = (self.input_dim, self.student);
        let s = |idx: usize, n_flip: usize| if idx < n_flip { -1.0 } else { 1.0 };
        let mut sig = Vec::with_capacity(self.n_params());
        for i in 0..k {
            for j in 0..d {
                sig.push(match self.side {
                    Side::Row => s(i, self.flipped_l1),
                    Side::Col => s(j, self.flipped_l1),
                });
            }
        }
        for i in 0..k {
            sig.push(match self.side {
                Side::Row => s(0, self.flipped_l2),
                Side::Col => s(i, self.flipped_l2),
            });
        }
        sig
    }
}

/// A two-layer network `ŷ = ψ(w₂ · φ(W₁ x))`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Net {
    /// Input dimension d.
    pub d: usize,
    /// Hidden width.
    pub k: usize,
    /// θ = (W₁ row-major k × d, then w₂ of length k).
    pub theta: Vec<f64>,
}

impl Net {
    /// Random weights: W₁ entries with scale `s/√d`, w₂ entries with scale `s/√k`.
    pub fn random(d: usize, k: usize, s: f64, init: InitKind, rng: &mut Rng) -> Result<Self> {
        let mut theta = Vec::with_capacity(k * d + k);
        let draw = |scale: f64, rng: &mut Rng| -> Result<f64> {
            Ok(match init {
                InitKind::Uniform => rng.random_range(-scale..=scale),
                InitKind::Normal => Normal::new(0.0, scale)
                    .map_err(|e| Error::param("init-scale", e.to_string()))?
                    .sample(rng),
            })
        };
        let s1 = s / (d as f64).sqrt();
        let s2 = s / (k as f64).sqrt();
        for _ in 0..k * d {
            theta.push(draw(s1, rng)?);
        }
        for _ in 0..k {
            theta.push(draw(s2, rng)?);
        }
        Ok(Self { d, k, theta })
    }

    /// W₁[i, j].
    #[inline]
    pub fn w1(&self, i: usize, j: usize) -> f64 {
        self.theta[i * self.d + j]
    }

    /// w₂[i].
    #[inline]
    pub fn w2(&self, i: usize) -> f64 {
        self.theta[self.k * self.d + i]
    }

    /// Forward pass for one input: fills `h` (length k) and returns `a₂ = w₂ · h`.
    pub fn hidden(&self, x: &[f64], act: Activation, h: &mut [f64]) -> f64 {
        let (d, k) = (self.d, self.k);
        let mut a2 = 0.0;
        let (w1, w2) = self.theta.split_at(k * d);
        for ((hi, row), w2i) in h.iter_mut().zip(w1.chunks_exact(d)).zip(w2) {
            let a: f64 = row.iter().zip(x).map(|(w, xv)| w * xv).sum();
            *hi = act.f(a);
            a2 += w2i * *hi;
        }
        a2
    }

    /// Output ŷ for one input.
    pub fn output(&self, x: &[f64], act: Activation) -> f64 {
        let mut h = vec![0.0; self.k];
        act.f(self.hidden(x, act, &mut h))
    }

    /// Squared-norms (‖W₁‖_F, ‖w₂‖).
    pub fn layer_norms(&self) -> (f64, f64) {
        let kd = self.k * self.d;
        let n1 = self.theta[..kd].iter().map(|v| v * v).sum::<f64>().sqrt();
        let n2 = self.theta[kd..].iter().map(|v| v * v).sum::<f64>().sqrt();
        (n1, n2)
    }
}

/// Inputs (rows of length d) and teacher targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Inputs, `n × d`, row-major.
    pub x: Vec<f64>,
    /// Teacher outputs, length n.
    pub y: Vec<f64>,
    /// Input dimension.
    pub d: usize,
}

impl Dataset {
    /// `n` inputs `x ~ N(0, ½ I)` labelled by `teacher`.
    pub fn sample(n: usize, teacher: &Net, act: Activation, rng: &mut Rng) -> Result<Self> {
        let d = teacher.d;
        let g = Normal::new(0.0, std::f64::consts::FRAC_1_SQRT_2)
            .map_err(|e| Error::Numeric(e.to_string()))?;
        let x: Vec<f64> = (0..n * d).map(|_| g.sample(rng)).collect();
        let y = (0..n)
            .map(|m| teacher.output(&x[m * d..(m + 1) * d], act))
            .collect();
        Ok(Self { x, y, d })
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// True when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// Input μ.
    #[inline]
    pub fn xi(&self, m: usize) -> &[f64] {
        &self.x[m * self.d..(m + 1) * self.d]
    }
}

/// Teacher, student at initialisation, train and test sets: everything a run
/// draws from its seed, in a fixed order (teacher, student, train, test, then
/// the shuffles).
#[derive(Debug, Clone)]
pub struct Problem {
    /// The teacher network (scale 1).
    pub teacher: Net,
    /// The student at initialisation.
    pub student0: Net,
    /// Training set.
    pub train: Dataset,
    /// Test set.
    pub test: Dataset,
    /// The RNG after drawing the above (drives the mini-batch shuffles).
    pub rng: Rng,
}

impl Problem {
    /// Draw a problem from `p.seed`.
    ///
    /// # Errors
    /// Invalid parameters ([`CurlParams::check`]).
    pub fn new(p: &CurlParams) -> Result<Self> {
        p.check()?;
        let mut rng = seeded(p.seed);
        let teacher = Net::random(p.input_dim, p.teacher, 1.0, p.init, &mut rng)?;
        let student0 = Net::random(p.input_dim, p.student, p.init_scale, p.init, &mut rng)?;
        let train = Dataset::sample(p.n_train, &teacher, p.activation, &mut rng)?;
        let test = Dataset::sample(p.n_test, &teacher, p.activation, &mut rng)?;
        Ok(Self {
            teacher,
            student0,
            train,
            test,
            rng,
        })
    }

    /// A point on the student's solution manifold built from the teacher: the
    /// first M hidden units copy the teacher, the other K − M keep their initial
    /// input weights and get output weight 0 (so they do not change ŷ).
    /// `None` when K < M (no exact embedding).
    pub fn teacher_solution(&self) -> Option<Net> {
        let (d, k, m) = (self.student0.d, self.student0.k, self.teacher.k);
        if k < m {
            return None;
        }
        let mut th = self.student0.theta.clone();
        th[..m * d].copy_from_slice(&self.teacher.theta[..m * d]);
        for i in 0..k {
            th[k * d + i] = if i < m { self.teacher.w2(i) } else { 0.0 };
        }
        Some(Net { d, k, theta: th })
    }
}

/// ½ mean (ŷ − y)² over a dataset (the authors' `error`).
pub fn mse(net: &Net, data: &Dataset, act: Activation) -> f64 {
    let n = data.len();
    let mut h = vec![0.0; net.k];
    let mut s = 0.0;
    for m in 0..n {
        let yh = act.f(net.hidden(data.xi(m), act, &mut h));
        let e = yh - data.y[m];
        s += e * e;
    }
    0.5 * s / n as f64
}

/// The objective the rule descends (see [`LossKind`]): mean over the dataset of
/// `½(ŷ − y)²` (MSE) or `Ψ(a₂) − y a₂ − (Ψ(a₂*) − y a₂*)` (matching, shifted by
/// its per-sample minimum so it is ≥ 0 and 0 at the teacher; `a₂* = ψ⁻¹(y)`).
pub fn objective(net: &Net, data: &Dataset, act: Activation, loss: LossKind) -> f64 {
    if loss == LossKind::Mse {
        return mse(net, data, act);
    }
    let n = data.len();
    let mut h = vec![0.0; net.k];
    let big_psi = |a: f64| match act {
        // log cosh a, computed stably.
        Activation::Tanh => a.abs() + (-2.0 * a.abs()).exp().ln_1p() - std::f64::consts::LN_2,
        Activation::Linear => 0.5 * a * a,
    };
    let mut s = 0.0;
    for m in 0..n {
        let a2 = net.hidden(data.xi(m), act, &mut h);
        let y = data.y[m];
        let astar = match act {
            Activation::Tanh => y.atanh(),
            Activation::Linear => y,
        };
        s += (big_psi(a2) - y * a2) - (big_psi(astar) - y * astar);
    }
    s / n as f64
}
