//! Rate-network dynamics: simulation ([`simulate`]), fixed points and their
//! Jacobians ([`fixed_points`]), the dimension of activity ([`dimension`]),
//! Lyapunov spectra ([`lyapunov`]) and random-mode sweeps ([`sweep`]).
//!
//! The model is dh/dt = −h/τ + W φ(h) + I(t) + η(t), with W[i][j] the weight
//! from unit j to unit i.

pub mod batch;
pub mod dimension;
pub mod fixed_points;
mod input;
pub mod kernel;
pub mod lyapunov;
pub mod recorder;
pub mod simulate;
pub mod sweep;

pub use batch::BatchSimulator;
pub use dimension::{
    activity_dimension, autocorrelation, participation_ratio, pca, pca_of_scatter,
    ActivityDimension, Autocorrelation, DimensionParams, Pca, Record, UnitTimescale,
};
pub use fixed_points::{find_fixed_points, jacobian, FixedPoint, NewtonOpts};
pub use lyapunov::{kaplan_yorke, lyapunov_spectrum, LyapunovParams, LyapunovSpectrum};
pub use recorder::{record, RecordedChunk, Recorder, MAX_RECORD_SAMPLES};
pub use simulate::{linear_closed_form, Activation, Input, Params, Simulator};

/// Largest network the dynamics routines accept.
pub const MAX_UNITS: usize = 5000;

use crate::error::{Error, Result};
use ndarray::Array2;

/// Largest number of steps one simulation may take (burn + samples × every).
pub const MAX_STEPS: usize = 1_000_000_000;
/// Largest simulation work, steps × N² multiply-adds (about a minute natively).
pub const MAX_STEP_WORK: f64 = 1e11;

/// Refuse a simulation of `n` units whose step count (`burn + samples ×
/// every`) or work (steps × N²) is over budget, before any step is taken.
///
/// # Arguments
/// `n` units; `burn` steps dropped; `samples` states every `every` steps.
///
/// # Returns
/// The total number of steps.
///
/// # Errors
/// [`Error::TooLarge`] naming the product that is over [`MAX_STEPS`] or
/// [`MAX_STEP_WORK`].
///
/// # Complexity
/// O(1).
pub fn check_simulation_budget(
    n: usize,
    burn: usize,
    samples: usize,
    every: usize,
) -> Result<usize> {
    let steps = samples
        .checked_mul(every)
        .and_then(|r| r.checked_add(burn))
        .filter(|&s| s <= MAX_STEPS)
        .ok_or(Error::TooLarge {
            what: "burn + samples × every (simulation steps)",
            got: samples.saturating_mul(every).saturating_add(burn),
            limit: MAX_STEPS,
        })?;
    let work = steps as f64 * (n as f64) * (n as f64);
    if work > MAX_STEP_WORK {
        return Err(Error::TooLarge {
            what: "(burn + samples × every) × N² (simulation work)",
            got: work as usize,
            limit: MAX_STEP_WORK as usize,
        });
    }
    Ok(steps)
}

/// Participation ratio of the activity of network `w`: simulate from a seeded
/// random state, drop `burn` steps, record `samples` states every `every`
/// steps, and return (PR of the covariance of the rates φ(h), the recorded
/// T × N rates). Rates, as in Clark et al. 2024 (see [`Record`]); use
/// [`Simulator::record_as`] for currents.
///
/// # Errors
/// As [`check_simulation_budget`], [`Simulator::new`], [`Simulator::record`]
/// and [`pca`].
///
/// # Complexity
/// O((burn + samples·every)·N² + PCA).
pub fn activity_pr(
    w: Array2<f64>,
    params: Params,
    burn: usize,
    samples: usize,
    every: usize,
    seed: u64,
) -> Result<(f64, Array2<f64>)> {
    let n = w.nrows();
    check_simulation_budget(n, burn, samples, every)?;
    let h0 = Simulator::random_state(n, 1.0, seed);
    let mut sim = Simulator::new(w, h0, params, Input::None, seed)?;
    sim.step(burn)?;
    let x = sim.record_as(samples, every, Record::Rates)?;
    let p = pca(&x, 0)?;
    Ok((p.participation_ratio, x))
}
