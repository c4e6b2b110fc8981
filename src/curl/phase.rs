//! Phase diagram of curl descent over (number of flipped neurons, init scale),
//! the paper's Figs. 3–6 setup: for each init scale s and seed, one problem
//! (teacher, student init, data) is drawn; plain GD is trained once from it, then
//! the curl rule with each number of flipped neurons in the chosen layer.
//!
//! Per run it records convergence, final losses, the largest Lyapunov exponent
//! and the time to the loss threshold; and the linear stability (max Re of the
//! normal modes, [`super::stability`]) of two solutions under that many flips:
//! the point GD reached from the same start (a generic point of the solution
//! manifold near this init — the one the paper's random-matrix theory
//! describes), and the teacher embedding (K ≥ M only).
//!
//! The work unit is one (scale, seed) pair ([`run_unit`]); [`aggregate`] turns
//! units into cells. The CLI runs units on a thread pool; [`phase_diagram`] is
//! the serial version (WASM).

use super::dynamics::{train, Rule};
use super::lyapunov::{Benettin, LyapunovParams};
use super::model::{self, CurlParams, Problem};
use super::stability::{normal_basis, normal_eigenvalues, Layer};
use crate::error::{check_range, Error, Result};
use crate::hebbff::study::nan_f64;
use serde::{Deserialize, Serialize};

/// Phase-diagram settings.
/// (Deserialize: the parameters stored in `curl-phase` shard files.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseParams {
    /// Architecture, rule side, learning settings (its flips and init scale are overridden).
    pub base: CurlParams,
    /// Layer whose neurons are flipped.
    pub layer: Layer,
    /// Flipped fractions of the layer's flippable neurons (0 … 1).
    pub flip_fracs: Vec<f64>,
    /// Init scales s.
    pub init_scales: Vec<f64>,
    /// Seeds per cell.
    pub seeds: usize,
    /// Loss threshold as a fraction of the initial train ½·MSE.
    pub threshold_frac: f64,
    /// Lyapunov settings (None = skip).
    pub lyapunov: Option<LyapunovParams>,
    /// λ₁ per unit time above which a run counts as chaotic.
    pub chaos_tol: f64,
}

impl PhaseParams {
    /// Validate.
    ///
    /// # Errors
    /// Empty or out-of-range lists, invalid base parameters.
    pub fn check(&self) -> Result<()> {
        self.base.check()?;
        if self.flip_fracs.is_empty() || self.flip_fracs.len() > 100 {
            return Err(Error::param("flip-fracs", "give 1 to 100 values"));
        }
        for &f in &self.flip_fracs {
            check_range("flip-fracs", f, 0.0, 1.0)?;
        }
        if self.init_scales.is_empty() || self.init_scales.len() > 100 {
            return Err(Error::param("init-scales", "give 1 to 100 values"));
        }
        for &s in &self.init_scales {
            check_range("init-scales", s, 1e-6, 1e3)?;
        }
        if self.seeds == 0 || self.seeds > 1000 {
            return Err(Error::param("seeds", "must be between 1 and 1000"));
        }
        check_range("threshold-frac", self.threshold_frac, 0.0, 1.0)?;
        check_range("chaos-tol", self.chaos_tol, 0.0, 1e6)?;
        if let Some(l) = &self.lyapunov {
            l.check()?;
        }
        Ok(())
    }

    /// The flip counts: round(frac × capacity), deduplicated in order.
    pub fn flips(&self) -> Vec<usize> {
        let (c1, c2) = self.base.flip_capacity();
        let cap = if self.layer == Layer::L1 { c1 } else { c2 };
        let mut v: Vec<usize> = self
            .flip_fracs
            .iter()
            .map(|f| (f * cap as f64).round() as usize)
            .collect();
        v.dedup();
        v
    }

    /// All (scale index, seed index) work units.
    pub fn units(&self) -> Vec<(usize, usize)> {
        (0..self.init_scales.len())
            .flat_map(|s| (0..self.seeds).map(move |k| (s, k)))
            .collect()
    }

    fn with(&self, flips: usize, scale: f64, seed: usize) -> CurlParams {
        let mut p = self.base.clone();
        (p.flipped_l1, p.flipped_l2) = if self.layer == Layer::L1 {
            (flips, 0)
        } else {
            (0, flips)
        };
        p.init_scale = scale;
        p.seed = self.base.seed.wrapping_add(1000 * seed as u64);
        p
    }
}

/// One curl run inside a unit (Deserialize: shard files; JSON `null` reads
/// back as NaN).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlipRun {
    /// Flipped neurons.
    pub flips: usize,
    /// Final train ½·MSE.
    #[serde(deserialize_with = "nan_f64")]
    pub final_train_loss: f64,
    /// Final test ½·MSE.
    #[serde(deserialize_with = "nan_f64")]
    pub final_test_loss: f64,
    /// Final train ½·MSE ≤ threshold.
    pub converged: bool,
    /// Weights became non-finite.
    pub diverged: bool,
    /// First epoch at the threshold.
    pub time_to_threshold: Option<usize>,
    /// λ₁ per unit time.
    pub lyapunov: Option<f64>,
    /// max Re normal modes at GD's solution with these flips (None: GD did not converge).
    pub max_re_gd_solution: Option<f64>,
    /// max Re normal modes at the teacher embedding (None: K < M).
    pub max_re_teacher: Option<f64>,
}

/// One (init scale, seed) unit (Deserialize: shard files).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitRun {
    /// Init scale.
    pub init_scale: f64,
    /// Seed index.
    pub seed: usize,
    /// GD's time to threshold.
    pub gd_time_to_threshold: Option<usize>,
    /// GD's final test ½·MSE.
    #[serde(deserialize_with = "nan_f64")]
    pub gd_final_test_loss: f64,
    /// GD converged.
    pub gd_converged: bool,
    /// The curl runs, one per flip count.
    pub runs: Vec<FlipRun>,
}

/// max Re, with |max Re| ≤ 1e-10·max|λ| (round-off) reported as 0 (marginal).
fn max_re(ev: &[(f64, f64)]) -> f64 {
    let scale = ev.iter().map(|(a, b)| a.hypot(*b)).fold(0.0, f64::max);
    let m = ev.iter().map(|e| e.0).fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() || m.abs() <= 1e-10 * scale {
        0.0
    } else {
        m
    }
}

/// Run one (scale, seed) unit.
///
/// # Errors
/// Invalid parameters; numeric failures.
pub fn run_unit(pp: &PhaseParams, scale_idx: usize, seed: usize) -> Result<UnitRun> {
    let scale = *pp
        .init_scales
        .get(scale_idx)
        .ok_or_else(|| Error::param("init-scales", "index out of range"))?;
    let p0 = pp.with(0, scale, seed);
    let prob = Problem::new(&p0)?;
    let act = p0.activation;
    let threshold = pp.threshold_frac * model::mse(&prob.student0, &prob.train, act);
    let gd = train(&p0, &prob, Rule::Gradient, threshold, 2, &mut ())?;
    let gd_train = model::mse(&gd.net, &prob.train, act);
    let gd_converged = !gd.diverged && gd_train <= threshold;
    let n = prob.train.len();
    let basis_gd = if gd_converged {
        Some(normal_basis(&gd.net, &prob.train, act, p0.loss)?)
    } else {
        None
    };
    let basis_teacher = match prob.teacher_solution() {
        Some(ts) => Some(normal_basis(&ts, &prob.train, act, p0.loss)?),
        None => None,
    };
    let mut runs = vec![];
    for f in pp.flips() {
        let p = pp.with(f, scale, seed);
        let rule = Rule::Curl(p.signs());
        let (traj, lyap) = match pp.lyapunov {
            Some(lp) => {
                let mut b = Benettin::new(&p, rule.clone(), &prob.student0, lp)?;
                let t = train(&p, &prob, rule, threshold, 2, &mut b)?;
                (t, b.result().map(|l| l.per_unit_time))
            }
            None => (train(&p, &prob, rule, threshold, 2, &mut ())?, None),
        };
        let ftr = model::mse(&traj.net, &prob.train, act);
        let sig = p.signs();
        let gd_re = match &basis_gd {
            Some(b) => Some(max_re(&normal_eigenvalues(b, &sig, n)?)),
            None => None,
        };
        let t_re = match &basis_teacher {
            Some(b) => Some(max_re(&normal_eigenvalues(b, &sig, n)?)),
            None => None,
        };
        runs.push(FlipRun {
            flips: f,
            final_train_loss: ftr,
            final_test_loss: model::mse(&traj.net, &prob.test, act),
            converged: !traj.diverged && ftr <= threshold,
            diverged: traj.diverged,
            time_to_threshold: traj.time_to_threshold,
            lyapunov: lyap,
            max_re_gd_solution: gd_re,
            max_re_teacher: t_re,
        });
    }
    Ok(UnitRun {
        init_scale: scale,
        seed,
        gd_time_to_threshold: gd.time_to_threshold,
        gd_final_test_loss: model::mse(&gd.net, &prob.test, act),
        gd_converged,
        runs,
    })
}

/// Mean and standard error of the mean (sem = 0 for n < 2); None for no data.
pub fn mean_sem(v: &[f64]) -> Option<(f64, f64)> {
    if v.is_empty() {
        return None;
    }
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    if v.len() < 2 {
        return Some((m, 0.0));
    }
    let var = v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
    Some((m, (var / n).sqrt()))
}

/// One cell of the diagram (aggregated over seeds).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseCell {
    /// Flipped neurons.
    pub flips: usize,
    /// Flipped fraction of the layer's capacity.
    pub flip_frac: f64,
    /// Init scale.
    pub init_scale: f64,
    /// Seeds.
    pub n: usize,
    /// Fraction of runs converged (train ½·MSE ≤ threshold at the end).
    pub converged_frac: f64,
    /// Mean ± sem of log10 final test ½·MSE.
    pub log10_test_loss: Option<(f64, f64)>,
    /// Mean ± sem of λ₁ per unit time.
    pub lyapunov: Option<(f64, f64)>,
    /// Fraction of runs with λ₁ > chaos_tol.
    pub chaotic_frac: Option<f64>,
    /// Fraction of seeds whose GD solution is linearly stable under these flips
    /// (over seeds where GD converged).
    pub stable_frac_gd_solution: Option<f64>,
    /// Mean ± sem of max Re normal at the GD solution.
    pub max_re_gd_solution: Option<(f64, f64)>,
    /// Fraction of seeds (GD converged) whose GD solution grows by more than e
    /// within the training horizon: max Re · epochs · η > 1.
    pub unstable_in_horizon_frac_gd_solution: Option<f64>,
    /// Fraction of seeds whose teacher embedding is stable under these flips.
    pub stable_frac_teacher: Option<f64>,
    /// Fraction of runs reaching the threshold.
    pub reached_frac: f64,
    /// Fraction of seeds where the curl run reached the threshold strictly
    /// earlier than GD (not reaching = never).
    pub faster_than_gd_frac: f64,
    /// Median over seeds where both reached of GD time / curl time.
    pub median_speedup: Option<f64>,
}

/// The aggregated diagram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseDiagram {
    /// The settings.
    pub params: PhaseParams,
    /// Cells, scale-major then flips.
    pub cells: Vec<PhaseCell>,
    /// Per init scale: smallest flip count whose GD solution is unstable
    /// (max Re > 0) in more than half of the seeds (None: none).
    pub critical_flips_by_scale: Vec<(f64, Option<usize>)>,
    /// Same with the horizon criterion (max Re · epochs · η > 1).
    pub critical_flips_horizon_by_scale: Vec<(f64, Option<usize>)>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    crate::linalg::sort_f64(&mut v);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    })
}

/// Aggregate units into cells.
pub fn aggregate(pp: &PhaseParams, units: &[UnitRun]) -> PhaseDiagram {
    let flips = pp.flips();
    let (c1, c2) = pp.base.flip_capacity();
    let cap = if pp.layer == Layer::L1 { c1 } else { c2 };
    let mut cells = vec![];
    let mut crit = vec![];
    let mut crit_h = vec![];
    let horizon = pp.base.epochs as f64 * pp.base.lr;
    for &s in &pp.init_scales {
        let us: Vec<&UnitRun> = units.iter().filter(|u| u.init_scale == s).collect();
        let mut critical = None;
        let mut critical_h = None;
        for (fi, &f) in flips.iter().enumerate() {
            let runs: Vec<(&UnitRun, &FlipRun)> = us
                .iter()
                .filter_map(|u| u.runs.get(fi).map(|r| (*u, r)))
                .collect();
            let n = runs.len();
            let frac = |c: usize, tot: usize| if tot == 0 { 0.0 } else { c as f64 / tot as f64 };
            let logs: Vec<f64> = runs
                .iter()
                .map(|(_, r)| r.final_test_loss)
                .filter(|v| v.is_finite() && *v > 0.0)
                .map(f64::log10)
                .collect();
            let lyap: Vec<f64> = runs.iter().filter_map(|(_, r)| r.lyapunov).collect();
            let gd_re: Vec<f64> = runs
                .iter()
                .filter_map(|(_, r)| r.max_re_gd_solution)
                .collect();
            let t_re: Vec<f64> = runs.iter().filter_map(|(_, r)| r.max_re_teacher).collect();
            let stable_gd = (!gd_re.is_empty())
                .then(|| frac(gd_re.iter().filter(|v| **v <= 0.0).count(), gd_re.len()));
            if critical.is_none() && stable_gd.is_some_and(|x| x < 0.5) {
                critical = Some(f);
            }
            let unstable_h = (!gd_re.is_empty()).then(|| {
                frac(
                    gd_re.iter().filter(|v| **v * horizon > 1.0).count(),
                    gd_re.len(),
                )
            });
            if critical_h.is_none() && unstable_h.is_some_and(|x| x > 0.5) {
                critical_h = Some(f);
            }
            let faster = runs
                .iter()
                .filter(
                    |(u, r)| match (r.time_to_threshold, u.gd_time_to_threshold) {
                        (Some(tc), Some(tg)) => tc < tg,
                        (Some(_), None) => true,
                        _ => false,
                    },
                )
                .count();
            let speed: Vec<f64> = runs
                .iter()
                .filter_map(
                    |(u, r)| match (r.time_to_threshold, u.gd_time_to_threshold) {
                        (Some(tc), Some(tg)) if tc > 0 => Some(tg as f64 / tc as f64),
                        _ => None,
                    },
                )
                .collect();
            cells.push(PhaseCell {
                flips: f,
                flip_frac: if cap == 0 { 0.0 } else { f as f64 / cap as f64 },
                init_scale: s,
                n,
                converged_frac: frac(runs.iter().filter(|(_, r)| r.converged).count(), n),
                log10_test_loss: mean_sem(&logs),
                lyapunov: mean_sem(&lyap),
                chaotic_frac: (!lyap.is_empty()).then(|| {
                    frac(
                        lyap.iter().filter(|l| **l > pp.chaos_tol).count(),
                        lyap.len(),
                    )
                }),
                stable_frac_gd_solution: stable_gd,
                max_re_gd_solution: mean_sem(&gd_re),
                unstable_in_horizon_frac_gd_solution: unstable_h,
                stable_frac_teacher: (!t_re.is_empty())
                    .then(|| frac(t_re.iter().filter(|v| **v <= 0.0).count(), t_re.len())),
                reached_frac: frac(
                    runs.iter()
                        .filter(|(_, r)| r.time_to_threshold.is_some())
                        .count(),
                    n,
                ),
                faster_than_gd_frac: frac(faster, n),
                median_speedup: median(speed),
            });
        }
        crit.push((s, critical));
        crit_h.push((s, critical_h));
    }
    PhaseDiagram {
        params: pp.clone(),
        cells,
        critical_flips_by_scale: crit,
        critical_flips_horizon_by_scale: crit_h,
    }
}

/// Serial phase diagram; `progress(done, total)` after each unit.
///
/// # Errors
/// Invalid parameters; numeric failures.
pub fn phase_diagram(
    pp: &PhaseParams,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<PhaseDiagram> {
    pp.check()?;
    let units = pp.units();
    let total = units.len();
    let mut out = Vec::with_capacity(total);
    for (i, (s, k)) in units.into_iter().enumerate() {
        out.push(run_unit(pp, s, k)?);
        progress(i + 1, total);
    }
    Ok(aggregate(pp, &out))
}
