#!/usr/bin/env bash
# Build the release WebAssembly module and its JS glue into www/pkg.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/cargo-wasm build --release --lib
wasm-bindgen --target web --no-typescript --out-dir www/pkg target/wasm32-unknown-unknown/release/rnnscope.wasm
printf '[wasm] www/pkg/rnnscope_bg.wasm: %s bytes (%s gzipped)\n' "$(wc -c < www/pkg/rnnscope_bg.wasm)" "$(gzip -9c www/pkg/rnnscope_bg.wasm | wc -c)"
