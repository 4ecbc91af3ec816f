# shellcheck shell=bash
# shellcheck disable=SC2034 # bench_* variables are for the scripts that source this file
# Shared by the dev-role benchmarks (pipeline.sh, slot-queue.sh, backlog.sh, long-lived.sh); sourced,
# not run. Finds a JDK >= 21, starts `taskpilot dev` on the bench's own ports with a fresh data
# directory, waits for readiness, measures RSS and heap, and stops everything on exit.
#
# The sourcing script sets bench_name first. Knobs (environment):
#   BENCH_HTTP_PORT (default 18080), BENCH_TEMPORAL_PORT (default 17233)
#   BENCH_KEEP_DATA=1      keep the data directory (with dev.log) after the run
#   BENCH_READY_TIMEOUT    seconds to wait for /health/readiness (default 180)
# After bench_start_dev: $bench_pid (the dev JVM), $bench_api (http://127.0.0.1:PORT/api/v1),
# $bench_data (TASKPILOT_DATA_DIR), $bench_log (dev's output), $bench_startup_s, $bench_token_file
# (dev's bootstrap admin token: admin tokens have no rate limits) and bench_curl, curl with that
# token (read from a config file, so it is on no command line).

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/app/target/taskpilot.jar"

# shellcheck source=bench/jdk.sh
source "$here/bench/jdk.sh"

bench_fail() { echo "${bench_name:-bench}: SETUP FAILED: $*" >&2; exit 1; }

JAVA_HOME="$(find_jdk)"
export JAVA_HOME
bench_java_opts=()
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  bench_java_opts+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi

# Runs one of the single-file programs of bench/ with the taskpilot jar as the classpath (the jar
# is thin; its manifest Class-Path names app/target/lib/*.jar, which the source launcher follows).
bench_java() {
  "$JAVA_HOME/bin/java" "${bench_java_opts[@]}" -DTASKPILOT_LOG_LEVEL=WARN -cp "$jar" "$@"
}

# Builds the jar when it is missing; `taskpilot dev` rebuilds it itself when sources are newer.
bench_ensure_jar() {
  if [ ! -f "$jar" ]; then
    echo "${bench_name:-bench}: building the jar ..." >&2
    "$here/taskpilot" build >/dev/null || bench_fail "./taskpilot build failed"
  fi
}

bench_now() { date +%s.%N; }
bench_now_ms() { date +%s%3N; }
bench_rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
bench_heap_used_mb() { # after a full GC, so it is the live set
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null 2>&1 || true
  sleep 1
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null |
    awk '/used/ && /total/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub("K,?", "", v); printf "%.0f", v / 1024; exit}}'
}

bench_port="${BENCH_HTTP_PORT:-18080}"
bench_temporal_port="${BENCH_TEMPORAL_PORT:-17233}"
bench_data="$(mktemp -d /tmp/taskpilot-bench-XXXXXX)"
bench_log="$bench_data/dev.log"
bench_api="http://127.0.0.1:$bench_port/api/v1"
bench_pid=""
bench_launcher=""

bench_cleanup() {
  local status=$? leftovers pid
  if [ -n "$bench_launcher" ] && kill -0 "$bench_launcher" 2>/dev/null; then
    kill "$bench_launcher" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$bench_launcher" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$bench_launcher" 2>/dev/null || true
    wait "$bench_launcher" 2>/dev/null || true
  fi
  # A JVM that had to be SIGKILLed leaves its embedded PostgreSQL (and agents) behind; they are
  # ours by the data directory in their command line.
  leftovers="$(pgrep -f -- "$bench_data/" || true)"
  for pid in /proc/[0-9]*; do # and agents: their working directory is in the data directory
    case "$(readlink "$pid/cwd" 2>/dev/null)" in "$bench_data"/*) leftovers="$leftovers ${pid#/proc/}" ;; esac
  done
  for pid in $leftovers; do kill "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ] && [ -f "$bench_log" ]; then
    echo "${bench_name:-bench}: exit $status; last lines of dev.log:" >&2
    tail -n 30 "$bench_log" >&2 || true
  fi
  if [ "${BENCH_KEEP_DATA:-0}" = "1" ]; then
    echo "${bench_name:-bench}: data kept in $bench_data" >&2
  else
    rm -rf "$bench_data"
  fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# Starts dev with the environment the caller exported (MICRONAUT_CONFIG_FILES, TASKPILOT_*) and
# waits until it is ready.
# An agent profile `echo` that prints one line and exits at once, for the dev started next.
bench_use_echo_agent() {
  cat >"$bench_data/bench.yml" <<'YAML'
taskpilot:
  agents:
    echo:
      command: [/bin/echo, done]
      prompt: argument
      timeout: 1m
YAML
  export MICRONAUT_CONFIG_FILES="$bench_data/bench.yml"
}

bench_start_dev() {
  local start ready
  if curl -s -o /dev/null "http://127.0.0.1:$bench_port/health"; then
    bench_fail "port $bench_port is taken (another dev running?); set BENCH_HTTP_PORT"
  fi
  export TASKPILOT_DATA_DIR="$bench_data" MICRONAUT_SERVER_PORT="$bench_port"
  export TASKPILOT_DEV_TEMPORAL_PORT="$bench_temporal_port"
  # A stopping bench does not need to let agents finish.
  export TASKPILOT_WORKER_DRAIN_TIMEOUT="${TASKPILOT_WORKER_DRAIN_TIMEOUT:-2s}"
  start=$(bench_now)
  "$here/taskpilot" dev >"$bench_log" 2>&1 &
  bench_launcher=$!
  until curl -sf "http://127.0.0.1:$bench_port/health/readiness" >/dev/null 2>&1; do
    kill -0 "$bench_launcher" 2>/dev/null || bench_fail "taskpilot dev exited before it was ready (see the log above)"
    if awk -v s="$start" -v t="${BENCH_READY_TIMEOUT:-180}" -v n="$(bench_now)" 'BEGIN {exit !(n - s > t)}'; then
      bench_fail "taskpilot dev not ready after ${BENCH_READY_TIMEOUT:-180} s"
    fi
    sleep 0.1
  done
  ready=$(bench_now)
  bench_token_file="$bench_data/admin-token"
  [ -s "$bench_token_file" ] || bench_fail "dev wrote no admin token to $bench_token_file"
  (umask 077 && printf 'header = "Authorization: Bearer %s"\n' "$(cat "$bench_token_file")" >"$bench_data/auth.curl")
  bench_startup_s=$(awk -v s="$start" -v r="$ready" 'BEGIN {printf "%.1f", r - s}')
  # The launcher execs java, so its pid is the JVM's (not pgrep: another dev may be running).
  bench_pid="$bench_launcher"
  case "$(readlink -f "/proc/$bench_pid/exe" 2>/dev/null)" in
    */java) ;;
    *) bench_fail "pid $bench_pid is not the dev JVM" ;;
  esac
}

# curl with dev's admin token (after bench_start_dev).
bench_curl() { curl -K "$bench_data/auth.curl" "$@"; }

# Prints "p50 p99 max" (ms, one decimal) of the numbers (ms) in file $1, one a line.
bench_percentiles() {
  sort -g "$1" | awk '{v[NR] = $1} END {
    if (NR == 0) {print "n/a n/a n/a"; exit}
    i50 = int(0.5 * NR + 0.999999); i99 = int(0.99 * NR + 0.999999)
    printf "%.1f %.1f %.1f\n", v[i50], v[i99], v[NR]}'
}

# jq definitions: ms turns an ISO-8601 instant ("2026-12-03T09:45:45.248676639Z") into epoch ms.
bench_jq_defs='def ms: capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$") | ((.s + "Z") | fromdateiso8601) * 1000 + (((.f // "0") + "000")[0:3] | tonumber);'

# Writes every task with label $1 to file $2, one compact JSON object a line, by paging the list API.
bench_list_tasks() {
  local label="$1" out="$2" cursor="" page
  : >"$out"
  while :; do
    page="$(bench_curl -sf "$bench_api/tasks?label=$label&limit=200${cursor:+&cursor=$cursor}")" ||
      bench_fail "GET $bench_api/tasks?label=$label failed"
    printf '%s' "$page" | jq -c '.items[]' >>"$out"
    cursor="$(printf '%s' "$page" | jq -r '.nextCursor // empty')"
    [ -n "$cursor" ] || break
  done
}

# Prints "STATUS=N ..." of the tasks in file $1 (as bench_list_tasks writes it).
bench_status_counts() {
  jq -r '.status' "$1" | sort | uniq -c | awk '{printf "%s%s=%d", (NR > 1 ? " " : ""), $2, $1} END {print ""}'
}

# Waits until $2 tasks with label $1 have ended (SUCCEEDED, FAILED, CANCELLED, REJECTED), at most
# $3 seconds; the last listing stays in $bench_data/tasks.jsonl. Prints progress to stderr every
# 10 s. Returns 1 on timeout.
bench_wait_ended() {
  local label="$1" want="$2" limit="$3" begin ended last_report=0 elapsed
  begin=$(date +%s)
  while :; do
    bench_list_tasks "$label" "$bench_data/tasks.jsonl"
    ended=$(jq -r 'select(.status == "SUCCEEDED" or .status == "FAILED" or .status == "CANCELLED" or .status == "REJECTED") | .id' "$bench_data/tasks.jsonl" | wc -l)
    [ "$ended" -ge "$want" ] && return 0
    elapsed=$(($(date +%s) - begin))
    if [ "$elapsed" -ge "$limit" ]; then return 1; fi
    if [ $((elapsed - last_report)) -ge 10 ]; then
      echo "${bench_name:-bench}: ... ${elapsed}s: $(bench_status_counts "$bench_data/tasks.jsonl")" >&2
      last_report=$elapsed
    fi
    sleep 1
  done
}

command -v jq >/dev/null || bench_fail "needs jq (apt-get install jq)"
command -v curl >/dev/null || bench_fail "needs curl"
