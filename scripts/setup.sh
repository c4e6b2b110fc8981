#!/usr/bin/env bash
# Install what building and testing rnnscope needs. Idempotent: every step
# checks first and is skipped when already satisfied.
#   1. a wasm32 toolchain: rustup's target where it can download, else
#      Debian's rustc-web + rust-web-src + lld (used with -Zbuild-std);
#   2. wasm-bindgen-cli of exactly the version pinned in Cargo.lock;
#   3. Chromium + ChromeDriver (Debian packages) for browser tests;
#   4. node packages for the end-to-end tests (playwright-core).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
APT_UPDATED=""
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "[setup] error: need the packages $* but apt-get is not available; install them by hand" >&2
    exit 1
  fi
  [ -n "$APT_UPDATED" ] || { say "apt-get update"; $SUDO apt-get update -qq; APT_UPDATED=1; }
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

command -v cargo >/dev/null 2>&1 || { echo "[setup] error: cargo not found; install Rust from https://rustup.rs first" >&2; exit 1; }

# 1. wasm32 toolchain
if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "wasm32 target: rustup (installed)"
elif command -v rustup >/dev/null 2>&1 && timeout 180 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
  say "wasm32 target: rustup (added)"
elif [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/src/rust/library ] && dpkg -s lld-22 >/dev/null 2>&1; then
  say "wasm32 target: Debian rustc-web with build-std (installed)"
else
  say "rustup cannot add wasm32 here; using Debian's rustc-web with -Zbuild-std"
  apt_install rustc-web cargo-web rust-web-src lld-22
fi

# 2. wasm-bindgen-cli, exactly the pinned version
want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
[ -n "$want" ] || { echo "[setup] error: wasm-bindgen not found in Cargo.lock" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" = "$want" ] && command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  say "wasm-bindgen-cli $want (installed)"
else
  say "cargo install wasm-bindgen-cli $want (takes a few minutes)"
  cargo install -q wasm-bindgen-cli --version "$want" --force
fi

# 3. Chromium and ChromeDriver
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  say "chromium + chromedriver (installed)"
else
  apt_install chromium chromium-driver
fi

# 4. node packages
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if [ -f node_modules/playwright-core/package.json ] && [ -x node_modules/.bin/esbuild ]; then
  say "playwright-core (installed)"
else
  say "npm ci"
  npm ci --no-audit --no-fund --silent
fi
say "ready"
