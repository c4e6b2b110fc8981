//! Mutation fuzzing of the container readers (NPZ, safetensors, MAT v5) and
//! the NPY reader, in the test suite: every fixture is mutated at random
//! (bytes overwritten, runs of 0x00/0xFF written over length fields,
//! truncation, insertion, splices of two fixtures) and read back. Each read
//! must return `Ok` or a clear `Err` — a panic, an abort from a huge
//! allocation or a hang fails the test. `make fuzz` runs the same parsers
//! under libFuzzer (cargo-fuzz, nightly) for longer; this keeps a seeded,
//! bounded version in every `cargo test` (issue 18: "fuzz the new parsers").

use proptest::prelude::*;
use rnnscope::io;
use std::path::PathBuf;

const FIXTURES: [&str; 12] = [
    "w.npz",
    "w_compressed.npz",
    "w_fortran.npz",
    "single.npz",
    "rnn_f32.safetensors",
    "rnn_f64.safetensors",
    "rnn_f16.safetensors",
    "rnn_bf16.safetensors",
    "w.mat",
    "w_compressed.mat",
    "w_int.mat",
    "w_single.mat",
];

fn fixture(i: usize) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats")
        .join(FIXTURES[i % FIXTURES.len()]);
    std::fs::read(p).expect("fixture exists")
}

/// One edit of a byte string; positions are taken modulo its length.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Fill(usize, usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    Splice(usize, usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        (
            any::<usize>(),
            1usize..9,
            prop_oneof![Just(0u8), Just(0xff), Just(0x7f)]
        )
            .prop_map(|(i, n, b)| Edit::Fill(i, n, b)),
        any::<usize>().prop_map(Edit::Truncate),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(i, v)| Edit::Insert(i, v)),
        (any::<usize>(), any::<usize>(), 1usize..64).prop_map(|(f, i, n)| Edit::Splice(f, i, n)),
    ]
}

fn apply(mut b: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = b.len().max(1);
        match e {
            Edit::Set(i, v) => {
                if !b.is_empty() {
                    b[i % len] = *v;
                }
            }
            Edit::Fill(i, n, v) => {
                let s = i % len;
                for k in s..(s + n).min(b.len()) {
                    b[k] = *v;
                }
            }
            Edit::Truncate(i) => b.truncate(i % len),
            Edit::Insert(i, v) => {
                let at = i % (b.len() + 1);
                b.splice(at..at, v.iter().copied());
            }
            Edit::Splice(f, i, n) => {
                // Bytes of another fixture over this one (e.g. a MAT tag in an NPZ).
                let other = fixture(*f);
                let from = i % other.len().max(1);
                let chunk = &other[from..(from + n).min(other.len())];
                let at = i % len;
                for (k, c) in chunk.iter().enumerate() {
                    if let Some(x) = b.get_mut(at + k) {
                        *x = *c;
                    }
                }
            }
        }
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn mutated_containers_read_or_fail_cleanly(
        which in 0usize..FIXTURES.len(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let b = apply(fixture(which), &edits);
        let _ = io::list_arrays(&b);
        let _ = io::read_array_named(&b, None);
        let _ = io::read_array_named(&b, Some("W"));
        let _ = io::read_array_named(&b, Some("weight_hh_l0"));
    }

    #[test]
    fn mutated_npy_reads_or_fails_cleanly(edits in proptest::collection::vec(edit(), 1..6)) {
        // A freshly written NPY, mutated.
        let w = ndarray::Array2::from_shape_fn((4, 3), |(i, j)| (i * 3 + j) as f64);
        let b = apply(io::write_npy(&w).expect("write"), &edits);
        let _ = io::read_npy(&b);
    }
}

/// Found by the fuzz above: a descr with a multi-byte character where the
/// size should be made the NPY reader slice a str inside a char (a panic).
#[test]
fn npy_descr_with_a_multibyte_char_is_an_error() {
    let w = ndarray::Array2::from_shape_fn((2, 2), |(i, j)| (i + j) as f64);
    let mut b = io::write_npy(&w).expect("write");
    let at = b
        .windows(3)
        .position(|x| x == b"<f8")
        .expect("descr in header");
    // '<' then 'ʍ' (2 bytes): same header length.
    b[at..at + 3].copy_from_slice("<ʍ".as_bytes());
    let e = io::read_npy(&b).expect_err("mangled dtype");
    assert!(e.to_string().contains("unsupported NPY dtype"), "{e}");
}
