package dev.taskpilot.activities.agent.format;

import dev.taskpilot.activities.agent.format.AgentEvent.ApiRetry;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantMessage;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantText;
import dev.taskpilot.activities.agent.format.AgentEvent.Other;
import dev.taskpilot.activities.agent.format.AgentEvent.Result;
import dev.taskpilot.activities.agent.format.AgentEvent.SessionStarted;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolResult;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolUse;
import dev.taskpilot.activities.agent.format.AgentEvent.Usage;
import java.math.BigDecimal;

/**
 * Sums up the {@link AgentEvent}s of one run. Mutable and thread-confined: feed it from the thread
 * that parses the output and hand {@link #snapshot()}s to other threads.
 *
 * <ul>
 *   <li>session id: the latest one reported (session start or result)
 *   <li>model: from the session start, else from the first real assistant message
 *   <li>turns: assistant messages counted, replaced by the result's turn count when it has one
 *   <li>tokens: per-message usage summed, replaced by the result's totals when it has them (Claude
 *       Code's result usage is the authoritative total; per-message usage is a running estimate)
 *   <li>cost: the result's total cost; {@code null} until known
 *   <li>consecutive auth failures: API retries with HTTP 401/403 in a row; reset by a retry for
 *       another reason or by a real (not CLI-synthesised) assistant message
 * </ul>
 */
public final class RunTally {
  /** The most characters {@link #lastMessage()} keeps. */
  public static final int LAST_MESSAGE_LIMIT = 500;

  private String sessionId;
  private String model;
  private int assistantMessages;
  private int toolCalls;
  private long inputTokens;
  private long outputTokens;
  private BigDecimal costUsd;
  private String lastMessage;
  private Result result;
  private ApiError lastApiError;
  private int consecutiveAuthFailures;

  /** Takes one event into account; {@code null} is ignored. */
  public void accept(AgentEvent event) {
    switch (event) {
      case null -> {}
      case SessionStarted started -> {
        sessionId = started.sessionId() != null ? started.sessionId() : sessionId;
        model = started.model() != null ? started.model() : model;
      }
      case AssistantMessage message -> {
        assistantMessages++;
        if (!message.apiError()) {
          consecutiveAuthFailures = 0;
          if (model == null && message.model() != null) {
            model = message.model();
          }
        }
      }
      case AssistantText text -> lastMessage = JsonLines.truncate(text.text(), LAST_MESSAGE_LIMIT);
      case ToolUse use -> toolCalls++;
      case ToolResult toolResult -> {}
      case Usage usage -> {
        inputTokens += usage.inputTokens() == null ? 0 : usage.inputTokens();
        outputTokens += usage.outputTokens() == null ? 0 : usage.outputTokens();
      }
      case ApiRetry retry -> {
        lastApiError = new ApiError(retry.errorStatus(), retry.error());
        consecutiveAuthFailures = lastApiError.isAuthFailure() ? consecutiveAuthFailures + 1 : 0;
      }
      case Result finished -> {
        result = finished;
        sessionId = finished.sessionId() != null ? finished.sessionId() : sessionId;
        costUsd = finished.totalCostUsd() != null ? finished.totalCostUsd() : costUsd;
        inputTokens = finished.inputTokens() != null ? finished.inputTokens() : inputTokens;
        outputTokens = finished.outputTokens() != null ? finished.outputTokens() : outputTokens;
      }
      case Other other -> {}
    }
  }

  /** Takes each event into account, in order. */
  public void acceptAll(Iterable<? extends AgentEvent> events) {
    events.forEach(this::accept);
  }

  public String sessionId() {
    return sessionId;
  }

  public String model() {
    return model;
  }

  /** Assistant messages so far, or the result's turn count when it reported one. */
  public int turns() {
    return result != null && result.numTurns() != null ? result.numTurns() : assistantMessages;
  }

  public int toolCalls() {
    return toolCalls;
  }

  public long inputTokens() {
    return inputTokens;
  }

  public long outputTokens() {
    return outputTokens;
  }

  /** The run's cost from the result; {@code null} until known. */
  public BigDecimal costUsd() {
    return costUsd;
  }

  /** The last assistant text, at most {@value #LAST_MESSAGE_LIMIT} characters. */
  public String lastMessage() {
    return lastMessage;
  }

  /** The last result event; {@code null} until there is one. */
  public Result result() {
    return result;
  }

  /** Status and error of the last API retry; {@code null} when there was none. */
  public ApiError lastApiError() {
    return lastApiError;
  }

  /** API retries with HTTP 401/403 in a row. */
  public int consecutiveAuthFailures() {
    return consecutiveAuthFailures;
  }

  /** An immutable copy of the current state. */
  public RunSummary snapshot() {
    return new RunSummary(
        sessionId,
        model,
        turns(),
        toolCalls,
        inputTokens,
        outputTokens,
        costUsd,
        lastMessage,
        result,
        lastApiError,
        consecutiveAuthFailures);
  }
}
