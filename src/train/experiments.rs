//! The poster's two experiments on motif-regularized networks (Zhang, Sun, Yao
//! & Zhang, "Functional building blocks of neural networks"):
//!
//! 1. **Noise robustness.** Train K seeds per group (e.g. Level-1-enriched and
//!    Level-3-enriched, loss = task − λ Σ_{m ∈ level} c_m(W)), then measure
//!    held-out accuracy as the input noise σ grows. Poster claim: Level-1
//!    networks keep their accuracy better.
//! 2. **Perturbation.** On a trial, add a seeded kick δ (‖δ‖ = kick·√N) to the
//!    hidden state at one step and follow ‖y_pert(t) − y(t)‖ for `horizon`
//!    steps, and the distance between perturbed and unperturbed trajectories
//!    in the top PCs of the unperturbed rates. Poster claim: Level-3 networks
//!    sustain wider deviations, Level-1 trajectories resist perturbation.
//!
//! Design: network k of every group starts from the same seed (same initial
//! W, same mini-batches), so groups differ only by the regulariser; every
//! network is tested on the same seeded trials, inputs noise draws and kicks
//! (common random numbers). Perturbed and unperturbed runs share the input and
//! the recurrent noise ξ_t, so a zero kick gives exactly zero deviation.
//! Error bars are across networks: sample sd (K − 1) and sem = sd/√K.

use super::penalty::{MotifPenalty, MotifRegSpec, WeightPenalty};
use super::rnn::RateRnn;
use super::tasks::{Task, TaskKind, MAX_STEPS};
use super::trainer::{TrainConfig, Trainer};
use crate::error::{check_range, check_size, Error, Result};
use crate::rng;
use ndarray::{Array1, Array2};
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

/// Most networks (groups × seeds) one experiment trains.
pub const MAX_NETWORKS: usize = 200;

/// Settings of both experiments. [`ExperimentParams::validate`] checks them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExperimentParams {
    /// Task every network is trained and tested on.
    #[serde(serialize_with = "ser_task")]
    pub task: TaskKind,
    /// Hidden units.
    pub n: usize,
    /// Networks per group (seeds `seed`, `seed + 1`, …, shared by the groups).
    pub seeds: usize,
    /// Adam steps per network.
    pub iters: u64,
    pub batch: usize,
    pub lr: f64,
    /// Motif-regulariser weight λ.
    pub lambda: f64,
    /// Input noise σ during training (and in the perturbation trials).
    pub input_noise: f64,
    /// First network seed.
    pub seed: u64,
    /// One motif-regularisation spec per group (`level1:+1`, `level3:+1`;
    /// `none` or empty = no regulariser).
    pub groups: Vec<String>,
    /// Input-noise levels σ of the sweep.
    pub noise_levels: Vec<f64>,
    /// Held-out trials per noise level and network.
    pub test_trials: usize,
    /// Seed of the test trials, noise and kicks.
    pub test_seed: u64,
    /// Kick size: ‖δ‖ = kick·√N (root-mean-square kick per unit).
    pub kick: f64,
    /// State index at which the kick is added.
    pub kick_step: usize,
    /// Steps followed after the kick.
    pub horizon: usize,
    /// Trials per network in the perturbation experiment.
    pub trials: usize,
    /// Kicks per trial.
    pub kicks: usize,
    /// Principal components for the latent distance.
    pub pcs: usize,
}

fn ser_task<S: serde::Serializer>(t: &TaskKind, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(t.name())
}

impl Default for ExperimentParams {
    /// Flip-flop, N = 32, 5 seeds × {level1:+1, level3:+1}, 1,500 steps of
    /// batch 16 at lr 0.02, λ = 0.001; σ ∈ {0, 0.25, …, 2}; kick 0.5 at step 50,
    /// followed 100 steps, 4 trials × 8 kicks, 3 PCs.
    fn default() -> Self {
        ExperimentParams {
            task: TaskKind::FlipFlop,
            n: 32,
            seeds: 5,
            iters: 1500,
            batch: 16,
            lr: 0.02,
            lambda: 0.001,
            input_noise: TaskKind::FlipFlop.defaults().1,
            seed: 1,
            groups: vec!["level1:+1".into(), "level3:+1".into()],
            noise_levels: vec![0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0],
            test_trials: 128,
            test_seed: 20_251_123,
            kick: 0.5,
            kick_step: 50,
            horizon: 100,
            trials: 4,
            kicks: 8,
            pcs: 3,
        }
    }
}

impl ExperimentParams {
    /// Check every setting; the error names the parameter.
    ///
    /// # Errors
    /// [`Error::Param`] for a value out of range, no groups, a bad group spec,
    /// no noise levels, or more than [`MAX_NETWORKS`] networks.
    pub fn validate(&self) -> Result<Vec<MotifRegSpec>> {
        check_size("n", self.n, 2, super::rnn::MAX_UNITS)?;
        check_size("seeds", self.seeds, 1, MAX_NETWORKS)?;
        if self.iters > 1_000_000 {
            return Err(Error::param("iters", "must be at most 1000000"));
        }
        check_size("batch", self.batch, 1, super::tasks::MAX_BATCH)?;
        check_range("lr", self.lr, 1e-9, 10.0)?;
        check_range("lambda", self.lambda, 0.0, 1e6)?;
        check_range("input_noise", self.input_noise, 0.0, 10.0)?;
        if self.groups.is_empty() {
            return Err(Error::param("groups", "give at least one group"));
        }
        if self.groups.len() * self.seeds > MAX_NETWORKS {
            return Err(Error::param(
                "seeds",
                format!(
                    "{} groups × {} seeds is more than {MAX_NETWORKS} networks",
                    self.groups.len(),
                    self.seeds
                ),
            ));
        }
        let specs = self
            .groups
            .iter()
            .map(|g| {
                let g = g.trim();
                if g.is_empty() || g.eq_ignore_ascii_case("none") {
                    Ok(MotifRegSpec::default())
                } else {
                    MotifRegSpec::parse(g)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        if self.noise_levels.is_empty() || self.noise_levels.len() > 100 {
            return Err(Error::param("noise_levels", "give 1 to 100 noise levels"));
        }
        for &s in &self.noise_levels {
            check_range("noise_levels", s, 0.0, 10.0)?;
        }
        check_size("test_trials", self.test_trials, 1, super::tasks::MAX_BATCH)?;
        check_range("kick", self.kick, 0.0, 100.0)?;
        check_size("horizon", self.horizon, 1, MAX_STEPS)?;
        check_size(
            "kick_step",
            self.kick_step,
            0,
            MAX_STEPS.saturating_sub(self.horizon),
        )?;
        check_size("trials", self.trials, 1, 256)?;
        check_size("kicks", self.kicks, 1, 256)?;
        check_size("pcs", self.pcs, 1, self.n.min(50))?;
        Ok(specs)
    }

    fn group_name(&self, g: usize) -> String {
        let s = self.groups[g].trim();
        if s.is_empty() {
            "none".into()
        } else {
            s.to_string()
        }
    }
}

/// Mean, sample standard deviation (K − 1; 0 for K = 1) and standard error
/// sd/√K of K numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanErr {
    pub mean: f64,
    pub sd: f64,
    pub sem: f64,
    pub count: usize,
}

/// [`MeanErr`] of `xs` (NaN mean for no values).
///
/// Complexity: O(K).
pub fn mean_err(xs: &[f64]) -> MeanErr {
    let k = xs.len();
    if k == 0 {
        return MeanErr {
            mean: f64::NAN,
            sd: f64::NAN,
            sem: f64::NAN,
            count: 0,
        };
    }
    let mean = xs.iter().sum::<f64>() / k as f64;
    let sd = if k > 1 {
        (xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (k - 1) as f64).sqrt()
    } else {
        0.0
    };
    MeanErr {
        mean,
        sd,
        sem: sd / (k as f64).sqrt(),
        count: k,
    }
}

/// One group's curve: per point the mean, sd and sem across its networks, and
/// every network's own values (`per_network[k][point]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupCurve {
    pub group: String,
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
    pub sem: Vec<f64>,
    pub per_network: Vec<Vec<f64>>,
}

impl GroupCurve {
    fn from_rows(group: String, rows: Vec<Vec<f64>>) -> GroupCurve {
        let len = rows.first().map_or(0, Vec::len);
        let stats: Vec<MeanErr> = (0..len)
            .map(|i| mean_err(&rows.iter().map(|r| r[i]).collect::<Vec<_>>()))
            .collect();
        GroupCurve {
            group,
            mean: stats.iter().map(|s| s.mean).collect(),
            sd: stats.iter().map(|s| s.sd).collect(),
            sem: stats.iter().map(|s| s.sem).collect(),
            per_network: rows,
        }
    }
}

/// A trained network: its group, seed, held-out accuracy at the training
/// noise, and soft motif counts by stability level 1–3 before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkSummary {
    pub group: String,
    pub seed: u64,
    pub test_accuracy: f64,
    pub levels_before: [f64; 3],
    pub levels_after: [f64; 3],
}

/// Per-group means of the motif counts by level (after training).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupLevels {
    pub group: String,
    pub levels_after: [MeanErr; 3],
    pub test_accuracy: MeanErr,
}

/// Result of the noise sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoiseSweep {
    pub noise_levels: Vec<f64>,
    pub test_trials: usize,
    /// Accuracy per noise level, one curve per group.
    pub accuracy: Vec<GroupCurve>,
}

/// Result of the perturbation experiment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Perturbation {
    /// Steps after the kick, 0 ..= horizon.
    pub steps: Vec<usize>,
    /// ‖y_pert − y‖ per step, averaged over trials and kicks.
    pub output_deviation: Vec<GroupCurve>,
    /// ‖PC(r_pert) − PC(r)‖ per step (top `pcs` PCs of the unperturbed rates).
    pub latent_distance: Vec<GroupCurve>,
    /// Per group: mean over the horizon of the output deviation.
    pub mean_output_deviation: Vec<MeanErr>,
    /// Per group: mean over the horizon of the latent distance.
    pub mean_latent_distance: Vec<MeanErr>,
    /// Per group: output deviation averaged over the last 10 steps of the horizon.
    pub late_output_deviation: Vec<MeanErr>,
}

/// Networks of all groups and their trainers, advanced in chunks.
pub struct Experiment {
    params: ExperimentParams,
    trainers: Vec<Trainer>,
    before: Vec<[f64; 3]>,
    counter: MotifPenalty,
    done: u64,
}

impl Experiment {
    /// Validate `params` and build every network (untrained).
    ///
    /// # Errors
    /// As [`ExperimentParams::validate`] and [`Trainer::new`].
    /// Complexity: O(networks · N³) for the initial motif counts.
    pub fn new(params: ExperimentParams) -> Result<Experiment> {
        let specs = params.validate()?;
        // Every group's counts use the same soft presence (threshold 1/√N).
        let counter = MotifPenalty::enrich(&MotifRegSpec::default(), params.n);
        let mut trainers = Vec::with_capacity(specs.len() * params.seeds);
        let mut before = Vec::with_capacity(trainers.capacity());
        for spec in &specs {
            for k in 0..params.seeds {
                let mut cfg = TrainConfig::new(params.task);
                cfg.n = params.n;
                cfg.batch = params.batch;
                cfg.lr = params.lr;
                cfg.input_noise = params.input_noise;
                cfg.seed = params.seed.wrapping_add(k as u64);
                let pen: Option<Box<dyn WeightPenalty>> = if spec.is_empty() {
                    None
                } else {
                    cfg.lambda = params.lambda;
                    Some(Box::new(MotifPenalty::enrich(spec, params.n)))
                };
                let t = Trainer::new(cfg, pen)?;
                before.push(counter.counts_by_level(&t.net.w)?);
                trainers.push(t);
            }
        }
        Ok(Experiment {
            params,
            trainers,
            before,
            counter,
            done: 0,
        })
    }

    pub fn params(&self) -> &ExperimentParams {
        &self.params
    }

    /// The trainers, group-major (network k of group g at `g·seeds + k`).
    pub fn trainers(&self) -> &[Trainer] {
        &self.trainers
    }

    /// Adam steps for all networks together.
    pub fn total_iterations(&self) -> u64 {
        self.trainers.len() as u64 * self.params.iters
    }

    /// Adam steps done so far.
    pub fn done_iterations(&self) -> u64 {
        self.done
    }

    pub fn is_trained(&self) -> bool {
        self.done >= self.total_iterations()
    }

    /// Up to `k` more Adam steps, network after network; returns the steps done
    /// so far (of [`Self::total_iterations`]).
    ///
    /// # Errors
    /// A network diverged.
    /// Complexity: O(k · batch · T · N²) plus O(N³) per step with a regulariser.
    pub fn advance(&mut self, k: u64) -> Result<u64> {
        let iters = self.params.iters;
        let total = self.total_iterations();
        let end = (self.done + k).min(total);
        while self.done < end {
            let net = (self.done / iters) as usize;
            self.trainers[net].step()?;
            self.done += 1;
        }
        Ok(self.done)
    }

    /// Train everything, calling `progress(done, total)` after each chunk of
    /// `chunk` steps (the CLI prints it; the page's worker posts it).
    ///
    /// # Errors
    /// As [`Self::advance`].
    pub fn train(&mut self, chunk: u64, mut progress: impl FnMut(u64, u64)) -> Result<()> {
        while !self.is_trained() {
            let d = self.advance(chunk.max(1))?;
            progress(d, self.total_iterations());
        }
        Ok(())
    }

    fn require_trained(&self) -> Result<()> {
        if self.is_trained() {
            Ok(())
        } else {
            Err(Error::param(
                "experiment",
                format!(
                    "train the networks first ({} of {} steps done)",
                    self.done,
                    self.total_iterations()
                ),
            ))
        }
    }

    fn groups(&self) -> impl Iterator<Item = (String, &[Trainer])> {
        self.trainers
            .chunks(self.params.seeds)
            .enumerate()
            .map(|(g, ts)| (self.params.group_name(g), ts))
    }

    /// Per network: group, seed, held-out accuracy (`test_trials` trials at the
    /// training noise, seed `test_seed`) and motif counts by level.
    ///
    /// # Errors
    /// Motif-count errors only. Complexity: O(networks · (N³ + trials · T · N²)).
    pub fn networks(&self) -> Result<Vec<NetworkSummary>> {
        let mut out = Vec::with_capacity(self.trainers.len());
        for (i, t) in self.trainers.iter().enumerate() {
            let (_, acc, _, _) = t.evaluate(self.params.test_trials, self.params.test_seed)?;
            out.push(NetworkSummary {
                group: self.params.group_name(i / self.params.seeds),
                seed: t.cfg.seed,
                test_accuracy: acc,
                levels_before: self.before[i],
                levels_after: self.counter.counts_by_level(&t.net.w)?,
            });
        }
        Ok(out)
    }

    /// Group means of [`Self::networks`].
    pub fn group_levels(nets: &[NetworkSummary], groups: &[String]) -> Vec<GroupLevels> {
        groups
            .iter()
            .map(|g| {
                let mine: Vec<&NetworkSummary> = nets.iter().filter(|s| &s.group == g).collect();
                let lv = |l: usize| {
                    mean_err(&mine.iter().map(|s| s.levels_after[l]).collect::<Vec<_>>())
                };
                GroupLevels {
                    group: g.clone(),
                    levels_after: [lv(0), lv(1), lv(2)],
                    test_accuracy: mean_err(
                        &mine.iter().map(|s| s.test_accuracy).collect::<Vec<_>>(),
                    ),
                }
            })
            .collect()
    }

    /// Group names in order (empty spec shown as `none`).
    pub fn group_names(&self) -> Vec<String> {
        (0..self.params.groups.len())
            .map(|g| self.params.group_name(g))
            .collect()
    }

    /// Experiment 1: accuracy at each input-noise level on `test_trials`
    /// held-out trials (same trials and noise draws for every network; at a
    /// level equal to the training noise this is [`Trainer::evaluate`]).
    ///
    /// # Errors
    /// Networks not trained yet.
    /// Complexity: O(networks · levels · trials · T · N²).
    pub fn noise_sweep(&self) -> Result<NoiseSweep> {
        self.require_trained()?;
        let p = &self.params;
        let mut curves = Vec::new();
        for (name, ts) in self.groups() {
            let mut rows = Vec::with_capacity(ts.len());
            for t in ts {
                let mut row = Vec::with_capacity(p.noise_levels.len());
                for &s in &p.noise_levels {
                    let task = Task::new(t.task.kind, t.task.steps, s)?;
                    row.push(t.evaluate_on(&task, p.test_trials, p.test_seed)?.1);
                }
                rows.push(row);
            }
            curves.push(GroupCurve::from_rows(name, rows));
        }
        Ok(NoiseSweep {
            noise_levels: p.noise_levels.clone(),
            test_trials: p.test_trials,
            accuracy: curves,
        })
    }

    /// Experiment 2: output deviation and latent (PC) distance after a kick,
    /// per step over the horizon (see the module docs).
    ///
    /// # Errors
    /// Networks not trained yet; a PCA failure.
    /// Complexity: O(networks · trials · (kicks · T · N² + T·N² + N³)).
    pub fn perturbation(&self) -> Result<Perturbation> {
        self.require_trained()?;
        let p = &self.params;
        let (mut dev, mut lat) = (Vec::new(), Vec::new());
        let (mut mdev, mut mlat, mut late) = (Vec::new(), Vec::new(), Vec::new());
        for (name, ts) in self.groups() {
            let (mut drows, mut lrows) = (Vec::new(), Vec::new());
            for t in ts {
                let (d, l) = perturb_network(&t.net, p)?;
                drows.push(d);
                lrows.push(l);
            }
            let avg = |r: &[f64]| r.iter().sum::<f64>() / r.len() as f64;
            mdev.push(mean_err(&drows.iter().map(|r| avg(r)).collect::<Vec<_>>()));
            mlat.push(mean_err(&lrows.iter().map(|r| avg(r)).collect::<Vec<_>>()));
            let tail = 10.min(p.horizon + 1);
            late.push(mean_err(
                &drows
                    .iter()
                    .map(|r| avg(&r[r.len() - tail..]))
                    .collect::<Vec<_>>(),
            ));
            dev.push(GroupCurve::from_rows(name.clone(), drows));
            lat.push(GroupCurve::from_rows(name, lrows));
        }
        Ok(Perturbation {
            steps: (0..=p.horizon).collect(),
            output_deviation: dev,
            latent_distance: lat,
            mean_output_deviation: mdev,
            mean_latent_distance: mlat,
            late_output_deviation: late,
        })
    }
}

/// Seed of item `i` of stream `tag` under `seed` (SplitMix64 finaliser).
fn sub_seed(seed: u64, tag: u64, i: u64) -> u64 {
    let mut z =
        seed ^ tag.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Run one trial of `x` (per step, 1 × inputs) on `1 + kicks.len()` copies
/// of the network that share the input and the recurrent noise ξ_t (drawn
/// from `noise_seed` exactly as [`RateRnn::forward`] draws it for one trial);
/// row 0 is unperturbed, row 1 + p gets `kicks[p]` added to h at state index
/// `kick_step`. Returns the states h_0 … h_T (each rows × N).
///
/// # Errors
/// Shape mismatch between `x`, the kicks and the network.
/// Complexity: O(T · (1 + kicks) · N²).
pub fn rollout(
    net: &RateRnn,
    x: &[Array2<f64>],
    noise_seed: u64,
    kick_step: usize,
    kicks: &[Array1<f64>],
) -> Result<Vec<Array2<f64>>> {
    let n = net.n();
    if x.iter().any(|a| a.dim() != (1, net.inputs())) || kicks.iter().any(|k| k.len() != n) {
        return Err(Error::Shape(format!(
            "rollout needs 1 × {} inputs per step and kicks of length {n}",
            net.inputs()
        )));
    }
    let rows = 1 + kicks.len();
    let a = net.alpha;
    let sd = net.noise * a.sqrt();
    let mut rng = rng::seeded(noise_seed);
    let wt = net.w.t();
    let mut h = Array2::<f64>::zeros((rows, n));
    let mut states = Vec::with_capacity(x.len() + 1);
    let kick = |h: &mut Array2<f64>| {
        for (p, k) in kicks.iter().enumerate() {
            let mut row = h.row_mut(p + 1);
            row += k;
        }
    };
    if kick_step == 0 {
        kick(&mut h);
    }
    states.push(h.clone());
    for (t, xt) in x.iter().enumerate() {
        let r = h.mapv(f64::tanh);
        // Same operation order as `RateRnn::forward` (bit-identical for one
        // row); the input drive (1 × N) is broadcast over the rows.
        let mut drive = r.dot(&wt) + &xt.dot(&net.w_in.t());
        drive += &net.b;
        h = &h * (1.0 - a) + drive * a;
        if sd > 0.0 {
            let xi: Array1<f64> = (0..n)
                .map(|_| {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    sd * z
                })
                .collect();
            h += &xi;
        }
        if t + 1 == kick_step {
            kick(&mut h);
        }
        states.push(h.clone());
    }
    Ok(states)
}

/// Output deviation and latent distance curves (length horizon + 1) of one
/// network, averaged over `p.trials` trials × `p.kicks` kicks.
fn perturb_network(net: &RateRnn, p: &ExperimentParams) -> Result<(Vec<f64>, Vec<f64>)> {
    let n = net.n();
    let steps = (p.kick_step + p.horizon).max(10);
    let task = Task::new(p.task, steps, p.input_noise)?;
    let kick_norm = p.kick * (n as f64).sqrt();
    // Kicks: the same seeded directions for every network of this size.
    let kicks: Vec<Array1<f64>> = (0..p.kicks)
        .map(|k| {
            let mut r = rng::seeded(sub_seed(p.test_seed, 3, k as u64));
            let u: Array1<f64> = (0..n)
                .map(|_| {
                    let z: f64 = StandardNormal.sample(&mut r);
                    z
                })
                .collect();
            let norm = u.dot(&u).sqrt().max(1e-300);
            u * (kick_norm / norm)
        })
        .collect();
    let mut runs = Vec::with_capacity(p.trials);
    for tr in 0..p.trials {
        let batch = task.batch(1, sub_seed(p.test_seed, 1, tr as u64))?;
        runs.push(rollout(
            net,
            &batch.x,
            sub_seed(p.test_seed, 2, tr as u64),
            p.kick_step,
            &kicks,
        )?);
    }
    // Latent space: top PCs of the unperturbed rates of all trials.
    let unpert: Vec<f64> = runs
        .iter()
        .flat_map(|st| st.iter().flat_map(|h| h.row(0).mapv(f64::tanh).to_vec()))
        .collect();
    let rows = unpert.len() / n;
    let x = Array2::from_shape_vec((rows, n), unpert)
        .map_err(|e| Error::Shape(format!("latent activity: {e}")))?;
    let comps = crate::dynamics::dimension::pca(&x, p.pcs)?.components; // k × N
    let (mut dev, mut lat) = (vec![0.0; p.horizon + 1], vec![0.0; p.horizon + 1]);
    let count = (p.trials * p.kicks) as f64;
    for st in &runs {
        for s in 0..=p.horizon {
            let r = st[p.kick_step + s].mapv(f64::tanh);
            let y = r.dot(&net.w_out.t()); // rows × outputs (b_out cancels)
            let z = r.dot(&comps.t()); // rows × k (the PCA mean cancels)
            for k in 1..r.nrows() {
                let dy = &y.row(k) - &y.row(0);
                let dz = &z.row(k) - &z.row(0);
                dev[s] += dy.dot(&dy).sqrt() / count;
                lat[s] += dz.dot(&dz).sqrt() / count;
            }
        }
    }
    Ok((dev, lat))
}

/// A trained experiment's full report: settings, networks, group motif
/// counts, and whichever experiments were asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub params: ExperimentParams,
    pub networks: Vec<NetworkSummary>,
    pub groups: Vec<GroupLevels>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<NoiseSweep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perturbation: Option<Perturbation>,
}

impl Experiment {
    /// Build the [`Report`] of a trained experiment.
    ///
    /// # Errors
    /// Not trained; as the experiments.
    pub fn report(&self, noise: bool, perturbation: bool) -> Result<Report> {
        self.require_trained()?;
        let networks = self.networks()?;
        let groups = Experiment::group_levels(&networks, &self.group_names());
        Ok(Report {
            params: self.params.clone(),
            networks,
            groups,
            noise: if noise {
                Some(self.noise_sweep()?)
            } else {
                None
            },
            perturbation: if perturbation {
                Some(self.perturbation()?)
            } else {
                None
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_err_by_hand() {
        // mean 2.5; Σ(x−m)² = 5; sd = √(5/3); sem = sd/2.
        let m = mean_err(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(m.mean, 2.5);
        assert!((m.sd - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert!((m.sem - (5.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-15);
        let one = mean_err(&[7.0]);
        assert_eq!((one.mean, one.sd, one.sem), (7.0, 0.0, 0.0));
        assert!(mean_err(&[]).mean.is_nan());
    }
}
