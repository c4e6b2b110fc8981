//! NPZ archives (`np.savez`, `np.savez_compressed`): a zip file of `.npy`
//! members, read with the `zip` crate (stored and deflate members); each
//! member goes through the NPY reader, so the same dtypes and checks apply.
//! Array names are the member names without `.npy` (`arr_0`, … for
//! positional arrays).

use super::{npy::read_npy, ArrayInfo, MAX_ELEMENTS};
use crate::error::{Error, Result};
use ndarray::ArrayD;
use std::io::{Cursor, Read};

/// True if `bytes` start with a zip local-file or empty-archive signature.
pub fn is_npz(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Largest uncompressed member accepted (a zip-bomb guard): the element limit
/// in f64 plus room for the header.
const MAX_MEMBER: u64 = (MAX_ELEMENTS as u64) * 8 + (1 << 20);

fn archive(bytes: &[u8]) -> Result<zip::ZipArchive<Cursor<&[u8]>>> {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::Format(format!("malformed NPZ (zip) file: {e}")))
}

fn array_name(member: &str) -> String {
    member.strip_suffix(".npy").unwrap_or(member).to_string()
}

/// Read one member's bytes, refusing oversized members before inflating them.
fn member_bytes(
    z: &mut zip::ZipArchive<Cursor<&[u8]>>,
    i: usize,
    limit: u64,
) -> Result<(String, Vec<u8>)> {
    let mut f = z
        .by_index(i)
        .map_err(|e| Error::Format(format!("NPZ member {i}: {e}")))?;
    let name = array_name(f.name());
    if limit == MAX_MEMBER && f.size() > MAX_MEMBER {
        return Err(Error::TooLarge {
            what: "an NPZ member (bytes)",
            got: usize::try_from(f.size()).unwrap_or(usize::MAX),
            limit: MAX_MEMBER as usize,
        });
    }
    let mut out = Vec::new();
    (&mut f)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|e| Error::Format(format!("NPZ member `{name}` is unreadable: {e}")))?;
    Ok((name, out))
}

/// Shape and dtype from an NPY header (first bytes of a member).
fn header_info(bytes: &[u8]) -> (Vec<usize>, String) {
    let shape = super::npy::declared_shape(bytes).unwrap_or_default();
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).into_owned();
    let dtype = head
        .split("'descr':")
        .nth(1)
        .and_then(|r| r.split('\'').nth(1))
        .unwrap_or("?")
        .to_string();
    (shape, dtype)
}

/// The arrays of an NPZ archive (name, shape, NPY dtype string).
pub fn list_npz(bytes: &[u8]) -> Result<Vec<ArrayInfo>> {
    let mut z = archive(bytes)?;
    let mut v = Vec::with_capacity(z.len());
    for i in 0..z.len() {
        // The NPY header is in the first bytes; inflate only those.
        let (name, data) = member_bytes(&mut z, i, 4096)?;
        let (shape, dtype) = header_info(&data);
        v.push(ArrayInfo { name, shape, dtype });
    }
    Ok(v)
}

/// Read array `name` of an NPZ archive (or the only one when `None`).
///
/// # Errors
/// Not a zip, a broken member, no such array (the message lists them),
/// several arrays and no name, and every NPY reader error.
pub fn read_npz(bytes: &[u8], name: Option<&str>) -> Result<ArrayD<f64>> {
    let infos = list_npz(bytes)?;
    let k = super::pick(infos.iter().map(|i| (i, true)), name, "array")?;
    let mut z = archive(bytes)?;
    let (name, data) = member_bytes(&mut z, k, MAX_MEMBER)?;
    read_npy(&data).map_err(|e| Error::Format(format!("NPZ array `{name}`: {e}")))
}
