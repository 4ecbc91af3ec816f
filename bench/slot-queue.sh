#!/usr/bin/env bash
# Benchmark: a queue of runs on ONE plain workspace, where only one agent may run at a time. N tasks
# name workspace `shared` and the agent profile `flock`, a script written into the data directory:
# it takes `flock -n` on a lock file in its working directory (the workspace); when that fails it
# appends a line to an overlaps file outside the workspace (BENCH_OVERLAPS_FILE, passed through the
# profile's env), else it sleeps BENCH_FLOCK_SLEEP seconds and exits 0. The default slot limit
# (taskpilot.slots.default-max-runs) stays. Then waits until every task ended (or the timeout) and
# reads each task's run (GET /api/v1/tasks/{id}: run.startedAt, run.endedAt).
#   bench/slot-queue.sh [N]               (default 2000 tasks)
# Knobs (environment):
#   BENCH_RATE=50            creates offered per second
#   BENCH_TIMEOUT=3600       seconds to wait for the runs after the last create
#   BENCH_FLOCK_SLEEP=0.02   how long a run holds the workspace
#   BENCH_HTTP_PORT=18080, BENCH_TEMPORAL_PORT=17233, BENCH_KEEP_DATA=1 (see dev-lib.sh)
# Prints: create latency p50/p99 and 5xx; the statuses; the gap between consecutive runs (next
# start minus previous end, sorted by start) p50/p99/max; runs that started before the previous
# one ended; overlaps the agents saw; the total time (first create to last run end). Asserts
# nothing; exits 1 if the setup fails.
# shellcheck disable=SC2154 # the load_* variables come from Load.java's --stats file
set -euo pipefail
bench_name=slot-queue
# shellcheck source=bench/dev-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/dev-lib.sh"
count="${1:-2000}"
rate="${BENCH_RATE:-50}"
timeout_s="${BENCH_TIMEOUT:-3600}"
export BENCH_FLOCK_SLEEP="${BENCH_FLOCK_SLEEP:-0.02}"
echo "== slot-queue: $count tasks at $rate/s into one plain workspace, agent flock (holds it ${BENCH_FLOCK_SLEEP} s), default slot limit, timeout ${timeout_s} s (JDK $(java_major "$JAVA_HOME/bin/java"), $(nproc) cores)"

bench_ensure_jar
export BENCH_OVERLAPS_FILE="$bench_data/overlaps.txt"
: >"$BENCH_OVERLAPS_FILE"
mkdir -p "$bench_data/workspaces/shared"
cat >"$bench_data/flock-agent.sh" <<'AGENT'
#!/usr/bin/env bash
# The bench's agent: alone in its workspace, or it says so.
exec 9>>./.bench-flock.lock
if flock -n 9; then
  sleep "${BENCH_FLOCK_SLEEP:-0.02}"
  echo "ran alone"
else
  echo "$(date +%s.%N) ${TASKPILOT_TASK_ID:-?}" >>"$BENCH_OVERLAPS_FILE"
  echo "overlap: the workspace was locked"
fi
AGENT
chmod +x "$bench_data/flock-agent.sh"
cat >"$bench_data/bench.yml" <<YAML
taskpilot:
  agents:
    flock:
      command: ["$bench_data/flock-agent.sh"]
      prompt: argument
      env: [BENCH_OVERLAPS_FILE, BENCH_FLOCK_SLEEP]
      timeout: 1m
YAML
export MICRONAUT_CONFIG_FILES="$bench_data/bench.yml"
bench_start_dev
echo "slot-queue: dev ready in ${bench_startup_s} s, RSS $(bench_rss_mb "$bench_pid") MB"

label="slotq"
bench_java "$here/bench/Load.java" --token-file "$bench_token_file" --name create --url "$bench_api/tasks" --rate "$rate" --count "$count" \
  --stats "$bench_data/load.env" --ids "$bench_data/ids.txt" \
  --body "{\"prompt\": \"Slot queue task {i}\", \"agent\": \"flock\", \"workspace\": \"shared\", \"labels\": [\"$label\"]}" ||
  bench_fail "Load.java got no answer at all"
# shellcheck disable=SC1091
source "$bench_data/load.env"
[ -s "$bench_data/ids.txt" ] || bench_fail "no task was created"

timed_out=0
bench_wait_ended "$label" "$count" "$timeout_s" || timed_out=1
stopped_ms=$(bench_now_ms)

# Every task, one GET each (batches of 100 URLs a curl), into one JSON object a line.
sed "s|^|$bench_api/tasks/|" "$bench_data/ids.txt" | xargs -n 100 curl -K "$bench_data/auth.curl" -sf | jq -c . >"$bench_data/runs.jsonl" ||
  bench_fail "GET of the tasks failed"
statuses="$(bench_status_counts "$bench_data/runs.jsonl")"
# "start end" in epoch ms of every run that has both, sorted by start.
jq -r "$bench_jq_defs"' select(.run.startedAt != null and .run.endedAt != null) | "\(.run.startedAt | ms) \(.run.endedAt | ms)"' \
  "$bench_data/runs.jsonl" | sort -n >"$bench_data/runs.txt"
awk 'NR > 1 {print $1 - end} {end = $2}' "$bench_data/runs.txt" >"$bench_data/gaps.txt"
read -r gap_p50 gap_p99 gap_max < <(bench_percentiles "$bench_data/gaps.txt")
runs=$(wc -l <"$bench_data/runs.txt")
early=$(awk '$1 < 0' "$bench_data/gaps.txt" | wc -l)
overlaps=$(wc -l <"$BENCH_OVERLAPS_FILE")
last_end=$(awk 'END {print ($2 == "" ? 0 : $2)}' "$bench_data/runs.txt")
[ "$timed_out" -eq 0 ] || last_end="$stopped_ms"

echo "slot-queue: create latency p50 ${load_p50_ms} ms, p99 ${load_p99_ms} ms; 5xx ${load_5xx}"
echo "slot-queue: statuses $statuses$([ "$timed_out" -eq 0 ] || echo " (TIMED OUT after ${timeout_s} s)")"
echo "slot-queue: $runs runs; gap between consecutive runs ms p50 $gap_p50, p99 $gap_p99, max $gap_max; $early started before the previous one ended"
echo "slot-queue: overlaps seen by the agents: $overlaps"
awk -v a="$load_first_epoch_ms" -v b="$last_end" -v n="$runs" -v to="$timed_out" 'BEGIN {
  s = (b - a) / 1000
  printf "slot-queue: total %.1f s from the first create to %s (%.2f runs/s)\n", s, (to ? "the timeout" : "the last run end"), (s > 0 ? n / s : 0)}'
