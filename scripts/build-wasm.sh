#!/usr/bin/env bash
# Build the release WebAssembly module and its JS glue into www/pkg.
# With +simd128 (fixed-width SIMD: Chrome 91+, Firefox 89+, Safari 16.4+):
# the RNN simulation ran ~10 % faster in the `make bench` comparison, the rest
# within noise, for +2 % gzipped size (README, Performance).
# Optional: WASM_OPT=/path/to/wasm-opt (binaryen ≥ 116; Debian's 108 cannot
# parse rustc's output) runs `wasm-opt -O3` after wasm-bindgen (−8 % gzipped,
# but minutes per build on 2 cores, so not the default).
# Smaller but slower: CARGO_PROFILE_RELEASE_OPT_LEVEL=s (495 vs 554 KB gzipped,
# 20–55 % slower compute; README, Performance).
# RNNSCOPE_WASM_FEATURES: extra cargo features (e.g. `bench`); the page build uses none.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} -C target-feature=+simd128"
# RNNSCOPE_WASM_FEATURES=bench adds the `make bench` entry points (off for the page).
scripts/cargo-wasm build --release --lib ${RNNSCOPE_WASM_FEATURES:+--features "$RNNSCOPE_WASM_FEATURES"}
wasm-bindgen --target web --no-typescript --out-dir www/pkg target/wasm32-unknown-unknown/release/rnnscope.wasm
# Generated glue: not type-checked by `make lint`'s tsc (it follows the page's imports into it).
sed -i '1i // @ts-nocheck' www/pkg/rnnscope.js
if [ -n "${WASM_OPT:-}" ]; then
  "$WASM_OPT" -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    www/pkg/rnnscope_bg.wasm -o www/pkg/rnnscope_bg.opt.wasm
  mv www/pkg/rnnscope_bg.opt.wasm www/pkg/rnnscope_bg.wasm
fi
printf '[wasm] www/pkg/rnnscope_bg.wasm: %s bytes (%s gzipped)\n' "$(wc -c < www/pkg/rnnscope_bg.wasm)" "$(gzip -9c www/pkg/rnnscope_bg.wasm | wc -c)"
