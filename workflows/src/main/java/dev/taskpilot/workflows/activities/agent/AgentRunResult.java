package dev.taskpilot.workflows.activities.agent;

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
 * @param outputLines how many output lines the task has stored so far
 * @param resultText the agent's result, or the last lines of output, at most a few kilobytes
 * @param costUsd the cost this run's agent reported, or null
 * @param sessionId the agent's session id, or null
 * @param outcome how the run ended; null (from histories before outcomes existed) means completed
 * @param parkedUntil for {@code PARKED}, when the provider's limit resets
 * @param question for {@code QUESTION}, what the agent asks
 * @param turns the agent's turns in this run, or null when its format does not say
 */
public record AgentRunResult(
    int attempt,
    int exitCode,
    Instant startedAt,
    Instant endedAt,
    long outputLines,
    String resultText,
    BigDecimal costUsd,
    String sessionId,
    AgentOutcome outcome,
    Instant parkedUntil,
    String question,
    Integer turns) {

  /** A completed run, as the first-cut runner reported it. */
  public AgentRunResult(
      int attempt,
      int exitCode,
      Instant startedAt,
      Instant endedAt,
      long outputLines,
      String resultText,
      BigDecimal costUsd,
      String sessionId) {
    this(
        attempt,
        exitCode,
        startedAt,
        endedAt,
        outputLines,
        resultText,
        costUsd,
        sessionId,
        AgentOutcome.COMPLETED,
        null,
        null,
        null);
  }

  /** How the run ended, completed when unknown. */
  public AgentOutcome outcomeOrCompleted() {
    return outcome == null ? AgentOutcome.COMPLETED : outcome;
  }
}
