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
    long outputLines) {}
