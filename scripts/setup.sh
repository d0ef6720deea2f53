#!/usr/bin/env bash
# Installs whatever the project needs and is missing, on Debian/Ubuntu; skips what is already there.
#   scripts/setup.sh run    system libraries for building and running the desktop app, UI packages
#   scripts/setup.sh test   the above, plus what the tests use (Xvfb, D-Bus, gnome-keyring, WebKit driver, ...)
set -euo pipefail
mode="${1:-run}"
root="$(cd "$(dirname "$0")/.." && pwd)"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# ---- system packages -------------------------------------------------------------------------------
build_pkgs=(build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev libxdo-dev
  libayatana-appindicator3-dev librsvg2-dev libsecret-1-dev libdbus-1-dev)
test_pkgs=(xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring libsecret-tools keyutils
  python3-dbus python3-gi gir1.2-gtk-3.0 xdotool procps chromium imagemagick poppler-utils)

wanted=("${build_pkgs[@]}")
[ "$mode" = test ] || [ "$mode" = bench ] && wanted+=("${test_pkgs[@]}")
command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- toolchains ------------------------------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || die "Rust is missing: install it with rustup (https://rustup.rs), then run this again."
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js $node_major is too old for the UI build (Vite needs 20.19+): install Node 20 or 22."

# ---- UI packages -----------------------------------------------------------------------------------
# Reinstall only when the lock file changed since the last install.
lock_sum="$(sha256sum "$root/ui/package-lock.json" | cut -d' ' -f1)"
stamp="$root/ui/node_modules/.superdocs-lock"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "installing UI packages (npm ci)"
  (cd "$root/ui" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$stamp"
fi

# ---- test tools ------------------------------------------------------------------------------------
if [ "$mode" = test ] || [ "$mode" = bench ]; then
  if ! command -v tauri-driver >/dev/null 2>&1; then
    say "installing tauri-driver (cargo install)"
    cargo install tauri-driver --locked --quiet
  fi
  # The style gates of scripts/test.sh (rustup's minimal profile leaves these two out).
  for component in rustfmt:fmt clippy:clippy; do
    if ! cargo "${component#*:}" --version >/dev/null 2>&1 && command -v rustup >/dev/null 2>&1; then
      say "installing the ${component%%:*} component (rustup)"
      rustup component add "${component%%:*}" >/dev/null
    fi
  done
fi
say "ready ($mode)"
