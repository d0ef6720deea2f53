#!/usr/bin/env bash
# Transfer benchmark of the client core: 1 GiB pre-signed upload and 1 GiB export download through
# superdocs-client vs curl, against a local simulator; prints throughput, ratios and peak RSS.
# Usage: scripts/bench-transfer.sh [BYTES]   (default 1073741824)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
command -v curl >/dev/null || { echo "bench-transfer: curl is required" >&2; exit 1; }
cargo build --release -q -p superdocs-client --example bench_transfer
exec "$CARGO_TARGET_DIR/release/examples/bench_transfer" "${1:-1073741824}"
