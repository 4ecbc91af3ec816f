#!/usr/bin/env bash
# Benchmark of the dev role: start-up time, N tasks end to end with the example agent, RSS.
#   bench/dev-tasks.sh [N]      (default 100)
# Runs on its own ports and a fresh data directory; prints numbers, asserts nothing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-100}"
port="${BENCH_HTTP_PORT:-18080}"
data="$(mktemp -d /tmp/taskpilot-bench-XXXXXX)"
log="$data/dev.log"
api="http://127.0.0.1:$port/api/v1"

"$here/taskpilot" build >/dev/null
export TASKPILOT_DATA_DIR="$data" MICRONAUT_SERVER_PORT="$port"
export TASKPILOT_DEV_TEMPORAL_PORT="${BENCH_TEMPORAL_PORT:-17233}"
export EXAMPLE_AGENT_DELAY="${EXAMPLE_AGENT_DELAY:-0.05}"

now() { date +%s.%N; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
heap_used_mb() {
  "$JAVA_HOME_BENCH/bin/jcmd" "$1" GC.heap_info 2>/dev/null |
    awk '/used/ && /total/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub("K,?", "", v); printf "%.0f", v / 1024; exit}}'
}

start=$(now)
"$here/taskpilot" dev >"$log" 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null; wait $launcher 2>/dev/null; rm -rf "$data"' EXIT
until curl -sf "http://127.0.0.1:$port/health/readiness" >/dev/null; do
  kill -0 $launcher 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
ready=$(now)
# Every /api/v1 call sends dev's bootstrap admin token, from a curl config file (on no command line).
(umask 077 && printf 'header = "Authorization: Bearer %s"\n' "$(cat "$data/admin-token")" >"$data/auth.curl")
pid=$(pgrep -f "taskpilot.jar dev" | head -1)
JAVA_HOME_BENCH="$(dirname "$(dirname "$(readlink -f "/proc/$pid/exe")")")"
idle_rss=$(rss_mb "$pid")

submit_start=$(now)
for i in $(seq 1 "$count"); do
  curl -K "$data/auth.curl" -sf -o /dev/null -X POST "$api/tasks" -H 'Content-Type: application/json' \
    -d "{\"prompt\": \"Benchmark task $i\", \"labels\": [\"bench\"], \"publish\": [{\"type\": \"file\", \"path\": \"bench/$i.md\"}]}"
done
submitted=$(now)

done_count=0
while [ "$done_count" -lt "$count" ]; do
  done_count=$(curl -K "$data/auth.curl" -sf "$api/tasks?status=SUCCEEDED&label=bench&limit=200" | { grep -o '"status":"SUCCEEDED"' || true; } | wc -l)
  failed=$(curl -K "$data/auth.curl" -sf "$api/tasks?status=FAILED&limit=200" | { grep -o '"status":"FAILED"' || true; } | wc -l)
  [ "$failed" -eq 0 ] || { echo "$failed task(s) FAILED"; exit 1; }
  sleep 0.2
done
finished=$(now)
busy_rss=$(rss_mb "$pid")
"$JAVA_HOME_BENCH/bin/jcmd" "$pid" GC.run >/dev/null 2>&1 || true
sleep 1
after_gc_rss=$(rss_mb "$pid")
heap=$(heap_used_mb "$pid")

awk -v s="$start" -v r="$ready" -v a="$submit_start" -v b="$submitted" -v f="$finished" \
  -v n="$count" -v idle="$idle_rss" -v busy="$busy_rss" -v gc="$after_gc_rss" -v heap="$heap" '
BEGIN {
  printf "dev start-up to readiness:        %.2f s (JVM, embedded PostgreSQL, embedded Temporal, API, worker)\n", r - s
  printf "submit %d tasks (sequential curl): %.2f s (%.1f ms per POST)\n", n, b - a, (b - a) * 1000 / n
  printf "all %d SUCCEEDED after:            %.2f s from first POST (%.1f tasks/s)\n", n, f - a, n / (f - a)
  printf "RSS idle after start-up:          %d MB\n", idle
  printf "RSS after %d tasks:               %d MB\n", n, busy
  printf "RSS after %d tasks + full GC:     %d MB (heap used %s MB)\n", n, gc, heap
}'
