//! Two-sample statistics for group comparisons: Welch's t-test, a seeded
//! permutation test, Holm's step-down correction and Spearman's ρ.
//!
//! Conventions follow SciPy (`scipy.stats.ttest_ind(equal_var=False)`,
//! `permutation_test` on the difference of means, two-sided,
//! `false_discovery_control`-style adjusted p-values for Holm as in
//! `statsmodels.multipletests(method="holm")`, `spearmanr`); the tests in
//! this module compare against numbers computed with SciPy 1.x.

use crate::error::{Error, Result};
use crate::train::curves::{mean_err, GroupCurve};
use rand::seq::SliceRandom;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Welch's unequal-variance t-test of mean(a) − mean(b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Welch {
    /// mean(a) − mean(b).
    pub diff: f64,
    /// Standard error of the difference, √(s²_a/n_a + s²_b/n_b).
    pub sem: f64,
    /// diff/sem (None when sem = 0, i.e. both samples constant).
    pub t: Option<f64>,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value, 2·(1 − F_t(|t|; df)); 1 when sem = 0 and diff = 0,
    /// 0 when sem = 0 and diff ≠ 0.
    pub p: f64,
}

/// Welch's t-test (Welch 1947):
/// t = (ā − b̄)/√(s²_a/n_a + s²_b/n_b),
/// ν = (s²_a/n_a + s²_b/n_b)² / ((s²_a/n_a)²/(n_a−1) + (s²_b/n_b)²/(n_b−1)),
/// p = 2·P(T_ν > |t|) (statrs' Student t CDF).
///
/// # Errors
/// [`Error::Param`] when a sample has fewer than 2 values or a non-finite value.
/// Complexity: O(n_a + n_b).
pub fn welch(a: &[f64], b: &[f64]) -> Result<Welch> {
    check_sample("a", a)?;
    check_sample("b", b)?;
    let (ma, mb) = (mean_err(a), mean_err(b));
    let (va, vb) = (
        ma.sd * ma.sd / a.len() as f64,
        mb.sd * mb.sd / b.len() as f64,
    );
    let diff = ma.mean - mb.mean;
    let se2 = va + vb;
    let sem = se2.sqrt();
    if se2 == 0.0 {
        return Ok(Welch {
            diff,
            sem,
            t: None,
            df: (a.len() + b.len() - 2) as f64,
            p: if diff == 0.0 { 1.0 } else { 0.0 },
        });
    }
    let df = se2 * se2 / (va * va / (a.len() - 1) as f64 + vb * vb / (b.len() - 1) as f64);
    let t = diff / sem;
    let dist = StudentsT::new(0.0, 1.0, df)
        .map_err(|e| Error::Numeric(format!("Student t with {df} df: {e}")))?;
    let p = (2.0 * dist.sf(t.abs())).min(1.0);
    Ok(Welch {
        diff,
        sem,
        t: Some(t),
        df,
        p,
    })
}

fn check_sample(name: &'static str, x: &[f64]) -> Result<()> {
    if x.len() < 2 {
        return Err(Error::param(name, "a sample needs at least 2 values"));
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(Error::param(name, "the sample has NaN or Inf values"));
    }
    Ok(())
}

/// Binomial coefficient C(n, k) as f64 (exact below 2⁵³).
fn choose(n: usize, k: usize) -> f64 {
    (0..k.min(n - k)).fold(1.0, |c, i| c * (n - i) as f64 / (i + 1) as f64)
}

/// Two-sided permutation test of the difference of means (Fisher–Pitman),
/// SciPy's `permutation_test` convention: with D the mean difference under
/// relabellings of the pooled sample and d the observed one,
/// p = min(1, 2·min(P(D ≤ d), P(D ≥ d))). Exact (all C(n_a+n_b, n_a)
/// splits, as SciPy with `n_resamples ≥` that count) when the count is at
/// most `permutations`; otherwise `permutations` seeded random relabellings
/// with each tail (1 + hits)/(1 + permutations) (Phipson & Smyth 2010). Values
/// within a relative 1e-12 of d count as ties (hits on both sides).
///
/// # Errors
/// As [`welch`]; `permutations` = 0.
/// Complexity: O(min(C(n, n_a), permutations) · n).
pub fn permutation_test(a: &[f64], b: &[f64], permutations: usize, seed: u64) -> Result<f64> {
    check_sample("a", a)?;
    check_sample("b", b)?;
    if permutations == 0 {
        return Err(Error::param("permutations", "must be at least 1"));
    }
    let pooled: Vec<f64> = a.iter().chain(b).copied().collect();
    let (n, na) = (pooled.len(), a.len());
    let total: f64 = pooled.iter().sum();
    let diff_of = |sum_a: f64| sum_a / na as f64 - (total - sum_a) / (n - na) as f64;
    let obs = diff_of(a.iter().sum());
    let tol = 1e-12 * obs.abs().max(f64::MIN_POSITIVE);
    let (mut le, mut ge, mut count) = (0u64, 0u64, 0u64);
    let mut tally = |sum_a: f64| {
        let d = diff_of(sum_a);
        le += u64::from(d <= obs + tol);
        ge += u64::from(d >= obs - tol);
        count += 1;
    };
    let exact = n <= 62 && choose(n, na) <= permutations as f64;
    if exact {
        // Gosper's hack over all na-subsets of n bits.
        let mut set: u64 = (1u64 << na) - 1;
        let limit = 1u64 << n;
        while set < limit {
            tally(
                (0..n)
                    .filter(|i| set >> i & 1 == 1)
                    .map(|i| pooled[i])
                    .sum(),
            );
            let c = set & set.wrapping_neg();
            let r = set + c;
            set = (((r ^ set) >> 2) / c) | r;
        }
    } else {
        let mut rng = crate::rng::seeded(seed);
        let mut v = pooled.clone();
        for _ in 0..permutations {
            v.shuffle(&mut rng);
            tally(v[..na].iter().sum());
        }
    }
    let (le, ge, count) = if exact {
        (le as f64, ge as f64, count as f64)
    } else {
        ((le + 1) as f64, (ge + 1) as f64, (count + 1) as f64)
    };
    Ok((2.0 * le.min(ge) / count).min(1.0))
}

/// Holm's (1979) step-down adjusted p-values, in the input order: with
/// p₍₁₎ ≤ … ≤ p₍ₘ₎, p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎).
///
/// Complexity: O(m log m).
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let idx = crate::linalg::argsort(p, false);
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in idx.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        out[i] = running;
    }
    out
}

/// Spearman's rank correlation and its two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spearman {
    /// ρ: Pearson correlation of the (average-tie) ranks.
    pub rho: f64,
    /// p from t = ρ√((n−2)/(1−ρ²)) with n − 2 df (SciPy's `spearmanr`).
    pub p: f64,
    /// Sample size.
    pub n: usize,
}

/// Mid-ranks, 1-based (ties share the mean of their ranks), as scipy's
/// `rankdata(method="average")`. O(n log n).
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let idx = crate::linalg::argsort(x, false);
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's ρ of paired samples (ties get average ranks).
///
/// # Errors
/// [`Error::Param`] for different lengths, fewer than 3 pairs, non-finite
/// values, or a constant sample (ρ undefined).
/// Complexity: O(n log n).
pub fn spearman(x: &[f64], y: &[f64]) -> Result<Spearman> {
    if x.len() != y.len() {
        return Err(Error::param("y", "x and y need the same length"));
    }
    if x.len() < 3 {
        return Err(Error::param("x", "Spearman's rho needs at least 3 pairs"));
    }
    check_sample("x", x)?;
    check_sample("y", y)?;
    let (rx, ry) = (ranks(x), ranks(y));
    let n = x.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        return Err(Error::param(
            "x",
            "a constant sample has no rank correlation",
        ));
    }
    let rho = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    let df = n - 2.0;
    let p = if rho.abs() >= 1.0 {
        0.0
    } else {
        let t = rho * (df / (1.0 - rho * rho)).sqrt();
        let dist = StudentsT::new(0.0, 1.0, df)
            .map_err(|e| Error::Numeric(format!("Student t with {df} df: {e}")))?;
        (2.0 * dist.sf(t.abs())).min(1.0)
    };
    Ok(Spearman { rho, p, n: x.len() })
}

/// One comparison of groups `a` and `b` at one level (noise σ, step after a
/// kick, training iteration, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairTest {
    /// The level (x value of the curve).
    pub level: f64,
    /// First group.
    pub a: String,
    /// Second group.
    pub b: String,
    /// mean(a) − mean(b).
    pub diff: f64,
    /// Welch standard error of the difference.
    pub sem: f64,
    /// Welch t (null when both groups are constant at this level).
    pub t: Option<f64>,
    /// Welch degrees of freedom.
    pub df: f64,
    /// Welch two-sided p.
    pub p: f64,
    /// Holm-adjusted p across the levels of this pair.
    pub p_holm: f64,
    /// Permutation-test p (None when `permutations` = 0).
    pub p_perm: Option<f64>,
}

/// For every pair of curves (a before b in the given order) and every level,
/// Welch's test and a permutation test of the networks' values
/// (`per_network[k][level]`), with Holm's correction across levels within
/// each pair. Permutation seeds differ per pair and level (derived from
/// `seed`).
///
/// # Errors
/// `levels` and the curves' lengths disagree; a group has < 2 networks.
/// Complexity: O(pairs · levels · (K + min(C(2K, K), permutations) · K)).
pub fn pairwise_tests(
    levels: &[f64],
    curves: &[GroupCurve],
    permutations: usize,
    seed: u64,
) -> Result<Vec<PairTest>> {
    if curves.iter().any(|c| c.mean.len() != levels.len()) {
        return Err(Error::Shape("every curve needs one value per level".into()));
    }
    if curves.iter().any(|c| c.per_network.len() < 2) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut pair = 0u64;
    for (i, ca) in curves.iter().enumerate() {
        for cb in &curves[i + 1..] {
            let start = out.len();
            for (l, &level) in levels.iter().enumerate() {
                let xa: Vec<f64> = ca.per_network.iter().map(|r| r[l]).collect();
                let xb: Vec<f64> = cb.per_network.iter().map(|r| r[l]).collect();
                let w = welch(&xa, &xb)?;
                let p_perm = if permutations > 0 {
                    let s = seed ^ pair.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (l as u64) << 32;
                    Some(permutation_test(&xa, &xb, permutations, s)?)
                } else {
                    None
                };
                out.push(PairTest {
                    level,
                    a: ca.group.clone(),
                    b: cb.group.clone(),
                    diff: w.diff,
                    sem: w.sem,
                    t: w.t,
                    df: w.df,
                    p: w.p,
                    p_holm: w.p,
                    p_perm,
                });
            }
            let ps: Vec<f64> = out[start..].iter().map(|t| t.p).collect();
            for (t, ph) in out[start..].iter_mut().zip(holm(&ps)) {
                t.p_holm = ph;
            }
            pair += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference numbers computed with SciPy 1.17.1 / statsmodels in a
    // throw-away venv:
    //   ttest_ind(a, b, equal_var=False); permutation_test((a, b),
    //   mean(x) − mean(y), n_resamples=np.inf); spearmanr(x, y);
    //   multipletests(p, method="holm").
    const A: [f64; 5] = [1.0, 2.0, 3.0, 4.0, 5.0];
    const B: [f64; 6] = [2.0, 4.0, 6.0, 8.0, 10.0, 12.0];

    #[test]
    fn welch_matches_scipy() {
        let w = welch(&A, &B).unwrap();
        // By hand: ā = 3, b̄ = 7, s²_a = 2.5, s²_b = 14; se² = 0.5 + 14/6.
        assert!((w.diff + 4.0).abs() < 1e-15);
        assert!((w.sem - (0.5f64 + 14.0 / 6.0).sqrt()).abs() < 1e-15);
        assert!((w.t.unwrap() + 2.3763541031440183).abs() < 1e-12);
        assert!((w.df - 6.972255729794934).abs() < 1e-10);
        assert!((w.p - 0.04928433820673053).abs() < 1e-9, "{}", w.p);
        let w2 = welch(&[0.1, 0.5, 0.3], &[0.9, 0.7, 1.1]).unwrap();
        assert!((w2.t.unwrap() + 3.674234614174767).abs() < 1e-12);
        assert!((w2.p - 0.021311641128756702).abs() < 1e-9);
        // Constant samples: no t, p from the sign of the difference.
        let c = welch(&[1.0, 1.0], &[1.0, 1.0]).unwrap();
        assert_eq!((c.t, c.p), (None, 1.0));
        assert!(welch(&[1.0], &B).is_err());
    }

    #[test]
    fn exact_permutation_test_matches_scipy() {
        // C(11, 5) = 462 splits, 16 with Δ ≤ −4 → 2·16/462.
        let p = permutation_test(&A, &B, 10_000, 1).unwrap();
        assert!((p - 0.06926406926406926).abs() < 1e-15, "{p}");
        // 3 vs 3 fully separated: 2 of C(6, 3) = 20 splits.
        let p = permutation_test(&[0.1, 0.5, 0.3], &[0.9, 0.7, 1.1], 100, 1).unwrap();
        assert!((p - 0.1).abs() < 1e-15);
    }

    #[test]
    fn monte_carlo_permutation_test_is_seeded_and_close() {
        let p1 = permutation_test(&A, &B, 200, 7).unwrap();
        assert_eq!(p1, permutation_test(&A, &B, 200, 7).unwrap());
        let p = permutation_test(&A, &B, 100, 3).unwrap(); // fewer than 462 → sampled
        assert!((p - 0.0693).abs() < 0.06, "{p}");
        let big = permutation_test(&A, &B, 200_000, 3);
        assert!((big.unwrap() - 0.06926406926406926).abs() < 1e-15); // exact again
    }

    #[test]
    fn holm_matches_statsmodels() {
        let h = holm(&[0.01, 0.04, 0.03, 0.005]);
        let want = [0.03, 0.06, 0.06, 0.02];
        for (a, b) in h.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{h:?}");
        }
    }

    #[test]
    fn spearman_matches_scipy() {
        let s = spearman(
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            &[2.0, 1.0, 4.0, 3.0, 7.0, 5.0, 6.0],
        )
        .unwrap();
        assert!((s.rho - 0.8214285714285715).abs() < 1e-14);
        assert!((s.p - 0.0234488083456915).abs() < 1e-9);
        // Ties get average ranks.
        let s = spearman(&[1.0, 2.0, 2.0, 3.0, 4.0], &[5.0, 6.0, 6.0, 8.0, 7.0]).unwrap();
        assert!((s.rho - 0.8947368421052632).abs() < 1e-14);
        assert!((s.p - 0.04034313006075299).abs() < 1e-9);
        assert!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).is_err());
    }

    #[test]
    fn pairwise_tests_apply_holm_within_a_pair() {
        let c = |g: &str, rows: Vec<Vec<f64>>| GroupCurve::from_rows(g.into(), rows);
        let a = c("a", A.iter().map(|&x| vec![x, x]).collect());
        let b = c("b", B.iter().map(|&x| vec![x, x + 100.0]).collect());
        let t = pairwise_tests(&[0.0, 1.0], &[a, b], 1000, 1).unwrap();
        assert_eq!(t.len(), 2);
        assert!((t[0].p - 0.04928433820673053).abs() < 1e-9);
        assert!(t[1].p < t[0].p);
        assert!((t[0].p_holm - t[0].p.max(2.0 * t[1].p)).abs() < 1e-15);
        assert!((t[0].p_perm.unwrap() - 0.06926406926406926).abs() < 1e-15);
    }
}
