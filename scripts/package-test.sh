#!/usr/bin/env bash
# Proves the Linux packages in artifacts/packages/ (scripts/package.sh) on a clean system:
#   .deb  a minimal Debian root (debootstrap, cached under ~/.cache) gets it with `apt-get install ./…deb`,
#         so its declared dependencies are all it has; every library the binary links must resolve there;
#         the installed app starts (Xvfb on the host, its socket bound into the root) and shows its window,
#         a screenshot that is not blank; then `apt-get purge` removes every file it installed.
#   .rpm  `rpm -qpR` lists its requirements (sonames); they must match the .deb's dependencies, and every
#         library the binary links must be required or come with those (checked with Debian's package graph);
#         its payload (rpm2cpio) starts and shows its window.
# Screenshots: artifacts/package-test/. Run as root (chroot, mounts). Usage: scripts/package-test.sh [deb|rpm]...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
what=("$@"); [ ${#what[@]} -gt 0 ] || what=(deb rpm)
cache="${SUPERDOCS_PACKAGE_TEST_CACHE:-$HOME/.cache/superdocs-package-test}"
suite=bookworm mirror=http://deb.debian.org/debian
shots="$root/artifacts/package-test"
mkdir -p "$cache/apt-archives" "$shots"
say() { printf '\033[1mpackage-test:\033[0m %s\n' "$*"; }
die() { printf 'package-test: FAIL: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot and mounts)"
need=()
for t in debootstrap:debootstrap rpm:rpm rpm2cpio:rpm2cpio cpio:cpio Xvfb:xvfb import:imagemagick xdotool:xdotool; do
  command -v "${t%%:*}" >/dev/null || need+=("${t#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

deb="$(ls "$root"/artifacts/packages/*.deb 2>/dev/null | head -1)"
rpm_file="$(ls "$root"/artifacts/packages/*.rpm 2>/dev/null | head -1)"
binary=superdocs-desktop

# ---- the display: one Xvfb on the host for both --------------------------------------------------------
n=$((90 + RANDOM % 400)); while [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
work="$(mktemp -d /tmp/superdocs-package-test.XXXXXX)"
app_pid="" feed_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$feed_pid" ] && kill "$feed_pid" 2>/dev/null || true
  for m in tmp/.X11-unix var/cache/apt/archives dev/shm dev/pts dev sys proc; do
    mountpoint -q "$work/root/$m" 2>/dev/null && umount -l "$work/root/$m" || true
  done
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
export DISPLAY=":$n"  # for xdotool and the apps

# Waits for the app's window, then for a screenshot with content: the page is drawn once WebKit has
# loaded it, a little after the window maps. Blank = (nearly) one colour.
screenshot_of_app() {
  local name="$1" shot="$shots/$1.png" colours=0
  for _ in $(seq 120); do
    xdotool search --name '^SuperDocs$' >/dev/null 2>&1 && break
    kill -0 "$app_pid" 2>/dev/null || die "$name: the app exited at start (log: $work/$name.log)"$'\n'"$(tail -20 "$work/$name.log")"
    sleep 0.5
  done
  xdotool search --name '^SuperDocs$' >/dev/null 2>&1 || die "$name: no SuperDocs window within 60 s"
  for _ in $(seq 60); do
    sleep 1
    import -display ":$n" -window root "$shot" 2>/dev/null || continue
    colours="$(convert "$shot" -format '%k' info:)"
    [ "$colours" -gt 200 ] && break
  done
  [ "$colours" -gt 200 ] || die "$name: the window stayed blank ($colours colours; $shot)"
  say "$name: window shown, screenshot $shot ($colours colours)"
}

# ---- .deb in a clean Debian root --------------------------------------------------------------------------
test_deb() {
  [ -n "$deb" ] || die "no .deb in artifacts/packages (make package)"
  local tarball="$cache/$suite-minbase.tar"
  if [ ! -f "$tarball" ]; then
    say "making a minimal $suite root with debootstrap (once; cached in $tarball)"
    local fresh="$cache/root.new"; rm -rf "$fresh"
    debootstrap --variant=minbase "$suite" "$fresh" "$mirror" >"$cache/debootstrap.log" 2>&1 \
      || die "debootstrap failed (see $cache/debootstrap.log)"
    # The security archive too, as on a user's machine (the dependencies' current versions live there).
    echo "deb http://deb.debian.org/debian-security $suite-security main" >> "$fresh/etc/apt/sources.list"
    tar -C "$fresh" -cf "$tarball.part" . && mv "$tarball.part" "$tarball" && rm -rf "$fresh"
  fi
  local r="$work/root"; mkdir -p "$r"
  tar -C "$r" -xf "$tarball"
  mount -t proc proc "$r/proc"; mount --bind /sys "$r/sys"; mount --bind /dev "$r/dev"
  mount --bind /dev/pts "$r/dev/pts"; mount -t tmpfs tmpfs "$r/dev/shm"
  mount --bind "$cache/apt-archives" "$r/var/cache/apt/archives"
  mkdir -p "$r/tmp/.X11-unix"; mount --bind /tmp/.X11-unix "$r/tmp/.X11-unix"
  cp /etc/resolv.conf "$r/etc/resolv.conf"
  cp "$deb" "$r/tmp/"
  local in_root=(chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
  local start=$SECONDS
  "${in_root[@]}" apt-get update -qq
  "${in_root[@]}" apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" >"$work/apt-install.log" 2>&1 \
    || { tail -30 "$work/apt-install.log"; die "apt-get install of the .deb failed"; }
  say "deb: installed with its declared dependencies in $((SECONDS - start)) s ($(grep -c '^Setting up' "$work/apt-install.log") packages set up)"
  local missing; missing="$("${in_root[@]}" ldd "/usr/bin/$binary" | grep 'not found' || true)"
  [ -z "$missing" ] || die "libraries the binary links but the package does not pull in:"$'\n'"$missing"
  "${in_root[@]}" test -f /usr/share/applications/SuperDocs.desktop || die "no desktop entry installed"
  grep -q '^MimeType=.*application/pdf' "$r/usr/share/applications/SuperDocs.desktop" || die "the desktop entry names no file types"
  local name; name="$(dpkg-deb -f "$deb" Package)"
  "${in_root[@]}" dpkg -L "$name" > "$work/files"
  # For the update step below: the updater installs a .deb with pkexec, a graphical sudo or, last, `sudo
  # dpkg -i`; as root here, sudo is the one that needs no desktop. Added after the dependencies were proven.
  "${in_root[@]}" apt-get install -y -qq --no-install-recommends sudo >/dev/null
  # No name resolution from here on: a release build's update check at start fails quietly offline.
  rm -f "$r/etc/resolv.conf"

  "${in_root[@]}" DISPLAY=":$n" XDG_RUNTIME_DIR=/tmp WEBKIT_DISABLE_COMPOSITING_MODE=1 "/usr/bin/$binary" >"$work/deb-installed.log" 2>&1 &
  app_pid=$!
  screenshot_of_app deb-installed
  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
  if grep -q SUPERDOCS_UPDATE_ENDPOINT "$r/usr/bin/$binary"; then update_installed_deb "$r" "$name"; fi

  "${in_root[@]}" apt-get purge -y -qq "$name" >/dev/null
  "${in_root[@]}" dpkg -s "$name" >/dev/null 2>&1 && die "the package is still installed after purge"
  local left=0
  while read -r f; do
    [ -f "$r$f" ] && { echo "  left behind: $f"; left=$((left + 1)); }
  done < "$work/files"
  [ "$left" -eq 0 ] || die "$left installed files were left after purge"
  say "deb: purged; none of its $(wc -l < "$work/files") paths is left"
}

# The updater's install step, for real (debug builds only: they take a loopback feed and a throwaway key
# from the environment): a newer .deb (this one, repacked as version X.Y.Z+1) signed with a throwaway key
# is served on loopback; the installed app finds it at start; Download and "Install and restart" are
# clicked (xdotool; the notice sits at the window's bottom left, its main button at the right of its last
# row); the plugin installs it (`pkexec` / graphical sudo are absent here, so its `sudo dpkg -i` fallback,
# as root) and the app relaunches. Checked: dpkg has the new version, a new app process shows its window.
update_installed_deb() {
  local r="$1" name="$2" cli="$root/ui/node_modules/.bin/tauri" feed="$work/feed" old_version new_version port
  old_version="$(dpkg-deb -f "$deb" Version)"
  new_version="$(echo "$old_version" | awk -F. '{printf "%d.%d.%d", $1, $2, $3 + 1}')"
  mkdir -p "$feed" && dpkg-deb -R "$deb" "$work/repack"
  sed -i "s/^Version: .*/Version: $new_version/" "$work/repack/DEBIAN/control"
  dpkg-deb --root-owner-group -Zgzip --build "$work/repack" "$feed/update.deb" >/dev/null
  "$cli" signer generate --ci -p "" -w "$work/update.key" >/dev/null 2>&1
  "$cli" signer sign -p "" -f "$work/update.key" "$feed/update.deb" >/dev/null 2>&1
  port=$((20000 + RANDOM % 20000))
  printf '{"version":"%s","notes":"Package test update","pub_date":"2026-01-01T00:00:00Z","platforms":{"linux-x86_64-deb":{"url":"http://127.0.0.1:%s/update.deb","signature":"%s"}}}' \
    "$new_version" "$port" "$(cat "$feed/update.deb.sig")" > "$feed/latest.json"
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$feed" >"$work/feed.log" 2>&1 &
  feed_pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  "${in_root[@]}" DISPLAY=":$n" XDG_RUNTIME_DIR=/tmp WEBKIT_DISABLE_COMPOSITING_MODE=1 RUST_LOG=info,tauri_plugin_updater=debug \
    SUPERDOCS_UPDATE_ENDPOINT="http://127.0.0.1:$port/latest.json" SUPERDOCS_UPDATE_PUBKEY="$(cat "$work/update.key.pub")" \
    "/usr/bin/$binary" >"$work/deb-update.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 60); do grep -q 'GET /latest.json' "$work/feed.log" && break; sleep 0.5; done
  grep -q 'GET /latest.json' "$work/feed.log" || die "update: the installed app did not ask the feed"$'\n'"$(tail -20 "$work/deb-update.log")"
  sleep 2
  screenshot_of_app deb-update-offered
  local button_x=325 button_y=$((800 - 16 - 12 - 12)) first second
  xdotool mousemove "$button_x" "$button_y" click 1   # Download
  for _ in $(seq 60); do grep -q 'GET /update.deb' "$work/feed.log" && break; sleep 0.5; done
  grep -q 'GET /update.deb' "$work/feed.log" || die "update: Download did not fetch the package (see $shots/deb-update-offered.png)"
  sleep 3
  import -display ":$n" -window root "$shots/deb-update-verified.png" 2>/dev/null || true
  first="$(pgrep -f "^/usr/bin/$binary" | head -1)"
  xdotool mousemove "$button_x" "$button_y" click 1   # Install and restart
  for _ in $(seq 120); do
    [ "$("${in_root[@]}" dpkg-query -W -f='${Version}' "$name" 2>/dev/null)" = "$new_version" ] && break; sleep 0.5
  done
  [ "$("${in_root[@]}" dpkg-query -W -f='${Version}' "$name")" = "$new_version" ] \
    || die "update: $name is not at $new_version after Install (see $shots/deb-update-verified.png)"$'\n'"$(tail -20 "$work/deb-update.log")"
  for _ in $(seq 60); do
    second="$(pgrep -f "^/usr/bin/$binary" | head -1)"
    [ -n "$second" ] && [ "$second" != "$first" ] && break; sleep 0.5
  done
  [ -n "$second" ] && [ "$second" != "$first" ] || die "update: the app did not relaunch after installing"
  app_pid="$second"
  screenshot_of_app deb-update-relaunched
  kill "$app_pid" 2>/dev/null; app_pid=""; kill "$feed_pid"; feed_pid=""
  say "deb: the updater installed $name $new_version (signed, from a loopback feed) with dpkg and relaunched the app"
}

# ---- .rpm: requirements against the binary's libraries, then its payload started -------------------------
test_rpm() {
  [ -n "$rpm_file" ] || die "no .rpm in artifacts/packages (make package)"
  say "rpm: requirements (rpm -qpR):"
  rpm -qpR "$rpm_file" 2>/dev/null > "$work/requires"; sed 's/^/  /' "$work/requires"
  # Debian's rpm2cpio exits 1 on these payloads though it writes them whole; the files are checked below.
  mkdir -p "$work/rpm" && (cd "$work/rpm" && { rpm2cpio "$rpm_file" || true; } | cpio -idm --quiet)
  local bin="$work/rpm/usr/bin/$binary"
  [ -x "$bin" ] || die "the rpm has no /usr/bin/$binary"
  # The bundler requires libraries by soname (libgtk-3.so.0()(64bit)); the packages owning those sonames
  # here must be the .deb's dependencies (the two packages declare the same), and every library the binary
  # links must be required directly or come with those (their dependency closure, from Debian's graph).
  local required owners closure=() p soname owner uncovered=0
  required="$(sed -n 's/^\(lib[^ (]*\.so[.0-9]*\)()(64bit)$/\1/p' "$work/requires")"
  [ -n "$required" ] || die "the rpm requires no library"
  owners="$(for soname in $required; do dpkg -S "*/$soname" 2>/dev/null | head -1 | cut -d: -f1; done | sort -u)"
  for p in $(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g'); do
    grep -qx "$p" <<<"$owners" || grep -qx "$p" "$work/requires" \
      || die "the .deb depends on $p but the rpm requires neither it nor any of its libraries"
  done
  mapfile -t closure < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances $owners 2>/dev/null | grep -v '^ ' | sort -u)
  for soname in $(readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
    case "$soname" in libc.so.*|libm.so.*|libgcc_s.so.*|libpthread.so.*|libdl.so.*|ld-linux*|librt.so.*) continue ;; esac
    grep -qx "$soname" <<<"$required" && continue
    owner="$(dpkg -S "*/$soname" 2>/dev/null | head -1 | cut -d: -f1)"
    if [ -z "$owner" ] || ! printf '%s\n' "${closure[@]}" | grep -qx "$owner"; then
      echo "  $soname (${owner:-no package}) is not pulled in by the requirements"; uncovered=$((uncovered + 1))
    fi
  done
  [ "$uncovered" -eq 0 ] || die "$uncovered linked libraries are not covered by the rpm's requirements"
  say "rpm: every linked library is covered by its requirements"
  DISPLAY=":$n" XDG_DATA_HOME="$work/rpm-home" XDG_CONFIG_HOME="$work/rpm-home" WEBKIT_DISABLE_COMPOSITING_MODE=1 \
    "$bin" >"$work/rpm-payload.log" 2>&1 &
  app_pid=$!
  screenshot_of_app rpm-payload
  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
}

start=$SECONDS
for w in "${what[@]}"; do "test_$w"; done
say "passed: ${what[*]} ($((SECONDS - start)) s)"
