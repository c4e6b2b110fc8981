//! NPZ, safetensors and MAT v5 readers on fixtures written by numpy,
//! scipy.io.savemat and safetensors (`tests/data/formats/make_fixtures.py`):
//! W = [[0,1,2],[3,4,5],[6,7,8]] / 8 in every file (exact in f16/bf16), so
//! every entry is asserted; plus the `--array` CLI flag and hostile inputs.
#![cfg(not(target_arch = "wasm32"))]

use ndarray::Array2;
use rnnscope::io::{self, Format};
use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(path(name)).expect("fixture exists")
}

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats")
        .join(name)
}

fn w() -> Array2<f64> {
    Array2::from_shape_fn((3, 3), |(i, j)| (3 * i + j) as f64 / 8.0)
}

#[test]
fn formats_are_sniffed() {
    for (f, want) in [
        ("w.npz", Format::Npz),
        ("w_compressed.npz", Format::Npz),
        ("rnn_f32.safetensors", Format::Safetensors),
        ("w.mat", Format::Mat),
        ("w_compressed.mat", Format::Mat),
    ] {
        assert_eq!(Format::detect(&fixture(f)), want, "{f}");
    }
    assert_eq!(Format::detect(b"1,2\n3,4\n"), Format::Csv);
}

#[test]
fn npz_plain_compressed_positional_fortran() {
    let m = io::read_matrix_named(&fixture("w.npz"), Some("W")).unwrap();
    assert_eq!(m, w());
    let b = io::read_array_named(&fixture("w.npz"), Some("b")).unwrap();
    assert_eq!(b.as_slice().unwrap(), &[0.5, -0.25]);
    let m = io::read_square_named(&fixture("w_compressed.npz"), Some("W")).unwrap();
    assert_eq!(m, w());
    // One unnamed array (np.savez(f, w) → arr_0) needs no --array.
    assert_eq!(io::read_square(&fixture("single.npz")).unwrap(), w());
    assert_eq!(
        io::read_square_named(&fixture("single.npz"), Some("arr_0")).unwrap(),
        w()
    );
    assert_eq!(io::read_square(&fixture("w_fortran.npz")).unwrap(), w());
    let names: Vec<String> = io::list_arrays(&fixture("w.npz"))
        .unwrap()
        .into_iter()
        .map(|a| format!("{} {:?} {}", a.name, a.shape, a.dtype))
        .collect();
    assert_eq!(names, ["W [3, 3] <f8", "b [2] <f8"]);
}

#[test]
fn safetensors_every_float_width() {
    for f in [
        "rnn_f64.safetensors",
        "rnn_f16.safetensors",
        "rnn_bf16.safetensors",
    ] {
        assert_eq!(io::read_square(&fixture(f)).unwrap(), w(), "{f}");
    }
    let bytes = fixture("rnn_f32.safetensors");
    assert_eq!(
        io::read_square_named(&bytes, Some("weight_hh_l0")).unwrap(),
        w()
    );
    let b = io::read_array_named(&bytes, Some("bias_hh_l0")).unwrap();
    assert_eq!(b.as_slice().unwrap(), &[0.5, -0.25]);
    // Two tensors and no name: the error lists both and points at weight_hh_l0.
    let e = io::read_square(&bytes).unwrap_err().to_string();
    assert!(
        e.contains("--array") && e.contains("bias_hh_l0 [2] f32") && e.contains("weight_hh_l0"),
        "{e}"
    );
    assert!(e.contains("--rnn"), "{e}");
}

#[test]
fn mat_double_single_int_logical_compressed() {
    let bytes = fixture("w.mat");
    assert_eq!(io::read_square_named(&bytes, Some("W")).unwrap(), w());
    // savemat writes a 1-D vector as a 1 × 2 row.
    let b = io::read_matrix_named(&bytes, Some("b")).unwrap();
    assert_eq!(b, ndarray::array![[0.5, -0.25]]);
    let e = io::read_matrix_named(&bytes, Some("label"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("char"), "{e}");
    // The char variable is listed but does not count as a candidate.
    let e = io::read_matrix(&bytes).unwrap_err().to_string();
    assert!(
        e.contains("2 variables") && e.contains("label [1, 5] char"),
        "{e}"
    );
    assert_eq!(io::read_square(&fixture("w_single.mat")).unwrap(), w());
    let ints = fixture("w_int.mat");
    assert_eq!(io::read_square_named(&ints, Some("A")).unwrap(), w() * 8.0);
    let l = io::read_square_named(&ints, Some("L")).unwrap();
    assert_eq!(l, w().mapv(|v| if v > 0.4 { 1.0 } else { 0.0 }));
    let c = fixture("w_compressed.mat");
    assert_eq!(io::read_square_named(&c, Some("W")).unwrap(), w());
    assert_eq!(io::read_square_named(&c, Some("C")).unwrap(), w() * 2.0);
    let e = io::read_square_named(&c, Some("nope"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no variable named \"nope\"") && e.contains("C [3, 3] double"),
        "{e}"
    );
}

/// Truncated, bit-flipped and oversized containers give errors, never panics.
#[test]
fn hostile_containers_are_errors() {
    for f in [
        "w.npz",
        "w_compressed.npz",
        "rnn_f32.safetensors",
        "w.mat",
        "w_compressed.mat",
    ] {
        let b = fixture(f);
        for cut in [1, 9, 64, 130, b.len() / 2, b.len() - 1] {
            let cut = cut.min(b.len() - 1);
            let _ = io::read_array_named(&b[..cut], Some("W"));
            let _ = io::list_arrays(&b[..cut]);
        }
        for k in (0..b.len()).step_by(3) {
            let mut m = b.clone();
            m[k] ^= 0xa5;
            let _ = io::read_array_named(&m, None);
            let _ = io::read_array_named(&m, Some("W"));
        }
    }
    // A safetensors header declaring a huge shape: a size error, no allocation.
    let hdr = br#"{"x":{"dtype":"F64","shape":[100000,100000],"data_offsets":[0,8]}}"#;
    let mut b = (hdr.len() as u64).to_le_bytes().to_vec();
    b.extend_from_slice(hdr);
    b.extend_from_slice(&[0u8; 8]);
    assert!(io::read_array(&b).is_err());
    // MAT: a double variable claiming 2^30 × 2^30 with 8 bytes of data.
    let e = io::read_array(&mat_claiming([1 << 30, 1 << 30]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("too large"), "{e}");
    let e = io::read_array(&mat_claiming([2, 2]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("1 values for shape [2, 2]"), "{e}");
    assert_eq!(
        io::read_array(&mat_claiming([1, 1]))
            .unwrap()
            .as_slice()
            .unwrap(),
        &[1.5]
    );
    // --array on a CSV file is an error naming the flag.
    let e = io::read_array_named(b"1,2\n3,4\n", Some("W"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("array"), "{e}");
}

/// A little-endian MAT v5 file with one double variable `W` of the given
/// dims and one value, 1.5 (MAT-File Format, ch. 1: tag, flags, dims, name, real).
fn mat_claiming(dims: [i32; 2]) -> Vec<u8> {
    let mut b = b"MATLAB 5.0 MAT-file, test".to_vec();
    b.resize(116, b' ');
    b.extend_from_slice(&[0u8; 8]);
    b.extend_from_slice(&[0x00, 0x01, b'I', b'M']);
    let mut body = Vec::new();
    let le = |v: u32| v.to_le_bytes();
    body.extend(le(6)); // miUINT32 array flags
    body.extend(le(8));
    body.extend(le(6)); // mxDOUBLE_CLASS
    body.extend(le(0));
    body.extend(le(5)); // miINT32 dims
    body.extend(le(8));
    body.extend(dims[0].to_le_bytes());
    body.extend(dims[1].to_le_bytes());
    body.extend(le(1 | (1 << 16))); // small miINT8 name "W"
    body.extend([b'W', 0, 0, 0]);
    body.extend(le(9)); // miDOUBLE real part
    body.extend(le(8));
    body.extend(1.5f64.to_le_bytes());
    b.extend(le(14)); // miMATRIX
    b.extend(le(body.len() as u32));
    b.extend(body);
    b
}

#[test]
fn cli_array_flag_on_every_matrix_command() {
    let exe = env!("CARGO_BIN_EXE_rnnscope");
    let st = path("rnn_f32.safetensors");
    let st = st.to_str().unwrap();
    let npz = path("w.npz");
    let npz = npz.to_str().unwrap();
    let mat = path("w.mat");
    let mat = mat.to_str().unwrap();
    let ok = |args: &[&str]| {
        let out = Command::new(exe).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let v = ok(&["spectrum", st, "--array", "weight_hh_l0"]);
    assert!((v["spectral_radius"].as_f64().unwrap() - 1.668_558_653_543_693).abs() < 1e-12);
    ok(&["spectrum", npz, "--array", "W"]);
    ok(&["spectrum", mat, "--array", "W"]);
    ok(&["motifs", st, "--array", "weight_hh_l0", "--rnn"]);
    ok(&["simulate", "--w", npz, "--array", "W", "--samples", "20"]);
    ok(&["fixed-points", "--w", mat, "--array", "W", "--starts", "2"]);
    ok(&["ensemble", "--w", st, "--array", "weight_hh_l0"]);
    ok(&["dimension", npz, "--array", "W"]);
    ok(&["stats", npz, "--array", "W"]);
    // Missing name: exit 1 and the list of what is there.
    let out = Command::new(exe)
        .args(["spectrum", st, "--array", "weight_ih_l0"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("no tensor named \"weight_ih_l0\"") && err.contains("weight_hh_l0"),
        "{err}"
    );
}

/// The page's start-up module reads with `read_matrix_plain`: CSV and NPY
/// exactly as `read_matrix_named`, every container refused with a message
/// that says how to import it, and `name` refused on a one-array file.
#[test]
fn plain_reader_is_csv_and_npy_only() {
    let csv = b"0,0.125,0.25\n0.375,0.5,0.625\n0.75,0.875,1\n";
    assert_eq!(io::read_matrix_plain(csv, None).unwrap(), w());
    io::check_square(&io::read_matrix_plain(csv, None).unwrap()).unwrap();
    let npy = io::write_npy(&w()).unwrap();
    assert_eq!(
        io::read_matrix_plain(&npy, None).unwrap(),
        io::read_matrix_named(&npy, None).unwrap()
    );
    for f in ["w.npz", "rnn_f32.safetensors", "w.mat"] {
        let e = io::read_matrix_plain(&fixture(f), Some("W"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("holds named arrays") && e.contains("Import"),
            "{f}: {e}"
        );
        // The full reader still reads it.
        assert!(io::list_arrays(&fixture(f)).is_ok(), "{f}");
    }
    let e = io::read_matrix_plain(&npy, Some("W"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("--array picks an array inside"), "{e}");
    let row = io::read_matrix_plain(b"1,2\n", None).unwrap();
    assert!(io::check_square(&row)
        .unwrap_err()
        .to_string()
        .contains("square"));
}
