#!/usr/bin/env bash
# Benchmark of the agent runner (AgentRunnerBenchmark): (a) start overhead beyond a raw
# ProcessBuilder spawn, (b) cancel-to-dead latency of a process tree, (c) output throughput and
# peak RSS growth for 1 GiB of output, into memory and optionally into PostgreSQL, (d) what the
# default agent sandbox adds to a start.
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

bench_name=agent-runner.sh
# shellcheck source=bench/jdk.sh
source "$here/bench/jdk.sh"

JAVA_HOME="$(find_jdk)"
export JAVA_HOME
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
