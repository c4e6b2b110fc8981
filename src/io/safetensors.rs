//! safetensors files (Hugging Face; PyTorch `safetensors.torch.save_file`),
//! parsed with the `safetensors` crate: an 8-byte little-endian header length,
//! a JSON header `{name: {dtype, shape, data_offsets}}`, then row-major data.
//! Float (f64, f32, f16, bf16), integer and bool tensors are read into `f64`.
//!
//! A trained `torch.nn.RNN` stores its recurrent matrix as `weight_hh_l0`
//! (shape hidden × hidden); it multiplies the hidden state as W·h, so
//! W[i][j] is the weight from unit j to unit i: the RNN convention (`--rnn`).

use super::{check_finite, check_limits, ArrayInfo};
use crate::error::{Error, Result};
use ndarray::{ArrayD, IxDyn};
use safetensors::{Dtype, SafeTensors};

/// True if `bytes` look like safetensors: a plausible header length followed by `{`.
pub fn is_safetensors(bytes: &[u8]) -> bool {
    if bytes.len() < 10 {
        return false;
    }
    let mut n = [0u8; 8];
    n.copy_from_slice(&bytes[..8]);
    let n = u64::from_le_bytes(n);
    n >= 2 && n <= bytes.len() as u64 - 8 && bytes[8] == b'{'
}

fn parse(bytes: &[u8]) -> Result<SafeTensors<'_>> {
    SafeTensors::deserialize(bytes)
        .map_err(|e| Error::Format(format!("malformed safetensors file: {e}")))
}

fn dtype_name(d: Dtype) -> String {
    format!("{d:?}").to_ascii_lowercase()
}

/// Tensors of a safetensors file (name, shape, dtype), sorted by name.
pub fn list_safetensors(bytes: &[u8]) -> Result<Vec<ArrayInfo>> {
    let st = parse(bytes)?;
    let v: Vec<ArrayInfo> = st
        .tensors()
        .into_iter()
        .map(|(name, t)| ArrayInfo {
            name,
            shape: t.shape().to_vec(),
            dtype: dtype_name(t.dtype()),
        })
        .collect();
    Ok(crate::linalg::sorted_by(v, |a, b| a.name.cmp(&b.name)))
}

fn readable(d: Dtype) -> bool {
    matches!(
        d,
        Dtype::F64
            | Dtype::F32
            | Dtype::F16
            | Dtype::BF16
            | Dtype::I64
            | Dtype::I32
            | Dtype::I16
            | Dtype::I8
            | Dtype::U64
            | Dtype::U32
            | Dtype::U16
            | Dtype::U8
            | Dtype::BOOL
    )
}

/// Read tensor `name` (or the only tensor when `None`) into `f64`.
///
/// # Errors
/// A malformed header or offsets, no such tensor (the message lists them),
/// several tensors and no name, an unsupported dtype (e.g. fp8), NaN/Inf,
/// sizes over the limits.
pub fn read_safetensors(bytes: &[u8], name: Option<&str>) -> Result<ArrayD<f64>> {
    let st = parse(bytes)?;
    let infos = list_safetensors(bytes)?;
    let dtypes: Vec<bool> = infos
        .iter()
        .map(|i| {
            st.tensor(&i.name)
                .map(|t| readable(t.dtype()))
                .unwrap_or(false)
        })
        .collect();
    let k = super::pick(infos.iter().zip(dtypes.iter().copied()), name, "tensor")?;
    let info = &infos[k];
    let t = st
        .tensor(&info.name)
        .map_err(|e| Error::Format(format!("safetensors tensor `{}`: {e}", info.name)))?;
    check_limits(t.shape())?;
    let d = t.data();
    macro_rules! conv {
        ($n:expr, $f:expr) => {
            d.chunks_exact($n)
                .map(|c| {
                    let mut a = [0u8; $n];
                    a.copy_from_slice(c);
                    $f(a)
                })
                .collect::<Vec<f64>>()
        };
    }
    let vals: Vec<f64> = match t.dtype() {
        Dtype::F64 => conv!(8, f64::from_le_bytes),
        Dtype::F32 => conv!(4, |a| f32::from_le_bytes(a) as f64),
        Dtype::F16 => conv!(2, |a| half::f16::from_le_bytes(a).to_f64()),
        Dtype::BF16 => conv!(2, |a| half::bf16::from_le_bytes(a).to_f64()),
        Dtype::I64 => conv!(8, |a| i64::from_le_bytes(a) as f64),
        Dtype::I32 => conv!(4, |a| i32::from_le_bytes(a) as f64),
        Dtype::I16 => conv!(2, |a| i16::from_le_bytes(a) as f64),
        Dtype::I8 => conv!(1, |a| i8::from_le_bytes(a) as f64),
        Dtype::U64 => conv!(8, |a| u64::from_le_bytes(a) as f64),
        Dtype::U32 => conv!(4, |a| u32::from_le_bytes(a) as f64),
        Dtype::U16 => conv!(2, |a| u16::from_le_bytes(a) as f64),
        Dtype::U8 => conv!(1, |a: [u8; 1]| a[0] as f64),
        Dtype::BOOL => conv!(1, |a: [u8; 1]| if a[0] != 0 { 1.0 } else { 0.0 }),
        other => {
            return Err(Error::Format(format!(
                "safetensors tensor `{}` has dtype {}: use f64, f32, f16, bf16, an integer or bool",
                info.name,
                dtype_name(other)
            )))
        }
    };
    if vals.is_empty() {
        return Err(Error::Shape(format!(
            "safetensors tensor `{}` is empty (shape {:?})",
            info.name,
            t.shape()
        )));
    }
    let a = ArrayD::from_shape_vec(IxDyn(t.shape()), vals).map_err(|e| {
        Error::Format(format!(
            "safetensors tensor `{}`: data does not match its shape: {e}",
            info.name
        ))
    })?;
    check_finite(&a)?;
    Ok(a)
}
