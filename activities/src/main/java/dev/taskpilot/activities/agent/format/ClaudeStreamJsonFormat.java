package dev.taskpilot.activities.agent.format;

import static dev.taskpilot.activities.agent.format.AgentOutputFormat.SUMMARY_LIMIT;
import static dev.taskpilot.activities.agent.format.JsonLines.bool;
import static dev.taskpilot.activities.agent.format.JsonLines.compact;
import static dev.taskpilot.activities.agent.format.JsonLines.decimal;
import static dev.taskpilot.activities.agent.format.JsonLines.integer;
import static dev.taskpilot.activities.agent.format.JsonLines.longValue;
import static dev.taskpilot.activities.agent.format.JsonLines.text;
import static dev.taskpilot.activities.agent.format.JsonLines.texts;
import static dev.taskpilot.activities.agent.format.JsonLines.truncate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.activities.agent.format.AgentEvent.ApiRetry;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantMessage;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantText;
import dev.taskpilot.activities.agent.format.AgentEvent.Other;
import dev.taskpilot.activities.agent.format.AgentEvent.Result;
import dev.taskpilot.activities.agent.format.AgentEvent.SessionStarted;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolResult;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolUse;
import dev.taskpilot.activities.agent.format.AgentEvent.Usage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;

/**
 * Claude Code's {@code --output-format stream-json --verbose}: one JSON object per line.
 *
 * <ul>
 *   <li>{@code system/init} → {@link SessionStarted} ({@code session_id}, {@code model}, {@code
 *       tools})
 *   <li>{@code system/api_retry} → {@link ApiRetry}
 *   <li>{@code assistant} → {@link AssistantMessage} and {@link Usage} (once per {@code
 *       message.id}: the CLI prints a message with several content blocks as several lines with the
 *       same id and usage), then {@link AssistantText} per {@code text} block and {@link ToolUse}
 *       per {@code tool_use} block
 *   <li>{@code user} → {@link ToolResult} per {@code tool_result} block
 *   <li>{@code result} → {@link Result} ({@code is_error}, or an {@code error_*} subtype when it is
 *       missing)
 *   <li>anything else → {@link Other} ({@code system/<subtype>} for other system events)
 * </ul>
 */
final class ClaudeStreamJsonFormat extends JsonLinesFormat {
  private static final int REMEMBERED_MESSAGES = 64;

  /** Ids of the latest assistant messages, to report each message once. */
  private final SequencedSet<String> seenMessageIds = new LinkedHashSet<>();

  @Override
  public String name() {
    return CLAUDE_STREAM_JSON;
  }

  @Override
  List<AgentEvent> events(JsonNode event) {
    String type = text(event, "type");
    if (type == null) {
      return List.of(new Other(null));
    }
    return switch (type) {
      case "system" -> system(event);
      case "assistant" -> assistant(event);
      case "user" -> user(event);
      case "result" -> List.of(result(event));
      default -> List.of(new Other(type));
    };
  }

  private static List<AgentEvent> system(JsonNode event) {
    String subtype = text(event, "subtype");
    if ("init".equals(subtype)) {
      return List.of(
          new SessionStarted(
              text(event, "session_id"), text(event, "model"), texts(event, "tools")));
    }
    if ("api_retry".equals(subtype)) {
      return List.of(
          new ApiRetry(
              integer(event, "attempt"),
              integer(event, "max_retries"),
              integer(event, "error_status"),
              text(event, "error"),
              longValue(event, "retry_delay_ms")));
    }
    return List.of(new Other(subtype == null ? "system" : "system/" + subtype));
  }

  private List<AgentEvent> assistant(JsonNode event) {
    JsonNode message = event.path("message");
    List<AgentEvent> events = new ArrayList<>();
    String messageId = text(message, "id");
    if (firstSighting(messageId)) {
      String model = text(message, "model");
      boolean apiError =
          Boolean.TRUE.equals(bool(event, "is_api_error_message")) || "<synthetic>".equals(model);
      events.add(new AssistantMessage(messageId, model, apiError));
      JsonNode usage = message.get("usage");
      if (usage != null && usage.isObject()) {
        events.add(new Usage(longValue(usage, "input_tokens"), longValue(usage, "output_tokens")));
      }
    }
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      events.add(new AssistantText(content.asText()));
    }
    for (JsonNode block : JsonLines.elements(content)) {
      String blockType = text(block, "type");
      if ("text".equals(blockType) && text(block, "text") != null) {
        events.add(new AssistantText(text(block, "text")));
      } else if ("tool_use".equals(blockType)
          || "server_tool_use".equals(blockType)
          || "mcp_tool_use".equals(blockType)) {
        events.add(
            new ToolUse(
                text(block, "id"),
                text(block, "name"),
                truncate(compact(block.get("input")), SUMMARY_LIMIT)));
      }
    }
    return events;
  }

  /** Whether the message id is new; messages without an id always are. */
  private boolean firstSighting(String messageId) {
    if (messageId == null) {
      return true;
    }
    if (!seenMessageIds.add(messageId)) {
      return false;
    }
    if (seenMessageIds.size() > REMEMBERED_MESSAGES) {
      seenMessageIds.removeFirst();
    }
    return true;
  }

  private static List<AgentEvent> user(JsonNode event) {
    List<AgentEvent> events = new ArrayList<>();
    for (JsonNode block : JsonLines.elements(event.path("message").path("content"))) {
      if ("tool_result".equals(text(block, "type"))) {
        events.add(
            new ToolResult(
                text(block, "tool_use_id"),
                Boolean.TRUE.equals(bool(block, "is_error")),
                truncate(contentText(block.get("content")), SUMMARY_LIMIT)));
      }
    }
    return events;
  }

  /** Tool result content: a string, or content blocks whose text blocks are joined. */
  private static String contentText(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (!content.isArray()) {
      return compact(content);
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      String part = block.isTextual() ? block.asText() : text(block, "text");
      if (part == null) {
        part = "[" + (text(block, "type") == null ? "content" : text(block, "type")) + "]";
      }
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(part);
      if (text.length() > SUMMARY_LIMIT) {
        break;
      }
    }
    return text.toString();
  }

  private static Result result(JsonNode event) {
    Boolean isError = bool(event, "is_error");
    String subtype = text(event, "subtype");
    boolean failed = isError != null ? isError : subtype != null && subtype.startsWith("error");
    String resultText = text(event, "result");
    if (resultText == null) {
      List<String> errors = texts(event, "errors");
      resultText = errors.isEmpty() ? null : String.join("\n", errors);
    }
    JsonNode usage = event.path("usage");
    return new Result(
        failed,
        resultText,
        decimal(event, "total_cost_usd"),
        longValue(usage, "input_tokens"),
        longValue(usage, "output_tokens"),
        integer(event, "num_turns"),
        text(event, "session_id"),
        integer(event, "api_error_status"),
        text(event, "terminal_reason"));
  }
}
