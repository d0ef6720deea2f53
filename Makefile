# The two commands of the README: `make run` (build and open the app) and `make test` (every test).
# Both install what is missing first (scripts/setup.sh).
SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(CURDIR)/target
APP := $(CARGO_TARGET_DIR)/debug/superdocs-desktop

.PHONY: run test bench setup ui app sim clean soak fuzz

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

soak: ## Exactly-once soak: 1,000 mixed operations through the fault proxy (SOAK_OPS, SOAK_CLIENTS, SOAK_SEED, SOAK_FAULT_RATE)
	SOAK_OPS=$${SOAK_OPS:-1000} cargo test -p superdocs-faultproxy --test soak -- --nocapture

fuzz: ## Fuzz the parsers of outside data, each target FUZZ_SECS seconds (default 300)
	scripts/fuzz.sh
