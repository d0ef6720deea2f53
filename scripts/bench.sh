#!/usr/bin/env bash
# Benchmarks: each prints its own figures. Budgets are in the README and ../shared/design.md.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in scripts/bench-*.sh; do
  [ -e "$b" ] || continue
  echo "== $b"
  bash "$b"
done
