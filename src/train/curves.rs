//! Group curves with error bars across networks: mean, sample sd (K − 1) and
//! sem = sd/√K per point (shared by the training experiments and RL).

use serde::Serialize;

/// Mean, sample standard deviation (K − 1; 0 for K = 1) and standard error
/// sd/√K of K numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanErr {
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (K − 1).
    pub sd: f64,
    /// Standard error sd/√K.
    pub sem: f64,
    /// K, the number of values.
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
    /// Group name.
    pub group: String,
    /// Mean per point.
    pub mean: Vec<f64>,
    /// Sample sd per point.
    pub sd: Vec<f64>,
    /// sem per point.
    pub sem: Vec<f64>,
    /// Every network's values, `per_network[k][point]`.
    pub per_network: Vec<Vec<f64>>,
}

impl GroupCurve {
    /// Curve of `rows[network][point]` (all rows the same length).
    pub fn from_rows(group: String, rows: Vec<Vec<f64>>) -> GroupCurve {
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
