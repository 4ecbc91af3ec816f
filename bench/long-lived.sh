#!/usr/bin/env bash
# Benchmark: one long-lived task that is commanded many times. The task waits for a notBefore a
# year ahead; it is paused and resumed N times through the API (sequential calls, one connection),
# then run now; the bench waits until it ends and reads its workflow history (History.java on the
# dev's Temporal port).
#   bench/long-lived.sh [N]               (default 5000 pause/resume pairs)
# Knobs (environment):
#   BENCH_TIMEOUT=600        seconds to wait for the task after run-now
#   BENCH_HTTP_PORT=18080, BENCH_TEMPORAL_PORT=17233, BENCH_KEEP_DATA=1 (see dev-lib.sh)
# Prints: the commands' elapsed time, their latency p50/p99/max (pause, resume, all; and the p50
# of the first and the last 100 calls, as the history grows) and HTTP statuses, the time from
# run-now to the end, the final status, and the history: the latest run's events and bytes, its
# run id, and the runs through continue-as-new. Asserts nothing; exits 1 if the setup fails.
set -euo pipefail
bench_name=long-lived
# shellcheck source=bench/dev-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/dev-lib.sh"
count="${1:-5000}"
timeout_s="${BENCH_TIMEOUT:-600}"
echo "== long-lived: one task paused and resumed $count times, then run-now, agent echo (JDK $(java_major "$JAVA_HOME/bin/java"), $(nproc) cores)"

bench_ensure_jar
bench_use_echo_agent
bench_start_dev
echo "long-lived: dev ready in ${bench_startup_s} s, RSS $(bench_rss_mb "$bench_pid") MB"

next_year="$(date -u -d '+1 year' +%Y-%m-%dT%H:%M:%SZ)"
id="$(bench_curl -sf -X POST "$bench_api/tasks" -H 'Content-Type: application/json' \
  -d "{\"prompt\": \"Long-lived task\", \"agent\": \"echo\", \"notBefore\": \"$next_year\", \"labels\": [\"long\"]}" | jq -r .id)" ||
  bench_fail "could not create the task"
for _ in $(seq 1 300); do
  [ "$(bench_curl -sf "$bench_api/tasks/$id" | jq -r .status)" = SCHEDULED ] && break
  sleep 0.1
done
[ "$(bench_curl -sf "$bench_api/tasks/$id" | jq -r .status)" = SCHEDULED ] || bench_fail "task $id did not reach SCHEDULED"

# One curl, one kept-alive connection, the calls one after the other: pause, resume, pause, ...
{
  echo 'silent'
  echo 'request = "POST"'
  printf '%s\n' 'write-out = "%{url} %{http_code} %{time_total}\n"'
  for _ in $(seq 1 "$count"); do
    echo "url = \"$bench_api/tasks/$id/pause\""
    echo 'output = "/dev/null"'
    echo "url = \"$bench_api/tasks/$id/resume\""
    echo 'output = "/dev/null"'
  done
} >"$bench_data/commands.curl"
commands_start=$(bench_now)
bench_curl -K "$bench_data/commands.curl" >"$bench_data/commands.txt" || true
commands_end=$(bench_now)
[ -s "$bench_data/commands.txt" ] || bench_fail "the commands got no answers"

for kind in pause resume; do
  awk -v k="/$kind" 'index($1, k) {print $3 * 1000}' "$bench_data/commands.txt" >"$bench_data/$kind.ms"
done
awk '{print $3 * 1000}' "$bench_data/commands.txt" >"$bench_data/all.ms"
read -r pause_p50 pause_p99 pause_max < <(bench_percentiles "$bench_data/pause.ms")
read -r resume_p50 resume_p99 resume_max < <(bench_percentiles "$bench_data/resume.ms")
read -r all_p50 all_p99 _ < <(bench_percentiles "$bench_data/all.ms")
# The trend as the history grows: the first and the last 100 calls.
head -n 100 "$bench_data/all.ms" >"$bench_data/first.ms"
tail -n 100 "$bench_data/all.ms" >"$bench_data/last.ms"
read -r first_p50 _ _ < <(bench_percentiles "$bench_data/first.ms")
read -r last_p50 _ _ < <(bench_percentiles "$bench_data/last.ms")
codes="$(awk '{print $2}' "$bench_data/commands.txt" | sort | uniq -c | awk '{printf "%s%s=%d", (NR > 1 ? " " : ""), $2, $1}')"
calls=$(wc -l <"$bench_data/commands.txt")

run_now_start=$(bench_now)
run_now="$(bench_curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST "$bench_api/tasks/$id/run-now")"
status=""
for _ in $(seq 1 $((timeout_s * 5))); do
  status="$(bench_curl -sf "$bench_api/tasks/$id" | jq -r .status)" || status="GET-FAILED"
  case "$status" in SUCCEEDED | FAILED | CANCELLED | REJECTED) break ;; esac
  sleep 0.2
done
ended=$(bench_now)

awk -v a="$commands_start" -v b="$commands_end" -v n="$calls" -v codes="$codes" \
  'BEGIN {printf "long-lived: %d commands in %.1f s (%.1f/s); HTTP %s\n", n, b - a, n / (b - a), codes}'
echo "long-lived: latency ms pause p50 $pause_p50 p99 $pause_p99 max $pause_max; resume p50 $resume_p50 p99 $resume_p99 max $resume_max; all p50 $all_p50 p99 $all_p99"
echo "long-lived: latency ms p50 of the first 100 calls $first_p50, of the last 100 $last_p50"
awk -v a="$run_now_start" -v b="$ended" -v r="$run_now" -v s="$status" \
  'BEGIN {split(r, x, " "); printf "long-lived: run-now HTTP %s in %.0f ms; final status %s %.1f s after run-now\n", x[1], x[2] * 1000, s, b - a}'
bench_java "$here/bench/History.java" "$id" "127.0.0.1:$bench_temporal_port" | grep -v '^history_' |
  sed 's/^history:/long-lived: history:/' || echo "long-lived: could not read the history"
echo "long-lived: dev RSS $(bench_rss_mb "$bench_pid") MB"
