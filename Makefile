# rnnscope — the two README commands are `make serve` and `make test`.
SHELL := bash
PORT ?= 8000
# Where `make test`'s time goes: every layer prints its finish time since make started.
T0 := $(shell date +%s)
stamp = @echo "[make] $(1) finished at +$$(( $$(date +%s) - $(T0) )) s"

.PHONY: setup wasm serve test lint test-native test-wasm test-e2e dist dist-only bench bench-quick fuzz test-slurm

setup:
	@bash scripts/setup.sh
	$(call stamp,setup)

wasm: $(if $(SETUP_DONE),,setup)
	+@bash scripts/build-wasm.sh
	$(call stamp,wasm)

## README command 1: build and serve the playground on http://127.0.0.1:$(PORT)
serve: wasm
	@echo "rnnscope playground: http://127.0.0.1:$(PORT)/"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory www

## README command 2: every test layer. The builds run two at a time (`-j2`,
## one per core; cargo shares make's job slots through `+`): the page WASM and
## then its wasm-bindgen tests (target/wasm), the native tests (target/) and
## the lint (target/lint), each in its own target directory so none waits for
## another's cargo lock, and each with single-threaded stretches (LTO, the
## crate's own check) that the other fills. Then the e2e layer.
## (`+` lines run even under `make -n`: there is no dry run of these layers.)
test: setup
	@$(MAKE) --no-print-directory -j2 --output-sync=target T0=$(T0) SETUP_DONE=1 WASM_TESTS_AFTER_PAGE=1 wasm test-native test-wasm lint
	@$(MAKE) --no-print-directory T0=$(T0) SETUP_DONE=1 dist-only test-e2e
	@echo "make test: all layers passed"

# Inside `make test` the wasm tests wait for the page build (same directory).
ifdef WASM_TESTS_AFTER_PAGE
test-wasm: | wasm
endif

## Clippy's check artifacts never serve a build, so lint keeps them apart.
lint: export CARGO_TARGET_DIR = $(CURDIR)/target/lint
lint:
	cargo fmt --check
	+cargo clippy --all-targets -q -- -D warnings
	@# src/wasm/ only compiles for wasm32: lint it there too, with the bench
	@# exports and the wasm-bindgen tests, on whichever wasm32 toolchain this
	@# machine has (rustup's target or Debian's build-std route: scripts/cargo-wasm).
	+scripts/cargo-wasm clippy --lib --test web --features bench -q -- -D warnings
	@# …and each of the page's three modules alone (scripts/build-wasm.sh).
	+scripts/cargo-wasm clippy --lib --no-default-features --features web-core -q -- -D warnings
	+scripts/cargo-wasm clippy --lib --no-default-features --features web-models -q -- -D warnings
	+scripts/cargo-wasm clippy --lib --no-default-features --features web-import -q -- -D warnings
	@# The page's JS: // @ts-check in every file, checked by tsc (npm devDependency).
	@test -x node_modules/.bin/tsc || npm ci --no-audit --no-fund
	node_modules/.bin/tsc -p tsconfig.json
	$(call stamp,lint)

test-native:
	+cargo test -q
	$(call stamp,test-native)

test-wasm:
	+scripts/test-wasm.sh
	$(call stamp,test-wasm)

## Some e2e tests cross-check the page against the native CLI: the one `cargo
## test` built (test profile, opt-level 2), so make test builds no release
## profile (with LTO it took 99 s warm, minutes cold). Same numbers: no
## fast-math, so optimisation levels do not change results.
test-e2e:
	@test -x target/debug/rnnscope || cargo test --no-run -q
	RNNSCOPE_CLI=target/debug/rnnscope node --test --test-concurrency=1 tests/e2e/
	$(call stamp,test-e2e)

## One self-contained HTML file that works from file:// with no network
dist: wasm dist-only

dist-only:
	node scripts/dist.mjs
	$(call stamp,dist)

# ---- perf (issue 10) ----
## Timings against networkx, igraph, leidenalg, bctpy, numpy (throw-away venv); not part of `make test`
bench: setup
	bash scripts/bench/run.sh

## The same with the smaller sizes only (a few minutes)
bench-quick: setup
	BENCH_QUICK=1 bash scripts/bench/run.sh

## Fuzz the CSV and NPY parsers (cargo-fuzz) for FUZZ_SECONDS each
FUZZ_SECONDS ?= 60
fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

# ---- cluster (issue 20) ----
## A real one-node Slurm on localhost: 3-shard array + dependent merge == one-process study (needs root)
test-slurm:
	bash scripts/slurm/test-local.sh
