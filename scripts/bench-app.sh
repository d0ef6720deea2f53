#!/usr/bin/env bash
# The desktop app's budgets (../shared/design.md "Budgets", last three rows), measured side by side with an
# empty Tauri 2 app (bench/empty-tauri) built and run the same way in the same run:
#   cold start   exec -> the loaded page's first IPC call reaches the app        budget <= 1.5x the empty app
#   idle memory  PSS summed over the app and its WebKit processes, ~10 s idle    budget <= 1.5x the empty app
#   binary size  release, stripped                                                budget <= 20 MB
# Both apps run under a private Xvfb inside scripts/desktop-session.sh (private D-Bus, keyring, XDG dirs),
# with fresh XDG dirs per run so our app opens on its first-run screen.
# A bench reports, it does not gate: the exit status is non-zero only when something failed to run.
#
# Needs `scripts/setup.sh bench`. Knobs (environment):
#   CARGO_TARGET_DIR   where both apps are built (default ./target, as in the Makefile)
#   BENCH_RUNS         cold starts per app, the first discarded as warm-up (default 11)
#   BENCH_IDLE_SECS    idle time before memory is read (default 10)
#   BENCH_UI_BUILD=0   use ui/dist as it is instead of running `npm --prefix ui run build`
#   BENCH_KEEP_LOGS=1  keep each run's stamped stderr and the session's log (the path is printed)
set -euo pipefail
export LC_ALL=C # '.' as the decimal point in $EPOCHREALTIME and awk
cd "$(dirname "$0")/.."
root="$PWD"
CARGO_TARGET_DIR="$(realpath -m "${CARGO_TARGET_DIR:-target}")"
export CARGO_TARGET_DIR
ours_bin="$CARGO_TARGET_DIR/release/superdocs-desktop"
empty_bin="$CARGO_TARGET_DIR/release/bench-empty-tauri"
# The line each app writes to stderr when the page's first IPC call reaches it.
ours_ready="ipc: app_version"
empty_ready="ipc: ready"

# With WEBKIT_DISABLE_COMPOSITING_MODE=1, WebKitGTK's UI process often sits in a 500 ms timed wait on its
# main thread before the web process it launched gets going (seen with strace, in both apps; never seen with
# compositing on): start times fall near 250 or near 750 ms. Ten measured runs steady the median; the ratio of
# minimums, which the wait does not touch, and how many runs hit it are shown beside it.
runs="${BENCH_RUNS:-11}"
stall_ms=400 # a run this much slower than the app's fastest one counts as having hit the wait
idle_secs="${BENCH_IDLE_SECS:-10}"
ready_timeout_secs=60

# Inside the session, stdout and stderr go to the session's log (D-Bus services write there too);
# progress and errors go to fd 3, the caller's stderr, which the outer run passes in.
[ "${1:-}" = --measure ] || exec 3>&2
die() { printf 'bench-app: %s\n' "$*" >&3; exit 1; }
say() { printf 'bench-app: %s\n' "$*" >&3; }
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 2 ]] || die "BENCH_RUNS must be a number >= 2 (the first run is a warm-up)"
[[ "$idle_secs" =~ ^[0-9]+$ ]] || die "BENCH_IDLE_SECS must be a whole number of seconds"

# ---- outside the session: build, then run the measurements in a private X + desktop session ----------

require_tools() {
  local t
  for t in xvfb-run Xvfb dbus-run-session gnome-keyring-daemon npm cargo; do
    command -v "$t" >/dev/null 2>&1 || die "$t is missing: run scripts/setup.sh bench"
  done
}

build_apps() {
  if [ "${BENCH_UI_BUILD:-1}" != 0 ]; then
    say "building the UI"
    npm --prefix ui run build >&2
  fi
  [ -f ui/dist/index.html ] || die "ui/dist/index.html is missing: build the UI (npm --prefix ui run build)"
  say "building SuperDocs Desktop (release, bundled UI) into $CARGO_TARGET_DIR"
  cargo build --release -p superdocs-desktop --features custom-protocol
  # The empty app resolves the same tauri/wry/webkit2gtk versions as ours: same code, and shared
  # dependencies built once in the same target dir.
  cp Cargo.lock bench/empty-tauri/Cargo.lock
  say "building the empty Tauri 2 app (release)"
  cargo build --release --manifest-path bench/empty-tauri/Cargo.toml --features custom-protocol
}

session_pid=""
work=""
end_session() {
  # The session runs in its own process group; the measuring shell inside ends the apps it started.
  if [ -n "$session_pid" ]; then kill -TERM -- "-$session_pid" 2>/dev/null || true; fi
  # The session was ended by a signal: make sure its temp dir goes too.
  local session_dir
  session_dir="$(cat "$work/session-dir" 2>/dev/null || true)"
  case "$session_dir" in */superdocs-session.*) rm -rf "$session_dir" ;; esac
  if [ "${BENCH_KEEP_LOGS:-0}" = 1 ]; then say "logs kept in $work"; else rm -rf "$work"; fi
}

main() {
  require_tools
  build_apps
  work="$(mktemp -d -t superdocs-bench-app.XXXXXX)"
  trap end_session EXIT
  trap 'exit 130' INT TERM
  # -a: a free display number. The measuring shell writes its table to $work/report.
  BENCH_APP_WORK="$work" setsid xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
    scripts/desktop-session.sh bash "$root/scripts/bench-app.sh" --measure 3>&2 > "$work/session.log" 2>&1 &
  session_pid=$!
  local status=0
  wait "$session_pid" || status=$?
  session_pid=""
  if [ "$status" -ne 0 ]; then
    tail -n 30 "$work/session.log" >&2
    die "the measurements failed (exit $status; the session's log above)"
  fi
  cat "$work/report"
}

# ---- inside the session: start, time, measure and stop each app -------------------------------------

app_pid=""
stamper_pid=""

# Each stderr line of the app, prefixed with the time it arrived (seconds since the epoch, microseconds).
stamp_lines() {
  local line
  while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done
}

# Starts BIN with fresh XDG dirs in its own process group; sets app_pid and started_at.
# LOG must be a new file: the ready line is looked for in it as soon as the app starts.
start_app() {
  local bin=$1 log=$2 xdg
  : > "$log"
  xdg="$(mktemp -d "$work/xdg.XXXXXX")"
  mkdir -p "$xdg"/{data,config,cache}
  rm -f "$work/stderr.fifo"
  mkfifo "$work/stderr.fifo"
  stamp_lines < "$work/stderr.fifo" > "$log" &
  stamper_pid=$!
  started_at=$EPOCHREALTIME
  XDG_DATA_HOME="$xdg/data" XDG_CONFIG_HOME="$xdg/config" XDG_CACHE_HOME="$xdg/cache" \
    setsid "$bin" > /dev/null 2> "$work/stderr.fifo" 3>&- &
  app_pid=$!
}

# Waits for the ready line in LOG; sets ready_at to the time it arrived.
wait_ready() {
  local log=$1 pattern=$2 name=$3 deadline=$((SECONDS + ready_timeout_secs)) line
  while :; do
    line="$(grep -m1 -F -- "$pattern" "$log" || true)"
    if [ -n "$line" ]; then
      ready_at="${line%% *}"
      return 0
    fi
    if ! any_alive "$app_pid"; then
      tail -n 20 "$log" >&2
      die "$name exited before its page called it (log above)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$log" >&2; die "$name: no '$pattern' within ${ready_timeout_secs}s"; }
    sleep 0.02
  done
}

# PIDs of every descendant of PID (WebKitWebProcess, WebKitNetworkProcess, any sandbox helpers).
descendants() {
  local root_pid=$1 stat p fields
  local -A children=()
  for p in /proc/[0-9]*; do
    { stat="$(< "$p/stat")"; } 2>/dev/null || continue # gone since the glob
    # Fields after the command name, which may hold spaces and parentheses: state, ppid, ...
    read -r -a fields <<< "${stat##*) }"
    children[${fields[1]}]+=" ${p#/proc/}"
  done
  local queue=("$root_pid") out=() c
  while [ ${#queue[@]} -gt 0 ]; do
    p=${queue[0]}
    queue=("${queue[@]:1}")
    for c in ${children[$p]:-}; do
      out+=("$c")
      queue+=("$c")
    done
  done
  echo "${out[@]:-}"
}

# True while any of the PIDs runs (a zombie waiting to be reaped does not count).
any_alive() {
  ps -o stat= -p "$(IFS=,; echo "$*")" 2>/dev/null | grep -q '^[^Z]'
}

# Ends the app's process group and any descendant that left it, then reaps what this shell started.
stop_app() {
  [ -n "$app_pid" ] || return 0
  local pids i
  read -r -a pids <<< "$app_pid $(descendants "$app_pid")"
  kill -TERM -- "-$app_pid" "${pids[@]}" 2>/dev/null || true
  for i in $(seq 50); do
    any_alive "${pids[@]}" || break
    sleep 0.1
  done
  kill -KILL -- "-$app_pid" "${pids[@]}" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  wait "$stamper_pid" 2>/dev/null || true
  app_pid=""
  stamper_pid=""
}

ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

# One cold start of an app (NAME, RUN number): sets elapsed_ms, from exec to its ready line.
# (Results go through variables, not $(...): a subshell would not end the app if it failed.)
cold_start() {
  local bin=$1 pattern=$2 name=$3 log="$work/$3.cold-$4.log"
  start_app "$bin" "$log"
  wait_ready "$log" "$pattern" "$name"
  stop_app
  elapsed_ms="$(ms_between "$started_at" "$ready_at")"
}

# "median min max stalled median_unstalled" of the numbers given (stalled: how many are over min + stall_ms).
summary() {
  printf '%s\n' "$@" | sort -n | awk -v stall="$stall_ms" '
    function median(a, n) { return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { v[NR] = $1 }
    END {
      for (i = 1; i <= NR; i++) if (v[i] <= v[1] + stall) fast[++nf] = v[i]
      printf "%.0f %d %d %d %.0f", median(v, NR), v[1], v[NR], NR - nf, median(fast, nf)
    }'
}

# Idle memory of an app and its descendants: sets pss_total_kb and rss_total_kb, and writes one line per
# process ("name pss_kB rss_kB") to $work/NAME.mem. PSS splits shared pages among every process mapping
# them, so WebKit processes of other apps running meanwhile lower it (they are counted into other_webkit);
# RSS does not depend on other processes, so its total is shown too.
idle_memory() {
  local bin=$1 pattern=$2 name=$3 log="$work/$3.idle.log" p exe pss rss ours
  start_app "$bin" "$log"
  wait_ready "$log" "$pattern" "$name"
  sleep "$idle_secs"
  ours=" $app_pid $(descendants "$app_pid") "
  : > "$work/$name.mem"
  pss_total_kb=0 rss_total_kb=0
  for p in $ours; do
    read -r pss rss < <(awk '/^Pss:/ { pss = $2 } /^Rss:/ { rss = $2 } END { print pss, rss }' \
      "/proc/$p/smaps_rollup" 2>/dev/null) || continue
    [ -n "$pss" ] || continue
    exe="$(tr '\0' '\n' < "/proc/$p/cmdline" | head -n1)"
    echo "${exe##*/} $pss $rss" >> "$work/$name.mem"
    pss_total_kb=$((pss_total_kb + pss))
    rss_total_kb=$((rss_total_kb + rss))
  done
  for p in $(pgrep -f '/WebKit(Web|Network)Process' || true); do
    [[ "$ours" == *" $p "* ]] || other_webkit=$((other_webkit + 1))
  done
  stop_app
}

mb_of_kib() { awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'; }
mb_of_bytes() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v max="$2" 'BEGIN { print (v <= max) ? "ok" : "OVER" }'; }

measure() {
  work="${BENCH_APP_WORK:?set by the outer run}"
  echo "${XDG_RUNTIME_DIR%/runtime}" > "$work/session-dir" # for the outer run to remove
  trap stop_app EXIT
  trap 'exit 130' INT TERM
  # Xvfb has no GPU: WebKit's compositing mode would fall back to software GL and skew both apps.
  export WEBKIT_DISABLE_COMPOSITING_MODE=1
  # Our ready line is logged at info; a RUST_LOG from the caller's shell must not hide it.
  export RUST_LOG=info
  local bin
  for bin in "$ours_bin" "$empty_bin"; do
    [ -x "$bin" ] || die "$bin is missing: build both apps first"
  done

  # Alternating the two apps spreads any drift of the machine (other builds on it) over both.
  local i
  ours_ms=() empty_ms=()
  say "cold starts: $runs per app, the first discarded"
  for i in $(seq "$runs"); do
    cold_start "$ours_bin" "$ours_ready" superdocs "$i"
    [ "$i" -eq 1 ] || ours_ms+=("$elapsed_ms")
    cold_start "$empty_bin" "$empty_ready" empty "$i"
    [ "$i" -eq 1 ] || empty_ms+=("$elapsed_ms")
  done
  say "idle memory: ${idle_secs} s after ready"
  other_webkit=0
  idle_memory "$ours_bin" "$ours_ready" superdocs
  ours_kb=$pss_total_kb ours_rss_kb=$rss_total_kb
  idle_memory "$empty_bin" "$empty_ready" empty
  empty_kb=$pss_total_kb empty_rss_kb=$rss_total_kb
  print_report > "$work/report"
}

# One line of the table: what, ours, empty, ratio, budget.
row() { printf '%-36s %18s %18s %7s  %s\n' "$@"; }

print_report() {
  local o_med o_min o_max o_stalled o_fast e_med e_min e_max e_stalled e_fast start_ratio fast_ratio min_ratio mem_ratio ours_bytes empty_bytes proc kb
  read -r o_med o_min o_max o_stalled o_fast <<< "$(summary "${ours_ms[@]}")"
  read -r e_med e_min e_max e_stalled e_fast <<< "$(summary "${empty_ms[@]}")"
  start_ratio="$(ratio "$o_med" "$e_med")"
  fast_ratio="$(ratio "$o_fast" "$e_fast")"
  min_ratio="$(ratio "$o_min" "$e_min")"
  mem_ratio="$(ratio "$ours_kb" "$empty_kb")"
  ours_bytes="$(stat -c %s "$ours_bin")"
  empty_bytes="$(stat -c %s "$empty_bin")"

  echo "App benchmarks: Xvfb, WEBKIT_DISABLE_COMPOSITING_MODE=1, $((runs - 1)) cold starts per app after 1 warm-up; MB = 10^6 bytes"
  row "" "SuperDocs" "empty Tauri 2" "ratio" "budget"
  row "cold start to first IPC, median ms" "$o_med" "$e_med" "${start_ratio}x" "<= 1.50x $(verdict "$start_ratio" 1.5)"
  row "  runs in WebKit's 500 ms wait" "$o_stalled of ${#ours_ms[@]}" "$e_stalled of ${#empty_ms[@]}"
  row "  median of the runs without it, ms" "$o_fast" "$e_fast" "${fast_ratio}x" "<= 1.50x $(verdict "$fast_ratio" 1.5)"
  row "  min-max ms (ratio of minimums)" "$o_min-$o_max" "$e_min-$e_max" "${min_ratio}x"
  row "idle PSS after ${idle_secs} s, total MB" "$(mb_of_kib "$ours_kb")" "$(mb_of_kib "$empty_kb")" \
    "${mem_ratio}x" "<= 1.50x $(verdict "$mem_ratio" 1.5)"
  while read -r proc kb _; do row "  $proc" "$(mb_of_kib "$kb")" ""; done < "$work/superdocs.mem"
  while read -r proc kb _; do row "  $proc" "" "$(mb_of_kib "$kb")"; done < "$work/empty.mem"
  row "  RSS, total MB" "$(mb_of_kib "$ours_rss_kb")" "$(mb_of_kib "$empty_rss_kb")" \
    "$(ratio "$ours_rss_kb" "$empty_rss_kb")x"
  if [ "$other_webkit" -gt 0 ]; then
    echo "  note: other apps' WebKit processes ran while memory was read ($other_webkit seen); sharing libraries lowers PSS"
  fi
  row "release binary, stripped, MB" "$(mb_of_bytes "$ours_bytes")" "$(mb_of_bytes "$empty_bytes")" "" \
    "<= 20 MB $(verdict "$ours_bytes" 20000000)"
  echo "cold starts, each run in ms:"
  echo "  SuperDocs      ${ours_ms[*]}"
  echo "  empty Tauri 2  ${empty_ms[*]}"
}

if [ "${1:-}" = --measure ]; then
  measure
else
  main
fi
