# Sourced by scripts/build-wasm.sh (the page) and scripts/test-wasm.sh (the
# wasm-bindgen tests): the page's codegen flags, so the tests run the code
# that ships and reuse the page build's compiled dependencies.
# +simd128: fixed-width SIMD (Chrome 91+, Firefox 89+, Safari 16.4+).
# LLVM's inline threshold 50 (its -O3 default is 225): −7.5 % gzipped with
# the same speed in V8 (docs/performance.md).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} -C target-feature=+simd128 -C llvm-args=-inline-threshold=50"
# The page's modules and the wasm-bindgen tests build in their own target
# directory (they share its dependencies), so `make test` can build them
# while the native tests build in target/ (cargo locks a whole directory).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/wasm}"
