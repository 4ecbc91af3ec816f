#!/usr/bin/env bash
# Benchmark: how late scheduled runs start, from the cron fire time to the task workflow's start,
# on the dev role's embedded engine, next to the 5 s / 60 s polling of APScheduler / Celery beat.
#   bench/schedule-latency.sh [FIRES] [SCHEDULES]   (default 200 fires of 40 every-minute schedules)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fires="${1:-200}"
schedules="${2:-40}"
"$here/taskpilot" build >/dev/null
cd "$here"
# -Dtest names the benchmark, which the suite otherwise excludes.
./taskpilot test -pl app -am -Dtest=ScheduleLatencyBenchmark -Dbench.fires="$fires" \
  -Dbench.schedules="$schedules" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -DtrimStackTrace=true 2>&1 |
  sed -n '/schedule start latency/,/end of schedule latency/p'
