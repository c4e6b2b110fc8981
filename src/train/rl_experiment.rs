//! The poster's second claim — "networks with Level-3 motifs accelerate
//! reinforcement learning" — as an experiment: K policy networks per group
//! (motif regulariser, unregularised or the norm-matched control, see
//! [`super::groups`]) trained on the reversal bandit ([`super::rl`]), with
//! the same seeds across groups (same initial W, same episodes), compared on
//! the learning curve, the episodes to criterion and held-out reward.
//!
//! Statistics as in the supervised experiments: Welch and permutation tests
//! per point of the (block-averaged) reward curve, Holm across points within
//! each pair of groups. Networks that never reach the criterion are counted
//! at the training budget (right-censored; `reached` says how many did).

use super::curves::{mean_err, GroupCurve, MeanErr};
use super::groups::{frobenius, GroupKind, WeightStats};
use super::penalty::{MotifPenalty, MotifRegSpec, WeightPenalty};
use super::rl::{episodes_to_criterion, RlConfig, RlTrainer};
use crate::error::{check_range, check_size, Error, Result};
use crate::significance::{pairwise_tests, PairTest};
use serde::{Deserialize, Serialize};

/// Settings of the RL group comparison (deserialized with the defaults
/// for missing keys, so the page sends the keys of the CLI's report `params`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RlExperimentParams {
    /// Per-network settings (network k of every group uses seed `cfg.seed + k`;
    /// `cfg.lambda` is the motif-regulariser weight).
    pub cfg: RlConfig,
    /// Networks per group.
    pub seeds: usize,
    /// Updates per network.
    pub iters: u64,
    /// Group specs (`level1:+1`, `level3:+1`, `none`, `matched`).
    pub groups: Vec<String>,
    /// Criterion: mean reward per trial over `window` updates.
    pub criterion: f64,
    /// Window (updates) of the criterion's running mean.
    pub window: usize,
    /// Updates averaged per point of the reported reward curve.
    pub block: usize,
    /// Held-out episodes per network.
    pub test_episodes: usize,
    /// Seed of the held-out episodes.
    pub test_seed: u64,
    /// Permutations per permutation test (0 = none).
    pub permutations: usize,
}

impl Default for RlExperimentParams {
    /// 5 seeds × {level1:+1, level3:+1}, 400 updates, λ = 0.001, criterion
    /// 0.65 over 20 updates, curve blocks of 25 updates, 256 test episodes.
    fn default() -> Self {
        RlExperimentParams {
            cfg: RlConfig {
                lambda: 0.001,
                ..RlConfig::default()
            },
            seeds: 5,
            iters: 400,
            groups: vec!["level1:+1".into(), "level3:+1".into()],
            criterion: 0.65,
            window: 20,
            block: 25,
            test_episodes: 256,
            test_seed: 20_251_123,
            permutations: 2000,
        }
    }
}

/// One trained policy network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RlNetwork {
    /// Group name.
    pub group: String,
    /// Seed.
    pub seed: u64,
    /// Mean training reward per update.
    pub rewards: Vec<f64>,
    /// Episodes until the criterion was met (None: never).
    pub episodes_to_criterion: Option<usize>,
    /// Held-out mean reward per trial.
    pub test_reward: f64,
    /// Held-out fraction of good-arm choices.
    pub test_good_choice: f64,
    /// Soft motif counts by level after training.
    pub levels_after: [f64; 3],
    /// Weight statistics after training.
    pub weights: WeightStats,
}

/// Per-group summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RlGroup {
    /// Group name.
    pub group: String,
    /// Episodes to criterion, censored at the budget (iters × batch).
    pub episodes_to_criterion: MeanErr,
    /// Networks that reached the criterion.
    pub reached: usize,
    /// Held-out reward.
    pub test_reward: MeanErr,
    /// ‖W‖_F.
    pub frobenius: MeanErr,
    /// Spectral radius.
    pub spectral_radius: MeanErr,
    /// Density above the presence threshold.
    pub density: MeanErr,
    /// Soft motif counts by level.
    pub levels_after: [MeanErr; 3],
    /// ‖W‖_F target of a matched group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub norm_target: Option<f64>,
}

/// The RL experiment's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RlReport {
    /// Settings.
    pub params: RlExperimentParams,
    /// Per network.
    pub networks: Vec<RlNetwork>,
    /// Per group.
    pub groups: Vec<RlGroup>,
    /// Update count at the end of each curve block.
    pub iterations: Vec<f64>,
    /// Block-mean training reward, one curve per group.
    pub reward: Vec<GroupCurve>,
    /// Tests per curve block (level = update count), Holm across blocks.
    pub tests: Vec<PairTest>,
    /// Tests of episodes to criterion (level 0, censored values).
    pub criterion_tests: Vec<PairTest>,
    /// Tests of held-out reward (level 0).
    pub test_reward_tests: Vec<PairTest>,
}

/// Groups of policy networks, trained in chunks.
pub struct RlExperiment {
    params: RlExperimentParams,
    kinds: Vec<GroupKind>,
    trainers: Vec<RlTrainer>,
    rewards: Vec<Vec<f64>>,
    order: Vec<usize>,
    counter: MotifPenalty,
    done: u64,
}

impl RlExperiment {
    /// Validate and build every (untrained) network.
    ///
    /// # Errors
    /// [`Error::Param`] for bad settings or group specs.
    pub fn new(params: RlExperimentParams) -> Result<RlExperiment> {
        params.cfg.check()?;
        check_size("seeds", params.seeds, 1, super::experiments::MAX_NETWORKS)?;
        if params.iters == 0 || params.iters > 1_000_000 {
            return Err(Error::param("iters", "must be between 1 and 1000000"));
        }
        check_range("criterion", params.criterion, 0.0, 1.0)?;
        check_size("window", params.window, 1, 100_000)?;
        check_size("block", params.block, 1, 100_000)?;
        check_size("test_episodes", params.test_episodes, 1, 4096)?;
        check_size("permutations", params.permutations, 0, 1_000_000)?;
        if params.groups.is_empty() {
            return Err(Error::param("groups", "give at least one group"));
        }
        if params.groups.len() * params.seeds > super::experiments::MAX_NETWORKS {
            return Err(Error::param(
                "seeds",
                "too many networks (groups × seeds > 200)",
            ));
        }
        let kinds = params
            .groups
            .iter()
            .map(|g| GroupKind::parse(g))
            .collect::<Result<Vec<_>>>()?;
        GroupKind::reference(&kinds)?;
        let counter = MotifPenalty::enrich(&MotifRegSpec::default(), params.cfg.n);
        let mut trainers = Vec::new();
        for kind in &kinds {
            for k in 0..params.seeds {
                let mut cfg = params.cfg.clone();
                cfg.seed = params.cfg.seed.wrapping_add(k as u64);
                let pen: Option<Box<dyn WeightPenalty>> = match kind {
                    GroupKind::Motif(spec) if !spec.is_empty() => {
                        Some(Box::new(MotifPenalty::enrich(spec, cfg.n)))
                    }
                    _ => {
                        cfg.lambda = 0.0;
                        None
                    }
                };
                trainers.push(RlTrainer::new(cfg, pen)?);
            }
        }
        let s = params.seeds;
        let matched = |i: &usize| kinds[i / s] == GroupKind::Matched;
        let mut order: Vec<usize> = (0..trainers.len()).filter(|i| !matched(i)).collect();
        order.extend((0..trainers.len()).filter(matched));
        Ok(RlExperiment {
            rewards: vec![Vec::new(); trainers.len()],
            params,
            kinds,
            trainers,
            order,
            counter,
            done: 0,
        })
    }

    /// Updates for all networks together.
    pub fn total_iterations(&self) -> u64 {
        self.trainers.len() as u64 * self.params.iters
    }

    /// Whether every network is trained.
    pub fn is_trained(&self) -> bool {
        self.done >= self.total_iterations()
    }

    /// Up to `k` more updates, network after network (matched groups last).
    ///
    /// # Errors
    /// A network diverged.
    pub fn advance(&mut self, k: u64) -> Result<u64> {
        let iters = self.params.iters;
        let end = (self.done + k).min(self.total_iterations());
        while self.done < end {
            let net = self.order[(self.done / iters) as usize];
            if self.kinds[net / self.params.seeds] == GroupKind::Matched
                && self.trainers[net].norm_target().is_none()
            {
                let g = GroupKind::reference(&self.kinds)?
                    .ok_or_else(|| Error::param("groups", "no reference group"))?;
                let s = self.params.seeds;
                let norms: Vec<f64> = self.trainers[g * s..(g + 1) * s]
                    .iter()
                    .map(|t| frobenius(&t.net.w))
                    .collect();
                self.trainers[net].set_norm_target(mean_err(&norms).mean)?;
            }
            let st = self.trainers[net].step()?;
            self.rewards[net].push(st.reward);
            self.done += 1;
        }
        Ok(self.done)
    }

    /// Train everything, calling `progress(done, total)` after each chunk.
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

    fn group_name(&self, g: usize) -> String {
        let s = self.params.groups[g].trim();
        if s.is_empty() {
            "none".into()
        } else {
            s.to_string()
        }
    }

    /// The report of a trained experiment.
    ///
    /// # Errors
    /// Not trained; motif-count or eigenvalue errors.
    /// Complexity: O(networks · (N³ + test_episodes · trials · N²)).
    pub fn report(&self) -> Result<RlReport> {
        if !self.is_trained() {
            return Err(Error::param("experiment", "train the networks first"));
        }
        let p = &self.params;
        let budget = p.iters as usize * p.cfg.batch;
        let mut networks = Vec::new();
        for (i, t) in self.trainers.iter().enumerate() {
            let (test_reward, test_good_choice) = t.evaluate(p.test_episodes, p.test_seed)?;
            networks.push(RlNetwork {
                group: self.group_name(i / p.seeds),
                seed: t.cfg.seed,
                rewards: self.rewards[i].clone(),
                episodes_to_criterion: episodes_to_criterion(
                    &self.rewards[i],
                    p.cfg.batch,
                    p.window,
                    p.criterion,
                ),
                test_reward,
                test_good_choice,
                levels_after: self.counter.counts_by_level(&t.net.w)?,
                weights: WeightStats::of(&t.net.w, self.counter.presence.threshold)?,
            });
        }
        let blocks = (p.iters as usize).div_ceil(p.block);
        let iterations: Vec<f64> = (0..blocks)
            .map(|b| ((b + 1) * p.block).min(p.iters as usize) as f64)
            .collect();
        let (mut groups, mut reward, mut crit, mut test) = (vec![], vec![], vec![], vec![]);
        for g in 0..p.groups.len() {
            let name = self.group_name(g);
            let mine = &networks[g * p.seeds..(g + 1) * p.seeds];
            let rows: Vec<Vec<f64>> = mine
                .iter()
                .map(|n| {
                    n.rewards
                        .chunks(p.block)
                        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
                        .collect()
                })
                .collect();
            reward.push(GroupCurve::from_rows(name.clone(), rows));
            let etc: Vec<f64> = mine
                .iter()
                .map(|n| n.episodes_to_criterion.unwrap_or(budget) as f64)
                .collect();
            crit.push(GroupCurve::from_rows(
                name.clone(),
                etc.iter().map(|&v| vec![v]).collect(),
            ));
            let tr: Vec<f64> = mine.iter().map(|n| n.test_reward).collect();
            test.push(GroupCurve::from_rows(
                name.clone(),
                tr.iter().map(|&v| vec![v]).collect(),
            ));
            let col =
                |f: &dyn Fn(&RlNetwork) -> f64| mean_err(&mine.iter().map(f).collect::<Vec<_>>());
            groups.push(RlGroup {
                group: name,
                episodes_to_criterion: mean_err(&etc),
                reached: mine
                    .iter()
                    .filter(|n| n.episodes_to_criterion.is_some())
                    .count(),
                test_reward: mean_err(&tr),
                frobenius: col(&|n| n.weights.frobenius),
                spectral_radius: col(&|n| n.weights.spectral_radius),
                density: col(&|n| n.weights.density),
                levels_after: [
                    col(&|n| n.levels_after[0]),
                    col(&|n| n.levels_after[1]),
                    col(&|n| n.levels_after[2]),
                ],
                norm_target: self.trainers[g * p.seeds].norm_target(),
            });
        }
        let tests = pairwise_tests(&iterations, &reward, p.permutations, p.test_seed)?;
        let criterion_tests = pairwise_tests(&[0.0], &crit, p.permutations, p.test_seed)?;
        let test_reward_tests = pairwise_tests(&[0.0], &test, p.permutations, p.test_seed)?;
        Ok(RlReport {
            params: p.clone(),
            networks,
            groups,
            iterations,
            reward,
            tests,
            criterion_tests,
            test_reward_tests,
        })
    }
}
