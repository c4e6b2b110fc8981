//! MATLAB MAT-file version 5 (`save -v7`, `save -v6`, `scipy.io.savemat`),
//! read by hand after the MathWorks "MAT-File Format" reference (R2023a),
//! chapter 1: a 128-byte header, then data elements, each an 8-byte tag
//! (type, byte count) or a 4-byte "small element" tag with ≤ 4 bytes of data,
//! padded to 8 bytes; `miCOMPRESSED` elements hold one zlib-compressed element.
//!
//! Variables are `miMATRIX` elements: array flags (class, complex, logical),
//! dimensions, name, real part. Numeric classes (double, single, 8–64-bit
//! integers) and logicals with real data are read into `f64` in MATLAB's
//! column-major order. Complex, sparse, char, cell, struct and object
//! variables are listed but not read. Version 7.3 files are HDF5 and are
//! rejected with a hint.

use super::{check_finite, check_limits, ArrayInfo, MAX_ELEMENTS};
use crate::error::{Error, Result};
use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use std::io::Read;

const MI_INT8: u32 = 1;
const MI_UINT8: u32 = 2;
const MI_INT16: u32 = 3;
const MI_UINT16: u32 = 4;
const MI_INT32: u32 = 5;
const MI_UINT32: u32 = 6;
const MI_SINGLE: u32 = 7;
const MI_DOUBLE: u32 = 9;
const MI_INT64: u32 = 12;
const MI_UINT64: u32 = 13;
const MI_MATRIX: u32 = 14;
const MI_COMPRESSED: u32 = 15;

/// True if `bytes` start like a MAT v5 file (text header + version + endian mark).
pub fn is_mat(bytes: &[u8]) -> bool {
    bytes.len() >= 128 && bytes.starts_with(b"MATLAB") && matches!(&bytes[126..128], b"IM" | b"MI")
}

fn bad(why: impl Into<String>) -> Error {
    Error::Format(format!("malformed MAT file: {}", why.into()))
}

/// A byte cursor with the file's byte order.
struct Cur<'a> {
    b: &'a [u8],
    pos: usize,
    le: bool,
}

impl<'a> Cur<'a> {
    fn u32(&mut self) -> Result<u32> {
        let s = self
            .b
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| bad("the file ends inside a tag"))?;
        self.pos += 4;
        let a = [s[0], s[1], s[2], s[3]];
        Ok(if self.le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }

    /// Next data element: (type, payload). Handles the small-element format
    /// and the 8-byte padding (none after `miCOMPRESSED`).
    fn element(&mut self) -> Result<(u32, &'a [u8])> {
        let first = self.u32()?;
        if first >> 16 != 0 {
            // Small data element: type in the low, size in the high 16 bits.
            let (ty, n) = (first & 0xffff, (first >> 16) as usize);
            if n > 4 {
                return Err(bad("a small data element claims more than 4 bytes"));
            }
            let data = self
                .b
                .get(self.pos..self.pos + n)
                .ok_or_else(|| bad("the file ends inside an element"))?;
            self.pos += 4;
            return Ok((ty, data));
        }
        let n = self.u32()? as usize;
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| bad("an element is longer than the file (truncated?)"))?;
        let data = &self.b[self.pos..end];
        self.pos = if first == MI_COMPRESSED {
            end
        } else {
            end.saturating_add((8 - n % 8) % 8)
        };
        Ok((first, data))
    }

    fn done(&self) -> bool {
        self.pos >= self.b.len()
    }
}

/// One variable of the file, parsed as far as needed.
struct Var {
    info: ArrayInfo,
    /// Real data in storage type + payload (only for readable variables).
    real: Option<(u32, Vec<u8>)>,
    /// Why the variable cannot be read, if it cannot.
    unsupported: Option<String>,
}

fn class_name(c: u8) -> &'static str {
    match c {
        1 => "cell",
        2 => "struct",
        3 => "object",
        4 => "char",
        5 => "sparse",
        6 => "double",
        7 => "single",
        8 => "int8",
        9 => "uint8",
        10 => "int16",
        11 => "uint16",
        12 => "int32",
        13 => "uint32",
        14 => "int64",
        15 => "uint64",
        _ => "unknown class",
    }
}

/// Parse one `miMATRIX` payload.
fn parse_matrix(payload: &[u8], le: bool, want_data: bool) -> Result<Var> {
    let mut c = Cur {
        b: payload,
        pos: 0,
        le,
    };
    let (_, flags) = c.element()?;
    if flags.len() < 4 {
        return Err(bad("array flags are too short"));
    }
    let f0 = if le {
        u32::from_le_bytes([flags[0], flags[1], flags[2], flags[3]])
    } else {
        u32::from_be_bytes([flags[0], flags[1], flags[2], flags[3]])
    };
    let class = (f0 & 0xff) as u8;
    let complex = f0 & 0x0800 != 0;
    let logical = f0 & 0x0200 != 0;
    let (dty, dims_raw) = c.element()?;
    if dty != MI_INT32 || dims_raw.len() % 4 != 0 || dims_raw.is_empty() {
        return Err(bad("dimensions are not an int32 array"));
    }
    let mut shape = Vec::with_capacity(dims_raw.len() / 4);
    for ch in dims_raw.chunks_exact(4) {
        let a = [ch[0], ch[1], ch[2], ch[3]];
        let d = if le {
            i32::from_le_bytes(a)
        } else {
            i32::from_be_bytes(a)
        };
        shape.push(usize::try_from(d).map_err(|_| bad("a negative dimension"))?);
    }
    let (_, name) = c.element()?;
    let name = String::from_utf8_lossy(name).into_owned();
    let dtype = if logical {
        "logical".to_string()
    } else {
        class_name(class).to_string()
    };
    let mut unsupported = None;
    if !(6..=15).contains(&class) {
        unsupported = Some(format!(
            "is a {} variable, not a numeric matrix",
            class_name(class)
        ));
    } else if complex {
        unsupported = Some("is complex; only real matrices are read".into());
    }
    let mut real = None;
    if want_data && unsupported.is_none() {
        let (ty, data) = c.element()?;
        real = Some((ty, data.to_vec()));
    }
    Ok(Var {
        info: ArrayInfo { name, shape, dtype },
        real,
        unsupported,
    })
}

/// Largest decompressed size accepted for one variable (a zip-bomb guard).
const MAX_INFLATED: u64 = (MAX_ELEMENTS as u64) * 8 + (1 << 20);

/// Walk the top-level elements; `want` selects which variable's data to keep.
fn walk(bytes: &[u8], want: Option<&str>) -> Result<Vec<Var>> {
    if bytes.len() < 128 {
        return Err(bad("shorter than the 128-byte header"));
    }
    if bytes.starts_with(b"MATLAB 7.3") || bytes[124..126] == [0x00, 0x02] {
        return Err(Error::Format(
            "MAT v7.3 files are HDF5: re-save with `save(f, '-v7')` or scipy.io.savemat".into(),
        ));
    }
    let le = &bytes[126..128] == b"IM";
    let mut c = Cur {
        b: &bytes[128..],
        pos: 0,
        le,
    };
    let mut vars = Vec::new();
    let mut inflated: Vec<u8>;
    while !c.done() {
        let (ty, payload) = c.element()?;
        let (ty, payload): (u32, &[u8]) = if ty == MI_COMPRESSED {
            inflated = Vec::new();
            flate2::read::ZlibDecoder::new(payload)
                .take(MAX_INFLATED)
                .read_to_end(&mut inflated)
                .map_err(|e| bad(format!("a compressed variable does not inflate: {e}")))?;
            let mut ic = Cur {
                b: &inflated,
                pos: 0,
                le,
            };
            let (t, p) = ic.element()?;
            let v = if t == MI_MATRIX {
                Some(parse_matrix(p, le, true)?)
            } else {
                None
            };
            if let Some(mut v) = v {
                if want.is_some_and(|w| w != v.info.name) {
                    v.real = None;
                }
                vars.push(v);
            }
            continue;
        } else {
            (ty, payload)
        };
        if ty == MI_MATRIX {
            let mut v = parse_matrix(payload, le, true)?;
            if want.is_some_and(|w| w != v.info.name) {
                v.real = None;
            }
            vars.push(v);
        }
    }
    Ok(vars)
}

/// The variables of a MAT file (name, shape, class).
pub fn list_mat(bytes: &[u8]) -> Result<Vec<ArrayInfo>> {
    Ok(walk(bytes, Some("\u{0}"))?
        .into_iter()
        .map(|v| v.info)
        .collect())
}

/// Read variable `name` of a MAT file (or the only numeric one when `None`).
///
/// # Errors
/// Malformed or truncated file, v7.3 (HDF5), no such variable (the message
/// lists them), several numeric variables and no name, a non-numeric or
/// complex variable, NaN/Inf entries, sizes over the limits.
pub fn read_mat(bytes: &[u8], name: Option<&str>) -> Result<ArrayD<f64>> {
    let vars = walk(bytes, name)?;
    let var = super::pick(
        vars.iter().map(|v| (&v.info, v.unsupported.is_none())),
        name,
        "variable",
    )?;
    let v = &vars[var];
    if let Some(why) = &v.unsupported {
        return Err(Error::Format(format!(
            "MAT variable `{}` {why}",
            v.info.name
        )));
    }
    let shape = v.info.shape.clone();
    check_limits(&shape)?;
    let count: usize = shape.iter().product();
    let (ty, data) = v
        .real
        .as_ref()
        .ok_or_else(|| bad(format!("variable `{}` has no data", v.info.name)))?;
    let le = &bytes[126..128] == b"IM";
    let vals = decode(*ty, data, le)?;
    if vals.len() != count {
        return Err(bad(format!(
            "variable `{}` has {} values for shape {shape:?}",
            v.info.name,
            vals.len()
        )));
    }
    if count == 0 {
        return Err(Error::Shape(format!(
            "MAT variable `{}` is empty (shape {shape:?})",
            v.info.name
        )));
    }
    // MATLAB stores column-major.
    let a =
        ArrayD::from_shape_vec(IxDyn(&shape).f(), vals).map_err(|e| Error::Shape(e.to_string()))?;
    check_finite(&a)?;
    Ok(a)
}

/// Storage type + bytes → f64 values.
fn decode(ty: u32, d: &[u8], le: bool) -> Result<Vec<f64>> {
    macro_rules! conv {
        ($t:ty, $n:expr) => {{
            if !d.chunks_exact($n).remainder().is_empty() {
                return Err(bad("data length is not a multiple of the element size"));
            }
            d.chunks_exact($n)
                .map(|c| {
                    let mut a = [0u8; $n];
                    a.copy_from_slice(c);
                    (if le {
                        <$t>::from_le_bytes(a)
                    } else {
                        <$t>::from_be_bytes(a)
                    }) as f64
                })
                .collect()
        }};
    }
    Ok(match ty {
        MI_DOUBLE => conv!(f64, 8),
        MI_SINGLE => conv!(f32, 4),
        MI_INT8 => conv!(i8, 1),
        MI_UINT8 => conv!(u8, 1),
        MI_INT16 => conv!(i16, 2),
        MI_UINT16 => conv!(u16, 2),
        MI_INT32 => conv!(i32, 4),
        MI_UINT32 => conv!(u32, 4),
        MI_INT64 => conv!(i64, 8),
        MI_UINT64 => conv!(u64, 8),
        other => return Err(bad(format!("unsupported data type {other}"))),
    })
}
