//! Native integration tests, one test binary: every `tests/*.rs` file is a
//! module here (one compile and link instead of one per file; `make test`'s
//! time). Run one file's tests: `cargo test --test native cli::`.
//! `every_test_file_is_a_module` fails when a new file is not listed.
#![cfg(not(target_arch = "wasm32"))]

mod common;

mod bad_inputs;
mod cli;
mod cli_motifs;
mod cli_no_null;
mod csv_reader;
mod curl;
mod dynamics;
mod formats;
mod formats_fuzz;
mod foundation;
mod hebbff;
mod hebbff_regime;
mod lyapunov;
mod modularity;
mod modularity_cli;
mod modularity_null;
mod motifs;
mod motifs_dense;
mod page_limits;
mod plot_extremes;
mod poster;
mod properties;
mod random_mode;
mod reliability;
mod richlazy;
mod schema;
mod seeded_pins;
mod shard;
mod shard_learning;
mod training;
mod training_experiments;

#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let this = include_str!("native.rs");
    let mut missing = Vec::new();
    for e in std::fs::read_dir(&dir).expect("tests/ is readable") {
        let name = e.expect("a directory entry").file_name();
        let name = name.to_string_lossy();
        if let Some(stem) = name.strip_suffix(".rs") {
            if stem != "native" && !this.contains(&format!("\nmod {stem};\n")) {
                missing.push(name.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "add `mod <name>;` to tests/native.rs for {missing:?}"
    );
}
