#!/usr/bin/env bash
# Supply-chain audit (`make audit`, and a step of scripts/test.sh):
#   - Rust: cargo-deny checks advisories, licenses, bans and sources (deny.toml), offline, against the
#     RustSec database snapshot in ../shared/advisory-db.bundle (no network to GitHub here).
#   - UI: npm audit of the runtime dependencies (ui/, --omit=dev); this one asks the npm registry.
# Where a network to GitHub is available, `cargo deny fetch` refreshes the database instead (README).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "audit: installing cargo-deny (cargo install, once)"
  cargo install cargo-deny --locked --quiet
fi

bundle="${ADVISORY_DB_BUNDLE:-$root/../shared/advisory-db.bundle}"
[ -f "$bundle" ] || { echo "audit: no advisory database at $bundle (set ADVISORY_DB_BUNDLE)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# cargo-deny looks for the database in <db-path>/<name derived from its URL>: this is the default URL's.
git -c init.defaultBranch=main -c advice.detachedHead=false clone -q "$bundle" "$work/db/advisory-db-3157b0e258782691"
echo "audit: advisory database $(git -C "$work/db/advisory-db-3157b0e258782691" log -1 --format='%h of %cs')"
# The same config, with db-path pointing at the clone.
sed "s|^db-path = .*|db-path = \"$work/db\"|" deny.toml > "$work/deny.toml"

# --offline needs every crate's sources locally (crates.io is reachable: fetch what is missing).
cargo fetch --locked --quiet
echo "== cargo deny (advisories, licenses, bans, sources)"
cargo deny --offline --workspace --config "$work/deny.toml" check --hide-inclusion-graph advisories licenses bans sources

echo "== npm audit (UI runtime dependencies)"
# Vulnerabilities fail the audit. A registry without the audit endpoint (a read-only mirror answers
# 405) cannot be asked: that is said plainly and skipped, unless AUDIT_STRICT=1.
report="$work/npm-audit.json"
if npm --prefix ui audit --omit=dev --json > "$report" 2>/dev/null; then
  echo "npm audit: no known vulnerabilities in the UI's runtime dependencies"
else
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8") || "{}");
    const strict = process.env.AUDIT_STRICT === "1";
    if (r.vulnerabilities || r.metadata) {
      const v = r.metadata?.vulnerabilities ?? {};
      console.error("npm audit: vulnerable runtime dependencies:", JSON.stringify(v));
      for (const [name, x] of Object.entries(r.vulnerabilities ?? {})) console.error(`  ${name} (${x.severity}): ${x.range}`);
      process.exit(1);
    }
    console.error(`npm audit: the registry cannot be asked (${r.statusCode ?? ""} ${r.message ?? r.error?.summary ?? "no answer"})${strict ? "" : ": skipped (AUDIT_STRICT=1 makes this fatal)"}`);
    process.exit(strict ? 1 : 0);
  ' "$report"
fi
echo "audit: ok"
