#!/usr/bin/env bash
# `make bench`: rnnscope natively and in WASM (headless Chromium) against the
# reference libraries, on the same seeded inputs. The references go into a
# throw-away venv (target/bench/venv); they are never rnnscope dependencies.
#   BENCH_QUICK=1  smaller sizes only (a few minutes on 2 cores)
#   BENCH_REUSE=1  keep target/bench/inputs and reference.json from the last
#                  run; time only rnnscope (native and WASM) again
#   BENCH_TORCH=1  create target/bench/torch-venv (PyPI's torch: its Linux
#                  wheel brings the CUDA libraries, ~5 GB) for the HebbFF
#                  epoch in PyTorch; that reference runs whenever torch
#                  imports in that venv
# Writes target/bench/{reference,native,wasm}.json and report.{json,md}.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/../.."
OUT=target/bench
VENV=$OUT/venv
mkdir -p "$OUT/inputs"
say() { printf '[bench] %s\n' "$*" >&2; }

# 1. Reference libraries in a throw-away venv.
if ! "$VENV/bin/python" -c 'import networkx, igraph, leidenalg, bct, numpy, scipy, pandas' 2>/dev/null; then
  say "creating $VENV (networkx python-igraph leidenalg bctpy numpy scipy pandas)"
  rm -rf "$VENV"
  if ! python3 -c 'import ensurepip' 2>/dev/null; then
    say "apt-get install python3-venv"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
  fi
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check networkx python-igraph leidenalg bctpy numpy scipy pandas
fi

# 2. Inputs + reference timings.
if [ "${BENCH_REUSE:-}" = 1 ] && [ -s "$OUT/reference.json" ]; then
  say "reusing $OUT/inputs and $OUT/reference.json"
else
  rm -f "$OUT"/inputs/*
  say "reference libraries (writes the seeded inputs)"
  "$VENV/bin/python" scripts/bench/reference.py "$OUT/inputs" > "$OUT/reference.json"
fi

# 3. Native.
say "rnnscope native"
cargo run -q --release --example bench -- "$OUT/inputs" > "$OUT/native.json"

# 3b. HebbFF epoch in PyTorch, 1 and 2 threads, on the weights and streams
# the native bench just wrote (optional: see BENCH_TORCH above).
TVENV=$OUT/torch-venv
rm -f "$OUT"/torch_*.json
if [ "${BENCH_TORCH:-}" = 1 ] && ! "$TVENV/bin/python" -c 'import torch, numpy' 2>/dev/null; then
  say "creating $TVENV (torch numpy)"
  rm -rf "$TVENV"
  python3 -m venv "$TVENV"
  "$TVENV/bin/pip" install -q --disable-pip-version-check --no-cache-dir torch numpy
fi
if "$TVENV/bin/python" -c 'import torch, numpy' 2>/dev/null && [ -s "$OUT/inputs/hebbff_T100_x.npy" ]; then
  for th in 1 2; do
    say "pytorch HebbFF epoch, $th thread(s)"
    "$TVENV/bin/python" scripts/bench/hebbff_torch.py "$OUT/inputs" --threads "$th" > "$OUT/torch_$th.json"
  done
fi

# 4. WASM in headless Chromium: the page's build plus the bench exports
# (`--features bench`); the size target is the page's own build, measured first.
say "page WASM size (the page build, no bench exports)"
bash scripts/build-wasm.sh >&2
BENCH_WASM_GZ=$(gzip -9c www/pkg/rnnscope_bg.wasm | wc -c)
BENCH_WASM_MODELS_GZ=$(gzip -9c www/pkg/rnnscope_models_bg.wasm | wc -c)
BENCH_WASM_IMPORT_GZ=$(gzip -9c www/pkg/rnnscope_import_bg.wasm | wc -c)
export BENCH_WASM_GZ BENCH_WASM_MODELS_GZ BENCH_WASM_IMPORT_GZ
say "rnnscope wasm (headless Chromium)"
RNNSCOPE_WASM_FEATURES=bench bash scripts/build-wasm.sh >&2
node scripts/bench/wasm.mjs "$OUT/inputs" > "$OUT/wasm.json"
say "rebuilding the page's WASM (no bench exports) in www/pkg"
bash scripts/build-wasm.sh >&2

# 5. Report.
"$VENV/bin/python" scripts/bench/report.py "$OUT/reference.json" "$OUT/native.json" "$OUT/wasm.json" "$OUT"/torch_*.json "$OUT/report"
say "wrote $OUT/report.md and $OUT/report.json"
