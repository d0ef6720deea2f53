# The two commands of the README: `make run` (build and open the app) and `make test` (every test).
# Both install what is missing first (scripts/setup.sh).
SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(CURDIR)/target
APP := $(CARGO_TARGET_DIR)/debug/superdocs-desktop

.PHONY: bench-ui run test bench setup ui app sim clean xcheck package package-debug package-test icons soak fuzz

run: ## Build and open the desktop app
	scripts/setup.sh run
	$(MAKE) --no-print-directory app
	$(APP)

test: ## Run every test (Rust unit + integration, inside a private D-Bus session with gnome-keyring)
	scripts/setup.sh test
	scripts/test.sh

bench: ## Benchmarks (slow; not part of `make test`)
	scripts/setup.sh bench
	scripts/bench.sh

bench-ui: ## UI benchmark of issue #11 in the real window (BENCH_PAGES="50,300,1000", BENCH_SESSIONS, BENCH_TURNS)
	scripts/setup.sh test
	scripts/bench-ui.sh

ui:
	npm --prefix ui run build

app: ui
	cargo build -p superdocs-desktop --features custom-protocol

sim: ## Run the simulator on 127.0.0.1:8787 (prints its demo key)
	cargo run -p superdocs-sim -- --addr 127.0.0.1:8787

clean:
	cargo clean
	rm -rf ui/dist

.PHONY: audit
audit: ## Supply-chain audit: cargo-deny (advisories, licenses, bans, sources; offline database) and npm audit
	scripts/audit.sh

# ---- Shipping: cross-checks, installers, package tests (README: Install, Building the packages) ----
xcheck: ## Compile check of the workspace for Windows (mingw-w64) and macOS (zig), warnings as errors
	scripts/xcheck.sh

package: ## The installers this machine can build (Linux: .deb, .rpm) into artifacts/packages/
	scripts/setup.sh run
	scripts/package.sh

package-debug: ## The same from the debug build (reuses `make test`'s artifacts; for package-test in CI)
	scripts/setup.sh run
	scripts/package.sh --debug

package-test: ## Installs the .deb in a clean Debian root, starts it, removes it; checks and starts the .rpm
	scripts/package-test.sh

icons: ## Regenerates icons/ from icons/app-icon.png (the one source image)
	ui/node_modules/.bin/tauri icon icons/app-icon.png -o icons
	rm -rf icons/android icons/ios icons/Square*Logo.png icons/StoreLogo.png

# ---- Reliability: soak through the fault proxy, fuzzing ----
soak: ## Exactly-once soak: 1,000 mixed operations through the fault proxy (SOAK_OPS, SOAK_CLIENTS, SOAK_SEED, SOAK_FAULT_RATE)
	SOAK_OPS=$${SOAK_OPS:-1000} cargo test -p superdocs-faultproxy --test soak -- --nocapture

fuzz: ## Fuzz the parsers of outside data, each target FUZZ_SECS seconds (default 300)
	scripts/fuzz.sh
