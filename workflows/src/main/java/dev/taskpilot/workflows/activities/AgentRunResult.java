package dev.taskpilot.workflows.activities;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What an agent run left behind. The output itself is in PostgreSQL; only a bounded tail travels
 * through workflow history.
 *
 * @param attempt the activity attempt that produced this result (1 for the first)
 * @param exitCode the process exit code
 * @param startedAt when the process started
 * @param endedAt when it ended
 * @param outputLines how many output lines the run stored
 * @param resultText the last lines of output, at most a few kilobytes
 * @param costUsd the cost the agent reported, or null
 * @param sessionId the agent's session id, or null
 */
public record AgentRunResult(
    int attempt,
    int exitCode,
    Instant startedAt,
    Instant endedAt,
    long outputLines,
    String resultText,
    BigDecimal costUsd,
    String sessionId) {}
