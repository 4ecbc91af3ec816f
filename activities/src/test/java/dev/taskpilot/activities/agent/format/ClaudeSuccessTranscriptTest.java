package dev.taskpilot.activities.agent.format;

import static dev.taskpilot.activities.agent.format.AgentOutputFormat.CLAUDE_STREAM_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.format.AgentEvent.AssistantMessage;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantText;
import dev.taskpilot.activities.agent.format.AgentEvent.Result;
import dev.taskpilot.activities.agent.format.AgentEvent.SessionStarted;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolResult;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolUse;
import dev.taskpilot.activities.agent.format.AgentEvent.Usage;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaudeSuccessTranscriptTest {
  private static final String TRANSCRIPT = "success-write-tool.jsonl";
  private static final String SESSION = "e5ca2349-f6f0-4193-9054-803fcde83510";

  @Test
  void shouldReadSessionModelAndToolsWhenInitIsParsed() {
    // given
    String init = Transcripts.lines(TRANSCRIPT).getFirst();

    // when
    List<AgentEvent> events = AgentOutputFormat.forName(CLAUDE_STREAM_JSON).parse(init);

    // then
    assertThat(events).hasSize(1);
    SessionStarted started = (SessionStarted) events.getFirst();
    assertThat(started.sessionId()).isEqualTo(SESSION);
    assertThat(started.model()).isEqualTo("claude-opus-5-5");
    assertThat(started.tools()).hasSize(22).contains("Write", "Bash", "Task");
  }

  @Test
  void shouldPairWriteToolUseWithItsResultWhenTranscriptIsParsed() {
    // when
    List<ToolUse> uses = Transcripts.events(TRANSCRIPT, CLAUDE_STREAM_JSON, ToolUse.class);
    List<ToolResult> results = Transcripts.events(TRANSCRIPT, CLAUDE_STREAM_JSON, ToolResult.class);

    // then
    assertThat(uses)
        .containsExactly(
            new ToolUse(
                "toolu_msg_1",
                "Write",
                "{\"file_path\":\"RESULT.md\",\"content\":\"# Result\\n\\nWritten by the agent.\\n\"}"));
    assertThat(results).hasSize(1);
    assertThat(results.getFirst().toolUseId()).isEqualTo("toolu_msg_1");
    assertThat(results.getFirst().isError()).isFalse();
    assertThat(results.getFirst().contentSummary())
        .startsWith("File created successfully at: RESULT.md");
  }

  @Test
  void shouldReportAssistantMessagesTextAndUsageWhenTranscriptIsParsed() {
    // when
    List<AgentEvent> events = Transcripts.events(TRANSCRIPT, CLAUDE_STREAM_JSON);

    // then
    assertThat(events)
        .filteredOn(AssistantMessage.class::isInstance)
        .containsExactly(
            new AssistantMessage("msg_1", "claude-opus-5-5", false),
            new AssistantMessage("msg_2", "claude-opus-5-5", false));
    assertThat(events)
        .filteredOn(Usage.class::isInstance)
        .containsExactly(new Usage(100L, 1L), new Usage(100L, 1L));
    assertThat(events)
        .filteredOn(AssistantText.class::isInstance)
        .containsExactly(new AssistantText("Done: RESULT.md written."));
  }

  @Test
  void shouldReadFinalResultExactlyWhenResultLineIsParsed() {
    // when
    List<Result> results = Transcripts.events(TRANSCRIPT, CLAUDE_STREAM_JSON, Result.class);

    // then
    assertThat(results)
        .containsExactly(
            new Result(
                false,
                "Done: RESULT.md written.",
                new BigDecimal("0.0016"),
                200L,
                40L,
                2,
                SESSION,
                null,
                "completed"));
    assertThat(results.getFirst().totalCostUsd().toPlainString()).isEqualTo("0.0016");
  }
}
