//! The external input I(t) of the rate network: none, constant, periodic
//! pulses or a sampled time series.

use crate::error::{check_range, Error, Result};
use ndarray::Array2;

/// External input I(t), one value per unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// I(t) = 0.
    None,
    /// I_i(t) = c_i.
    Constant(Vec<f64>),
    /// I_i(t) = a_i while (t mod period) < width, else 0.
    Pulses {
        /// a_i.
        amplitude: Vec<f64>,
        /// Pulse period.
        period: f64,
        /// Pulse width.
        width: f64,
    },
    /// Rows are samples every `dt` (T × N), held constant between samples and
    /// after the last one.
    Series {
        /// Sampling interval of the rows.
        dt: f64,
        /// T × N input samples.
        data: Array2<f64>,
    },
}

impl Input {
    pub(super) fn check(&self, n: usize) -> Result<()> {
        let len_err = |got: usize| {
            Err(Error::param(
                "input",
                format!("has {got} values per time step but the network has {n} units"),
            ))
        };
        match self {
            Input::None => Ok(()),
            Input::Constant(c) | Input::Pulses { amplitude: c, .. }
                if c.iter().any(|v| !v.is_finite()) =>
            {
                Err(Error::param("input", "has NaN or Inf"))
            }
            Input::Constant(c) if c.len() != n => len_err(c.len()),
            Input::Pulses { amplitude, .. } if amplitude.len() != n => len_err(amplitude.len()),
            Input::Pulses { period, width, .. } => {
                check_range("period", *period, 1e-9, 1e12)?;
                check_range("width", *width, 0.0, 1e12).map(|_| ())
            }
            Input::Series { data, .. } if data.ncols() != n => len_err(data.ncols()),
            Input::Series { dt, data } => {
                check_range("input dt", *dt, 1e-12, 1e12)?;
                if data.nrows() == 0 || data.iter().any(|v| !v.is_finite()) {
                    return Err(Error::param("input", "time series is empty or has NaN/Inf"));
                }
                Ok(())
            }
            Input::Constant(_) => Ok(()),
        }
    }

    /// Add I(t) to `out` (no allocation).
    #[inline]
    pub(super) fn add_to(&self, t: f64, out: &mut [f64]) {
        match self {
            Input::None => {}
            Input::Constant(c) => out.iter_mut().zip(c).for_each(|(o, c)| *o += c),
            Input::Pulses {
                amplitude,
                period,
                width,
            } => {
                if t.rem_euclid(*period) < *width {
                    out.iter_mut().zip(amplitude).for_each(|(o, a)| *o += a);
                }
            }
            Input::Series { dt, data } => {
                let k = ((t / dt).floor().max(0.0) as usize).min(data.nrows() - 1);
                out.iter_mut().zip(data.row(k)).for_each(|(o, v)| *o += v);
            }
        }
    }
}
