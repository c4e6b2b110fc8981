//! NPZ reader: any bytes give Ok or a typed error, never a panic. Inputs are
//! also tried behind a zip signature, so the fuzzer reaches the archive and
//! member parsing rather than stopping at the sniffing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rnnscope::io::read_npz(data, None);
    let _ = rnnscope::io::read_npz(data, Some("W"));
    let _ = rnnscope::io::list_arrays(data);
    if !data.starts_with(b"PK") {
        let mut b = b"PK\x03\x04".to_vec();
        b.extend_from_slice(data);
        let _ = rnnscope::io::read_array_named(&b, None);
    }
});
