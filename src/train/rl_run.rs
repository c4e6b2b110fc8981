//! One policy-training run on the reversal bandit, set up from one parameter
//! set shared by the CLI (`rnnscope rl`, flags → [`RlParams`]) and the page
//! (`new RlTraining(params)`, one JS object with the same snake_case keys),
//! and reported as one result type ([`RlRunReport`]) — so the same seed gives
//! the same numbers in both. The algorithm is [`super::rl`].

use super::penalty::{MotifPenalty, MotifRegSpec, WeightPenalty};
use super::rl::{episodes_to_criterion, Bandit, RlConfig, RlTrainer};
use crate::error::{check_range, check_size, Error, Result};
use serde::{Deserialize, Serialize};

/// Offset of the held-out episodes' seed from the run's seed.
pub const TEST_SEED_OFFSET: u64 = 1_000_003;

/// Everything an RL run is set up from (the keys of `rnnscope rl`'s flags).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RlParams {
    /// Task: `bandit` (the only one).
    pub task: String,
    /// Hidden units N.
    pub n: usize,
    /// Updates (Adam steps, one batch of episodes each).
    pub iters: u64,
    /// Episodes per update.
    pub batch: usize,
    /// Trials per episode.
    pub trials: usize,
    /// Reward probability of the good arm.
    pub p_good: f64,
    /// Probability of a reversal after each trial.
    pub hazard: f64,
    /// Adam learning rate.
    pub lr: f64,
    /// Discount γ.
    pub gamma: f64,
    /// Euler step α = dt/τ.
    pub alpha: f64,
    /// Initial gain g (W ~ N(0, g²/N)).
    pub g: f64,
    /// Entropy-bonus weight c_e.
    pub entropy: f64,
    /// Recurrent noise σ (σ√α per step).
    pub rec_noise: f64,
    /// Motif regularisation spec (empty: none), weight `lambda`.
    pub motif_reg: String,
    /// Penalty weight λ (used only with a motif spec).
    pub lambda: f64,
    /// Criterion on the running mean reward per trial.
    pub criterion: f64,
    /// Updates in the criterion's running mean.
    pub window: usize,
    /// Held-out episodes (seed `seed + TEST_SEED_OFFSET`).
    pub test_episodes: usize,
    /// Seed of the weights, episodes, actions and noise.
    pub seed: u64,
}

impl Default for RlParams {
    /// `rnnscope rl`'s defaults: [`RlConfig::default`], 400 updates,
    /// criterion 0.65 over 20 updates, 256 held-out episodes.
    fn default() -> Self {
        let c = RlConfig::default();
        RlParams {
            task: "bandit".into(),
            n: c.n,
            iters: 400,
            batch: c.batch,
            trials: c.bandit.trials,
            p_good: c.bandit.p_good,
            hazard: c.bandit.hazard,
            lr: c.lr,
            gamma: c.gamma,
            alpha: c.alpha,
            g: c.g,
            entropy: c.entropy_coef,
            rec_noise: c.rec_noise,
            motif_reg: String::new(),
            lambda: c.lambda,
            criterion: 0.65,
            window: 20,
            test_episodes: 256,
            seed: c.seed,
        }
    }
}

impl RlParams {
    /// Validate every field, naming the offending one.
    ///
    /// # Errors
    /// [`Error::Param`] for a task other than `bandit`, a bad motif spec or a
    /// value out of range.
    pub fn check(&self) -> Result<()> {
        if !self.task.eq_ignore_ascii_case("bandit") {
            return Err(Error::param(
                "task",
                format!("`{}`: the only RL task is bandit", self.task),
            ));
        }
        if self.iters == 0 || self.iters > 1_000_000 {
            return Err(Error::param("iters", "must be between 1 and 1000000"));
        }
        check_size("n", self.n, 1, 1024)?;
        check_range("alpha", self.alpha, 1e-6, 1.0)?;
        check_range("g", self.g, 0.0, 100.0)?;
        check_range("rec_noise", self.rec_noise, 0.0, 100.0)?;
        check_range("lr", self.lr, 1e-12, 10.0)?;
        check_range("criterion", self.criterion, 0.0, 1.0)?;
        check_size("window", self.window, 1, 100_000)?;
        check_size("test_episodes", self.test_episodes, 1, 4096)?;
        MotifRegSpec::parse(&self.motif_reg)?;
        self.config_unchecked().check()
    }

    fn config_unchecked(&self) -> RlConfig {
        RlConfig {
            bandit: Bandit {
                trials: self.trials,
                p_good: self.p_good,
                hazard: self.hazard,
            },
            n: self.n,
            alpha: self.alpha,
            rec_noise: self.rec_noise,
            g: self.g,
            lr: self.lr,
            batch: self.batch,
            gamma: self.gamma,
            entropy_coef: self.entropy,
            lambda: self.lambda,
            seed: self.seed,
            ..RlConfig::default()
        }
    }

    /// The trainer's configuration (after [`check`](Self::check)).
    ///
    /// # Errors
    /// As [`check`](Self::check).
    pub fn config(&self) -> Result<RlConfig> {
        self.check()?;
        Ok(self.config_unchecked())
    }

    /// The motif regulariser, when `motif_reg` is set.
    ///
    /// # Errors
    /// A bad motif spec.
    pub fn penalty(&self) -> Result<Option<Box<dyn WeightPenalty>>> {
        let spec = MotifRegSpec::parse(&self.motif_reg)?;
        Ok(if spec.is_empty() {
            None
        } else {
            Some(Box::new(MotifPenalty::enrich(&spec, self.n)))
        })
    }
}

/// The per-update training curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RlCurve {
    /// Mean reward per trial of each update's episodes.
    pub reward: Vec<f64>,
    /// Fraction of good-arm choices of each update's episodes.
    pub good_choice: Vec<f64>,
}

/// The result of one RL run (`rnnscope rl`'s JSON, without `seconds`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RlRunReport {
    /// `bandit`.
    pub task: String,
    /// The trainer's configuration.
    pub config: RlConfig,
    /// Updates done.
    pub iters: u64,
    /// The training curve.
    pub curve: RlCurve,
    /// Criterion on the running mean reward.
    pub criterion: f64,
    /// Updates in the running mean.
    pub window: usize,
    /// Training episodes (updates × batch) when the criterion was first met.
    pub episodes_to_criterion: Option<usize>,
    /// Held-out mean reward per trial.
    pub test_reward: f64,
    /// Held-out fraction of good-arm choices.
    pub test_good_choice: f64,
    /// Held-out episodes.
    pub test_episodes: usize,
}

/// An RL run advanced in chunks (the page) or to the end (the CLI).
pub struct RlRun {
    params: RlParams,
    trainer: RlTrainer,
    curve: RlCurve,
}

impl RlRun {
    /// A fresh run.
    ///
    /// # Errors
    /// As [`RlParams::check`] and [`RlTrainer::new`].
    pub fn new(params: RlParams) -> Result<RlRun> {
        let cfg = params.config()?;
        let trainer = RlTrainer::new(cfg, params.penalty()?)?;
        Ok(RlRun {
            params,
            trainer,
            curve: RlCurve {
                reward: Vec::new(),
                good_choice: Vec::new(),
            },
        })
    }

    /// The parameters.
    pub fn params(&self) -> &RlParams {
        &self.params
    }

    /// Updates done.
    pub fn iterations(&self) -> u64 {
        self.trainer.iterations()
    }

    /// True when `iters` updates are done.
    pub fn is_done(&self) -> bool {
        self.iterations() >= self.params.iters
    }

    /// The curve so far.
    pub fn curve(&self) -> &RlCurve {
        &self.curve
    }

    /// Up to `k` more updates (never past `iters`); returns the updates done.
    ///
    /// # Errors
    /// As [`RlTrainer::step`].
    /// Complexity: O(k · batch · trials · N²).
    pub fn advance(&mut self, k: u64) -> Result<u64> {
        let end = self.iterations().saturating_add(k).min(self.params.iters);
        while self.iterations() < end {
            let s = self.trainer.step()?;
            self.curve.reward.push(s.reward);
            self.curve.good_choice.push(s.good_choice);
        }
        Ok(self.iterations())
    }

    /// Episodes to criterion on the curve so far.
    pub fn episodes_to_criterion(&self) -> Option<usize> {
        episodes_to_criterion(
            &self.curve.reward,
            self.params.batch,
            self.params.window,
            self.params.criterion,
        )
    }

    /// The report: the curve, episodes to criterion and the held-out reward
    /// of the current policy.
    ///
    /// # Errors
    /// As [`RlTrainer::evaluate`].
    /// Complexity: O(test_episodes · trials · N²).
    pub fn report(&self) -> Result<RlRunReport> {
        let p = &self.params;
        let (test_reward, test_good_choice) = self
            .trainer
            .evaluate(p.test_episodes, p.seed.wrapping_add(TEST_SEED_OFFSET))?;
        Ok(RlRunReport {
            task: "bandit".into(),
            config: self.trainer.cfg.clone(),
            iters: self.iterations(),
            curve: self.curve.clone(),
            criterion: p.criterion,
            window: p.window,
            episodes_to_criterion: self.episodes_to_criterion(),
            test_reward,
            test_good_choice,
            test_episodes: p.test_episodes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_equal_one_go_and_the_trainer() {
        let p = RlParams {
            n: 6,
            iters: 5,
            batch: 3,
            trials: 8,
            test_episodes: 4,
            ..RlParams::default()
        };
        let mut a = RlRun::new(p.clone()).unwrap();
        a.advance(2).unwrap();
        a.advance(10).unwrap();
        let mut b = RlRun::new(p.clone()).unwrap();
        b.advance(5).unwrap();
        assert_eq!(a.report().unwrap(), b.report().unwrap());
        let mut t = RlTrainer::new(p.config().unwrap(), None).unwrap();
        let r: Vec<f64> = (0..5).map(|_| t.step().unwrap().reward).collect();
        assert_eq!(a.curve().reward, r);
        assert_eq!(a.iterations(), 5);
    }

    #[test]
    fn bad_params_name_the_field() {
        let e = RlParams {
            task: "maze".into(),
            ..RlParams::default()
        };
        assert!(e.check().unwrap_err().to_string().contains("task"));
        let e = RlParams {
            window: 0,
            ..RlParams::default()
        };
        assert!(e.check().unwrap_err().to_string().contains("window"));
        let json = r#"{"n": 8, "sed": 3}"#;
        let e = serde_json::from_str::<RlParams>(json).unwrap_err();
        assert!(e.to_string().contains("sed"));
    }
}
