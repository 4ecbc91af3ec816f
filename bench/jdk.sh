# shellcheck shell=bash
# Shared by the benchmarks; sourced, not run. java_major and find_jdk follow the launcher's rule:
# an explicit TASKPILOT_JAVA_HOME >= 21 wins, else the newest JDK >= 21 found.

java_major() { # prints the major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1 || echo 0
}

# shellcheck disable=SC2015 # as in the launcher: a skipped candidate is the intent
find_jdk() {
  local candidate best="" best_major=0 major
  for candidate in "${TASKPILOT_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/openjdk; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate/bin/java")"
    if [ "$candidate" = "${TASKPILOT_JAVA_HOME:-}" ] && [ "${major:-0}" -ge 21 ]; then best="$candidate"; break; fi
    if [ "${major:-0}" -ge 21 ] && [ "${major:-0}" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  [ -n "$best" ] || { echo "${bench_name:-bench}: no JDK >= 21 found (set TASKPILOT_JAVA_HOME)" >&2; exit 1; }
  echo "$best"
}
