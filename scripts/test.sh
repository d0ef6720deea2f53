#!/usr/bin/env bash
# Every test of the project. Assumes scripts/setup.sh test has run (the Makefile does that).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Style gates: rustfmt, svelte-check (types of the UI and its generated bindings)"
# Fast checks first: a formatting slip or a type error fails in seconds, not after the build.
cargo fmt --all --check
(cd fuzz && cargo fmt --all --check)
npm --prefix ui run check --silent

echo "== UI: unit tests (Vitest) and browser tests (Debian chromium, Tauri IPC mocked)"
npm --prefix ui test

echo "== UI build (the app embeds ui/dist)"
npm --prefix ui run build --silent

echo "== Rust: build every package and its tests"
cargo build --workspace --all-targets --features superdocs-desktop/custom-protocol

echo "== Rust: clippy, warnings as errors (lints in Cargo.toml [workspace.lints])"
cargo clippy --workspace --all-targets --features superdocs-desktop/custom-protocol -- -D warnings

echo "== Rust: tests, inside a private D-Bus session with an unlocked gnome-keyring"
# The app's end-to-end tests (tests/e2e_*.rs) start their own Xvfb when no DISPLAY is set.
# A hung WebDriver call must fail the run, not hold CI until its limit.
timeout --kill-after=30 2400 \
  scripts/desktop-session.sh cargo test --workspace --features superdocs-desktop/custom-protocol --no-fail-fast

echo "== Supply chain: cargo deny (offline RustSec snapshot) and npm audit"
scripts/audit.sh

echo "== Workflow files (.github/workflows): actionlint"
scripts/lint-workflows.sh

# The Linux packages from the debug build above (the bundler reuses it), installed in a clean Debian
# root and started there (README: Building the packages). The Windows/macOS cross-check (`make xcheck`,
# ~18 min cold) is not run here: with it the cold run would pass 45 minutes; ci.yml runs it as its own job.
echo "== Packages: .deb and .rpm (debug build), installed in a clean Debian root and started"
scripts/package.sh --debug
if [ "$(id -u)" -eq 0 ]; then
  scripts/package-test.sh
elif sudo -n true 2>/dev/null; then
  sudo --preserve-env=PATH,HOME scripts/package-test.sh
else
  echo "package-test skipped: it needs root (chroot, mounts); run: sudo scripts/package-test.sh"
fi

echo "== Fuzz: each parser target for a short run from the committed corpus (make fuzz runs longer)"
FUZZ_SECS="${FUZZ_SECS:-30}" FUZZ_BUILD="${FUZZ_BUILD:-dev}" scripts/fuzz.sh
