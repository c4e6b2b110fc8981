//! Continual familiarity detection (Tyulmankov, Yang & Abbott, Neuron 2022).
//!
//! A stream of ±1 vectors x(t) ∈ {−1, 1}^N. For t ≥ R, with probability P the
//! item repeats x(t − R) — unless x(t − R) was itself a repeat — otherwise it
//! is fresh. The label y(t) = 1 marks a repeat. In the stationary stream the
//! repeat fraction q solves q = P(1 − q), so q = P/(1 + P): one third for
//! P = ½, and always answering "new" scores 1 − q (2/3 at P = ½).

use crate::error::{check_range, check_size, Error, Result};
use crate::rng;
use rand::Rng;

/// Largest input dimension N.
pub const MAX_N: usize = 4096;
/// Largest stream length T.
pub const MAX_T: usize = 200_000;

/// Parameters of the familiarity stream.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskParams {
    /// Input dimension N.
    pub n: usize,
    /// Repeat interval R, or the range [r_min, r_max] sampled per step (curricula).
    pub r_min: usize,
    /// Largest repeat interval; equal to `r_min` for a fixed R.
    pub r_max: usize,
    /// Repeat probability P.
    pub p: f64,
}

impl TaskParams {
    /// The study's defaults: N = 100, R = 5, P = 0.5.
    pub fn study() -> TaskParams {
        TaskParams {
            n: 100,
            r_min: 5,
            r_max: 5,
            p: 0.5,
        }
    }

    /// Check ranges.
    ///
    /// # Errors
    /// N outside 1..=4096, R = 0 or r_min > r_max or R > 10,000, P outside [0, 1].
    pub fn validate(&self) -> Result<()> {
        check_size("n", self.n, 1, MAX_N)?;
        check_size("r", self.r_min, 1, 10_000)?;
        check_size("r_max", self.r_max, 1, 10_000)?;
        if self.r_min > self.r_max {
            return Err(Error::param(
                "r",
                format!(
                    "range {}..{} is empty (minimum above maximum)",
                    self.r_min, self.r_max
                ),
            ));
        }
        check_range("p", self.p, 0.0, 1.0)?;
        Ok(())
    }

    /// Chance accuracy of always answering "new": 1 − P/(1 + P).
    pub fn chance(&self) -> f64 {
        1.0 - self.p / (1.0 + self.p)
    }

    /// Always answering "new" under the study's accuracy
    /// (1 − f)·TPR + f·(1 − FPR) with TPR = FPR = 0: the repeat fraction
    /// f = P/(1 + P) (⅓ at P = ½). See [`crate::hebbff::model::study_accuracy`].
    pub fn chance_study(&self) -> f64 {
        self.p / (1.0 + self.p)
    }
}

/// A generated stream: `x` is T×N row-major (±1), `y[t]` = 1 for a repeat.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// Input dimension N (row length of `x`).
    pub n: usize,
    /// The items x(t) ∈ {−1, 1}^N, T×N row-major.
    pub x: Vec<f64>,
    /// Labels y(t): 1 for a repeat, 0 for a new item.
    pub y: Vec<f64>,
}

impl Stream {
    /// Number of items T.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// True when the stream has no items.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// Row t of x.
    pub fn item(&self, t: usize) -> &[f64] {
        &self.x[t * self.n..(t + 1) * self.n]
    }

    /// Fraction of repeats.
    pub fn repeat_fraction(&self) -> f64 {
        if self.y.is_empty() {
            0.0
        } else {
            self.y.iter().sum::<f64>() / self.y.len() as f64
        }
    }
}

/// Generate a stream of `t` items, seeded.
///
/// # Errors
/// Invalid [`TaskParams`]; `t` outside 1..=200,000 or T·N above 64 Mi values.
///
/// # Complexity
/// O(T N).
pub fn generate(p: &TaskParams, t: usize, seed: u64) -> Result<Stream> {
    p.validate()?;
    check_size("stream length", t, 1, MAX_T)?;
    if t.saturating_mul(p.n) > 64 << 20 {
        return Err(Error::TooLarge {
            what: "stream (T·N values)",
            got: t.saturating_mul(p.n),
            limit: 64 << 20,
        });
    }
    let n = p.n;
    let mut rng = rng::seeded(seed);
    let mut x = vec![0.0; t * n];
    let mut y = vec![0.0; t];
    for s in 0..t {
        let r = if p.r_min == p.r_max {
            p.r_min
        } else {
            rng.random_range(p.r_min..=p.r_max)
        };
        // Draw the coin every step so the stream does not depend on history branching.
        let coin = rng.random::<f64>() < p.p;
        if s >= r && coin && y[s - r] == 0.0 {
            x.copy_within((s - r) * n..(s - r + 1) * n, s * n);
            y[s] = 1.0;
        } else {
            for v in &mut x[s * n..(s + 1) * n] {
                *v = if rng.random::<bool>() { 1.0 } else { -1.0 };
            }
        }
    }
    Ok(Stream { n, x, y })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_copy_the_item_r_back_and_never_chain() {
        let p = TaskParams::study();
        let s = generate(&p, 3000, 4).unwrap();
        for t in 0..s.len() {
            if s.y[t] == 1.0 {
                assert!(t >= 5);
                assert_eq!(s.item(t), s.item(t - 5));
                assert_eq!(s.y[t - 5], 0.0, "a repeat of a repeat at {t}");
            }
        }
        // q = P/(1+P) = 1/3; binomial sd at T = 3000 is ≈ 0.009.
        assert!((s.repeat_fraction() - 1.0 / 3.0).abs() < 0.03);
        assert!((p.chance() - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn same_seed_same_stream_and_ranges_sampled() {
        let p = TaskParams {
            n: 8,
            r_min: 2,
            r_max: 6,
            p: 0.5,
        };
        assert_eq!(generate(&p, 200, 9).unwrap(), generate(&p, 200, 9).unwrap());
        assert_ne!(
            generate(&p, 200, 9).unwrap(),
            generate(&p, 200, 10).unwrap()
        );
        let s = generate(&p, 2000, 1).unwrap();
        // Every repeat matches some item 2..=6 back.
        for t in 0..s.len() {
            if s.y[t] == 1.0 {
                assert!((2..=6).any(|r| t >= r && s.item(t) == s.item(t - r)));
            }
        }
    }

    #[test]
    fn bad_parameters_are_named() {
        let mut p = TaskParams::study();
        p.r_min = 7;
        p.r_max = 3;
        assert!(generate(&p, 10, 1).unwrap_err().to_string().contains("`r`"));
        let mut p = TaskParams::study();
        p.p = 1.5;
        assert!(generate(&p, 10, 1).unwrap_err().to_string().contains("`p`"));
        assert!(generate(&TaskParams::study(), 0, 1).is_err());
    }
}
