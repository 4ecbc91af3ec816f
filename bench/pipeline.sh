#!/usr/bin/env bash
# Benchmark: the whole pipeline's throughput next to the bare engine's. First BareEngine.java (the
# in-memory engine, one worker, three no-op activities per workflow: the engine's own figure),
# then `taskpilot dev` with an agent profile `echo` (/bin/echo, one line, exits at once), 50 agent
# slots fleet-wide and per worker, and N tasks (agent echo, no workspace, a file publish target)
# offered open-loop by Load.java. Tasks/s counts from the first create to the last SUCCEEDED (its
# updatedAt), so it is capped by the offered rate: raise BENCH_RATE to find the pipeline's ceiling.
#   bench/pipeline.sh [N]                 (default 600 tasks)
# Knobs (environment):
#   BENCH_RATE=30            creates offered per second
#   BENCH_BARE_COUNT=2000    workflows of BareEngine (0 skips it); BENCH_BARE_OPTS="-Dsticky=5s"
#   BENCH_TIMEOUT=600        seconds to wait for the tasks after the last create
#   BENCH_HTTP_PORT=18080, BENCH_TEMPORAL_PORT=17233, BENCH_KEEP_DATA=1 (see dev-lib.sh)
# Prints: the bare engine's workflows/s and latency, create latency p50/p99, 5xx, statuses, the
# pipeline's tasks/s and the ratio pipeline/bare. Asserts nothing; exits 1 if the setup fails.
# shellcheck disable=SC2154 # the load_* variables come from Load.java's --stats file
set -euo pipefail
bench_name=pipeline
# shellcheck source=bench/dev-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/dev-lib.sh"
count="${1:-600}"
rate="${BENCH_RATE:-30}"
bare_count="${BENCH_BARE_COUNT:-2000}"
timeout_s="${BENCH_TIMEOUT:-600}"
echo "== pipeline: $count tasks at $rate/s, agent echo, 50 agent slots (fleet and worker), file publish; bare engine $bare_count workflows ${BENCH_BARE_OPTS:-} (JDK $(java_major "$JAVA_HOME/bin/java"), $(nproc) cores)"

bench_ensure_jar
bare_rate=""
if [ "$bare_count" -gt 0 ]; then
  # shellcheck disable=SC2086 # BENCH_BARE_OPTS is a list of options on purpose
  bench_java ${BENCH_BARE_OPTS:-} "$here/bench/BareEngine.java" "$bare_count" 2>&1 |
    grep -v HeartbeatManager | tee "$bench_data/bare.txt"
  bare_rate="$(sed -n 's/.* \([0-9.]*\) workflows\/s.*/\1/p' "$bench_data/bare.txt")"
  [ -n "$bare_rate" ] || bench_fail "BareEngine printed no workflows/s"
fi

bench_use_echo_agent
export TASKPILOT_SLOTS_DEFAULT_MAX_RUNS=50 TASKPILOT_WORKER_AGENT_SLOTS=50
bench_start_dev
echo "pipeline: dev ready in ${bench_startup_s} s, RSS $(bench_rss_mb "$bench_pid") MB"

label="pipeline"
bench_java "$here/bench/Load.java" --token-file "$bench_token_file" --name create --url "$bench_api/tasks" --rate "$rate" --count "$count" \
  --stats "$bench_data/load.env" \
  --body "{\"prompt\": \"Pipeline task {i}\", \"agent\": \"echo\", \"labels\": [\"$label\"], \"publish\": [{\"type\": \"file\", \"path\": \"pipeline/{i}.md\"}]}" ||
  bench_fail "Load.java got no answer at all"
# shellcheck disable=SC1091
source "$bench_data/load.env"

timed_out=0
bench_wait_ended "$label" "$count" "$timeout_s" || timed_out=1
statuses="$(bench_status_counts "$bench_data/tasks.jsonl")"
succeeded=$(jq -r 'select(.status == "SUCCEEDED") | .id' "$bench_data/tasks.jsonl" | wc -l)
last_ms=$(jq -s "$bench_jq_defs"' [.[] | select(.status == "SUCCEEDED") | .updatedAt | ms] | max // 0' "$bench_data/tasks.jsonl")
rss=$(bench_rss_mb "$bench_pid")

awk -v n="$succeeded" -v first="$load_first_epoch_ms" -v last="$last_ms" -v bare="$bare_rate" \
  -v p50="$load_p50_ms" -v p99="$load_p99_ms" -v e5="$load_5xx" -v st="$statuses" \
  -v to="$timed_out" -v rss="$rss" -v rate="$rate" '
BEGIN {
  secs = (last - first) / 1000
  printf "pipeline: create latency p50 %.1f ms, p99 %.1f ms; 5xx %d\n", p50, p99, e5
  printf "pipeline: statuses %s%s; dev RSS %d MB\n", st, (to ? " (TIMED OUT waiting)" : ""), rss
  if (n > 0 && secs > 0) {
    tps = n / secs
    printf "pipeline: %d SUCCEEDED, first create to last SUCCEEDED %.2f s: %.1f tasks/s (offered %s/s)\n", n, secs, tps, rate
    if (bare != "") printf "pipeline: ratio pipeline/bare %.3f (%.1f tasks/s / %.1f workflows/s)\n", tps / bare, tps, bare
  } else {
    print "pipeline: no task SUCCEEDED"
  }
}'
