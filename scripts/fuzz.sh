#!/usr/bin/env bash
# Fuzzes the parsers of outside data with cargo-fuzz (libFuzzer), each target for FUZZ_SECS seconds
# (default 300; CI runs 30), starting from the committed corpus in fuzz/corpus/<target>. New inputs go to
# a scratch copy (FUZZ_KEEP=1: into fuzz/corpus itself). A crash fails the run and leaves its input in
# fuzz/artifacts/<target>/. Prints the executions per target.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${FUZZ_SECS:-300}"
targets=(${FUZZ_TARGETS:-sse_split error_body download_name proposed_change})
toolchain=+nightly
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: no nightly toolchain; building without sanitizers on stable"
  toolchain=""
  export RUSTC_BOOTSTRAP=1
fi
sanitizer=address
[ -n "$toolchain" ] || sanitizer=none
# FUZZ_BUILD=dev: an unoptimised build, about half the compile time of the default release build, for
# short runs (CI); long runs want the release build's speed.
profile=()
[ "${FUZZ_BUILD:-release}" = dev ] && profile=(--dev)
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked --quiet
# Outside the clone when CI gives a cache dir, so repeat runs reuse the instrumented build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
summary=()
for t in "${targets[@]}"; do
  seeds="$PWD/fuzz/corpus/$t"
  mkdir -p "$seeds"
  work="$scratch/$t"
  mkdir -p "$work"
  [ "${FUZZ_KEEP:-0}" = 1 ] && work="$seeds"
  log="$scratch/$t.log"
  echo "== fuzz $t for ${secs}s"
  (cd fuzz && cargo $toolchain fuzz run "${profile[@]}" --sanitizer "$sanitizer" "$t" "$work" "$seeds" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1) >"$log" 2>&1 || {
    tail -n 60 "$log"
    echo "fuzz: $t FAILED (input in fuzz/artifacts/$t/)"
    exit 1
  }
  runs="$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+' || echo '?')"
  summary+=("$t: $runs executions in ${secs}s, no crash")
done
printf 'fuzz: %s\n' "${summary[@]}"
