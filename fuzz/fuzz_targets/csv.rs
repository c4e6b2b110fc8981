//! CSV matrix parser: any bytes give Ok or a typed error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rnnscope::io::parse_csv(data);
    // The sniffing entry point the CLI and the page use.
    let _ = rnnscope::io::read_matrix(data);
});
