# The two commands of the README: `make run` (build and open the app) and `make test` (every test).
# Both install what is missing first (scripts/setup.sh).
SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(CURDIR)/target
APP := $(CARGO_TARGET_DIR)/debug/superdocs-desktop

.PHONY: run test bench setup ui app sim clean

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
