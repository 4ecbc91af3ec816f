#!/usr/bin/env bash
# Benchmark: what LLM planning adds to a task's time from creation to SCHEDULED, against a local
# OpenAI-protocol server that answers instantly, next to the fallback planner in the same run.
#   bench/planner-latency.sh [TASKS]      (default 200 per planner)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tasks="${1:-200}"
"$here/taskpilot" build >/dev/null
cd "$here"
# -Dtest names the benchmark, which the suite otherwise excludes.
./taskpilot test -pl app -am -Dtest=PlannerLatencyBenchmark -Dbench.tasks="$tasks" \
  -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true -DtrimStackTrace=true 2>&1 |
  sed -n '/planner latency/,/added by LLM planning/p'
