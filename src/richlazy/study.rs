//! The rank sweep: every (W₀, seed) run, mean ± s.e.m. per W₀, and a
//! Spearman trend of each measure against the initial rank.

use super::experiment::{run, InitChoice, Params, RunResult};
use super::tasks::RlTaskKind;
use super::trend::{spearman, Spearman};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Mean and standard error of the mean over seeds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanSem {
    /// Mean.
    pub mean: f64,
    /// s.e.m. = sd/√k (sd with k − 1; 0 for a single seed).
    pub sem: f64,
}

/// Mean ± s.e.m. of `x`.
pub fn mean_sem(x: &[f64]) -> MeanSem {
    let k = x.len() as f64;
    if x.is_empty() {
        return MeanSem {
            mean: f64::NAN,
            sem: f64::NAN,
        };
    }
    let mean = x.iter().sum::<f64>() / k;
    let sem = if x.len() > 1 {
        (x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (k - 1.0)).sqrt() / k.sqrt()
    } else {
        0.0
    };
    MeanSem { mean, sem }
}

/// One W₀ summarised over seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankRow {
    /// Which W₀.
    pub init: InitChoice,
    /// Realised effective rank (Σs²)²/Σs⁴.
    pub effective_rank: MeanSem,
    /// ‖W_T − W₀‖_F.
    pub weight_change: MeanSem,
    /// ‖W_T − W₀‖_F / ‖W₀‖_F.
    pub weight_change_rel: MeanSem,
    /// Representation alignment.
    pub rep_alignment: MeanSem,
    /// Tangent-kernel alignment.
    pub kernel_alignment: MeanSem,
    /// Sign similarity.
    pub sign_similarity: MeanSem,
    /// Final probe loss.
    pub loss: MeanSem,
    /// Final probe accuracy.
    pub accuracy: MeanSem,
}

/// Spearman trends of each measure against the requested rank (all seeds
/// pooled; the aligned W₀ excluded).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trends {
    /// Weight change vs rank (paper: ρ < 0, lazier at high rank).
    pub weight_change: Spearman,
    /// Representation alignment vs rank (paper: ρ > 0).
    pub rep_alignment: Spearman,
    /// Tangent-kernel alignment vs rank (paper: ρ > 0).
    pub kernel_alignment: Spearman,
    /// Sign similarity vs rank (paper: ρ > 0).
    pub sign_similarity: Spearman,
}

/// Paired comparison aligned − rank-matched random W₀ (same seed).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Paired {
    /// Rank of the random W₀ compared against.
    pub rank: usize,
    /// Mean ± s.e.m. of the per-seed difference aligned − random in weight change.
    pub weight_change_diff: MeanSem,
    /// Seeds where the aligned W₀ changed less.
    pub aligned_smaller: usize,
    /// Seeds compared.
    pub seeds: usize,
    /// Two-sided paired t-test p-value (None for < 2 seeds or zero variance).
    pub p: Option<f64>,
}

/// The study's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyResult {
    /// Task name.
    pub task: super::tasks::RlTaskKind,
    /// Units.
    pub n: usize,
    /// Seeds per W₀.
    pub seeds: usize,
    /// Iterations.
    pub iters: usize,
    /// One row per W₀.
    pub rows: Vec<RankRow>,
    /// Trends across ranks (None with fewer than 3 runs or a single rank).
    pub trends: Option<Trends>,
    /// Aligned vs the rank-matched random W₀ (None without `aligned`).
    pub aligned_vs_random: Option<Paired>,
    /// Every run (with curves when `record_every` > 0).
    pub runs: Vec<RunResult>,
}

fn paired_t(d: &[f64]) -> Option<f64> {
    let ms = mean_sem(d);
    if d.len() < 2 || ms.sem == 0.0 || !ms.sem.is_finite() {
        return None;
    }
    StudentsT::new(0.0, 1.0, (d.len() - 1) as f64)
        .ok()
        .map(|t| 2.0 * (1.0 - t.cdf((ms.mean / ms.sem).abs())))
}

/// What assembling a sweep from its runs depends on: which W₀ and which
/// seeds, in which order (the rest of [`Params`] shapes each run only).
/// Serialize/Deserialize: stored in `rnnscope richlazy --shard` files, so a
/// merge rebuilds the study from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// Task.
    pub task: RlTaskKind,
    /// Hidden units N.
    pub n: usize,
    /// Requested initial ranks (r ≥ N means full rank).
    pub ranks: Vec<usize>,
    /// With the task-aligned W₀ and its rank-matched random W₀.
    pub aligned: bool,
    /// Seeds per W₀.
    pub seeds: usize,
    /// First seed.
    pub seed: u64,
    /// Training iterations (reported).
    pub iters: usize,
}

impl Sweep {
    /// The sweep of `p`.
    pub fn of(p: &Params) -> Sweep {
        Sweep {
            task: p.task,
            n: p.n,
            ranks: p.ranks.clone(),
            aligned: p.aligned,
            seeds: p.seeds,
            seed: p.seed,
            iters: p.iters,
        }
    }

    /// The W₀ in study order — every rank clamped to N (first occurrence
    /// kept), then with `aligned` the rank-matched random W₀ (if not already
    /// there) and the aligned W₀ — and the aligned W₀'s rank.
    pub fn inits(&self) -> (Vec<InitChoice>, Option<usize>) {
        let mut inits: Vec<InitChoice> = Vec::new();
        for &r in &self.ranks {
            let r = r.min(self.n);
            if !inits.contains(&InitChoice::Rank(r)) {
                inits.push(InitChoice::Rank(r));
            }
        }
        let aligned_rank = if self.aligned {
            let (ni, no) = self.task.dims();
            let d = ni.min(no).min(self.n);
            if !inits.contains(&InitChoice::Rank(d)) {
                inits.push(InitChoice::Rank(d));
            }
            inits.push(InitChoice::Aligned);
            Some(d)
        } else {
            None
        };
        (inits, aligned_rank)
    }

    /// Every run (W₀, seed) in study order: W₀-major, seeds `seed, seed+1, …`.
    /// Run i of this list is the sweep's work item i (and shard item i).
    pub fn jobs(&self) -> Vec<(InitChoice, u64)> {
        let seeds: Vec<u64> = (0..self.seeds as u64).map(|k| self.seed + k).collect();
        self.inits()
            .0
            .iter()
            .flat_map(|&i| seeds.iter().map(move |&s| (i, s)))
            .collect()
    }
}

/// One run of the sweep, its error tagged with the W₀ and seed (so a diverged
/// run is findable).
///
/// # Errors
/// As [`run`], the message prefixed with the W₀ and seed.
pub fn run_job(p: &Params, (init, seed): (InitChoice, u64)) -> Result<RunResult> {
    run(p, init, seed).map_err(|e| match e {
        Error::Numeric(m) => Error::Numeric(format!("{init:?}, seed {seed}: {m}")),
        other => other,
    })
}

fn run_all(p: &Params, jobs: &[(InitChoice, u64)]) -> Result<Vec<RunResult>> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        jobs.par_iter().map(|&j| run_job(p, j)).collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        jobs.iter().map(|&j| run_job(p, j)).collect()
    }
}

/// Run the sweep: every rank (clamped to N) and, with `aligned`, the
/// task-aligned W₀ plus a random W₀ of the same rank, for `seeds` seeds,
/// in parallel over runs (rayon, natively).
///
/// # Errors
/// Invalid parameters; any run's error.
///
/// # Complexity
/// (ranks + 2) · seeds runs of [`run`].
pub fn study(p: &Params) -> Result<StudyResult> {
    p.check()?;
    let sw = Sweep::of(p);
    let runs = run_all(p, &sw.jobs())?;
    assemble(&sw, runs)
}

/// The study from its runs, given in [`Sweep::jobs`] order: mean ± s.e.m.
/// per W₀, Spearman trends against the rank, the aligned-vs-random pairing.
///
/// # Errors
/// [`Error::Format`] if `runs` are not the sweep's jobs in order; a trend
/// test's error.
///
/// # Complexity
/// O(runs · log runs) (the rank correlations).
pub fn assemble(sw: &Sweep, runs: Vec<RunResult>) -> Result<StudyResult> {
    let jobs = sw.jobs();
    if runs.len() != jobs.len() {
        return Err(Error::Format(format!(
            "the sweep has {} runs, got {}",
            jobs.len(),
            runs.len()
        )));
    }
    if let Some((k, r)) = runs
        .iter()
        .enumerate()
        .find(|(k, r)| (r.init, r.seed) != jobs[*k])
    {
        return Err(Error::Format(format!(
            "run {k} is {:?} seed {}, expected {:?} seed {}",
            r.init, r.seed, jobs[k].0, jobs[k].1
        )));
    }
    let (inits, aligned_rank) = sw.inits();
    let pick = |i: InitChoice, f: fn(&RunResult) -> f64| -> Vec<f64> {
        runs.iter().filter(|r| r.init == i).map(f).collect()
    };
    let rows: Vec<RankRow> = inits
        .iter()
        .map(|&i| RankRow {
            init: i,
            effective_rank: mean_sem(&pick(i, |r| r.effective_rank)),
            weight_change: mean_sem(&pick(i, |r| r.weight_change)),
            weight_change_rel: mean_sem(&pick(i, |r| r.weight_change_rel)),
            rep_alignment: mean_sem(&pick(i, |r| r.rep_alignment)),
            kernel_alignment: mean_sem(&pick(i, |r| r.kernel_alignment)),
            sign_similarity: mean_sem(&pick(i, |r| r.sign_similarity)),
            loss: mean_sem(&pick(i, |r| r.loss)),
            accuracy: mean_sem(&pick(i, |r| r.accuracy)),
        })
        .collect();
    let ranked: Vec<&RunResult> = runs
        .iter()
        .filter(
            |r| matches!(r.init, InitChoice::Rank(k) if sw.ranks.iter().any(|&q| q.min(sw.n) == k)),
        )
        .collect();
    let distinct = {
        let mut v: Vec<usize> = sw.ranks.iter().map(|&r| r.min(sw.n)).collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    let trends = if ranked.len() >= 3 && distinct >= 2 {
        let x: Vec<f64> = ranked
            .iter()
            .map(|r| match r.init {
                InitChoice::Rank(k) => k as f64,
                InitChoice::Aligned => 0.0,
            })
            .collect();
        let t = |f: fn(&RunResult) -> f64| -> Result<Spearman> {
            spearman(&x, &ranked.iter().map(|r| f(r)).collect::<Vec<_>>())
        };
        Some(Trends {
            weight_change: t(|r| r.weight_change)?,
            rep_alignment: t(|r| r.rep_alignment)?,
            kernel_alignment: t(|r| r.kernel_alignment)?,
            sign_similarity: t(|r| r.sign_similarity)?,
        })
    } else {
        None
    };
    let aligned_vs_random = match aligned_rank {
        Some(d) => {
            let a = pick(InitChoice::Aligned, |r| r.weight_change);
            let b = pick(InitChoice::Rank(d), |r| r.weight_change);
            if a.len() != b.len() {
                return Err(Error::Numeric("unpaired aligned runs".into()));
            }
            let diff: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
            Some(Paired {
                rank: d,
                weight_change_diff: mean_sem(&diff),
                aligned_smaller: diff.iter().filter(|v| **v < 0.0).count(),
                seeds: diff.len(),
                p: paired_t(&diff),
            })
        }
        None => None,
    };
    Ok(StudyResult {
        task: sw.task,
        n: sw.n,
        seeds: sw.seeds,
        iters: sw.iters,
        rows,
        trends,
        aligned_vs_random,
        runs,
    })
}
