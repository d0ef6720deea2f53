#!/usr/bin/env bash
# Builds the installers this machine can build, with the Tauri CLI from ui/node_modules (its bundler):
# Linux .deb and .rpm, Windows NSIS .exe and .msi, macOS .app and .dmg (targets: tauri.<os>.conf.json).
#   scripts/package.sh           release build (what users get)
#   scripts/package.sh --debug   the debug build, reused from `make test` (quick; for the package test)
# With TAURI_SIGNING_PRIVATE_KEY (and TAURI_SIGNING_PRIVATE_KEY_PASSWORD) set, the updater artifacts
# and their .sig files are made too; without, they are left out (a local build has no release key).
# The packages are copied to artifacts/packages/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
profile=release; args=()
for a in "$@"; do
  case "$a" in
    --debug) profile=debug; args+=(--debug) ;;
    *) args+=("$a") ;;
  esac
done
say() { printf '\033[1mpackage:\033[0m %s\n' "$*"; }

cli="$root/ui/node_modules/.bin/tauri"
[ -x "$cli" ] || { echo "package: $cli is missing: run scripts/setup.sh (npm ci in ui/)" >&2; exit 1; }
if [ -z "${TAURI_SIGNING_PRIVATE_KEY:-}" ]; then
  say "no TAURI_SIGNING_PRIVATE_KEY: building without the signed updater artifacts"
  args+=(--config '{"bundle":{"createUpdaterArtifacts":false}}')
fi
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bundle_dir="$target_dir/$profile/bundle"
rm -rf "$bundle_dir"
start=$SECONDS
# The CLI runs build.beforeBuildCommand (the UI build) inside ui/, then cargo with the app's
# custom-protocol feature (the same artifacts as `make test`), then the bundler.
runner=()
# The debug build is `make test`'s only when cargo resolves the same features: the whole workspace with
# every target (dev-dependencies unify features too); `--bins` alone would rebuild half the dependencies.
[ "$profile" = debug ] && runner=(-- --workspace --all-targets)
"$cli" build --features custom-protocol "${args[@]}" "${runner[@]}"
say "built in $((SECONDS - start)) s"

out="$root/artifacts/packages"
rm -rf "$out"; mkdir -p "$out"
find "$bundle_dir" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' -o -name '*.exe' -o -name '*.msi' \
  -o -name '*.dmg' -o -name '*.sig' -o -name '*.tar.gz' -o -name '*.zip' \) -exec cp {} "$out/" \;
[ -d "$bundle_dir/macos" ] && cp -R "$bundle_dir"/macos/*.app "$out/" 2>/dev/null || true
say "packages in artifacts/packages:"
(cd "$out" && ls -la | awk 'NR>1 && $NF !~ /^\.+$/ {printf "  %-48s %6.1f MB\n", $NF, $5/1048576}')
