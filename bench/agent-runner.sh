#!/usr/bin/env bash
# Benchmark of the agent runner (AgentRunnerBenchmark): (a) start overhead beyond a raw
# ProcessBuilder spawn, (b) cancel-to-dead latency of a process tree, (c) output throughput and
# peak RSS growth for 1 GiB of output, into memory and optionally into PostgreSQL.
#   bench/agent-runner.sh
#   TASKPILOT_BENCH_JDBC_URL=jdbc:postgresql://localhost:5432/taskpilot \
#     TASKPILOT_BENCH_JDBC_USER=taskpilot TASKPILOT_BENCH_JDBC_PASSWORD=... bench/agent-runner.sh
# The PostgreSQL part writes to a table of its own (taskpilot_bench_output), dropped at the end.
# Knobs: BENCH_JAVA_OPTS (JVM options; default -Xmx64m, small on purpose: 1 GiB of output must pass
# through a 64 MiB heap, so a runner that kept output would fail here, and the RSS growth is not
# just the JVM sizing up its young generation for garbage, which a large default heap invites),
# BENCH_ARGS (e.g. "-Dbench.starts=200 -Dbench.cancels=50 -Dbench.bytes=1073741824").
# Needs Maven and a JDK >= 21, found like ./taskpilot does (TASKPILOT_JAVA_HOME, JAVA_HOME, /usr/lib/jvm).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1 || echo 0
}
find_jdk() { # the launcher's rule: an explicit TASKPILOT_JAVA_HOME >= 21 wins, else the newest >= 21
  local candidate best="" best_major=0 major
  for candidate in "${TASKPILOT_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/openjdk; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate/bin/java")"
    if [ "$candidate" = "${TASKPILOT_JAVA_HOME:-}" ] && [ "${major:-0}" -ge 21 ]; then best="$candidate"; break; fi
    if [ "${major:-0}" -ge 21 ] && [ "${major:-0}" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  [ -n "$best" ] || { echo "agent-runner.sh: no JDK >= 21 found (set TASKPILOT_JAVA_HOME)" >&2; exit 1; }
  echo "$best"
}

export JAVA_HOME="$(find_jdk)"
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
classpath_file="$here/activities/target/bench-classpath.txt"
echo "agent-runner.sh: compiling with $JAVA_HOME ..." >&2
# One reactor build, so the sibling modules come from this checkout, not from ~/.m2.
(cd "$here" && mvn -B -ntp -q -pl activities -am test-compile dependency:build-classpath \
  -Dspotless.check.skip=true -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file")
classpath="$here/activities/target/test-classes:$here/activities/target/classes:$(cat "$classpath_file")"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS and BENCH_ARGS are lists of options on purpose
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx64m} ${BENCH_ARGS:-} \
  -Dlogback.configurationFile="$here/bench/agent-runner-logback.xml" \
  -cp "$classpath" dev.taskpilot.activities.agent.process.AgentRunnerBenchmark
