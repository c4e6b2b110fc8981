//! Edge lists: CSV with a header `source,target` or `source,target,weight`,
//! one directed edge `source → target` per line, 0-based integer node ids.
//! Large sparse graphs come this way instead of as N × N matrices.

use super::MAX_ELEMENTS;
use crate::error::{Error, Result};

/// Largest node id + 1 accepted.
pub const MAX_NODES: usize = 1_000_000;

/// A parsed edge list.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeList {
    /// Number of nodes: the largest id + 1.
    pub n: usize,
    /// Edges `(source, target, weight)`; weight 1 when the column is absent.
    pub edges: Vec<(usize, usize, f64)>,
    /// Whether a weight column was present.
    pub weighted: bool,
}

/// True if `bytes` look like an edge list (first non-comment line starts with `source`).
pub fn is_edge_list(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.to_ascii_lowercase().starts_with("source"))
}

/// Parse an edge list.
///
/// # Errors
/// Not UTF-8; a missing or wrong header; a row with the wrong number of
/// fields; an id that is not a non-negative integer or is ≥ [`MAX_NODES`]; a
/// weight that is not a finite number; no edges; more than [`MAX_ELEMENTS`]
/// edges. Rows are named 1-based counting the header as row 1.
///
/// Complexity: O(m).
pub fn parse_edge_list(bytes: &[u8]) -> Result<EdgeList> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::Format(format!("the edge list is not UTF-8 text: {e}")))?;
    // A UTF-8 byte-order mark (Excel, Notepad) is not part of the header.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = loop {
        match records.next() {
            None => return Err(Error::Shape("the edge list is empty".into())),
            Some(Err(e)) => return Err(Error::Format(format!("edge list header: {e}"))),
            Some(Ok(r)) if r.len() == 1 && r[0].is_empty() => continue,
            Some(Ok(r)) => break r,
        }
    };
    let cols: Vec<String> = header.iter().map(|c| c.to_ascii_lowercase()).collect();
    let weighted = match cols.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["source", "target"] => false,
        ["source", "target", "weight"] => true,
        _ => {
            return Err(Error::Format(format!(
                "edge list header must be `source,target` or `source,target,weight` \
                 (rename the columns, e.g. src,dst → source,target), got `{}`",
                super::clip(&cols.join(","))
            )))
        }
    };
    let want = if weighted { 3 } else { 2 };
    let mut edges = Vec::new();
    let mut n = 0usize;
    for (k, rec) in records.enumerate() {
        let row = k + 2;
        let rec = rec.map_err(|e| Error::Format(format!("edge list row {row}: {e}")))?;
        if rec.len() == 1 && rec[0].is_empty() {
            continue;
        }
        if rec.len() != want {
            return Err(Error::Shape(format!(
                "edge list row {row} has {} fields, the header has {want}",
                rec.len()
            )));
        }
        let id = |c: usize| -> Result<usize> {
            let v: usize = rec[c].parse().map_err(|_| Error::Parse {
                row,
                col: c + 1,
                msg: format!(
                    "{:?} is not a non-negative integer node id",
                    super::clip(&rec[c])
                ),
            })?;
            if v >= MAX_NODES {
                return Err(Error::TooLarge {
                    what: "a node id",
                    got: v,
                    limit: MAX_NODES - 1,
                });
            }
            Ok(v)
        };
        let (s, t) = (id(0)?, id(1)?);
        let w = if weighted {
            let w: f64 = rec[2].parse().map_err(|_| Error::Parse {
                row,
                col: 3,
                msg: format!("{:?} is not a number", super::clip(&rec[2])),
            })?;
            if !w.is_finite() {
                return Err(Error::Parse {
                    row,
                    col: 3,
                    msg: format!("{w} is not allowed (NaN and Inf are rejected)"),
                });
            }
            w
        } else {
            1.0
        };
        n = n.max(s + 1).max(t + 1);
        edges.push((s, t, w));
        if edges.len() > MAX_ELEMENTS {
            return Err(Error::TooLarge {
                what: "the number of edges",
                got: edges.len(),
                limit: MAX_ELEMENTS,
            });
        }
    }
    if edges.is_empty() {
        return Err(Error::Shape(
            "the edge list has a header but no edges".into(),
        ));
    }
    Ok(EdgeList { n, edges, weighted })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rejects() {
        let e = parse_edge_list(b"source,target,weight\n0,1,0.5\n# c\n2,0,-1\n").unwrap();
        assert_eq!(e.n, 3);
        assert_eq!(e.edges, vec![(0, 1, 0.5), (2, 0, -1.0)]);
        assert!(is_edge_list(b"# x\nsource,target\n0,1\n"));
        assert!(!is_edge_list(b"0,1\n1,0\n"));
        let err = parse_edge_list(b"source,target\n0,-1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 2, column 2"), "{err}");
        let err = parse_edge_list(b"from,to\n0,1\n").unwrap_err().to_string();
        assert!(err.contains("header"), "{err}");
        let err = parse_edge_list(b"source,target,weight\n0,1,nan\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 2, column 3"), "{err}");
    }
}
