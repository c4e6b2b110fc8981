//! CSV matrices: comma-separated numbers, one row per line, no header.

use super::{check_limits, MAX_ELEMENTS};
use crate::error::{Error, Result};
use ndarray::Array2;

/// Parse CSV bytes into a matrix.
///
/// The dialect is the one the `csv` crate read here before (no quoting,
/// `#` comment lines, fields trimmed): a UTF-8 byte-order mark at the start
/// is skipped; `\n`, `\r\n` and a lone `\r` end a line; empty lines, lines of
/// whitespace only and lines starting with `#` (up to the next `\n`) are
/// skipped; cells are split at `,` and trimmed of Unicode whitespace, then
/// read as Rust's `f64` grammar (`1`, `-0`, `.5`, `1e-3`, `1E+05`, …).
///
/// # Errors
/// Names the first problem: not UTF-8, empty input, a header line, a cell that
/// is not a number (row and column, 1-based), NaN/Inf, a ragged row, or a size
/// over [`MAX_ELEMENTS`].
///
/// # Complexity
/// O(bytes), one pass: lines and cells found with `memchr`, each cell parsed
/// in place (short integers directly, others by the standard library's
/// Eisel–Lemire parser) into one `Vec<f64>`; no allocation per row or cell.
pub fn parse_csv(bytes: &[u8]) -> Result<Array2<f64>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::Format(format!("the file is neither NPY nor UTF-8 text (CSV): {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let b = text.as_bytes();
    let mut data: Vec<f64> = Vec::new();
    let mut ncols: Option<usize> = None;
    let mut nrows = 0usize;
    let mut pos = 0usize;
    while pos < b.len() {
        // Start of a record: line ends are skipped, `#` starts a comment
        // that only `\n` ends (as in csv-core).
        match b[pos] {
            b'\n' | b'\r' => {
                pos += 1;
                continue;
            }
            b'#' => {
                pos = memchr::memchr(b'\n', &b[pos..]).map_or(b.len(), |k| pos + k + 1);
                continue;
            }
            _ => {}
        }
        let end = memchr::memchr2(b'\n', b'\r', &b[pos..]).map_or(b.len(), |k| pos + k);
        // `pos` and `end` sit next to ASCII bytes: both are char boundaries.
        let line = &text[pos..end];
        pos = end;
        let row = nrows + 1;
        let lb = line.as_bytes();
        let mut cells = 0usize;
        let mut ragged = false;
        let mut i = 0usize;
        loop {
            if ncols.is_some_and(|n| cells >= n) {
                ragged = true;
                break;
            }
            // Fast path: an integer of ≤ 15 digits ending at `,` or the line end.
            let (v, end) = match short_int(lb, i) {
                Some(found) => found,
                None => {
                    let end = memchr::memchr(b',', &lb[i..]).map_or(lb.len(), |k| i + k);
                    let cell = line[i..end].trim();
                    if cells == 0 && cell.is_empty() && end == lb.len() {
                        break; // a blank line (whitespace only)
                    }
                    match parse_cell(cell) {
                        Some(v) if v.is_finite() => (v, end),
                        bad => {
                            // A ragged row is reported before any of its cells.
                            if ncols.is_some_and(|n| line.split(',').count() != n) {
                                ragged = true;
                                break;
                            }
                            return Err(cell_error(cell, bad.is_some(), row, cells + 1));
                        }
                    }
                }
            };
            data.push(v);
            cells += 1;
            if end == lb.len() {
                break;
            }
            i = end + 1;
        }
        if cells == 0 && !ragged {
            continue;
        }
        match ncols {
            None => {
                ncols = Some(cells);
                // One allocation for the whole matrix when the rows are alike.
                let rows = b.len() / (line.len() + 1) + 1;
                data.reserve(rows.saturating_mul(cells).min(MAX_ELEMENTS + 1));
            }
            Some(n) if ragged || n != cells => {
                return Err(Error::Shape(format!(
                    "row {row} has {} columns, but row 1 has {n} (ragged rows)",
                    line.split(',').count()
                )))
            }
            _ => {}
        }
        nrows += 1;
        if data.len() > MAX_ELEMENTS {
            return Err(Error::TooLarge {
                what: "the number of entries",
                got: data.len(),
                limit: MAX_ELEMENTS,
            });
        }
    }
    let ncols = ncols.unwrap_or(0);
    if nrows == 0 || ncols == 0 {
        return Err(Error::Shape("the file contains no numbers".into()));
    }
    check_limits(&[nrows, ncols])?;
    Array2::from_shape_vec((nrows, ncols), data).map_err(|e| Error::Shape(e.to_string()))
}

/// An integer cell of 1–15 digits with an optional sign, starting at `i`
/// and ending at a `,` or the end of `b`: its value (exact, below 2^53; `-0`
/// is −0.0 as `str::parse` gives) and the index where it ends.
fn short_int(b: &[u8], i: usize) -> Option<(f64, usize)> {
    let sign = b.get(i).copied();
    let neg = sign == Some(b'-');
    let from = if neg || sign == Some(b'+') { i + 1 } else { i };
    let mut j = from;
    let mut n = 0u64;
    while let Some(&d) = b.get(j) {
        if !d.is_ascii_digit() || j - from == 15 {
            break;
        }
        n = n * 10 + u64::from(d - b'0');
        j += 1;
    }
    if j == from || b.get(j).is_some_and(|&c| c != b',') {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let v = n as f64;
    Some((if neg { -v } else { v }, j))
}

/// One trimmed cell as `f64`, `None` if it is not a number. Integers of up
/// to 15 digits (below 2^53, so exact) are read directly; everything else
/// by `str::parse::<f64>`, so the value is bit-for-bit what `parse` gives.
fn parse_cell(cell: &str) -> Option<f64> {
    let b = cell.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if !digits.is_empty() && digits.len() <= 15 && digits.iter().all(u8::is_ascii_digit) {
        let n = digits
            .iter()
            .fold(0u64, |a, &d| a * 10 + u64::from(d - b'0'));
        // n < 10^15 < 2^53: the conversion is exact, and -0 stays -0.0.
        #[allow(clippy::cast_precision_loss)]
        let v = n as f64;
        return Some(if neg { -v } else { v });
    }
    cell.parse().ok()
}

/// The error for a cell that is not a number, or (`parsed`) is NaN/Inf.
fn cell_error(cell: &str, parsed: bool, row: usize, col: usize) -> Error {
    let msg = if parsed {
        format!(
            "{} is not allowed (NaN and Inf are rejected)",
            super::clip(cell)
        )
    } else {
        let hint = if cell.contains([';', '\t', ' ']) {
            " (separate numbers with commas)"
        } else if row == 1 && cell.chars().any(|ch| ch.is_alphabetic()) {
            " (a header line? matrices are read without a header; \
                 an edge list needs the header `source,target[,weight]`)"
        } else {
            ""
        };
        format!("{:?} is not a number{hint}", super::clip(cell))
    };
    Error::Parse { row, col, msg }
}

/// Write a matrix as CSV text (full precision, `\n` line ends).
pub fn write_csv(m: &Array2<f64>) -> String {
    let mut s = String::with_capacity(m.len() * 20);
    for row in m.rows() {
        let mut first = true;
        for v in row {
            if !first {
                s.push(',');
            }
            first = false;
            s.push_str(&format!("{v}"));
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let m = ndarray::array![[1.0, -2.5], [3e-3, 4.0]];
        assert_eq!(parse_csv(write_csv(&m).as_bytes()).unwrap(), m);
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse_csv(b"1,2\n3,x\n").unwrap_err().to_string();
        assert!(e.contains("row 2, column 2"), "{e}");
        let e = parse_csv(b"1,2\n3\n").unwrap_err().to_string();
        assert!(e.contains("row 2 has 1 columns"), "{e}");
        let e = parse_csv(b"1,NaN\n").unwrap_err().to_string();
        assert!(e.contains("row 1, column 2"), "{e}");
        let e = parse_csv(b"a,b\n1,2\n").unwrap_err().to_string();
        assert!(e.contains("header"), "{e}");
        assert!(parse_csv(b"\n\n")
            .unwrap_err()
            .to_string()
            .contains("no numbers"));
    }
}
