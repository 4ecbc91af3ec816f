package dev.taskpilot.activities.agent.format;

import java.math.BigDecimal;
import java.util.List;

/**
 * What an agent's structured output says, one parsed fact per event. Parsers ({@link
 * AgentOutputFormat}) turn output lines into these; {@link RunTally} sums them up.
 *
 * <p>Every field is optional: a component the agent did not print is {@code null} (or {@code false}
 * / an empty list where the type is primitive or a list). Events the runner does not care about
 * become {@link Other} or nothing at all.
 */
public sealed interface AgentEvent {

  /**
   * The agent started (or resumed) a session: Claude's {@code system/init}, Codex's {@code
   * thread.started}.
   *
   * @param sessionId the id to resume the session with; null when the agent printed none or one
   *     that is not a {@link SessionIds valid} id
   * @param model the model the agent uses
   * @param tools the names of the tools the agent may call; empty when not reported
   */
  record SessionStarted(String sessionId, String model, List<String> tools) implements AgentEvent {
    public SessionStarted {
      sessionId = SessionIds.validOrNull(sessionId);
      tools = tools == null ? List.of() : List.copyOf(tools);
    }
  }

  /**
   * A new assistant message began. Emitted once per message id, before the message's {@link
   * AssistantText}, {@link ToolUse} and {@link Usage} events; {@link RunTally} counts turns with
   * it.
   *
   * @param messageId the provider's message id
   * @param model the model that produced the message ({@code <synthetic>} for messages the Claude
   *     CLI made up itself)
   * @param apiError whether the CLI synthesised this message to report an API error instead of
   *     receiving it from the model
   */
  record AssistantMessage(String messageId, String model, boolean apiError) implements AgentEvent {}

  /**
   * Text the assistant wrote.
   *
   * @param text the text, never {@code null}
   */
  record AssistantText(String text) implements AgentEvent {}

  /**
   * The assistant called a tool.
   *
   * @param id the tool call id that the matching {@link ToolResult} refers to
   * @param name the tool name
   * @param inputSummary the tool input as compact JSON (or text), at most {@value
   *     AgentOutputFormat#SUMMARY_LIMIT} characters
   */
  record ToolUse(String id, String name, String inputSummary) implements AgentEvent {}

  /**
   * A tool call finished.
   *
   * @param toolUseId the id of the {@link ToolUse}
   * @param isError whether the tool reported an error
   * @param contentSummary the tool's output, at most {@value AgentOutputFormat#SUMMARY_LIMIT}
   *     characters
   */
  record ToolResult(String toolUseId, boolean isError, String contentSummary)
      implements AgentEvent {}

  /**
   * The agent CLI retries a failed API request (Claude's {@code system/api_retry}).
   *
   * @param attempt the attempt number, from 1
   * @param maxRetries how many retries the CLI makes before giving up
   * @param errorStatus the HTTP status of the failure, such as 401 or 429
   * @param error the CLI's error code, such as {@code authentication_failed} or {@code rate_limit}
   * @param retryDelayMs how long the CLI waits before the next attempt
   */
  record ApiRetry(
      Integer attempt, Integer maxRetries, Integer errorStatus, String error, Long retryDelayMs)
      implements AgentEvent {}

  /**
   * The agent finished a run (Claude's {@code result}; Codex's {@code turn.completed}, {@code
   * turn.failed} and {@code error}).
   *
   * @param isError whether the run failed
   * @param resultText the final answer, or the error message
   * @param totalCostUsd what the run cost, as the CLI computed it
   * @param inputTokens the input tokens of the whole run
   * @param outputTokens the output tokens of the whole run
   * @param numTurns how many turns the run took
   * @param sessionId the id to resume the session with; null when none or not a {@link SessionIds
   *     valid} id
   * @param apiErrorStatus the HTTP status of the API error that ended the run
   * @param terminalReason why the run ended, such as {@code completed} or {@code api_error}
   */
  record Result(
      boolean isError,
      String resultText,
      BigDecimal totalCostUsd,
      Long inputTokens,
      Long outputTokens,
      Integer numTurns,
      String sessionId,
      Integer apiErrorStatus,
      String terminalReason)
      implements AgentEvent {
    public Result {
      sessionId = SessionIds.validOrNull(sessionId);
    }
  }

  /**
   * Token usage of one assistant message (Claude) or one turn (Codex).
   *
   * @param inputTokens input tokens, {@code null} when not reported
   * @param outputTokens output tokens, {@code null} when not reported
   */
  record Usage(Long inputTokens, Long outputTokens) implements AgentEvent {}

  /**
   * An event of a type the parser does not interpret. Normal: agent CLIs add event types freely.
   *
   * @param type the event type, with the subtype after a slash where there is one ({@code
   *     system/hook_response}, {@code item.completed/todo_list}); {@code null} for a JSON object
   *     without a type
   */
  record Other(String type) implements AgentEvent {}
}
