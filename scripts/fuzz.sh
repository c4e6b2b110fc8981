#!/usr/bin/env bash
# `make fuzz [FUZZ_SECONDS=60]`: fuzz the file parsers with cargo-fuzz
# (libFuzzer) for a bounded time each, then the URL-hash parser with the
# seeded node fuzz test at a high case count. Seeds: the bad-input corpus and
# the test data. Crashes land in fuzz/artifacts/<target>/ (a non-zero exit).
# cargo-fuzz needs a nightly compiler: `cargo +nightly` where rustup has one,
# else the stable toolchain with RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-60}
say() { printf '[fuzz] %s\n' "$*"; }

command -v cargo-fuzz >/dev/null 2>&1 || { say "cargo install cargo-fuzz"; cargo install -q cargo-fuzz; }
if rustup run nightly rustc --version >/dev/null 2>&1; then
  FUZZ=(cargo +nightly fuzz)
else
  say "no nightly toolchain: stable with RUSTC_BOOTSTRAP=1"
  export RUSTC_BOOTSTRAP=1
  FUZZ=(cargo fuzz)
fi

for t in csv npy edgelist npz safetensors mat; do
  mkdir -p "fuzz/corpus/$t"
  case $t in
    csv) cp -n tests/bad-inputs/*.csv tests/data/*.csv "fuzz/corpus/$t/" ;;
    npy) cp -n tests/bad-inputs/*.npy "fuzz/corpus/$t/" ;;
    edgelist) printf 'source,target\n0,1\n1,2\n' > "fuzz/corpus/$t/seed.csv"
              printf 'source,target,weight\n0,1,0.5\n2,0,-1\n' > "fuzz/corpus/$t/seed-w.csv" ;;
    npz) cp -n tests/data/formats/*.npz "fuzz/corpus/$t/" ;;
    safetensors) cp -n tests/data/formats/*.safetensors "fuzz/corpus/$t/" ;;
    mat) cp -n tests/data/formats/*.mat "fuzz/corpus/$t/" ;;
  esac
  say "$t: ${SECS}s"
  mkdir -p fuzz/logs
  if ! (cd fuzz && "${FUZZ[@]}" run "$t" "corpus/$t" -- -max_total_time="$SECS" -rss_limit_mb=2048 -print_final_stats=1) > "fuzz/logs/$t.log" 2>&1; then
    tail -40 "fuzz/logs/$t.log"
    say "$t: FAILED (crash inputs, if any, in fuzz/artifacts/$t/; log fuzz/logs/$t.log)"; exit 1
  fi
  grep -E 'stat::(number_of_executed_units|new_units_added|peak_rss_mb)|^Done' "fuzz/logs/$t.log" || true
done

say "URL hash (www/js/state.js): node fuzz test, 200,000 cases per property"
FUZZ_ITER=200000 node --test tests/e2e/state-fuzz.test.mjs
say "done, no crashes"
