//! CSV matrices: comma-separated numbers, one row per line, no header.

use super::{check_limits, MAX_ELEMENTS};
use crate::error::{Error, Result};
use ndarray::Array2;

/// Parse CSV bytes into a matrix.
///
/// # Errors
/// Names the first problem: not UTF-8, empty input, a header line, a cell that
/// is not a number (row and column, 1-based), NaN/Inf, a ragged row, or a size
/// over [`MAX_ELEMENTS`].
pub fn parse_csv(bytes: &[u8]) -> Result<Array2<f64>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::Format(format!("the file is neither NPY nor UTF-8 text (CSV): {e}")))?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .quoting(false)
        .from_reader(text.as_bytes());
    let mut data: Vec<f64> = Vec::new();
    let mut ncols: Option<usize> = None;
    let mut nrows = 0usize;
    for (r, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| Error::Format(format!("CSV row {}: {e}", r + 1)))?;
        // Skip blank lines (a lone empty field).
        if rec.len() == 1 && rec[0].is_empty() {
            continue;
        }
        let row = nrows + 1;
        match ncols {
            None => ncols = Some(rec.len()),
            Some(c) if c != rec.len() => {
                return Err(Error::Shape(format!(
                    "row {row} has {} columns, but row 1 has {c} (ragged rows)",
                    rec.len()
                )))
            }
            _ => {}
        }
        for (c, cell) in rec.iter().enumerate() {
            let v: f64 = cell.parse().map_err(|_| {
                let hint = if cell.contains([';', '\t', ' ']) {
                    " (separate numbers with commas)"
                } else if row == 1 && cell.chars().any(|ch| ch.is_alphabetic()) {
                    " (a header line? matrices are read without a header; \
                         an edge list needs the header `source,target[,weight]`)"
                } else {
                    ""
                };
                Error::Parse {
                    row,
                    col: c + 1,
                    msg: format!("{:?} is not a number{hint}", super::clip(cell)),
                }
            })?;
            if !v.is_finite() {
                return Err(Error::Parse {
                    row,
                    col: c + 1,
                    msg: format!(
                        "{} is not allowed (NaN and Inf are rejected)",
                        super::clip(cell)
                    ),
                });
            }
            data.push(v);
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
