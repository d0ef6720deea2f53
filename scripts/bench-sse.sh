#!/usr/bin/env bash
# SSE parse + dispatch throughput of the core (budget: >= 100,000 events/s).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release -p superdocs-client --example bench_sse
