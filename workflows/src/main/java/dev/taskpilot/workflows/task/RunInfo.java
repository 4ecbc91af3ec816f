package dev.taskpilot.workflows.task;

import java.math.BigDecimal;
import java.time.Instant;

/** The agent run as far as it got. */
public record RunInfo(
    int attempt,
    Instant startedAt,
    Instant endedAt,
    Integer exitCode,
    BigDecimal costUsd,
    String sessionId,
    long outputLines) {

  /** A run that starts now, before its first agent process reports. */
  static RunInfo starting(Instant at) {
    return new RunInfo(1, at, null, null, null, null, 0);
  }

  /** The same run, ended at the given time (cost, session and output kept). */
  RunInfo endedAt(Instant at) {
    return new RunInfo(attempt, startedAt, at, null, costUsd, sessionId, outputLines);
  }
}
