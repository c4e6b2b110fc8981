//! NPY arrays (float64, float32, integer and bool dtypes, either byte order,
//! C or Fortran order): the NumPy format spec (NEP 1, "A simple file format
//! for NumPy arrays"), read and written here without a parser generator.
//!
//! A file is the magic `\x93NUMPY`, a version byte pair, a little-endian
//! header length (u16 for version 1, u32 for 2 and 3), an ASCII (UTF-8 in
//! version 3) Python dict literal `{'descr': '<f8', 'fortran_order': False,
//! 'shape': (3, 4), }` padded with spaces and a newline, then the raw data.

use super::{check_finite, check_limits};
use crate::error::{Error, Result};
use ndarray::{Array2, ArrayD, IxDyn, ShapeBuilder};

const MAGIC: &[u8] = b"\x93NUMPY";

fn bad(why: &str) -> Error {
    Error::Format(format!("malformed NPY header: {why}"))
}

/// Element type of an NPY file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Float,
    Int,
    Uint,
    Bool,
}

/// The parsed header.
#[derive(Debug, Clone)]
struct Header {
    /// The `descr` string as written (for messages).
    descr: String,
    kind: Kind,
    /// Bytes per element.
    size: usize,
    big_endian: bool,
    fortran: bool,
    shape: Vec<usize>,
    /// Offset of the first data byte.
    data_start: usize,
}

/// Read NPY bytes of any rank into `f64`.
///
/// Accepted dtypes: float64, float32, int64/32/16/8, uint64/32/16/8, bool,
/// either byte order, C or Fortran order.
///
/// # Errors
/// A malformed or truncated file, an unsupported dtype, NaN/Inf entries, or a
/// size over the limits.
///
/// # Complexity
/// O(entries): one pass converting the bytes.
pub fn read_npy(bytes: &[u8]) -> Result<ArrayD<f64>> {
    let h = parse_header(bytes)?;
    // Check the declared shape before allocating anything.
    check_limits(&h.shape)?;
    let a = read_data(bytes, &h)?;
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
    Ok(parse_header(bytes)?.shape)
}

fn parse_header(bytes: &[u8]) -> Result<Header> {
    if bytes.len() < 10 {
        return Err(bad("file too short"));
    }
    if !bytes.starts_with(MAGIC) {
        return Err(bad("the magic string \\x93NUMPY is missing"));
    }
    let (len, start): (usize, usize) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => return Err(bad(&format!("unknown version {v}"))),
    };
    let text = bytes
        .get(start..start.saturating_add(len))
        .ok_or_else(|| bad("header is truncated"))?;
    let text = std::str::from_utf8(text).map_err(|_| bad("the header is not UTF-8 text"))?;
    let mut p = Lit {
        s: text.as_bytes(),
        i: 0,
    };
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    p.expect(b'{')?;
    loop {
        if p.eat(b'}') {
            break;
        }
        let key = p.string()?;
        p.expect(b':')?;
        match key.as_str() {
            "descr" => descr = Some(p.descr()?),
            "fortran_order" => fortran = Some(p.boolean()?),
            "shape" => shape = Some(p.shape()?),
            _ => p.skip_value()?,
        }
        if !p.eat(b',') {
            p.expect(b'}')?;
            break;
        }
    }
    let descr = descr.ok_or_else(|| bad("no 'descr' entry"))?;
    let fortran = fortran.ok_or_else(|| bad("no 'fortran_order' entry"))?;
    let shape = shape.ok_or_else(|| bad("no 'shape' entry"))?;
    let unsupported = || {
        Error::Format(format!(
            "unsupported NPY dtype {descr:?}: use float64, float32, an integer type or bool"
        ))
    };
    let d = descr.as_bytes();
    if d.len() < 3 {
        return Err(unsupported());
    }
    let big_endian = match d[0] {
        b'<' | b'|' | b'=' => false,
        b'>' => true,
        _ => return Err(unsupported()),
    };
    // Bytes, not `descr[2..]`: a mangled descr may hold a multi-byte char there.
    let size: usize = std::str::from_utf8(&d[2..])
        .ok()
        .and_then(|t| t.parse().ok())
        .ok_or_else(unsupported)?;
    let kind = match (d[1], size) {
        (b'f', 4 | 8) => Kind::Float,
        (b'i', 1 | 2 | 4 | 8) => Kind::Int,
        (b'u', 1 | 2 | 4 | 8) => Kind::Uint,
        (b'b', 1) => Kind::Bool,
        _ => return Err(unsupported()),
    };
    Ok(Header {
        descr,
        kind,
        size,
        big_endian: big_endian && size > 1,
        fortran,
        shape,
        data_start: start + len,
    })
}

/// A cursor over the header's Python literal.
struct Lit<'a> {
    s: &'a [u8],
    i: usize,
}

impl Lit<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> Result<()> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(bad(&format!(
                "expected {:?} at byte {} of the header",
                c as char, self.i
            )))
        }
    }
    /// A quoted string ('…' or "…"; no escapes occur in NPY headers).
    fn string(&mut self) -> Result<String> {
        self.ws();
        let q = match self.s.get(self.i) {
            Some(&q @ (b'\'' | b'"')) => q,
            _ => return Err(bad(&format!("expected a string at byte {}", self.i))),
        };
        let from = self.i + 1;
        let len = self.s[from..]
            .iter()
            .position(|&c| c == q)
            .ok_or_else(|| bad("unterminated string"))?;
        self.i = from + len + 1;
        Ok(String::from_utf8_lossy(&self.s[from..from + len]).into_owned())
    }
    /// `descr`: a type string; a list (structured dtype) is reported as unsupported.
    fn descr(&mut self) -> Result<String> {
        self.ws();
        if self.s.get(self.i) == Some(&b'[') {
            let from = self.i;
            self.skip_value()?;
            return Ok(String::from_utf8_lossy(&self.s[from..self.i]).into_owned());
        }
        self.string()
    }
    fn boolean(&mut self) -> Result<bool> {
        self.ws();
        for (word, v) in [(&b"True"[..], true), (&b"False"[..], false)] {
            if self.s[self.i..].starts_with(word) {
                self.i += word.len();
                return Ok(v);
            }
        }
        Err(bad("'fortran_order' must be True or False"))
    }
    /// `(d0, d1, …)`, `(d0,)` or `()`.
    fn shape(&mut self) -> Result<Vec<usize>> {
        self.expect(b'(')?;
        let mut v = Vec::new();
        loop {
            if self.eat(b')') {
                return Ok(v);
            }
            self.ws();
            let from = self.i;
            while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                self.i += 1;
            }
            let digits = std::str::from_utf8(&self.s[from..self.i]).unwrap_or("");
            let d = digits.parse::<usize>().map_err(|_| {
                let end = (from + 12).min(self.s.len());
                let s = String::from_utf8_lossy(&self.s[from..end]);
                bad(&format!("shape entry {s:?} is not a size"))
            })?;
            self.eat(b'L'); // Python 2 long literals
            v.push(d);
            if !self.eat(b',') {
                self.expect(b')')?;
                return Ok(v);
            }
        }
    }
    /// Skip one value: a string, a bracketed literal, or a bare word.
    fn skip_value(&mut self) -> Result<()> {
        self.ws();
        match self.s.get(self.i) {
            Some(b'\'' | b'"') => self.string().map(|_| ()),
            Some(b'[' | b'(' | b'{') => {
                let mut depth = 0usize;
                while let Some(&c) = self.s.get(self.i) {
                    self.i += 1;
                    match c {
                        b'[' | b'(' | b'{' => depth += 1,
                        b']' | b')' | b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                return Ok(());
                            }
                        }
                        b'\'' | b'"' => {
                            self.i -= 1;
                            self.string()?;
                        }
                        _ => {}
                    }
                }
                Err(bad("unbalanced brackets"))
            }
            _ => {
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|c| !matches!(c, b',' | b'}'))
                {
                    self.i += 1;
                }
                Ok(())
            }
        }
    }
}

/// Convert the data bytes to f64 in one pass.
fn read_data(bytes: &[u8], h: &Header) -> Result<ArrayD<f64>> {
    let n = h
        .shape
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .ok_or(Error::TooLarge {
            what: "the NPY array",
            got: usize::MAX,
            limit: super::MAX_ELEMENTS,
        })?;
    let data = bytes.get(h.data_start..).unwrap_or(&[]);
    let need = n.saturating_mul(h.size);
    if data.len() < need {
        return Err(Error::Format(
            "NPY data is truncated: the file ends before all entries".into(),
        ));
    }
    if data.len() > need {
        return Err(Error::Format(format!(
            "malformed NPY file: {} extra bytes after the {n} entries of dtype {:?}",
            data.len() - need,
            h.descr
        )));
    }
    macro_rules! conv {
        ($t:ty) => {{
            const W: usize = std::mem::size_of::<$t>();
            let be = h.big_endian;
            data.chunks_exact(W)
                .map(|c| {
                    let mut b = [0u8; W];
                    b.copy_from_slice(c);
                    (if be {
                        <$t>::from_be_bytes(b)
                    } else {
                        <$t>::from_le_bytes(b)
                    }) as f64
                })
                .collect::<Vec<f64>>()
        }};
    }
    let v: Vec<f64> = match (h.kind, h.size) {
        (Kind::Float, 8) => conv!(f64),
        (Kind::Float, _) => conv!(f32),
        (Kind::Int, 8) => conv!(i64),
        (Kind::Int, 4) => conv!(i32),
        (Kind::Int, 2) => conv!(i16),
        (Kind::Int, _) => conv!(i8),
        (Kind::Uint, 8) => conv!(u64),
        (Kind::Uint, 4) => conv!(u32),
        (Kind::Uint, 2) => conv!(u16),
        (Kind::Uint, _) => conv!(u8),
        (Kind::Bool, _) => {
            if let Some(b) = data.iter().find(|&&b| b > 1) {
                return Err(Error::Format(format!(
                    "malformed NPY file: a bool entry is {b}, not 0 or 1"
                )));
            }
            data.iter().map(|&b| f64::from(b)).collect()
        }
    };
    let shape = IxDyn(&h.shape);
    let a = if h.fortran {
        ArrayD::from_shape_vec(shape.f(), v)
    } else {
        ArrayD::from_shape_vec(shape, v)
    };
    a.map_err(|e| Error::Format(format!("malformed NPY file: {e}")))
}

/// Write a matrix as NPY (version 1.0, float64, little endian, C order; the
/// header padded so the data starts at a multiple of 64 bytes, as NumPy does).
///
/// # Errors
/// None in practice (kept fallible for the callers' uniform handling).
pub fn write_npy(m: &Array2<f64>) -> Result<Vec<u8>> {
    let mut out = npy_header(m.dim())?;
    out.reserve_exact(8 * m.len());
    out.extend_from_slice(&npy_data(m));
    Ok(out)
}

/// The header of [`write_npy`] for an r × c float64 matrix: magic, version
/// 1.0, length, and the dict padded so the data starts at a multiple of 64.
///
/// # Errors
/// None in practice (a header over 65,535 bytes cannot happen for 2-D shapes).
pub fn npy_header((r, c): (usize, usize)) -> Result<Vec<u8>> {
    let mut header = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': ({r}, {c}), }}");
    let total = MAGIC.len() + 4 + header.len() + 1;
    header.push_str(&" ".repeat((64 - total % 64) % 64));
    header.push('\n');
    let len = u16::try_from(header.len())
        .map_err(|_| Error::Format("cannot write NPY: header too long".into()))?;
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + header.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[1, 0]);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    Ok(out)
}

/// The data bytes of [`write_npy`] (C order, little-endian float64): the
/// matrix's own memory when it is row-major on a little-endian target (no
/// copy, `bytemuck::cast_slice`), a converted copy otherwise.
///
/// Complexity: O(1) borrowed, O(r·c) copied.
pub fn npy_data(m: &Array2<f64>) -> std::borrow::Cow<'_, [u8]> {
    match m.as_slice() {
        Some(s) => npy_bytes(s),
        None => std::borrow::Cow::Owned(m.iter().flat_map(|v| v.to_le_bytes()).collect()),
    }
}

/// `v` as little-endian float64 bytes: `v`'s own memory on a little-endian
/// target (`bytemuck::cast_slice`), a converted copy otherwise.
pub fn npy_bytes(v: &[f64]) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(target_endian = "little")]
    return std::borrow::Cow::Borrowed(bytemuck::cast_slice(v));
    #[cfg(not(target_endian = "little"))]
    std::borrow::Cow::Owned(v.iter().flat_map(|x| x.to_le_bytes()).collect())
}

/// Fill `out` from little-endian float64 bytes read from `r` (the inverse
/// of [`npy_bytes`]; straight into `out`'s memory on a little-endian target).
///
/// # Errors
/// The reader's error (e.g. end of file).
pub fn read_f64_le(r: &mut impl std::io::Read, out: &mut [f64]) -> std::io::Result<()> {
    #[cfg(target_endian = "little")]
    return r.read_exact(bytemuck::cast_slice_mut(out));
    #[cfg(not(target_endian = "little"))]
    {
        let mut b = vec![0u8; 8 * out.len()];
        r.read_exact(&mut b)?;
        for (o, c) in out.iter_mut().zip(b.chunks_exact(8)) {
            *o = f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(descr: &str, shape: &str, fortran: bool, data: &[u8]) -> Vec<u8> {
        let f = if fortran { "True" } else { "False" };
        let h = format!("{{'descr': '{descr}', 'fortran_order': {f}, 'shape': {shape}, }}\n");
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&[1, 0]);
        out.extend_from_slice(&(h.len() as u16).to_le_bytes());
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(data);
        out
    }

    #[test]
    fn round_trip_and_truncation() {
        let m = ndarray::array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]];
        let bytes = write_npy(&m).unwrap();
        assert_eq!(
            (bytes.len() - 48) % 64,
            0,
            "data starts on a 64-byte boundary"
        );
        let back = read_npy(&bytes).unwrap();
        assert_eq!(back.shape(), &[2, 3]);
        assert_eq!(back[[1, 2]], 6.5);
        // A column-major matrix goes through the converted copy, in C order.
        let f = m.clone().reversed_axes();
        assert!(matches!(npy_data(&f), std::borrow::Cow::Owned(_)));
        assert!(matches!(npy_data(&m), std::borrow::Cow::Borrowed(_)));
        let back_f = read_npy(&write_npy(&f).unwrap()).unwrap();
        assert_eq!(back_f, f.into_dyn());
        let e = read_npy(&bytes[..bytes.len() - 4]).unwrap_err().to_string();
        assert!(e.contains("truncated"), "{e}");
        let mut long = bytes.clone();
        long.push(0);
        let e = read_npy(&long).unwrap_err().to_string();
        assert!(e.contains("1 extra bytes"), "{e}");
    }

    #[test]
    fn dtypes_orders_and_byte_orders() {
        let a = npy(
            "<i4",
            "(2, 2)",
            false,
            &[1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0],
        );
        assert_eq!(read_npy(&a).unwrap()[[1, 0]], 3.0);
        let a = npy(">i2", "(2,)", false, &[0xff, 0xfe, 0, 7]);
        assert_eq!(read_npy(&a).unwrap().as_slice().unwrap(), &[-2.0, 7.0]);
        let a = npy("<f4", "(1, 1)", false, &0.5f32.to_le_bytes());
        assert_eq!(read_npy(&a).unwrap()[[0, 0]], 0.5);
        let a = npy(">f8", "(1,)", false, &(-2.25f64).to_be_bytes());
        assert_eq!(read_npy(&a).unwrap()[[0]], -2.25);
        let a = npy("|u1", "(2, 3)", true, &[1, 2, 3, 4, 5, 6]);
        let r = read_npy(&a).unwrap();
        // Fortran order: column-major data.
        assert_eq!(r[[0, 1]], 3.0);
        assert_eq!(r[[1, 2]], 6.0);
        let a = npy("|b1", "(3,)", false, &[1, 0, 1]);
        assert_eq!(read_npy(&a).unwrap()[[2]], 1.0);
        let a = npy("|b1", "(1,)", false, &[2]);
        assert!(read_npy(&a).unwrap_err().to_string().contains("bool"));
        let a = npy("<u8", "()", false, &7u64.to_le_bytes());
        assert_eq!(read_npy(&a).unwrap().shape(), &[] as &[usize]);
    }

    #[test]
    fn header_errors_name_the_problem() {
        for (descr, shape, want) in [
            ("<c16", "(1,)", "unsupported NPY dtype \"<c16\""),
            ("<U3", "(1,)", "unsupported NPY dtype"),
            ("<f2", "(1,)", "unsupported NPY dtype"),
            ("<f8", "(x,)", "shape entry"),
            ("<f8", "(2", "shape entry \"}\\n\""),
            ("<f8", "(2 3)", "expected ')'"),
        ] {
            let e = read_npy(&npy(descr, shape, false, &[0; 8]))
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{descr} {shape}: {e}");
        }
        let h = "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }\n";
        let mut structured = MAGIC.to_vec();
        structured.extend_from_slice(&[1, 0, h.len() as u8, 0]);
        structured.extend_from_slice(h.as_bytes());
        let e = read_npy(&structured).unwrap_err().to_string();
        assert!(
            e.contains("unsupported NPY dtype \"[('a', '<f8')]\""),
            "{e}"
        );
        assert!(read_npy(b"\x93NUMPZ\x01\x00\x00\x00")
            .unwrap_err()
            .to_string()
            .contains("magic"));
    }
}
