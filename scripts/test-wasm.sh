#!/usr/bin/env bash
# The wasm-bindgen tests (tests/web) in headless Chromium, built like the
# page (release profile, scripts/wasm-flags.sh) with the `bench` entry points:
# they test the module that ships (SIMD, LTO), and after `make wasm` only
# rnnscope itself is compiled again. Extra arguments go to the test runner,
# e.g. `scripts/test-wasm.sh -- dynamics::`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-flags.sh
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
exec scripts/cargo-wasm test --release --features bench --test web "$@"
