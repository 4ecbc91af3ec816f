package dev.taskpilot.activities.agent.format;

import static dev.taskpilot.activities.agent.format.AgentOutputFormat.SUMMARY_LIMIT;
import static dev.taskpilot.activities.agent.format.JsonLines.compact;
import static dev.taskpilot.activities.agent.format.JsonLines.integer;
import static dev.taskpilot.activities.agent.format.JsonLines.longValue;
import static dev.taskpilot.activities.agent.format.JsonLines.text;
import static dev.taskpilot.activities.agent.format.JsonLines.truncate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantMessage;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantText;
import dev.taskpilot.activities.agent.format.AgentEvent.Other;
import dev.taskpilot.activities.agent.format.AgentEvent.Result;
import dev.taskpilot.activities.agent.format.AgentEvent.SessionStarted;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolResult;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolUse;
import dev.taskpilot.activities.agent.format.AgentEvent.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI Codex CLI's {@code codex exec --json}: one JSON object per line.
 *
 * <p>Not checked against recorded output (unlike {@link ClaudeStreamJsonFormat}); written from the
 * documented shape of the CLI's "thread events" (codex-rs {@code exec_events.rs}, CLI 0.4x and
 * later) and kept deliberately lenient. Assumed shapes and what they become:
 *
 * <ul>
 *   <li>{@code {"type":"thread.started","thread_id":T}} → {@link SessionStarted}{@code (T, null,
 *       [])}; no model or tool list is printed
 *   <li>{@code {"type":"turn.started"}} → nothing (counted for {@link Result#numTurns()})
 *   <li>{@code {"type":"item.completed","item":{"id":I,"type":K,...}}} by item type {@code K}
 *       ({@code item_type} is read too, as early 0.4x versions spelled it):
 *       <ul>
 *         <li>{@code agent_message} (or {@code assistant_message}) with {@code text} → {@link
 *             AssistantMessage}{@code (I)}, {@link AssistantText}
 *         <li>{@code command_execution} with {@code command}, {@code aggregated_output}, {@code
 *             exit_code}, {@code status} → {@link ToolUse}{@code (I, "command_execution", command)}
 *             and {@link ToolResult} (an error when the exit code is not 0 or the status is {@code
 *             failed}/{@code declined})
 *         <li>{@code file_change} ({@code changes[].path/kind}), {@code mcp_tool_call} ({@code
 *             server}, {@code tool}, {@code arguments}, {@code error}), {@code web_search} ({@code
 *             query}) → {@link ToolUse} (and {@link ToolResult} except for web searches)
 *         <li>{@code reasoning} → nothing; other item types → {@link Other}{@code
 *             ("item.completed/K")}
 *       </ul>
 *   <li>{@code item.started}, {@code item.updated} → nothing (the completed item carries all)
 *   <li>{@code {"type":"turn.completed","usage":{"input_tokens","cached_input_tokens",
 *       "output_tokens"}}} → {@link Usage} and a successful {@link Result} whose text is the last
 *       agent message and whose tokens are summed over the turns so far; Codex prints no cost
 *   <li>{@code {"type":"turn.failed","error":{"message":M}}} and {@code
 *       {"type":"error","message":M}} → a failed {@link Result} with text {@code M} and, when
 *       {@code M} names one ("status 429", "last status: 401"), the HTTP status
 *   <li>anything else → {@link Other}
 * </ul>
 *
 * <p>The older (pre-0.4x) shape {@code {"id":..,"msg":{"type":K,...}}} is read too: {@code
 * session_configured} ({@code session_id}, {@code model}), {@code agent_message} ({@code message}),
 * {@code exec_command_begin}/{@code exec_command_end} ({@code call_id}, {@code command}, {@code
 * exit_code}, {@code stdout}/{@code stderr}), {@code token_count} (top-level or {@code
 * info.last_token_usage} {@code input_tokens}/{@code output_tokens}), {@code task_complete} ({@code
 * last_agent_message}) and {@code error} ({@code message}); other kinds become {@link Other}{@code
 * ("msg/K")}.
 */
final class CodexJsonlFormat extends JsonLinesFormat {
  private static final Pattern STATUS =
      Pattern.compile("(?i)\\b(?:status|http)\\b:?\\s*([1-5]\\d\\d)\\b");

  private String sessionId;
  private String lastAgentMessage;
  private int turns;
  private long inputTokens;
  private long outputTokens;
  private boolean tokensKnown;

  @Override
  public String name() {
    return CODEX_JSONL;
  }

  @Override
  List<AgentEvent> events(JsonNode event) {
    JsonNode msg = event.get("msg");
    if (msg != null && msg.isObject() && event.get("type") == null) {
      return legacy(msg);
    }
    String type = text(event, "type");
    if (type == null) {
      return List.of(new Other(null));
    }
    return switch (type) {
      case "thread.started" -> {
        sessionId = text(event, "thread_id");
        yield List.of(new SessionStarted(sessionId, null, List.of()));
      }
      case "turn.started" -> {
        turns++;
        yield List.of();
      }
      case "turn.completed" -> turnCompleted(event.path("usage"));
      case "turn.failed" -> List.of(failure(text(event.path("error"), "message")));
      case "error" -> List.of(failure(text(event, "message")));
      case "item.completed" -> item(event.path("item"));
      case "item.started", "item.updated" -> List.of();
      default -> List.of(new Other(type));
    };
  }

  private List<AgentEvent> item(JsonNode item) {
    String id = text(item, "id");
    String kind = text(item, "type");
    if (kind == null) {
      kind = text(item, "item_type");
    }
    if (kind == null) {
      return List.of(new Other("item.completed"));
    }
    return switch (kind) {
      case "agent_message", "assistant_message" -> agentMessage(id, text(item, "text"));
      case "reasoning" -> List.of();
      case "command_execution" -> {
        Integer exitCode = integer(item, "exit_code");
        String status = text(item, "status");
        boolean failed =
            (exitCode != null && exitCode != 0)
                || "failed".equals(status)
                || "declined".equals(status);
        yield List.of(
            new ToolUse(id, "command_execution", summary(command(item.get("command")))),
            new ToolResult(id, failed, summary(text(item, "aggregated_output"))));
      }
      case "file_change" -> {
        List<String> changes = new ArrayList<>();
        for (JsonNode change : JsonLines.elements(item.path("changes"))) {
          changes.add(text(change, "kind") + " " + text(change, "path"));
        }
        String status = text(item, "status");
        yield List.of(
            new ToolUse(id, "file_change", summary(String.join(", ", changes))),
            new ToolResult(id, "failed".equals(status), status));
      }
      case "mcp_tool_call" -> {
        String name = "mcp:" + text(item, "server") + "/" + text(item, "tool");
        JsonNode error = item.get("error");
        boolean failed =
            "failed".equals(text(item, "status")) || (error != null && !error.isNull());
        String output =
            error != null && !error.isNull()
                ? (error.isObject() ? text(error, "message") : compact(error))
                : compact(item.get("result"));
        yield List.of(
            new ToolUse(id, name, summary(compact(item.get("arguments")))),
            new ToolResult(id, failed, summary(output)));
      }
      case "web_search" -> List.of(new ToolUse(id, "web_search", summary(text(item, "query"))));
      default -> List.of(new Other("item.completed/" + kind));
    };
  }

  private List<AgentEvent> agentMessage(String id, String text) {
    if (text == null) {
      return List.of(new AssistantMessage(id, null, false));
    }
    lastAgentMessage = text;
    return List.of(new AssistantMessage(id, null, false), new AssistantText(text));
  }

  private List<AgentEvent> turnCompleted(JsonNode usage) {
    Long input = longValue(usage, "input_tokens");
    Long output = longValue(usage, "output_tokens");
    List<AgentEvent> events = new ArrayList<>();
    if (input != null || output != null) {
      events.add(new Usage(input, output));
      inputTokens += input == null ? 0 : input;
      outputTokens += output == null ? 0 : output;
      tokensKnown = true;
    }
    events.add(
        new Result(
            false,
            lastAgentMessage,
            null,
            tokensKnown ? inputTokens : null,
            tokensKnown ? outputTokens : null,
            turns == 0 ? null : turns,
            sessionId,
            null,
            "completed"));
    return events;
  }

  private Result failure(String message) {
    Integer status = null;
    if (message != null) {
      Matcher matcher = STATUS.matcher(message);
      if (matcher.find()) {
        status = Integer.valueOf(matcher.group(1));
      }
    }
    return new Result(
        true,
        message,
        null,
        tokensKnown ? inputTokens : null,
        tokensKnown ? outputTokens : null,
        turns == 0 ? null : turns,
        sessionId,
        status,
        "error");
  }

  private List<AgentEvent> legacy(JsonNode msg) {
    String type = text(msg, "type");
    if (type == null) {
      return List.of(new Other("msg"));
    }
    return switch (type) {
      case "session_configured" -> {
        sessionId = text(msg, "session_id");
        yield List.of(new SessionStarted(sessionId, text(msg, "model"), List.of()));
      }
      case "task_started" -> {
        turns++;
        yield List.of();
      }
      case "agent_message" -> agentMessage(null, text(msg, "message"));
      case "exec_command_begin" ->
          List.of(
              new ToolUse(
                  text(msg, "call_id"), "exec_command", summary(command(msg.get("command")))));
      case "exec_command_end" -> {
        Integer exitCode = integer(msg, "exit_code");
        String output = text(msg, "aggregated_output");
        if (output == null || output.isEmpty()) {
          output = join(text(msg, "stdout"), text(msg, "stderr"));
        }
        yield List.of(
            new ToolResult(
                text(msg, "call_id"), exitCode != null && exitCode != 0, summary(output)));
      }
      case "token_count" -> {
        JsonNode usage = msg.has("input_tokens") ? msg : msg.path("info").path("last_token_usage");
        Long input = longValue(usage, "input_tokens");
        Long output = longValue(usage, "output_tokens");
        if (input == null && output == null) {
          yield List.of();
        }
        inputTokens += input == null ? 0 : input;
        outputTokens += output == null ? 0 : output;
        tokensKnown = true;
        yield List.of(new Usage(input, output));
      }
      case "task_complete" -> {
        String last = text(msg, "last_agent_message");
        yield List.of(
            new Result(
                false,
                last != null ? last : lastAgentMessage,
                null,
                tokensKnown ? inputTokens : null,
                tokensKnown ? outputTokens : null,
                turns == 0 ? null : turns,
                sessionId,
                null,
                "completed"));
      }
      case "error" -> List.of(failure(text(msg, "message")));
      default -> List.of(new Other("msg/" + type));
    };
  }

  /** A command as one line: a string as it is, an argv array joined with spaces. */
  private static String command(JsonNode command) {
    if (command == null || !command.isArray()) {
      return compact(command);
    }
    List<String> parts = new ArrayList<>();
    JsonLines.elements(command).forEach(part -> parts.add(part.asText()));
    return String.join(" ", parts);
  }

  private static String join(String first, String second) {
    if (first == null || first.isEmpty()) {
      return second;
    }
    return second == null || second.isEmpty() ? first : first + "\n" + second;
  }

  private static String summary(String text) {
    return truncate(text, SUMMARY_LIMIT);
  }
}
