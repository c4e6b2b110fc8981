//! One error type for the whole core. Messages are written for the person who
//! supplied the input: they name the row, column, parameter or rule broken.

use thiserror::Error as ThisError;

/// Everything that can go wrong in the core.
#[derive(Debug, Clone, PartialEq, ThisError)]
pub enum Error {
    /// A number or cell could not be parsed (1-based row/column as a user sees them).
    #[error("row {row}, column {col}: {msg}")]
    Parse {
        /// 1-based row.
        row: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong with the cell (cell text clipped to ~40 characters).
        msg: String,
    },
    /// Input has the wrong shape (ragged, empty, non-square where square is needed …).
    #[error("{0}")]
    Shape(String),
    /// A parameter is out of its allowed range.
    #[error("parameter `{name}`: {msg}")]
    Param {
        /// The parameter (flag) name.
        name: &'static str,
        /// The rule broken.
        msg: String,
    },
    /// Input is larger than the documented limit.
    #[error("{what} is too large: {got} > limit {limit}")]
    TooLarge {
        /// What was measured, naming the flags that set it.
        what: &'static str,
        /// The requested size or work.
        got: usize,
        /// The budget.
        limit: usize,
    },
    /// A file format problem (bad NPY header, unsupported dtype, …).
    #[error("{0}")]
    Format(String),
    /// A numerical routine failed to converge or met a singular system.
    #[error("{0}")]
    Numeric(String),
    /// Drawing failed.
    #[error("plot: {0}")]
    Plot(String),
    /// Operating-system I/O (native only).
    #[error("{0}")]
    Io(String),
}

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Build a [`Error::Param`] error.
    pub fn param(name: &'static str, msg: impl Into<String>) -> Self {
        Error::Param {
            name,
            msg: msg.into(),
        }
    }
}

/// Check that `value` lies in `[lo, hi]` and is finite.
pub fn check_range(name: &'static str, value: f64, lo: f64, hi: f64) -> Result<f64> {
    if !value.is_finite() {
        return Err(Error::param(
            name,
            format!("must be a finite number, got {value}"),
        ));
    }
    if value < lo || value > hi {
        return Err(Error::param(
            name,
            format!("must be in [{lo}, {hi}], got {value}"),
        ));
    }
    Ok(value)
}

/// Check that an integer size lies in `[lo, hi]`.
pub fn check_size(name: &'static str, value: usize, lo: usize, hi: usize) -> Result<usize> {
    if value < lo || value > hi {
        return Err(Error::param(
            name,
            format!("must be between {lo} and {hi}, got {value}"),
        ));
    }
    Ok(value)
}
