//! The one activity → multilayer-communities pipeline shared by the CLI's
//! `multilayer` command and the page: windowed Pearson FC
//! ([`windowed_fc`]) → multilayer Louvain ([`multilayer_from_layers`]) →
//! consensus partition of the pooled runs ([`partition::consensus`], τ = 0.5,
//! 5 repetitions; Lancichinetti & Fortunato 2012) → node order grouping the
//! consensus communities, plus the FC averaged over windows for display.

use super::fc::windowed_fc;
use super::multilayer::{multilayer_from_layers, ActivityParams, MultilayerResult};
use super::partition;
use crate::error::Result;
use ndarray::{Array2, ArrayView2};

/// Consensus threshold τ of the display ordering.
pub const CONSENSUS_TAU: f64 = 0.5;
/// Consensus repetitions of the display ordering.
pub const CONSENSUS_REPS: usize = 5;

/// What [`multilayer_pipeline`] returns.
#[derive(Debug, Clone)]
pub struct ActivityMultilayer {
    /// The multilayer communities (warnings include the FC's).
    pub result: MultilayerResult,
    /// FC averaged over the windows (M × M).
    pub fc_mean: Array2<f64>,
    /// The FC of every window (the layers), e.g. for null models.
    pub fc: Vec<Array2<f64>>,
    /// Layers (windows) analysed.
    pub layers: usize,
    /// Node order grouping the consensus communities of all runs and layers.
    pub order: Vec<usize>,
    /// Community borders in `order` (positions where a new community starts).
    pub borders: Vec<usize>,
}

/// Node order and community borders of the consensus of `labels` (layers × nodes).
///
/// # Errors
/// As [`partition::consensus`].
pub fn consensus_order(labels: &[Vec<usize>], seed: u64) -> Result<(Vec<usize>, Vec<usize>)> {
    let refs: Vec<&[usize]> = labels.iter().map(|v| v.as_slice()).collect();
    let cons = partition::consensus(&refs, CONSENSUS_TAU, CONSENSUS_REPS, seed)?;
    Ok(partition::order_by_community(&cons))
}

/// Activity (T samples × M units) → windows of `p.window` (step `p.step`,
/// `None` = disjoint) → Pearson FC per window → multilayer modularity with
/// `p.multilayer` → consensus order. `progress(done, total)` after each run.
///
/// # Errors
/// As [`windowed_fc`], [`multilayer_from_layers`] and [`consensus_order`].
///
/// # Complexity
/// O(L Z M²) for the FC plus the multilayer optimisation plus the consensus
/// (a few single-layer Louvain runs on an M × M matrix).
pub fn multilayer_pipeline(
    activity: ArrayView2<f64>,
    p: &ActivityParams,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ActivityMultilayer> {
    p.check()?;
    let fc = windowed_fc(activity, p.window, p.step)?;
    let mut result = multilayer_from_layers(&fc.layers, &p.multilayer, progress)?;
    result.warnings.extend(fc.warnings);
    let layers = fc.layers.len();
    let m = activity.ncols();
    let fc_mean = fc.layers.iter().fold(Array2::zeros((m, m)), |a, b| a + b) / layers.max(1) as f64;
    let (order, borders) = consensus_order(&result.labels, p.multilayer.seed)?;
    Ok(ActivityMultilayer {
        result,
        fc_mean,
        fc: fc.layers,
        layers,
        order,
        borders,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modularity::synthetic::planted_activity;

    #[test]
    fn planted_modules_come_out_grouped() {
        // 12 units in 3 planted modules of 4, 6 windows of 40 samples, no drift.
        let (x, _) = planted_activity(12, 3, 6, 40, 0, 0.3, 7).unwrap();
        let mut p = ActivityParams::hebbff();
        p.window = 40;
        p.multilayer.runs = 2;
        let mut calls = 0;
        let r = multilayer_pipeline(x.view(), &p, &mut |_, _| calls += 1).unwrap();
        assert_eq!(calls, 2);
        assert_eq!(r.layers, 6);
        assert_eq!(r.result.labels.len(), 6);
        assert_eq!(r.order.len(), 12);
        let mut sorted = r.order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..12).collect::<Vec<_>>());
        // Units of one module correlate at 1/(1 + σ²) = 1/1.09 ≈ 0.92 in
        // every window, units of different modules at ≈ 0.
        assert!(
            (r.fc_mean[[0, 1]] - 1.0 / 1.09).abs() < 0.05,
            "{}",
            r.fc_mean[[0, 1]]
        );
        assert!(r.fc_mean[[0, 11]].abs() < 0.2, "{}", r.fc_mean[[0, 11]]);
        // The consensus groups the planted modules: three communities of 4
        // (borders after 4 and 8), each a block of consecutive units.
        assert_eq!(r.borders, vec![4, 8]);
        for block in r.order.chunks(4) {
            let g = block[0] / 4;
            assert!(block.iter().all(|&u| u / 4 == g), "{:?}", r.order);
        }
    }
}
