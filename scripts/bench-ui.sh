#!/usr/bin/env bash
# The UI benchmark of issue #11 (`make bench-ui`): the real app under Xvfb, big documents, reviews, long
# session lists and chats; prints the figures beside the goals. Sizes: BENCH_PAGES (default "50"; the
# issue's "50,300,1000"), BENCH_SESSIONS (default 2000; the issue's 10000), BENCH_TURNS (default 500).
set -euo pipefail
cd "$(dirname "$0")/.."
npm --prefix ui run build --silent
scripts/desktop-session.sh cargo test --features superdocs-desktop/custom-protocol,superdocs-desktop/bench-ui \
  --test bench_ui -- --nocapture
