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
# RNNSCOPE_WASM_FEATURES: extra cargo features (e.g. `bench`): one module with
# every export; the page build makes three (below).
set -euo pipefail
cd "$(dirname "$0")/.."
# The codegen flags (+simd128, inline threshold), shared with scripts/test-wasm.sh.
. scripts/wasm-flags.sh
strip=(--remove-name-section --remove-producers-section)
[ "${RNNSCOPE_WASM_KEEP_NAMES:-}" = 1 ] && strip=()
opt="${WASM_OPT:-}"
[ "$opt" = 1 ] && opt=node_modules/.bin/wasm-opt

# One module: cargo features $2 → www/pkg/$1.js + $1_bg.wasm.
module() {
  local name=$1 features=$2
  scripts/cargo-wasm build --release --lib --no-default-features --features "$features"
  wasm-bindgen --target web --no-typescript "${strip[@]}" --out-name "$name" --out-dir www/pkg "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/rnnscope.wasm"
  # Generated glue: not type-checked by `make lint`'s tsc (it follows the page's imports into it).
  sed -i '1i // @ts-nocheck' "www/pkg/$name.js"
  local wasm="www/pkg/${name}_bg.wasm"
  if [ -n "$opt" ] && [ "$opt" != 0 ]; then
    if [ -x "$opt" ] || command -v "$opt" >/dev/null 2>&1; then
      "$opt" -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$wasm" -o "$wasm.opt" \
        && mv "$wasm.opt" "$wasm" \
        || { rm -f "$wasm.opt"; echo "[wasm] note: $opt failed; keeping the unoptimised module" >&2; }
    else
      echo "[wasm] note: no wasm-opt at '$opt' (npm ci installs binaryen); keeping the unoptimised module" >&2
    fi
  fi
  printf '[wasm] %s: %s bytes (%s gzipped)\n' "$wasm" "$(wc -c < "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
}

# The page's three modules (src/wasm/mod.rs): `rnnscope` at start-up (motifs,
# dynamics, modularity, charts, CSV/NPY import), `rnnscope_models` when a panel
# first needs it (HebbFF, training, RL, rich/lazy, curl) and `rnnscope_import`
# when a container file (NPZ, safetensors, MAT) is imported. With
# RNNSCOPE_WASM_FEATURES (e.g. `bench`, for `make bench`) one module
# `rnnscope` with every export instead.
if [ -n "${RNNSCOPE_WASM_FEATURES:-}" ]; then
  module rnnscope "web-core web-models $RNNSCOPE_WASM_FEATURES"
  rm -f www/pkg/rnnscope_models.js www/pkg/rnnscope_models_bg.wasm www/pkg/rnnscope_import.js www/pkg/rnnscope_import_bg.wasm
else
  module rnnscope web-core
  module rnnscope_models web-models
  module rnnscope_import web-import
fi
