package dev.taskpilot.activities.agent.format;

import java.math.BigDecimal;

/**
 * What an agent run said about itself so far; an immutable {@link RunTally#snapshot()} for
 * heartbeats and the activity result.
 *
 * @param sessionId the id to resume the agent session with; {@code null} until known
 * @param model the model the agent uses; {@code null} until known
 * @param turns assistant messages so far, or the turn count of the final result
 * @param toolCalls tool calls so far
 * @param inputTokens input tokens so far (the result's total once there is one)
 * @param outputTokens output tokens so far (the result's total once there is one)
 * @param costUsd what the run cost; {@code null} until the agent reports it
 * @param lastMessage the last assistant text, at most {@value RunTally#LAST_MESSAGE_LIMIT}
 *     characters; {@code null} until there is one
 * @param result the agent's final result; {@code null} until it reports one
 * @param lastApiError the error of the last API retry; {@code null} when there was none
 * @param consecutiveAuthFailures API retries with HTTP 401/403 in a row, not interrupted by a model
 *     response or another kind of retry
 */
public record RunSummary(
    String sessionId,
    String model,
    int turns,
    int toolCalls,
    long inputTokens,
    long outputTokens,
    BigDecimal costUsd,
    String lastMessage,
    AgentEvent.Result result,
    ApiError lastApiError,
    int consecutiveAuthFailures) {

  /** A summary of a run that said nothing yet. */
  public static final RunSummary EMPTY =
      new RunSummary(null, null, 0, 0, 0, 0, null, null, null, null, 0);
}
