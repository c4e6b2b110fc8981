//! Weight penalties added to the task loss: L = task + λ·penalty(W).
//!
//! The trait takes W in the RNN convention (W[i][j] = weight from j to i) and
//! returns the penalty and its gradient in the same convention. The motif
//! penalty of the poster, Σ_m s_m c_m(W) ([`MotifPenalty`]), goes through
//! `motifs::soft_penalty_grad(Wᵀ, …)` (adjacency A = Wᵀ, gradient transposed
//! back); [`MotifRegSpec`] parses the CLI's per-level signs.

use crate::error::{Error, Result};
use ndarray::Array2;

/// A differentiable penalty on the recurrent weights.
pub trait WeightPenalty {
    /// (penalty, ∂penalty/∂W), W in the RNN convention.
    ///
    /// # Errors
    /// Implementation-specific (e.g. a non-square W).
    fn value_grad(&self, w: &Array2<f64>) -> Result<(f64, Array2<f64>)>;
}

/// ½‖W‖²_F, gradient W — the simplest penalty, used to test the plumbing.
#[derive(Debug, Clone, Copy, Default)]
pub struct L2Penalty;

impl WeightPenalty for L2Penalty {
    fn value_grad(&self, w: &Array2<f64>) -> Result<(f64, Array2<f64>)> {
        Ok((0.5 * w.iter().map(|x| x * x).sum::<f64>(), w.clone()))
    }
}

/// The poster's motif regulariser: penalty(W) = Σ_m s_m c_m(W), with c_m the
/// differentiable motif counts ([`crate::motifs::soft_counts`]) of the graph
/// with an edge j → i where W[i][j] ≠ 0. Minimising λ·penalty suppresses
/// motifs with s_m > 0 and enriches those with s_m < 0.
#[derive(Debug, Clone)]
pub struct MotifPenalty {
    /// s_m per motif id 1–13 (index 0 = motif 1).
    pub weights: [f64; 13],
    /// Soft edge presence; scale its threshold to the typical |W_ij|.
    pub presence: crate::motifs::SoftPresence,
}

impl MotifPenalty {
    /// From the CLI's signs, where `+1` means *enrich* (s_m = −1) and `−1`
    /// *suppress* (s_m = +1), with a soft presence threshold of 1/√N
    /// (about one standard deviation of the initial weights, g/√N with g ≈ 1).
    pub fn enrich(spec: &MotifRegSpec, n: usize) -> MotifPenalty {
        let signs = spec.weights(&crate::motifs::motif_levels());
        let scale = 1.0 / (n.max(1) as f64).sqrt();
        MotifPenalty {
            weights: signs.map(|s| -s),
            presence: crate::motifs::SoftPresence {
                threshold: scale.min(0.9),
                temperature: 0.25 * scale,
            },
        }
    }

    /// Soft motif counts of W (RNN convention) grouped by stability level 1–3.
    ///
    /// # Errors
    /// As [`crate::motifs::soft_counts`].
    pub fn counts_by_level(&self, w: &Array2<f64>) -> Result<[f64; 3]> {
        let c = crate::motifs::soft_counts(&w.t().to_owned(), &self.presence)?;
        let mut by = [0.0; 3];
        for (m, lvl) in crate::motifs::motif_levels().iter().enumerate() {
            by[(*lvl as usize).clamp(1, 3) - 1] += c[m];
        }
        Ok(by)
    }
}

impl WeightPenalty for MotifPenalty {
    fn value_grad(&self, w: &Array2<f64>) -> Result<(f64, Array2<f64>)> {
        let (v, g) =
            crate::motifs::soft_penalty_grad(&w.t().to_owned(), &self.presence, &self.weights)?;
        Ok((v, g.reversed_axes()))
    }
}

/// Signs s ∈ {−1, 0, +1} per stability level (1–3) or per motif (1–13),
/// parsed from `level1:+1,level3:-1,m7:-1`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MotifRegSpec {
    /// Sign per level 1, 2, 3 (index 0 = level 1).
    pub levels: [f64; 3],
    /// Explicit sign per motif 1–13 (overrides the level sign when `Some`).
    pub motifs: [Option<f64>; 13],
}

impl MotifRegSpec {
    /// Parse a comma-separated list of `levelK:±1` (K = 1–3) and `mK:±1`
    /// (K = 1–13). Empty string → no regularization.
    ///
    /// # Errors
    /// Unknown key, level or motif out of range, sign not −1, 0 or +1.
    pub fn parse(s: &str) -> Result<MotifRegSpec> {
        let mut spec = MotifRegSpec::default();
        for item in s.split(',').map(str::trim).filter(|x| !x.is_empty()) {
            let (key, val) = item.split_once(':').ok_or_else(|| {
                Error::param(
                    "motif-reg",
                    format!("`{item}`: expected key:sign, e.g. level1:+1"),
                )
            })?;
            let sign: f64 = val.trim().trim_start_matches('+').parse().map_err(|_| {
                Error::param(
                    "motif-reg",
                    format!("`{item}`: sign `{val}` is not a number"),
                )
            })?;
            if ![-1.0, 0.0, 1.0].contains(&sign) {
                return Err(Error::param(
                    "motif-reg",
                    format!("`{item}`: sign must be -1, 0 or +1"),
                ));
            }
            let key = key.trim().to_ascii_lowercase();
            let num = |prefix: &str, hi: usize| -> Result<usize> {
                key[prefix.len()..]
                    .parse::<usize>()
                    .ok()
                    .filter(|k| (1..=hi).contains(k))
                    .ok_or_else(|| {
                        Error::param(
                            "motif-reg",
                            format!("`{item}`: {prefix} number must be 1–{hi}"),
                        )
                    })
            };
            if key.starts_with("level") {
                spec.levels[num("level", 3)? - 1] = sign;
            } else if key.starts_with('m') {
                spec.motifs[num("m", 13)? - 1] = Some(sign);
            } else {
                return Err(Error::param(
                    "motif-reg",
                    format!("`{item}`: key must be levelK or mK"),
                ));
            }
        }
        Ok(spec)
    }

    /// Per-motif weights s_m given each motif's stability level (1–3), e.g.
    /// from `motifs::motif_levels()`.
    pub fn weights(&self, motif_levels: &[u8; 13]) -> [f64; 13] {
        let mut w = [0.0; 13];
        for m in 0..13 {
            let lvl = motif_levels[m] as usize;
            w[m] = self.motifs[m].unwrap_or(if (1..=3).contains(&lvl) {
                self.levels[lvl - 1]
            } else {
                0.0
            });
        }
        w
    }

    /// No motif or level selected.
    pub fn is_empty(&self) -> bool {
        self.levels.iter().all(|&s| s == 0.0) && self.motifs.iter().all(|m| m.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_levels_and_motifs() {
        let s = MotifRegSpec::parse("level1:+1, level3:-1,m2:0").unwrap();
        assert_eq!(s.levels, [1.0, 0.0, -1.0]);
        assert_eq!(s.motifs[1], Some(0.0));
        let lv = [1, 1, 2, 3, 3, 1, 2, 2, 3, 1, 2, 3, 1];
        let w = s.weights(&lv);
        assert_eq!(w[0], 1.0);
        assert_eq!(w[1], 0.0); // explicit override
        assert_eq!(w[3], -1.0);
        assert_eq!(w[2], 0.0);
        assert!(MotifRegSpec::parse("").unwrap().is_empty());
    }

    #[test]
    fn bad_specs_are_errors() {
        for bad in [
            "level4:+1",
            "level1",
            "m14:1",
            "level1:2",
            "x1:1",
            "level1:abc",
        ] {
            let e = MotifRegSpec::parse(bad).unwrap_err();
            assert!(e.to_string().contains("motif-reg"), "{bad}: {e}");
        }
    }

    #[test]
    fn l2_gradient_is_w() {
        let w = ndarray::array![[1.0, -2.0], [0.5, 0.0]];
        let (v, g) = L2Penalty.value_grad(&w).unwrap();
        assert_eq!(v, 0.5 * (1.0 + 4.0 + 0.25));
        assert_eq!(g, w);
    }
}
