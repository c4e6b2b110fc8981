//! Readers and writers shared by the CLI and the page.
//!
//! Input arrives as bytes (a file read natively, or an uploaded `File` in the
//! browser). The format is sniffed: NPY files start with the magic
//! `\x93NUMPY`, NPZ with a zip signature `PK`, MAT v5 with the text
//! `MATLAB` and an endian mark at byte 126, safetensors with an 8-byte header
//! length followed by `{`; anything else is read as CSV text (comma-separated
//! numbers, no header). Containers (NPZ, safetensors, MAT) hold named arrays:
//! [`list_arrays`] lists them and the `*_named` readers pick one by name
//! (`--array NAME`), or the only readable one when no name is given. Every reader validates what it returns: no NaN/Inf, no ragged
//! rows, no empty input, and sizes within [`MAX_ELEMENTS`] / [`MAX_DIM`].

mod csv_text;
pub mod edgelist;
mod mat;
mod npy;
mod npz;
mod safetensors;

use crate::error::{Error, Result};
use ndarray::{Array2, ArrayD, Dimension, Ix2};

pub use csv_text::{parse_csv, write_csv};
pub use mat::read_mat;
pub use npy::{npy_bytes, npy_data, npy_header, read_f64_le, read_npy, write_npy};
pub use npz::read_npz;
pub use safetensors::read_safetensors;

/// Largest number of matrix entries accepted from a file (16 M entries = 128 MB of f64).
pub const MAX_ELEMENTS: usize = 16 * 1024 * 1024;
/// Largest size of any one dimension accepted from a file.
pub const MAX_DIM: usize = 1_000_000;

/// A file's detected format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated text, no header.
    Csv,
    /// NumPy `.npy`.
    Npy,
    /// NumPy `.npz` (zip of `.npy` members).
    Npz,
    /// Hugging Face / PyTorch `.safetensors`.
    Safetensors,
    /// MATLAB MAT-file version 5 (`-v6`, `-v7`).
    Mat,
}

impl Format {
    /// Sniff the format from the first bytes.
    pub fn detect(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"\x93NUMPY") {
            Format::Npy
        } else if npz::is_npz(bytes) {
            Format::Npz
        } else if mat::is_mat(bytes) {
            Format::Mat
        } else if safetensors::is_safetensors(bytes) {
            Format::Safetensors
        } else {
            Format::Csv
        }
    }

    /// True for formats that hold several named arrays.
    pub fn is_container(self) -> bool {
        matches!(self, Format::Npz | Format::Safetensors | Format::Mat)
    }
}

/// One named array inside a container file, as listed for a picker.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArrayInfo {
    /// Name (`--array NAME`): NPZ member without `.npy`, tensor or variable name.
    pub name: String,
    /// Shape as stored (row-major for NPZ/safetensors, MATLAB dims for MAT).
    pub shape: Vec<usize>,
    /// Element type as the file names it (`<f8`, `f32`, `double`, …).
    pub dtype: String,
}

/// The named arrays of a container file (NPZ, safetensors, MAT).
///
/// # Errors
/// A CSV or NPY file (they hold one unnamed array), or a malformed container.
pub fn list_arrays(bytes: &[u8]) -> Result<Vec<ArrayInfo>> {
    match Format::detect(bytes) {
        Format::Npz => npz::list_npz(bytes),
        Format::Safetensors => safetensors::list_safetensors(bytes),
        Format::Mat => mat::list_mat(bytes),
        f => Err(Error::Format(format!(
            "a {f:?} file holds one unnamed array; only NPZ, safetensors and MAT files hold named arrays"
        ))),
    }
}

/// Choose an array: by `name`, or the only readable one. `items` are the
/// arrays with whether each is readable; `what` names them ("array", "tensor",
/// "variable"). Errors list what is available.
fn pick<'a>(
    items: impl Iterator<Item = (&'a ArrayInfo, bool)>,
    name: Option<&str>,
    what: &str,
) -> Result<usize> {
    let items: Vec<(&ArrayInfo, bool)> = items.collect();
    let listing = || {
        let mut s: Vec<String> = items
            .iter()
            .take(20)
            .map(|(i, _)| format!("{} {:?} {}", clip(&i.name), i.shape, i.dtype))
            .collect();
        if items.len() > 20 {
            s.push(format!("… {} more", items.len() - 20));
        }
        if s.is_empty() {
            "none".to_string()
        } else {
            s.join(", ")
        }
    };
    let torch_hint = if items.iter().any(|(i, _)| i.name == "weight_hh_l0") {
        " (PyTorch nn.RNN: W is weight_hh_l0, in the RNN convention: use --rnn for motifs)"
    } else {
        ""
    };
    match name {
        Some(n) => items.iter().position(|(i, _)| i.name == n).ok_or_else(|| {
            Error::Format(format!(
                "no {what} named {:?} in the file; available: {}",
                clip(n),
                listing()
            ))
        }),
        None => {
            let ok: Vec<usize> = (0..items.len()).filter(|&k| items[k].1).collect();
            match ok[..] {
                [k] => Ok(k),
                [] => Err(Error::Format(format!(
                    "the file holds no readable numeric {what}; it has: {}",
                    listing()
                ))),
                _ => Err(Error::Format(format!(
                    "the file holds {} {what}s; choose one with --array NAME: {}{torch_hint}",
                    ok.len(),
                    listing()
                ))),
            }
        }
    }
}

/// At most 40 characters of user text, for error messages (a 10 MB cell must
/// not become a 10 MB message).
pub fn clip(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}… ({} bytes)", s.len())
    }
}

/// Read an array of any rank (NPY, NPZ, safetensors, MAT) or a 2-D matrix (CSV).
pub fn read_array(bytes: &[u8]) -> Result<ArrayD<f64>> {
    read_array_named(bytes, None)
}

/// [`read_array`] choosing array `name` in a container (`--array NAME`).
///
/// # Errors
/// A name given for a CSV/NPY file; a missing name, or no name when the
/// container holds several arrays (both list the available ones); every
/// reader's format, shape and limit errors.
pub fn read_array_named(bytes: &[u8], name: Option<&str>) -> Result<ArrayD<f64>> {
    let f = Format::detect(bytes);
    if name.is_some() && !f.is_container() {
        return Err(Error::param(
            "array",
            format!("--array picks an array inside an NPZ, safetensors or MAT file; this is a {f:?} file"),
        ));
    }
    match f {
        Format::Npy => read_npy(bytes),
        Format::Npz => read_npz(bytes, name),
        Format::Safetensors => read_safetensors(bytes, name),
        Format::Mat => read_mat(bytes, name),
        Format::Csv => Ok(parse_csv(bytes)?.into_dyn()),
    }
}

/// Read a 2-D matrix (rows × columns) from CSV or NPY bytes.
pub fn read_matrix(bytes: &[u8]) -> Result<Array2<f64>> {
    read_matrix_named(bytes, None)
}

/// [`read_matrix`] choosing array `name` in a container.
pub fn read_matrix_named(bytes: &[u8], name: Option<&str>) -> Result<Array2<f64>> {
    two_d(read_array_named(bytes, name)?)
}

/// [`read_matrix_named`] for CSV and NPY only, without the container readers
/// (zip, deflate, safetensors, MAT): the page's start-up WebAssembly module
/// reads with this, and its import dialog turns a container's array into
/// NPY first (in the on-demand import module), so those readers stay out
/// of the start-up download.
///
/// # Errors
/// A container file (named, with what to do instead); otherwise as
/// [`read_matrix_named`].
pub fn read_matrix_plain(bytes: &[u8], name: Option<&str>) -> Result<Array2<f64>> {
    let f = Format::detect(bytes);
    let a = match f {
        Format::Npy | Format::Csv if name.is_some() => {
            return Err(Error::param(
                "array",
                format!("--array picks an array inside an NPZ, safetensors or MAT file; this is a {f:?} file"),
            ))
        }
        Format::Npy => read_npy(bytes)?,
        Format::Csv => parse_csv(bytes)?.into_dyn(),
        _ => {
            return Err(Error::Format(format!(
                "a {f:?} file holds named arrays: import it with the page's Import button (it asks which array), \
                 or read it with the CLI's --array NAME"
            )))
        }
    };
    two_d(a)
}

/// An array that must be 2-D.
fn two_d(a: ArrayD<f64>) -> Result<Array2<f64>> {
    let shape = a.shape().to_vec();
    a.into_dimensionality::<Ix2>().map_err(|_| {
        Error::Shape(format!(
            "expected a 2-D matrix, got an array of shape {shape:?}"
        ))
    })
}

/// Read a square matrix (N × N), e.g. a connectivity or adjacency matrix.
pub fn read_square(bytes: &[u8]) -> Result<Array2<f64>> {
    read_square_named(bytes, None)
}

/// [`read_square`] choosing array `name` in a container.
pub fn read_square_named(bytes: &[u8], name: Option<&str>) -> Result<Array2<f64>> {
    let m = read_matrix_named(bytes, name)?;
    check_square(&m)?;
    Ok(m)
}

/// Read a time series: T rows (samples) × M columns (units), T ≥ 2.
pub fn read_timeseries(bytes: &[u8]) -> Result<Array2<f64>> {
    read_timeseries_named(bytes, None)
}

/// [`read_timeseries`] choosing array `name` in a container.
pub fn read_timeseries_named(bytes: &[u8], name: Option<&str>) -> Result<Array2<f64>> {
    let m = read_matrix_named(bytes, name)?;
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
///
/// Complexity: O(entries); a branch-free scan of the memory in blocks, the
/// index search only when something is not finite.
pub fn check_finite(m: &ArrayD<f64>) -> Result<()> {
    let all_finite = |s: &[f64]| {
        s.chunks(512)
            .all(|c| c.iter().fold(true, |ok, v| ok & v.is_finite()))
    };
    let fine = match m.as_slice_memory_order() {
        Some(s) => all_finite(s),
        None => m.iter().all(|v| v.is_finite()),
    };
    if fine {
        return Ok(());
    }
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
