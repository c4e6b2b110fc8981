//! Native checks of the foundation slice: the circular law, seeding, readers.
#![cfg(not(target_arch = "wasm32"))]

use rnnscope::{ensembles, io, linalg};

#[test]
fn spectral_radius_of_n400_is_within_10_percent_of_g() {
    for (g, seed) in [(0.5, 1), (1.0, 2), (1.5, 3), (2.5, 4)] {
        let w = ensembles::gaussian(400, g, seed).unwrap();
        let r = linalg::spectral_radius(&linalg::eigenvalues(&w).unwrap());
        assert!((r / g - 1.0).abs() < 0.10, "g = {g}: radius {r}");
    }
}

#[test]
fn eigenvalues_sum_to_the_trace() {
    let w = ensembles::gaussian(60, 1.0, 9).unwrap();
    let ev = linalg::eigenvalues(&w).unwrap();
    let (re, im) = ev.iter().fold((0.0, 0.0), |(a, b), (r, i)| (a + r, b + i));
    assert!((re - w.diag().sum()).abs() < 1e-9);
    assert!(im.abs() < 1e-9);
}

#[test]
fn pinned_stream_matches_the_wasm_test() {
    // tests/web/core.rs checks the same file in the browser: same seed, same W.
    let expected = io::parse_csv(include_bytes!("data/gaussian_n4_g1_seed7.csv")).unwrap();
    assert_eq!(ensembles::gaussian(4, 1.0, 7).unwrap(), expected);
}

#[test]
fn readers_reject_bad_input_with_named_problems() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "no numbers"),
        (b"1,2\n3,4,5\n", "row 2 has 3 columns"),
        (b"1,2\n3,abc\n", "row 2, column 2"),
        (b"1,inf\n", "row 1, column 2"),
        (b"\x93NUMPY\x01\x00", "malformed NPY"),
    ];
    for (bytes, want) in cases {
        let e = io::read_matrix(bytes).unwrap_err().to_string();
        assert!(e.contains(want), "{bytes:?}: got {e:?}, want {want:?}");
    }
    let e = io::read_square(b"1,2,3\n4,5,6\n").unwrap_err().to_string();
    assert!(e.contains("2 rows × 3 columns"), "{e}");
}
