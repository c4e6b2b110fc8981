//! MAT v5 reader: any bytes give Ok or a typed error, never a panic. Inputs
//! are also given a valid 128-byte header (both byte orders), so the fuzzer
//! reaches the data elements, compression and array parsing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rnnscope::io::read_mat(data, None);
    for mark in [b"IM", b"MI"] {
        let mut b = b"MATLAB 5.0 MAT-file, fuzz".to_vec();
        b.resize(124, b' ');
        b.extend_from_slice(&[0x00, 0x01]);
        b.extend_from_slice(mark);
        b.extend_from_slice(data);
        let _ = rnnscope::io::read_mat(&b, None);
        let _ = rnnscope::io::read_mat(&b, Some("W"));
        let _ = rnnscope::io::list_arrays(&b);
    }
});
