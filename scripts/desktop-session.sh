#!/usr/bin/env bash
# Runs a command inside a private desktop session, as the tests need one:
#   a D-Bus session bus, an unlocked gnome-keyring (Secret Service), and XDG dirs in a temp folder,
#   so nothing touches the user's real keyring, config or cache.
# Inside, SUPERDOCS_REQUIRE_KEYRING=1 tells keyring tests they must run, not skip.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

session_dir="$(mktemp -d -t superdocs-session.XXXXXX)"
# Keeps the command's exit status: a failing command in an EXIT trap would replace it.
cleanup() {
  local status=$?
  # GTK's file dialog starts xdg-document-portal, which mounts a FUSE file system in the runtime dir and
  # leaves it dangling when the bus ends: unmount it, or the folder cannot be removed.
  fusermount3 -uz "$session_dir/runtime/doc" 2>/dev/null || fusermount -uz "$session_dir/runtime/doc" 2>/dev/null || true
  rm -rf "$session_dir" 2>/dev/null || true
  exit "$status"
}
trap cleanup EXIT
mkdir -p "$session_dir"/{data,cache,config,runtime}
chmod 700 "$session_dir/runtime"
export XDG_DATA_HOME="$session_dir/data" XDG_CACHE_HOME="$session_dir/cache"
export XDG_CONFIG_HOME="$session_dir/config" XDG_RUNTIME_DIR="$session_dir/runtime"
# The tests read the window in English whatever the developer's desktop speaks (a test that wants another
# language sets LANG for its app).
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8

# Not exec'd: the EXIT trap above must run to remove the session's folder.
dbus-run-session -- bash -c '
  set -e
  # Unlocking with no keyring yet creates the "login" keyring, which becomes the default collection.
  echo -n superdocs-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  export SUPERDOCS_REQUIRE_KEYRING=1
  exec "$@"
' desktop-session "$@"
