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

pub use super::curves::{mean_err, GroupCurve, MeanErr};
use super::groups::{GroupKind, WeightStats};
use super::penalty::{MotifPenalty, MotifRegSpec, WeightPenalty};
use super::perturb::perturb_network;
pub use super::perturb::{rollout, trajectories, Trajectories};
use super::tasks::{Task, TaskKind, MAX_STEPS};
use super::trainer::{TrainConfig, Trainer};
use crate::error::{check_range, check_size, Error, Result};
use crate::significance::{pairwise_tests, PairTest};
use serde::{Deserialize, Serialize};

/// Which noise the sweep of experiment 1 varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NoiseKind {
    /// Noise added to the task input x(t) (the task's own input noise).
    #[default]
    Input,
    /// The poster's η_i(t) in the hidden state: h += σ√α ξ per Euler step.
    Recurrent,
}

impl NoiseKind {
    /// Parse `input` or `recurrent`.
    ///
    /// # Errors
    /// [`Error::Param`] (`noise-kind`) otherwise.
    pub fn parse(s: &str) -> Result<NoiseKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "input" => Ok(NoiseKind::Input),
            "recurrent" | "rec" => Ok(NoiseKind::Recurrent),
            other => Err(Error::param(
                "noise-kind",
                format!("`{other}`: expected input or recurrent"),
            )),
        }
    }
}

/// Most networks (groups × seeds) one experiment trains.
pub const MAX_NETWORKS: usize = 200;

/// Settings of both experiments. [`ExperimentParams::validate`] checks them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExperimentParams {
    /// Task every network is trained and tested on.
    #[serde(serialize_with = "ser_task", deserialize_with = "de_task")]
    pub task: TaskKind,
    /// Hidden units.
    pub n: usize,
    /// Networks per group (seeds `seed`, `seed + 1`, …, shared by the groups).
    pub seeds: usize,
    /// Adam steps per network.
    pub iters: u64,
    /// Trials per mini-batch.
    pub batch: usize,
    /// Adam learning rate.
    pub lr: f64,
    /// Motif-regulariser weight λ.
    pub lambda: f64,
    /// Input noise σ during training (and in the perturbation trials).
    pub input_noise: f64,
    /// Recurrent noise σ during training: η_i(t) in the hidden state, σ√α
    /// per Euler step (α = dt/τ, time in units of τ), also used in the
    /// perturbation trials and, for `noise_kind = input`, in the sweep.
    pub rec_noise: f64,
    /// Which noise the sweep varies.
    pub noise_kind: NoiseKind,
    /// Permutations per permutation test (0 = none).
    pub permutations: usize,
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

fn de_task<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<TaskKind, D::Error> {
    let s = String::deserialize(d)?;
    TaskKind::parse(&s).map_err(serde::de::Error::custom)
}

fn ser_task<S: serde::Serializer>(t: &TaskKind, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(t.name())
}

impl Default for ExperimentParams {
    /// Flip-flop, N = 32, 5 seeds × {level1:+1, level3:+1}, 1,500 steps of
    /// batch 16 at lr 0.02, λ = 0.001, recurrent noise 0.05; input-noise
    /// sweep σ ∈ {0, 0.25, …, 2}; kick 0.5 at step 50, followed 100 steps,
    /// 4 trials × 8 kicks, 3 PCs; 2,000 permutations.
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
            rec_noise: 0.05,
            noise_kind: NoiseKind::Input,
            permutations: 2000,
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
    /// Parameters from a JSON object with the keys of the report's `params`
    /// (the page's settings): missing keys take [`Default`], except a missing
    /// `input_noise`, which is the task's default (as the CLI's flag).
    ///
    /// # Errors
    /// [`Error::Param`] naming an unknown key or a value of the wrong type.
    pub fn from_json(v: serde_json::Value) -> Result<ExperimentParams> {
        let given = v.get("input_noise").is_some_and(|x| !x.is_null());
        let mut p: ExperimentParams = serde_json::from_value(v)
            .map_err(|e| Error::param("experiment parameters", e.to_string()))?;
        if !given {
            p.input_noise = p.task.defaults().1;
        }
        Ok(p)
    }

    /// Check every setting; the error names the parameter.
    ///
    /// # Errors
    /// [`Error::Param`] for a value out of range, no groups, a bad group spec,
    /// no noise levels, or more than [`MAX_NETWORKS`] networks.
    pub fn validate(&self) -> Result<Vec<GroupKind>> {
        check_size("n", self.n, 2, super::rnn::MAX_UNITS)?;
        check_size("seeds", self.seeds, 1, MAX_NETWORKS)?;
        if self.iters > 1_000_000 {
            return Err(Error::param("iters", "must be at most 1000000"));
        }
        check_size("batch", self.batch, 1, super::tasks::MAX_BATCH)?;
        check_range("lr", self.lr, 1e-9, 10.0)?;
        check_range("lambda", self.lambda, 0.0, 1e6)?;
        check_range("input_noise", self.input_noise, 0.0, 10.0)?;
        check_range("rec_noise", self.rec_noise, 0.0, 10.0)?;
        check_size("permutations", self.permutations, 0, 1_000_000)?;
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
            .map(|g| GroupKind::parse(g))
            .collect::<Result<Vec<_>>>()?;
        GroupKind::reference(&specs)?;
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

    /// Name of group `g` as reports show it (an empty spec is `none`).
    pub fn group_name(&self, g: usize) -> String {
        let s = self.groups[g].trim();
        if s.is_empty() {
            "none".into()
        } else {
            s.to_string()
        }
    }
}

/// A trained network: its group, seed, held-out accuracy at the training
/// noise, soft motif counts by stability level 1–3 before and after, and its
/// weight statistics after training.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkSummary {
    /// Group name.
    pub group: String,
    /// Network seed.
    pub seed: u64,
    /// Held-out accuracy at the training noise.
    pub test_accuracy: f64,
    /// Soft motif counts by level before training.
    pub levels_before: [f64; 3],
    /// Soft motif counts by level after training.
    pub levels_after: [f64; 3],
    /// ‖W‖_F, spectral radius and density after training.
    pub weights: WeightStats,
}

/// Per-group summaries after training: motif counts by level, accuracy and
/// weight statistics (‖W‖_F, spectral radius, density above the presence
/// threshold) with error bars across networks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupLevels {
    /// Group name.
    pub group: String,
    /// Soft motif counts by level 1–3.
    pub levels_after: [MeanErr; 3],
    /// Held-out accuracy at the training noise.
    pub test_accuracy: MeanErr,
    /// ‖W‖_F.
    pub frobenius: MeanErr,
    /// Spectral radius of W.
    pub spectral_radius: MeanErr,
    /// Fraction of off-diagonal |W_ij| above the presence threshold.
    pub density: MeanErr,
    /// The ‖W‖_F target of a matched group (None otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub norm_target: Option<f64>,
}

/// Result of the noise sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoiseSweep {
    /// Which noise is varied.
    pub noise_kind: NoiseKind,
    /// The σ values.
    pub noise_levels: Vec<f64>,
    /// Held-out trials per level and network.
    pub test_trials: usize,
    /// Accuracy per noise level, one curve per group.
    pub accuracy: Vec<GroupCurve>,
    /// Welch and permutation tests per level and pair of groups, Holm across
    /// levels within each pair.
    pub tests: Vec<PairTest>,
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
    /// Tests of the output deviation per step (level = step after the kick),
    /// Holm across steps within each pair.
    pub tests: Vec<PairTest>,
    /// Tests of the latent distance per step, Holm across steps.
    pub latent_tests: Vec<PairTest>,
}

/// Networks of all groups and their trainers, advanced in chunks.
pub struct Experiment {
    params: ExperimentParams,
    kinds: Vec<GroupKind>,
    trainers: Vec<Trainer>,
    /// Training order: every non-matched network, then the matched ones (their
    /// norm target is the trained reference group's mean ‖W‖_F).
    order: Vec<usize>,
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
        let kinds = params.validate()?;
        // Every group's counts use the same soft presence (threshold 1/√N).
        let counter = MotifPenalty::enrich(&MotifRegSpec::default(), params.n);
        let mut trainers = Vec::with_capacity(kinds.len() * params.seeds);
        let mut before = Vec::with_capacity(trainers.capacity());
        for kind in &kinds {
            for k in 0..params.seeds {
                let mut cfg = TrainConfig::new(params.task);
                cfg.n = params.n;
                cfg.batch = params.batch;
                cfg.lr = params.lr;
                cfg.input_noise = params.input_noise;
                cfg.rec_noise = params.rec_noise;
                cfg.seed = params.seed.wrapping_add(k as u64);
                let pen: Option<Box<dyn WeightPenalty>> = match kind {
                    GroupKind::Motif(spec) if !spec.is_empty() => {
                        cfg.lambda = params.lambda;
                        Some(Box::new(MotifPenalty::enrich(spec, params.n)))
                    }
                    _ => None,
                };
                let t = Trainer::new(cfg, pen)?;
                before.push(counter.counts_by_level(&t.net.w)?);
                trainers.push(t);
            }
        }
        let seeds = params.seeds;
        let matched = |i: &usize| kinds[i / seeds] == GroupKind::Matched;
        let mut order: Vec<usize> = (0..trainers.len()).filter(|i| !matched(i)).collect();
        order.extend((0..trainers.len()).filter(matched));
        Ok(Experiment {
            params,
            kinds,
            trainers,
            order,
            before,
            counter,
            done: 0,
        })
    }

    /// The validated settings.
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

    /// Whether every network has had all its steps.
    pub fn is_trained(&self) -> bool {
        self.done >= self.total_iterations()
    }

    /// Mean ‖W‖_F of the reference group's (trained) networks.
    fn reference_norm(&self) -> Result<f64> {
        let g = GroupKind::reference(&self.kinds)?
            .ok_or_else(|| Error::param("groups", "no reference group for `matched`"))?;
        let s = self.params.seeds;
        let norms: Vec<f64> = self.trainers[g * s..(g + 1) * s]
            .iter()
            .map(|t| super::groups::frobenius(&t.net.w))
            .collect();
        Ok(mean_err(&norms).mean)
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
            let net = self.order[(self.done / iters) as usize];
            if self.kinds[net / self.params.seeds] == GroupKind::Matched
                && self.trainers[net].norm_target().is_none()
            {
                let target = self.reference_norm()?;
                self.trainers[net].set_norm_target(target)?;
            }
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
    /// training noise, seed `test_seed`), motif counts by level and weight
    /// statistics.
    ///
    /// # Errors
    /// Motif-count or eigenvalue errors. Complexity: O(networks · (N³ + trials · T · N²)).
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
                weights: WeightStats::of(&t.net.w, self.counter.presence.threshold)?,
            });
        }
        Ok(out)
    }

    /// Group summaries of [`Self::networks`].
    pub fn group_levels(&self, nets: &[NetworkSummary]) -> Vec<GroupLevels> {
        self.group_names()
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                let mine: Vec<&NetworkSummary> = nets.iter().filter(|s| &s.group == g).collect();
                let col = |f: &dyn Fn(&NetworkSummary) -> f64| {
                    mean_err(&mine.iter().map(|s| f(s)).collect::<Vec<_>>())
                };
                let ws: Vec<WeightStats> = mine.iter().map(|s| s.weights).collect();
                let w = super::groups::GroupWeightStats::of(&ws);
                GroupLevels {
                    group: g.clone(),
                    levels_after: [
                        col(&|s| s.levels_after[0]),
                        col(&|s| s.levels_after[1]),
                        col(&|s| s.levels_after[2]),
                    ],
                    test_accuracy: col(&|s| s.test_accuracy),
                    frobenius: w.frobenius,
                    spectral_radius: w.spectral_radius,
                    density: w.density,
                    norm_target: self.trainers[gi * self.params.seeds].norm_target(),
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

    /// Experiment 1: accuracy at each noise level on `test_trials` held-out
    /// trials (same trials and noise draws for every network). `input`: the
    /// level is the task's input-noise σ (recurrent noise at its training
    /// value); `recurrent`: the level is the hidden-state σ (input noise at its
    /// training value). At the training level this is [`Trainer::evaluate`].
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
                    let acc = match p.noise_kind {
                        NoiseKind::Input => {
                            let task = Task::new(t.task.kind, t.task.steps, s)?;
                            t.evaluate_on(&task, p.test_trials, p.test_seed)?.1
                        }
                        NoiseKind::Recurrent => {
                            let mut net = t.net.clone();
                            net.noise = s;
                            evaluate_net(&net, &t.task, p.test_trials, p.test_seed)?
                        }
                    };
                    row.push(acc);
                }
                rows.push(row);
            }
            curves.push(GroupCurve::from_rows(name, rows));
        }
        let tests = pairwise_tests(&p.noise_levels, &curves, p.permutations, p.test_seed)?;
        Ok(NoiseSweep {
            noise_kind: p.noise_kind,
            noise_levels: p.noise_levels.clone(),
            test_trials: p.test_trials,
            accuracy: curves,
            tests,
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
        let steps: Vec<usize> = (0..=p.horizon).collect();
        let lv: Vec<f64> = steps.iter().map(|&s| s as f64).collect();
        let tests = pairwise_tests(&lv, &dev, p.permutations, p.test_seed)?;
        let latent_tests = pairwise_tests(&lv, &lat, p.permutations, p.test_seed)?;
        Ok(Perturbation {
            steps,
            output_deviation: dev,
            latent_distance: lat,
            mean_output_deviation: mdev,
            mean_latent_distance: mlat,
            late_output_deviation: late,
            tests,
            latent_tests,
        })
    }

    /// Kicked and unkicked trajectories of network `k` of every group in the
    /// top three PCs of its unperturbed rates (the poster's latent-trajectory
    /// figure; see [`trajectories`]).
    ///
    /// # Errors
    /// Not trained; `k` ≥ seeds; a PCA failure.
    pub fn trajectories(&self, k: usize) -> Result<Vec<Trajectories>> {
        self.require_trained()?;
        check_size("network", k, 0, self.params.seeds - 1)?;
        self.groups()
            .map(|(name, ts)| trajectories(&ts[k].net, &self.params, name))
            .collect()
    }
}

/// Accuracy of `net` (with its own recurrent noise) on `size` trials of
/// `task` drawn with `seed` (the same trial and noise seeds as
/// [`Trainer::evaluate_on`]).
fn evaluate_net(net: &super::rnn::RateRnn, task: &Task, size: usize, seed: u64) -> Result<f64> {
    let batch = task.batch(size, seed)?;
    let trace = net.forward(&batch, seed ^ 0xE7A1)?;
    Ok(task.accuracy(&batch, &trace.y))
}

/// A trained experiment's full report: settings, networks, group motif
/// counts and weight statistics, and whichever experiments were asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Settings.
    pub params: ExperimentParams,
    /// Per network.
    pub networks: Vec<NetworkSummary>,
    /// Per group.
    pub groups: Vec<GroupLevels>,
    /// Experiment 1, if asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<NoiseSweep>,
    /// Experiment 2, if asked for.
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
        let groups = self.group_levels(&networks);
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
