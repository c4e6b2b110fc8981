//! Readers and writers shared by the CLI and the page.
//!
//! Input arrives as bytes (a file read natively, or an uploaded `File` in the
//! browser). The format is sniffed: NPY files start with the magic
//! `\x93NUMPY`; anything else is read as CSV text (comma-separated numbers, no
//! header). Every reader validates what it returns: no NaN/Inf, no ragged
//! rows, no empty input, and sizes within [`MAX_ELEMENTS`] / [`MAX_DIM`].

mod csv_text;
pub mod edgelist;
mod npy;

use crate::error::{Error, Result};
use ndarray::{Array2, ArrayD, Dimension, Ix2};

pub use csv_text::{parse_csv, write_csv};
pub use npy::{read_npy, write_npy};

/// Largest number of matrix entries accepted from a file (16 M entries = 128 MB of f64).
pub const MAX_ELEMENTS: usize = 16 * 1024 * 1024;
/// Largest size of any one dimension accepted from a file.
pub const MAX_DIM: usize = 1_000_000;

/// A file's detected format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Npy,
}

impl Format {
    /// Sniff the format from the first bytes.
    pub fn detect(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"\x93NUMPY") {
            Format::Npy
        } else {
            Format::Csv
        }
    }
}

/// Read an array of any rank (NPY) or a 2-D matrix (CSV).
pub fn read_array(bytes: &[u8]) -> Result<ArrayD<f64>> {
    match Format::detect(bytes) {
        Format::Npy => read_npy(bytes),
        Format::Csv => Ok(parse_csv(bytes)?.into_dyn()),
    }
}

/// Read a 2-D matrix (rows × columns) from CSV or NPY bytes.
pub fn read_matrix(bytes: &[u8]) -> Result<Array2<f64>> {
    let a = read_array(bytes)?;
    let shape = a.shape().to_vec();
    a.into_dimensionality::<Ix2>().map_err(|_| {
        Error::Shape(format!(
            "expected a 2-D matrix, got an array of shape {shape:?}"
        ))
    })
}

/// Read a square matrix (N × N), e.g. a connectivity or adjacency matrix.
pub fn read_square(bytes: &[u8]) -> Result<Array2<f64>> {
    let m = read_matrix(bytes)?;
    check_square(&m)?;
    Ok(m)
}

/// Read a time series: T rows (samples) × M columns (units), T ≥ 2.
pub fn read_timeseries(bytes: &[u8]) -> Result<Array2<f64>> {
    let m = read_matrix(bytes)?;
    if m.nrows() < 2 {
        return Err(Error::Shape(format!(
            "a time series needs at least 2 rows (time samples), got {}",
            m.nrows()
        )));
    }
    Ok(m)
}

/// Error unless `m` is square and non-empty.
pub fn check_square(m: &Array2<f64>) -> Result<()> {
    let (r, c) = m.dim();
    if r == 0 {
        return Err(Error::Shape("the matrix is empty".into()));
    }
    if r != c {
        return Err(Error::Shape(format!(
            "expected a square matrix, got {r} rows × {c} columns"
        )));
    }
    Ok(())
}

/// Error unless every entry is finite; names the first offending entry (1-based).
pub fn check_finite(m: &ArrayD<f64>) -> Result<()> {
    if let Some((idx, v)) = m.indexed_iter().find(|(_, v)| !v.is_finite()) {
        let pos: Vec<usize> = idx.as_array_view().iter().map(|i| i + 1).collect();
        return Err(Error::Format(format!(
            "entry at (1-based) index {pos:?} is {v}; NaN and Inf are not allowed"
        )));
    }
    Ok(())
}

/// Error if the total number of entries or any dimension is over the limits.
pub fn check_limits(shape: &[usize]) -> Result<()> {
    for &d in shape {
        if d > MAX_DIM {
            return Err(Error::TooLarge {
                what: "a dimension",
                got: d,
                limit: MAX_DIM,
            });
        }
    }
    let n = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
    match n {
        Some(n) if n <= MAX_ELEMENTS => Ok(()),
        Some(n) => Err(Error::TooLarge {
            what: "the number of entries",
            got: n,
            limit: MAX_ELEMENTS,
        }),
        None => Err(Error::TooLarge {
            what: "the number of entries",
            got: usize::MAX,
            limit: MAX_ELEMENTS,
        }),
    }
}

/// Read a whole file natively, naming the path on failure.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))
}
