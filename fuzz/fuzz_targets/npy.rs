//! NPY parser: any bytes give Ok or a typed error, never a panic. Inputs
//! without the magic are given it, so the fuzzer spends its time in the header
//! and data parsing rather than in the sniffing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rnnscope::io::read_npy(data);
    if !data.starts_with(b"\x93NUMPY") {
        let mut b = b"\x93NUMPY".to_vec();
        b.extend_from_slice(data);
        let _ = rnnscope::io::read_npy(&b);
    }
});
