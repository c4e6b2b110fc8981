//! NPY arrays (float64, float32 and integer dtypes), via `ndarray-npy`.

use super::{check_finite, check_limits};
use crate::error::{Error, Result};
use ndarray::{Array2, ArrayD};
use ndarray_npy::{ReadNpyError, ReadNpyExt, WriteNpyExt};

/// Read NPY bytes of any rank into `f64`.
///
/// Accepted dtypes: float64, float32, int64/32/16/8, uint64/32/16/8, bool,
/// either byte order, C or Fortran order.
///
/// # Errors
/// A malformed or truncated file, an unsupported dtype, NaN/Inf entries, or a
/// size over the limits.
pub fn read_npy(bytes: &[u8]) -> Result<ArrayD<f64>> {
    // Check the declared shape before allocating anything.
    check_limits(&declared_shape(bytes)?)?;
    let a = read_as_f64(bytes)?;
    check_limits(a.shape())?;
    if a.is_empty() {
        return Err(Error::Shape(format!(
            "the NPY array is empty (shape {:?})",
            a.shape()
        )));
    }
    check_finite(&a)?;
    Ok(a)
}

/// The shape written in the NPY header, read without touching the data.
pub(super) fn declared_shape(bytes: &[u8]) -> Result<Vec<usize>> {
    let bad = |why: &str| Error::Format(format!("malformed NPY header: {why}"));
    if bytes.len() < 10 {
        return Err(bad("file too short"));
    }
    let (len, start): (usize, usize) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => return Err(bad(&format!("unknown version {v}"))),
    };
    let header = bytes
        .get(start..start.saturating_add(len))
        .ok_or_else(|| bad("header is truncated"))?;
    let header = String::from_utf8_lossy(header);
    let shape = header
        .split("'shape':")
        .nth(1)
        .and_then(|rest| rest.split('(').nth(1))
        .and_then(|rest| rest.split(')').next())
        .ok_or_else(|| bad("no 'shape' entry"))?;
    shape
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<usize>()
                .map_err(|_| bad(&format!("shape entry {s:?} is not a size")))
        })
        .collect()
}

fn read_as_f64(bytes: &[u8]) -> Result<ArrayD<f64>> {
    macro_rules! try_dtype {
        ($t:ty) => {
            match ArrayD::<$t>::read_npy(bytes) {
                Ok(a) => return Ok(a.mapv(|v| v as f64)),
                Err(ReadNpyError::WrongDescriptor(_)) => {}
                Err(e) => return Err(npy_error(e)),
            }
        };
    }
    try_dtype!(f64);
    try_dtype!(f32);
    try_dtype!(i64);
    try_dtype!(i32);
    try_dtype!(i16);
    try_dtype!(i8);
    try_dtype!(u64);
    try_dtype!(u32);
    try_dtype!(u16);
    try_dtype!(u8);
    match ArrayD::<bool>::read_npy(bytes) {
        Ok(a) => Ok(a.mapv(|v| if v { 1.0 } else { 0.0 })),
        Err(ReadNpyError::WrongDescriptor(d)) => Err(Error::Format(format!(
            "unsupported NPY dtype {d:?}: use float64, float32, an integer type or bool"
        ))),
        Err(e) => Err(npy_error(e)),
    }
}

fn npy_error(e: ReadNpyError) -> Error {
    match e {
        ReadNpyError::Io(io) => Error::Format(format!("NPY data is truncated or unreadable: {io}")),
        ReadNpyError::LengthOverflow => Error::TooLarge {
            what: "the NPY array",
            got: usize::MAX,
            limit: super::MAX_ELEMENTS,
        },
        ReadNpyError::MissingData => {
            Error::Format("NPY data is truncated: the file ends before all entries".into())
        }
        other => Error::Format(format!("malformed NPY file: {other}")),
    }
}

/// Write a matrix as NPY (float64, little endian, C order).
pub fn write_npy(m: &Array2<f64>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    m.write_npy(&mut out)
        .map_err(|e| Error::Format(format!("cannot write NPY: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_truncation() {
        let m = ndarray::array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]];
        let bytes = write_npy(&m).unwrap();
        let back = read_npy(&bytes).unwrap();
        assert_eq!(back.shape(), &[2, 3]);
        assert_eq!(back[[1, 2]], 6.5);
        let e = read_npy(&bytes[..bytes.len() - 4]).unwrap_err().to_string();
        assert!(e.contains("truncated"), "{e}");
    }

    #[test]
    fn int_and_f32() {
        let mut out = Vec::new();
        ndarray::array![[1i32, 2], [3, 4]]
            .write_npy(&mut out)
            .unwrap();
        assert_eq!(read_npy(&out).unwrap()[[1, 0]], 3.0);
        let mut out = Vec::new();
        ndarray::array![[0.5f32]].write_npy(&mut out).unwrap();
        assert_eq!(read_npy(&out).unwrap()[[0, 0]], 0.5);
    }
}
