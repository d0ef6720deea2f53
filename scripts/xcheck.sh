#!/usr/bin/env bash
# Compile check of the whole workspace (every target: app, crates, tests, benches) for Windows and macOS,
# run on Linux with registry packages only:
#   - the compiler: Debian bookworm-security's rustc-web/cargo-web and its own std source (rust-web-src),
#     extracted with `apt-get download` + `dpkg -x` into a cache folder (nothing installed, rustup untouched);
#     std is built for the target with -Zbuild-std (RUSTC_BOOTSTRAP=1), since Debian ships no Windows or
#     macOS std;
#   - C code in dependencies: Debian's mingw-w64 for x86_64-pc-windows-gnu (it checks the same cfg(windows)
#     code as msvc, which needs the Windows SDK), zig (PyPI ziglang + cargo-zigbuild) for aarch64-apple-darwin.
# Warnings are errors. Usage: scripts/xcheck.sh [windows|macos]... (default: both); `setup` only installs.
# Cache: $SUPERDOCS_XCHECK_CACHE (default ~/.cache/superdocs-xcheck): toolchain/, py/, target/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${SUPERDOCS_XCHECK_CACHE:-$HOME/.cache/superdocs-xcheck}"
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(windows macos)
setup_only=false; [ "${targets[*]}" = setup ] && { setup_only=true; targets=(windows macos); }

say() { printf '\033[1mxcheck:\033[0m %s\n' "$*"; }
die() { printf 'xcheck: %s\n' "$*" >&2; exit 1; }
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
mkdir -p "$cache"

# ---- the compiler and its std source, from Debian (unpinned: the security archive keeps only the current
# version, and each new compiler comes with its matching source) ---------------------------------------
tc="$cache/toolchain"
want="$(apt-cache policy rustc-web 2>/dev/null | sed -n 's/^ *Candidate: *//p')"
if [ -z "$want" ] || [ "$want" = "(none)" ]; then
  $sudo apt-get update -qq; want="$(apt-cache policy rustc-web | sed -n 's/^ *Candidate: *//p')"
fi
[ -n "$want" ] && [ "$want" != "(none)" ] || die "no rustc-web package in the apt sources (needs bookworm-security)"
if [ "$(cat "$tc/.version" 2>/dev/null)" != "$want" ]; then
  say "extracting rustc-web $want (+ cargo-web, rust-web-src and the libraries they need) into $tc"
  rm -rf "$tc" "$cache/debs"; mkdir -p "$tc" "$cache/debs"
  # The packages apt would add to this system for the three (it only simulates); they are only unpacked.
  mapfile -t pkgs < <(apt-get -s install --no-install-recommends rustc-web cargo-web rust-web-src | awk '/^Inst /{print $2}')
  (cd "$cache/debs" && apt-get download -qq "${pkgs[@]}" 2>&1 | grep -v "unsandboxed" || true)
  for d in "$cache/debs"/*.deb; do dpkg -x "$d" "$tc"; done
  rm -rf "$cache/debs"
  echo "$want" > "$tc/.version"
fi
export PATH="$tc/usr/bin:$PATH" LD_LIBRARY_PATH="$tc/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export RUSTC="$tc/usr/bin/rustc" CARGO="$tc/usr/bin/cargo"
# Debian points the std source at /usr/src by an absolute link; point it into the extracted tree.
src_link="$tc/usr/lib/rustlib/src/rust"
if [ ! -d "$src_link/library" ]; then
  src_dir="$(ls -d "$tc"/usr/src/rustc-*/ | head -1)"; [ -n "$src_dir" ] || die "rust-web-src has no source tree"
  mkdir -p "$(dirname "$src_link")"; rm -rf "$src_link"; ln -s "$src_dir" "$src_link"
fi
"$RUSTC" --version >/dev/null || die "the extracted rustc does not run"

# ---- C toolchains ------------------------------------------------------------------------------------
need_apt=()
for t in "${targets[@]}"; do
  case "$t" in
    windows) command -v x86_64-w64-mingw32-gcc >/dev/null || need_apt+=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64) ;;
    macos) ;;
    *) die "unknown target '$t' (windows, macos)" ;;
  esac
done
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if [[ " ${targets[*]} " == *" macos "* ]]; then
  py="$cache/py"
  if [ ! -x "$py/bin/cargo-zigbuild" ] || [ ! -d "$py/ziglang" ]; then
    say "installing ziglang and cargo-zigbuild (PyPI) into $py"
    python3 -m pip install -q --disable-pip-version-check --target "$py" ziglang cargo-zigbuild
  fi
  export PATH="$py/bin:$PATH" PYTHONPATH="$py${PYTHONPATH:+:$PYTHONPATH}"
fi

$setup_only && { say "toolchains ready in $cache ($("$RUSTC" --version))"; exit 0; }

# ---- the checks ----------------------------------------------------------------------------------------
export RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$cache/target" CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Warnings are errors for our code only (dependencies' lints are capped by cargo as usual).
export RUSTFLAGS="-D warnings"
cd "$root"
# The app embeds ui/dist at compile time; an empty one is enough for a check.
[ -f ui/dist/index.html ] || { mkdir -p ui/dist && echo '<!doctype html>' > ui/dist/index.html; }
failed=()
for t in "${targets[@]}"; do
  start=$SECONDS
  case "$t" in
    windows)
      triple=x86_64-pc-windows-gnu
      say "checking the workspace for $triple (mingw-w64)"
      cmd=("$CARGO" check) ;;
    macos)
      triple=aarch64-apple-darwin
      say "checking the workspace for $triple (zig)"
      # mac-notification-sys compiles a Cocoa C part that needs the macOS SDK; under DOCS_RS it skips it
      # (it affects only that crate, objc2-exception-helper and an Android branch of the dialog plugin).
      export DOCS_RS=1
      cmd=(cargo-zigbuild check) ;;
  esac
  if "${cmd[@]}" -Zbuild-std=std,panic_abort --target "$triple" --workspace --all-targets \
      --features superdocs-desktop/custom-protocol; then
    say "$triple: ok ($((SECONDS - start)) s)"
  else
    say "$triple: FAILED ($((SECONDS - start)) s)"; failed+=("$triple")
  fi
  unset DOCS_RS
done
[ ${#failed[@]} -eq 0 ] || die "failed for: ${failed[*]}"
say "all targets compile: ${targets[*]}"
