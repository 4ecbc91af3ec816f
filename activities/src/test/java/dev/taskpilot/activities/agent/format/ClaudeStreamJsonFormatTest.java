package dev.taskpilot.activities.agent.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.format.AgentEvent.AssistantMessage;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantText;
import dev.taskpilot.activities.agent.format.AgentEvent.Result;
import dev.taskpilot.activities.agent.format.AgentEvent.SessionStarted;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolResult;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolUse;
import dev.taskpilot.activities.agent.format.AgentEvent.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaudeStreamJsonFormatTest {
  private final AgentOutputFormat parser = AgentOutputFormat.forName("claude-stream-json");

  @Test
  void shouldReportMessageOnceWhenItsBlocksComeOnSeveralLines() {
    // given
    String text =
        "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"model\":\"opus\","
            + "\"usage\":{\"input_tokens\":5,\"output_tokens\":7},"
            + "\"content\":[{\"type\":\"text\",\"text\":\"Let me look.\"}]}}";
    String tool =
        "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"model\":\"opus\","
            + "\"usage\":{\"input_tokens\":5,\"output_tokens\":7},"
            + "\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\","
            + "\"input\":{\"command\":\"ls\"}}]}}";

    // when
    List<AgentEvent> first = parser.parse(text);
    List<AgentEvent> second = parser.parse(tool);

    // then
    assertThat(first)
        .containsExactly(
            new AssistantMessage("m1", "opus", false),
            new Usage(5L, 7L),
            new AssistantText("Let me look."));
    assertThat(second).containsExactly(new ToolUse("t1", "Bash", "{\"command\":\"ls\"}"));
  }

  @Test
  void shouldSummariseToolInputAndOutputWhenTheyAreLong() {
    // given
    String longText = "x".repeat(5_000);
    String use =
        "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"id\":\"t\","
            + "\"name\":\"Write\",\"input\":{\"content\":\""
            + longText
            + "\"}}]}}";
    String result =
        "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\","
            + "\"is_error\":true,\"content\":[{\"type\":\"text\",\"text\":\""
            + longText
            + "\"},{\"type\":\"image\"}]}]}}";

    // when
    ToolUse toolUse = (ToolUse) parser.parse(use).getLast();
    ToolResult toolResult = (ToolResult) parser.parse(result).getFirst();

    // then
    assertThat(toolUse.inputSummary()).hasSize(200).startsWith("{\"content\":\"xxx").endsWith("…");
    assertThat(toolResult.isError()).isTrue();
    assertThat(toolResult.contentSummary()).hasSize(200).endsWith("…");
  }

  @Test
  void shouldTreatErrorSubtypeAsFailureWhenIsErrorIsMissing() {
    // given
    String line =
        "{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"errors\":[\"Reached max turns\"],"
            + "\"session_id\":\"s\"}";

    // when
    List<AgentEvent> events = parser.parse(line);

    // then
    assertThat(events)
        .containsExactly(
            new Result(true, "Reached max turns", null, null, null, null, "s", null, null));
  }

  @Test
  void shouldDropASessionIdThatIsNoValidIdWhenTheAgentPrintsOne() {
    for (String id : List.of("--dangerously-skip-permissions", "a b", "x\\ny", "$(id)", "")) {
      // given
      String init =
          "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\""
              + id
              + "\",\"model\":\"opus\"}";
      String result =
          "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,"
              + "\"result\":\"ok\",\"session_id\":\""
              + id
              + "\"}";

      // when
      List<AgentEvent> started = parser.parse(init);
      List<AgentEvent> finished = parser.parse(result);

      // then
      assertThat(started).as(id).containsExactly(new SessionStarted(null, "opus", List.of()));
      assertThat(((Result) finished.getLast()).sessionId()).as(id).isNull();
    }
    // and a real one is kept
    String uuid = "0d7c5d8e-3f5e-4b8a-9c71-2f0f5b1f7a10";
    assertThat(
            parser.parse(
                "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" + uuid + "\"}"))
        .containsExactly(new SessionStarted(uuid, null, List.of()));
  }
}
