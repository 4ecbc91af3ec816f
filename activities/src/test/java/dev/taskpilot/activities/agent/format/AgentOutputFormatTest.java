package dev.taskpilot.activities.agent.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.activities.agent.format.AgentEvent.Other;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentOutputFormatTest {
  private static final List<String> GARBAGE =
      java.util.Arrays.asList(
          null,
          "",
          "   ",
          "plain text from the agent",
          "{",
          "{\"type\":",
          "[1,2,3]",
          "\"just a string\"",
          "42",
          "null",
          "{\"type\":\"assistant\",\"message\":\"not an object\"}",
          "{\"type\":\"assistant\",\"message\":{\"content\":[1,null,{\"type\":\"tool_use\"}]}}",
          "{\"type\":\"user\",\"message\":{\"content\":\"hello\"}}",
          "{\"type\":\"result\",\"usage\":[],\"total_cost_usd\":\"lots\",\"num_turns\":{}}",
          "{\"type\":\"system\",\"subtype\":\"api_retry\",\"attempt\":\"x\"}",
          "{\"type\":\"item.completed\",\"item\":null}",
          "{\"type\":\"turn.completed\",\"usage\":7}",
          "{\"msg\":{\"type\":\"exec_command_end\",\"exit_code\":\"1\"}}",
          "{\"id\":\"0\",\"msg\":42}",
          "{\"type\":7}",
          "{\"type\":\"assistant\",\"message\":{\"content\":{\"type\":\"text\"}}}",
          "{\"type\":\"item.completed\",\"item\":{\"type\":\"file_change\",\"changes\":{}}}",
          "{\"type\":\"item.completed\",\"item\":{\"type\":\"command_execution\",\"command\":{}}}",
          "[".repeat(5_000),
          "{\"a\":".repeat(5_000),
          "{\"a\":1} trailing",
          "{\"content\":\"01234567 [... 4 more bytes truncated]");

  @ParameterizedTest
  @ValueSource(strings = {AgentOutputFormat.CLAUDE_STREAM_JSON, AgentOutputFormat.CODEX_JSONL})
  void shouldNeverThrowWhenLinesAreGarbage(String format) {
    // given
    AgentOutputFormat parser = AgentOutputFormat.forName(format);
    List<AgentEvent> events = new ArrayList<>();

    // when
    for (String line : GARBAGE) {
      events.addAll(parser.parse(line));
    }

    // then
    assertThat(events).doesNotContainNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {AgentOutputFormat.CLAUDE_STREAM_JSON, AgentOutputFormat.CODEX_JSONL})
  void shouldYieldNothingWhenLineIsNotAJsonObject(String format) {
    // given
    AgentOutputFormat parser = AgentOutputFormat.forName(format);

    // when / then
    for (String line : List.of("", "plain text", "{broken", "[{\"type\":\"result\"}]", "3")) {
      assertThat(parser.parse(line)).as(line).isEmpty();
    }
  }

  @Test
  void shouldYieldOtherWhenTypeIsUnknown() {
    // given
    AgentOutputFormat parser = AgentOutputFormat.forName("claude-stream-json");

    // when
    List<AgentEvent> unknown = parser.parse("{\"type\":\"stream_event\",\"event\":{}}");
    List<AgentEvent> system = parser.parse("{\"type\":\"system\",\"subtype\":\"resumed\"}");
    List<AgentEvent> untyped = parser.parse("{\"session_id\":\"s\"}");

    // then
    assertThat(unknown).containsExactly(new Other("stream_event"));
    assertThat(system).containsExactly(new Other("system/resumed"));
    assertThat(untyped).containsExactly(new Other(null));
  }

  @Test
  void shouldNeverYieldEventsWhenFormatIsText() {
    // given
    AgentOutputFormat parser = AgentOutputFormat.forName(" TEXT ");

    // when
    List<AgentEvent> events = parser.parse(Transcripts.lines("success-write-tool.jsonl").getLast());

    // then
    assertThat(parser.name()).isEqualTo("text");
    assertThat(events).isEmpty();
  }

  @Test
  void shouldRejectNameWhenFormatIsUnknown() {
    // when / then
    assertThatThrownBy(() -> AgentOutputFormat.forName("yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("yaml");
  }

  @Test
  void shouldGiveFreshParsersWhenFormatIsAskedForTwice() {
    // when
    AgentOutputFormat first = AgentOutputFormat.forName("claude-stream-json");
    AgentOutputFormat second = AgentOutputFormat.forName("claude-stream-json");

    // then
    assertThat(first).isNotSameAs(second);
    assertThat(AgentOutputFormat.NAMES)
        .containsExactlyInAnyOrder("text", "claude-stream-json", "codex-jsonl");
  }
}
