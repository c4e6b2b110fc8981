//! Rate-network dynamics: simulation ([`simulate`]), fixed points and their
//! Jacobians ([`fixed_points`]), and the dimension of activity ([`dimension`]).
//!
//! The model is dh/dt = −h/τ + W φ(h) + I(t) + η(t), with W[i][j] the weight
//! from unit j to unit i.

pub mod dimension;
pub mod fixed_points;
pub mod simulate;

pub use dimension::{autocorrelation, participation_ratio, pca, Autocorrelation, Pca};
pub use fixed_points::{find_fixed_points, jacobian, FixedPoint, NewtonOpts};
pub use simulate::{linear_closed_form, Activation, Input, Params, Simulator};

/// Largest network the dynamics routines accept.
pub const MAX_UNITS: usize = 5000;
