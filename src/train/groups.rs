//! Experimental groups and the weight statistics every group reports.
//!
//! A group is either a motif-regularisation spec (`level1:+1`, `level3:+1`,
//! `none`) or the **matched control** `matched`: no motif preference, and
//! ‖W‖_F held to a target — the mean ‖W‖_F of the trained reference group (the
//! first group that enriches Level 3). It is held **by projection**
//! (rescaling): after every Adam step W ← W · target/‖W‖_F, and once before
//! training, so training is projected gradient descent on the sphere
//! ‖W‖_F = target. The norm equals its target to rounding at all times
//! (a penalty would only approach it). This separates "Level-3 motifs" from
//! "a large, dense W" (Level-3 enrichment pushes many |W_ij| over the presence
//! threshold, raising ‖W‖_F and the spectral radius).

use super::curves::{mean_err, MeanErr};
use super::penalty::MotifRegSpec;
use crate::error::{Error, Result};
use ndarray::Array2;
use serde::Serialize;

/// What defines a group.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // a handful per experiment
pub enum GroupKind {
    /// Motif regulariser with these signs (empty = unregularised).
    Motif(MotifRegSpec),
    /// No motif preference, ‖W‖_F projected onto the reference group's mean.
    Matched,
}

impl GroupKind {
    /// Parse `matched`, `none`/empty, or a [`MotifRegSpec`] string.
    ///
    /// # Errors
    /// As [`MotifRegSpec::parse`].
    pub fn parse(s: &str) -> Result<GroupKind> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("matched") {
            Ok(GroupKind::Matched)
        } else if s.is_empty() || s.eq_ignore_ascii_case("none") {
            Ok(GroupKind::Motif(MotifRegSpec::default()))
        } else {
            MotifRegSpec::parse(s).map(GroupKind::Motif)
        }
    }

    /// Index of the reference group of a matched control: the first group
    /// that enriches Level 3 (level-3 sign > 0).
    ///
    /// # Errors
    /// [`Error::Param`] (`groups`) when there is a matched group but no
    /// Level-3-enriched group to match.
    pub fn reference(kinds: &[GroupKind]) -> Result<Option<usize>> {
        if !kinds.contains(&GroupKind::Matched) {
            return Ok(None);
        }
        kinds
            .iter()
            .position(|k| matches!(k, GroupKind::Motif(s) if s.levels[2] > 0.0))
            .map(Some)
            .ok_or_else(|| {
                Error::param(
                    "groups",
                    "a `matched` group needs a Level-3-enriched group (e.g. level3:+1) to match",
                )
            })
    }
}

/// ‖W‖_F = √(Σ W_ij²).
pub fn frobenius(w: &Array2<f64>) -> f64 {
    w.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Check a ‖W‖_F target for the matched control: positive and finite, and W
/// not all zeros (which no rescaling can bring to a norm).
///
/// # Errors
/// [`Error::Param`] naming `norm_target`; [`Error::Numeric`] for W = 0.
pub fn check_norm_target(w: &Array2<f64>, target: f64) -> Result<()> {
    crate::error::check_range("norm_target", target, 1e-9, 1e9)?;
    if frobenius(w) == 0.0 {
        return Err(Error::Numeric(
            "cannot rescale W = 0 to a norm target".into(),
        ));
    }
    Ok(())
}

/// Project W onto ‖W‖_F = `target` by rescaling (W = 0 is left alone).
pub fn rescale_to_norm(w: &mut Array2<f64>, target: f64) {
    let f = frobenius(w);
    if f > 0.0 {
        *w *= target / f;
    }
}

/// Weight statistics of one network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct WeightStats {
    /// ‖W‖_F.
    pub frobenius: f64,
    /// max |λ(W)|.
    pub spectral_radius: f64,
    /// Fraction of off-diagonal entries with |W_ij| > presence threshold θ.
    pub density: f64,
}

impl WeightStats {
    /// Statistics of W with presence threshold θ (the soft motif counts'
    /// threshold, so "density" is the edge density the motif counter sees).
    ///
    /// # Errors
    /// An eigenvalue failure (non-finite W).
    /// Complexity: O(N³).
    pub fn of(w: &Array2<f64>, threshold: f64) -> Result<WeightStats> {
        let n = w.nrows();
        let eig = crate::linalg::eigenvalues(w)?;
        let above = w
            .indexed_iter()
            .filter(|((i, j), v)| i != j && v.abs() > threshold)
            .count();
        let pairs = n * n.saturating_sub(1);
        Ok(WeightStats {
            frobenius: frobenius(w),
            spectral_radius: crate::linalg::spectral_radius(&eig),
            density: if pairs > 0 {
                above as f64 / pairs as f64
            } else {
                0.0
            },
        })
    }
}

/// Per-group means (± sd, sem across networks) of [`WeightStats`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GroupWeightStats {
    /// ‖W‖_F.
    pub frobenius: MeanErr,
    /// Spectral radius.
    pub spectral_radius: MeanErr,
    /// Density above the presence threshold.
    pub density: MeanErr,
}

impl GroupWeightStats {
    /// Summaries of the networks' statistics.
    pub fn of(stats: &[WeightStats]) -> GroupWeightStats {
        let col = |f: fn(&WeightStats) -> f64| mean_err(&stats.iter().map(f).collect::<Vec<_>>());
        GroupWeightStats {
            frobenius: col(|s| s.frobenius),
            spectral_radius: col(|s| s.spectral_radius),
            density: col(|s| s.density),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_by_hand() {
        // W = [[0, 2], [0.5, 0]]: ‖W‖_F = √4.25, eigenvalues ±1, one of two
        // off-diagonal entries above θ = 1.
        let w = ndarray::array![[0.0, 2.0], [0.5, 0.0]];
        let s = WeightStats::of(&w, 1.0).unwrap();
        assert!((s.frobenius - 4.25f64.sqrt()).abs() < 1e-15);
        assert!((s.spectral_radius - 1.0).abs() < 1e-12);
        assert_eq!(s.density, 0.5);
    }

    #[test]
    fn parse_and_reference() {
        let k: Vec<GroupKind> = ["level1:+1", "level3:+1", "matched"]
            .iter()
            .map(|s| GroupKind::parse(s).unwrap())
            .collect();
        assert_eq!(GroupKind::reference(&k).unwrap(), Some(1));
        let bad = [GroupKind::parse("none").unwrap(), GroupKind::Matched];
        assert!(GroupKind::reference(&bad).is_err());
        assert_eq!(GroupKind::reference(&k[..2]).unwrap(), None);
    }
}
