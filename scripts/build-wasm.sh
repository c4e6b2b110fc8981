#!/usr/bin/env bash
# Build the release WebAssembly module and its JS glue into www/pkg.
# With +simd128 (fixed-width SIMD: Chrome 91+, Firefox 89+, Safari 16.4+):
# the RNN simulation ran ~10 % faster in the `make bench` comparison, the rest
# within noise, for +2 % gzipped size (README, Performance).
# The `name` (function names, ~58 KB gzipped) and `producers` sections are
# dropped; RNNSCOPE_WASM_KEEP_NAMES=1 keeps the names for profiling.
# WASM_OPT=1 runs binaryen's `wasm-opt -O3` after wasm-bindgen, from npm's
# `binaryen` devDependency (node_modules/.bin/wasm-opt, `npm ci`), or
# WASM_OPT=/path/to/wasm-opt (binaryen ≥ 116; Debian's 108 cannot parse
# rustc's output). Off by default: on this 2-core machine it took 36–40 s CPU
# (2–5 min wall under load) for −0.6 to −0.8 % gzipped (docs/performance.md). Without a
# usable wasm-opt the build goes on unoptimised, with a note.
# Smaller but slower: CARGO_PROFILE_RELEASE_OPT_LEVEL=s (495 vs 554 KB gzipped,
# 20–55 % slower compute; README, Performance).
# LLVM's inline threshold 50 (its -O3 default is 225): −7.5 % gzipped
# (696 → 644 KB) with the same speed in V8 within noise (RNN simulation,
# fixed points, Lyapunov, eigenvalues, HebbFF, training; docs/performance.md).
# RNNSCOPE_WASM_FEATURES: extra cargo features (e.g. `bench`); the page build uses none.
set -euo pipefail
cd "$(dirname "$0")/.."
# The codegen flags (+simd128, inline threshold), shared with scripts/test-wasm.sh.
. scripts/wasm-flags.sh
# RNNSCOPE_WASM_FEATURES=bench adds the `make bench` entry points (off for the page).
scripts/cargo-wasm build --release --lib ${RNNSCOPE_WASM_FEATURES:+--features "$RNNSCOPE_WASM_FEATURES"}
strip=(--remove-name-section --remove-producers-section)
[ "${RNNSCOPE_WASM_KEEP_NAMES:-}" = 1 ] && strip=()
wasm-bindgen --target web --no-typescript "${strip[@]}" --out-dir www/pkg target/wasm32-unknown-unknown/release/rnnscope.wasm
# Generated glue: not type-checked by `make lint`'s tsc (it follows the page's imports into it).
sed -i '1i // @ts-nocheck' www/pkg/rnnscope.js
opt="${WASM_OPT:-}"
[ "$opt" = 1 ] && opt=node_modules/.bin/wasm-opt
if [ -n "$opt" ] && [ "$opt" != 0 ]; then
  if [ -x "$opt" ] || command -v "$opt" >/dev/null 2>&1; then
    "$opt" -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      www/pkg/rnnscope_bg.wasm -o www/pkg/rnnscope_bg.opt.wasm \
      && mv www/pkg/rnnscope_bg.opt.wasm www/pkg/rnnscope_bg.wasm \
      || { rm -f www/pkg/rnnscope_bg.opt.wasm; echo "[wasm] note: $opt failed; keeping the unoptimised module" >&2; }
  else
    echo "[wasm] note: no wasm-opt at '$opt' (npm ci installs binaryen); keeping the unoptimised module" >&2
  fi
fi
printf '[wasm] www/pkg/rnnscope_bg.wasm: %s bytes (%s gzipped)\n' "$(wc -c < www/pkg/rnnscope_bg.wasm)" "$(gzip -9c www/pkg/rnnscope_bg.wasm | wc -c)"
