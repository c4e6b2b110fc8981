//! safetensors reader: any bytes give Ok or a typed error, never a panic.
//! Inputs are also tried behind a valid header length, so the fuzzer spends
//! its time in the JSON header and offset checks.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rnnscope::io::read_safetensors(data, None);
    let _ = rnnscope::io::read_safetensors(data, Some("weight_hh_l0"));
    let n = data.iter().position(|&c| c == b'}').map_or(data.len(), |p| p + 1);
    let mut b = (n as u64).to_le_bytes().to_vec();
    b.extend_from_slice(data);
    let _ = rnnscope::io::read_array_named(&b, None);
    let _ = rnnscope::io::list_arrays(&b);
});
