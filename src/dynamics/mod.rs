//! Rate-network dynamics: simulation ([`simulate`]), fixed points and their
//! Jacobians ([`fixed_points`]), the dimension of activity ([`dimension`]),
//! Lyapunov spectra ([`lyapunov`]) and random-mode sweeps ([`sweep`]).
//!
//! The model is dh/dt = −h/τ + W φ(h) + I(t) + η(t), with W[i][j] the weight
//! from unit j to unit i.

pub mod dimension;
pub mod fixed_points;
pub mod lyapunov;
pub mod recorder;
pub mod simulate;
pub mod sweep;

pub use dimension::{
    activity_dimension, autocorrelation, participation_ratio, pca, ActivityDimension,
    Autocorrelation, DimensionParams, Pca, Record,
};
pub use fixed_points::{find_fixed_points, jacobian, FixedPoint, NewtonOpts};
pub use lyapunov::{kaplan_yorke, lyapunov_spectrum, LyapunovParams, LyapunovSpectrum};
pub use recorder::{record, RecordedChunk, Recorder, MAX_RECORD_SAMPLES};
pub use simulate::{linear_closed_form, Activation, Input, Params, Simulator};

/// Largest network the dynamics routines accept.
pub const MAX_UNITS: usize = 5000;

use crate::error::Result;
use ndarray::Array2;

/// Participation ratio of the activity of network `w`: simulate from a seeded
/// random state, drop `burn` steps, record `samples` states every `every`
/// steps, and return (PR of the covariance of the rates φ(h), the recorded
/// T × N rates). Rates, as in Clark et al. 2024 (see [`Record`]); use
/// [`Simulator::record_as`] for currents.
///
/// # Errors
/// As [`Simulator::new`], [`Simulator::record`] and [`pca`].
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
    let h0 = Simulator::random_state(n, 1.0, seed);
    let mut sim = Simulator::new(w, h0, params, Input::None, seed)?;
    sim.step(burn)?;
    let x = sim.record_as(samples, every, Record::Rates)?;
    let p = pca(&x, 0)?;
    Ok((p.participation_ratio, x))
}
