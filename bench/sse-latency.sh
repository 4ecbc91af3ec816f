#!/usr/bin/env bash
# Benchmark: the delay from an agent printing a line to the line arriving over
# GET /api/v1/tasks/{id}/events (p50/p90/p99), with an agent that stamps each line with its own
# clock, split into the runner's share (print -> stored) and the event stream's (stored -> client).
#   bench/sse-latency.sh [LINES [TASKS]]      (default 300 lines a task, 2 tasks, after a warm-up)
#   BENCH_POLL_INTERVAL=25ms bench/sse-latency.sh    another taskpilot.api.events-poll-interval
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lines="${1:-300}"
tasks="${2:-2}"
"$here/taskpilot" build >/dev/null
cd "$here"
# -Dtest names the benchmark, which the suite otherwise excludes.
./taskpilot test -pl app -am -Dtest=EventStreamBenchmark \
  -Dbench.lines="$lines" -Dbench.tasks="$tasks" -Dbench.poll-interval="${BENCH_POLL_INTERVAL:-}" \
  -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true -DtrimStackTrace=true 2>&1 |
  sed -n '/SSE output latency/,/stored -> SSE client/p'
