//! Edge-list parser (and graph construction from what it accepts).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(e) = rnnscope::io::edgelist::parse_edge_list(data) {
        if e.n <= 10_000 {
            let _ = rnnscope::motifs::Digraph::from_edges(e.n, &e.edges);
        }
    }
});
