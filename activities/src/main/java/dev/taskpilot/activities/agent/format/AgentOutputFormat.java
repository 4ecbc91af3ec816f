package dev.taskpilot.activities.agent.format;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses an agent's output, one line at a time, into {@link AgentEvent}s.
 *
 * <p>Parsing never fails: a line that is not a JSON object (a log line, a truncated line, garbage)
 * yields no events, and an event type the parser does not know yields {@link AgentEvent.Other}. The
 * runner stores every raw line elsewhere, whatever the parser makes of it.
 *
 * <p>A parser may keep state across the lines of one run (to report each assistant message once,
 * for example), so it is not thread-safe: get a fresh one from {@link #forName(String)} per run and
 * feed it the lines in order from one thread.
 */
public interface AgentOutputFormat {

  /** Plain text: every line is just text, no events. */
  String TEXT = "text";

  /** Claude Code's {@code --output-format stream-json --verbose}. */
  String CLAUDE_STREAM_JSON = "claude-stream-json";

  /** OpenAI Codex CLI's {@code codex exec --json}. */
  String CODEX_JSONL = "codex-jsonl";

  /** The format names {@link #forName(String)} knows. */
  Set<String> NAMES = Set.of(TEXT, CLAUDE_STREAM_JSON, CODEX_JSONL);

  /** The most characters a tool input or tool output summary keeps. */
  int SUMMARY_LIMIT = 200;

  /**
   * Parses one output line.
   *
   * @param line the line, without its line break; {@code null} is treated as empty
   * @return the events the line carries, in order; empty when there are none
   */
  List<AgentEvent> parse(String line);

  /** The name of this format, as {@link #forName(String)} takes it. */
  String name();

  /**
   * A new parser for the named format.
   *
   * @param name one of {@link #NAMES}; surrounding white space and case are ignored
   * @throws IllegalArgumentException when the format is unknown
   */
  static AgentOutputFormat forName(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (key) {
      case TEXT -> TextFormat.INSTANCE;
      case CLAUDE_STREAM_JSON -> new ClaudeStreamJsonFormat();
      case CODEX_JSONL -> new CodexJsonlFormat();
      default ->
          throw new IllegalArgumentException(
              "Unknown agent output format '" + name + "'; known formats: " + NAMES);
    };
  }
}
