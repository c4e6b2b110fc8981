//! The CSV matrix reader (`io::parse_csv`, hand-written since issue 19 item 3
//! for speed): exact values on odd cells against `str::parse::<f64>`, and a
//! differential check against the `csv`-crate reader it replaced, kept here
//! verbatim as the oracle: same matrix bit for bit, or the same error text.
#![cfg(not(target_arch = "wasm32"))]

use ndarray::Array2;
use proptest::prelude::*;
use rnnscope::io::{self, parse_csv, MAX_ELEMENTS};
use rnnscope::{Error, Result};

/// The reader before issue 19 item 3 (src/io/csv_text.rs at c4f1fe7).
fn oracle(bytes: &[u8]) -> Result<Array2<f64>> {
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
                    msg: format!("{:?} is not a number{hint}", io::clip(cell)),
                }
            })?;
            if !v.is_finite() {
                return Err(Error::Parse {
                    row,
                    col: c + 1,
                    msg: format!(
                        "{} is not allowed (NaN and Inf are rejected)",
                        io::clip(cell)
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
    io::check_limits(&[nrows, ncols])?;
    Array2::from_shape_vec((nrows, ncols), data).map_err(|e| Error::Shape(e.to_string()))
}

/// Both readers give the same shape and bits, or the same error text.
fn same(bytes: &[u8]) -> std::result::Result<(), String> {
    let (new, old) = (parse_csv(bytes), oracle(bytes));
    match (&new, &old) {
        (Ok(a), Ok(b))
            if a.dim() == b.dim() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits()) =>
        {
            Ok(())
        }
        (Err(a), Err(b)) if a.to_string() == b.to_string() => Ok(()),
        _ => Err(format!(
            "input {:?}: new {new:?}, csv crate {old:?}",
            String::from_utf8_lossy(bytes)
        )),
    }
}

fn bits(m: &Array2<f64>) -> Vec<u64> {
    m.iter().map(|v| v.to_bits()).collect()
}

fn std_bits(cells: &[&str]) -> Vec<u64> {
    cells
        .iter()
        .map(|c| c.trim().parse::<f64>().expect("a number").to_bits())
        .collect()
}

#[test]
fn odd_cells_equal_std_parse_bit_for_bit() {
    let cells = [
        "1e3",
        "1E+05",
        "-2.5e-7",
        "6.02214076e23",
        "-0",
        "-0.0",
        "+0",
        "+7",
        ".5",
        "5.",
        "-.25e1",
        "000123",
        "123456789012345",         // 15 digits: the integer fast path
        "1234567890123456",        // 16 digits: std's parser
        "9007199254740993",        // 2^53 + 1: rounds to even
        "99999999999999999999999", // over u64
        "4.9406564584124654e-324", // smallest subnormal
        "1.7976931348623157e308",  // largest finite
        "2.2250738585072011e-308", // just below the smallest normal
        "0.1",
        "3.141592653589793238462643383279",
    ];
    let text = cells.join(",");
    let m = parse_csv(text.as_bytes()).unwrap();
    assert_eq!(m.dim(), (1, cells.len()));
    assert_eq!(bits(&m), std_bits(&cells));
    assert_eq!(
        m[[0, 4]].to_bits(),
        (-0.0f64).to_bits(),
        "-0 keeps its sign"
    );
    assert_eq!(m[[0, 14]], 9007199254740992.0);
}

#[test]
fn whitespace_line_ends_bom_and_comments() {
    let want = ndarray::array![[1.0, -0.5], [3e-3, 4.0]];
    for text in [
        "1,-0.5\n3e-3,4\n",
        "1,-0.5\n3e-3,4",                            // no trailing newline
        "1,-0.5\r\n3e-3,4\r\n",                      // CRLF
        "1,-0.5\r3e-3,4",                            // lone CR (csv-core ends a line there too)
        "\u{feff}1,-0.5\n3e-3,4\n",                  // UTF-8 byte-order mark
        "  1 ,\t-0.5\t\n 3e-3 , 4  \n",              // spaces and tabs around cells
        "1,-0.5\u{a0}\n\u{2003}3e-3,4\n",            // Unicode spaces (str::trim)
        "\n\n1,-0.5\n\n   \n3e-3,4\n\n",             // blank and whitespace-only lines
        "# W from run 3\n1,-0.5\n#,x,y\r\n3e-3,4\n", // comment lines
        "1,-0.5\n# a comment\rstill the comment\n3e-3,4\n",
    ] {
        let m = parse_csv(text.as_bytes()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(bits(&m), bits(&want), "{text:?}");
        same(text.as_bytes()).unwrap();
    }
}

#[test]
fn errors_name_row_column_and_problem() {
    for (text, want) in [
        (
            "1,2\n3,\"4\"\n",
            "row 2, column 2: \"\\\"4\\\"\" is not a number",
        ), // no quoting
        ("1,2\n3,x\n", "row 2, column 2: \"x\" is not a number"),
        (
            "1;2\n",
            "row 1, column 1: \"1;2\" is not a number (separate numbers with commas)",
        ),
        ("a,b\n1,2\n", "(a header line?"),
        (
            "1,NaN\n",
            "row 1, column 2: NaN is not allowed (NaN and Inf are rejected)",
        ),
        ("1,2\n-inf,1\n", "row 2, column 1: -inf is not allowed"),
        ("1,1e400\n", "row 1, column 2: 1e400 is not allowed"),
        (
            "1,2\n3\n",
            "row 2 has 1 columns, but row 1 has 2 (ragged rows)",
        ),
        ("1,2\n3,x,5\n", "row 2 has 3 columns, but row 1 has 2"), // ragged before the bad cell
        ("1,2\n3,4,\n", "row 2 has 3 columns"),
        ("1,2,\n", "row 1, column 3: \"\" is not a number"),
        ("1,,2\n", "row 1, column 2: \"\" is not a number"),
        (",\n", "row 1, column 1: \"\" is not a number"),
        ("", "the file contains no numbers"),
        ("\r\n \n# only a comment\n", "the file contains no numbers"),
        (" #1,2\n", "row 1, column 1: \"#1\" is not a number"),
        ("1,2\n3,4e\n", "row 2, column 2: \"4e\" is not a number"),
        ("0x10\n", "\"0x10\" is not a number"),
        ("1_000\n", "\"1_000\" is not a number"),
    ] {
        let e = parse_csv(text.as_bytes()).unwrap_err().to_string();
        assert!(e.contains(want), "{text:?}: {e}");
        same(text.as_bytes()).unwrap();
    }
    let e = parse_csv(b"1,2\n\xff\n").unwrap_err().to_string();
    assert!(e.contains("neither NPY nor UTF-8"), "{e}");
}

#[test]
fn too_many_entries_is_an_error_at_the_row_that_passes_the_limit() {
    // 4097 rows of 4096 zeros: the limit (16 Mi entries) is passed at row 4097.
    let row = format!("{}0\n", "0,".repeat(4095));
    let text = row.repeat(4097);
    let e = parse_csv(text.as_bytes()).unwrap_err().to_string();
    assert!(e.contains("the number of entries"), "{e}");
    assert!(e.contains(&(4097 * 4096).to_string()), "{e}");
}

/// Text of a finite f64 in the ways files write it.
fn float_text() -> impl Strategy<Value = String> {
    let finite = any::<f64>().prop_filter("finite", |v| v.is_finite());
    prop_oneof![
        finite.clone().prop_map(|v| format!("{v}")),
        finite.clone().prop_map(|v| format!("{v:e}")),
        finite.clone().prop_map(|v| format!("{v:E}")),
        (finite.clone(), 0usize..20).prop_map(|(v, p)| format!("{v:.p$}")),
        (finite, 0usize..20).prop_map(|(v, p)| format!("{v:+.p$e}")),
        (-1e6f64..1e6).prop_map(|v| format!("{v}")),
        any::<i64>().prop_map(|v| v.to_string()),
        (0u64..10_000).prop_map(|v| format!("-{v}")),
        "[+-]?[0-9]{1,20}(\\.[0-9]{0,20})?([eE][+-]?[0-9]{1,2})?",
    ]
}

/// Short documents over the characters that matter to the dialect.
fn doc() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("0"),
        Just("1"),
        Just("-0"),
        Just("12"),
        Just(".5"),
        Just("1e3"),
        Just("1e400"),
        Just("x"),
        Just("nan"),
        Just("-inf"),
        Just(" "),
        Just("\t"),
        Just("\u{a0}"),
        Just(","),
        Just(",,"),
        Just("\n"),
        Just("\r"),
        Just("\r\n"),
        Just("#"),
        Just(";"),
        Just("\""),
        Just("+"),
        Just("e"),
        Just("."),
        Just("\u{feff}"),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn cells_equal_std_parse_bit_for_bit(
        cells in proptest::collection::vec(float_text(), 1..6),
        pad in "[ \t]{0,2}",
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let line: Vec<String> = cells.iter().map(|c| format!("{pad}{c}{pad}")).collect();
        let text = format!("{}{eol}{}", line.join(","), line.join(","));
        let m = parse_csv(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        let want = std_bits(&refs);
        prop_assert_eq!(m.dim(), (2, cells.len()));
        prop_assert_eq!(bits(&m), [want.clone(), want].concat());
    }

    #[test]
    fn agrees_with_the_csv_crate_reader(text in doc()) {
        same(text.as_bytes()).map_err(TestCaseError::fail)?;
    }
}
