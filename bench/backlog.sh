#!/usr/bin/env bash
# Benchmark: what a backlog of waiting tasks costs the dev role. Creates N tasks fast, lets them
# settle into their wait, reports RSS and the heap's live set, then offers 50 creates/s for 30 s
# (more future tasks) while the backlog waits and reports their create latency, then RSS again.
#   bench/backlog.sh [N]                    (default 10000 tasks)
#   BACKLOG_MODE=slot bench/backlog.sh [N]
# Modes: future (default): the N tasks have a notBefore a day ahead, so each waits on a durable
# timer. slot: the N tasks all name one plain workspace and an agent `sleeper` that sleeps for an
# hour, so one runs and the others wait for the agent slot (polling for it); the bench also counts
# the agent processes really running there.
# Knobs (environment):
#   BENCH_FILL_RATE=200      creates per second while filling the backlog
#   BENCH_PROBE_RATE=50, BENCH_PROBE_SECONDS=30   the creates offered while the backlog waits
#   BENCH_SETTLE_TIMEOUT=600 seconds to wait for the backlog to be waiting
#   BENCH_HTTP_PORT=18080, BENCH_TEMPORAL_PORT=17233, BENCH_KEEP_DATA=1 (see dev-lib.sh)
# Prints: the fill's create latency, the time until the backlog waited and its statuses, RSS and
# heap used (after a full GC) with the backlog, the probe's create latency p50/p90/p99/max and 5xx,
# RSS and heap after the probe. Asserts nothing; exits 1 if the setup fails.
# shellcheck disable=SC2154 # the load_* variables come from Load.java's --stats file
set -euo pipefail
bench_name=backlog
# shellcheck source=bench/dev-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/dev-lib.sh"
count="${1:-10000}"
mode="${BACKLOG_MODE:-future}"
fill_rate="${BENCH_FILL_RATE:-200}"
probe_rate="${BENCH_PROBE_RATE:-50}"
probe_seconds="${BENCH_PROBE_SECONDS:-30}"
settle_s="${BENCH_SETTLE_TIMEOUT:-600}"
case "$mode" in future | slot) ;; *) bench_fail "BACKLOG_MODE must be future or slot, not $mode" ;; esac
echo "== backlog ($mode): $count waiting tasks created at $fill_rate/s, then $probe_rate creates/s for $probe_seconds s (JDK $(java_major "$JAVA_HOME/bin/java"), $(nproc) cores)"

bench_ensure_jar
mkdir -p "$bench_data/workspaces/shared"
cat >"$bench_data/bench.yml" <<'YAML'
taskpilot:
  agents:
    sleeper:
      command: [/bin/sleep, "3600"]
      prompt: stdin
      timeout: 2h
      stall-timeout: 2h
YAML
export MICRONAUT_CONFIG_FILES="$bench_data/bench.yml"
bench_start_dev
echo "backlog: dev ready in ${bench_startup_s} s, RSS $(bench_rss_mb "$bench_pid") MB, heap used $(bench_heap_used_mb "$bench_pid") MB"

tomorrow="$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)"
if [ "$mode" = future ]; then
  body="{\"prompt\": \"Backlog task {i}\", \"notBefore\": \"$tomorrow\", \"labels\": [\"backlog\"]}"
else
  body="{\"prompt\": \"Backlog task {i}\", \"agent\": \"sleeper\", \"workspace\": \"shared\", \"labels\": [\"backlog\"]}"
fi
fill_start=$(bench_now)
bench_java "$here/bench/Load.java" --token-file "$bench_token_file" --name fill --url "$bench_api/tasks" --rate "$fill_rate" --count "$count" \
  --ids "$bench_data/ids.txt" --body "$body" || bench_fail "Load.java got no answer at all"
created=$(wc -l <"$bench_data/ids.txt")
[ "$created" -gt 0 ] || bench_fail "no task was created"

# Settled: every created task waits. future: all SCHEDULED. slot: all planned (none PLANNING); a
# task shows RUNNING from the end of planning until its first slot claim returns, SCHEDULED after.
if [ "$mode" = future ]; then
  waiting_filter='select(.status == "SCHEDULED")'
else
  waiting_filter='select(.status == "SCHEDULED" or .status == "RUNNING")'
fi
begin=$(date +%s)
while :; do
  bench_list_tasks backlog "$bench_data/tasks.jsonl"
  waiting=$(jq -r "$waiting_filter | .id" "$bench_data/tasks.jsonl" | wc -l)
  [ "$waiting" -ge "$created" ] && break
  if [ $(($(date +%s) - begin)) -ge "$settle_s" ]; then
    echo "backlog: NOT SETTLED after ${settle_s} s" >&2
    break
  fi
  sleep 3 # listing N tasks is load too
done
settled=$(bench_now)
awk -v a="$fill_start" -v b="$settled" -v n="$created" -v st="$(bench_status_counts "$bench_data/tasks.jsonl")" \
  'BEGIN {printf "backlog: %d created; all waiting %.1f s after the fill began; statuses %s\n", n, b - a, st}'
# The agent processes that really run: their working directory is the shared workspace.
agents_running() {
  local pid count=0
  for pid in /proc/[0-9]*; do
    [ "$(readlink "$pid/cwd" 2>/dev/null)" = "$bench_data/workspaces/shared" ] && count=$((count + 1))
  done
  echo "$count"
}
[ "$mode" = future ] || echo "backlog: agent processes running in the shared workspace: $(agents_running)"
echo "backlog: with the backlog: RSS $(bench_rss_mb "$bench_pid") MB; heap used $(bench_heap_used_mb "$bench_pid") MB after a full GC, then RSS $(bench_rss_mb "$bench_pid") MB"

bench_java "$here/bench/Load.java" --token-file "$bench_token_file" --name probe --url "$bench_api/tasks" --rate "$probe_rate" \
  --count $((probe_rate * probe_seconds)) --stats "$bench_data/probe.env" \
  --body "{\"prompt\": \"Probe task {i}\", \"notBefore\": \"$tomorrow\", \"labels\": [\"probe\"]}" ||
  bench_fail "Load.java got no answer at all"
# shellcheck disable=SC1091
source "$bench_data/probe.env"
echo "backlog: probe create latency p50 ${load_p50_ms} ms, p90 ${load_p90_ms} ms, p99 ${load_p99_ms} ms, max ${load_max_ms} ms; 5xx ${load_5xx}; no answer ${load_no_answer}"
echo "backlog: after the probe: RSS $(bench_rss_mb "$bench_pid") MB; heap used $(bench_heap_used_mb "$bench_pid") MB after a full GC, then RSS $(bench_rss_mb "$bench_pid") MB"
