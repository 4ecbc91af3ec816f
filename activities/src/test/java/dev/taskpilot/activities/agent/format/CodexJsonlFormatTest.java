package dev.taskpilot.activities.agent.format;

import static dev.taskpilot.activities.agent.format.AgentOutputFormat.CODEX_JSONL;
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

class CodexJsonlFormatTest {
  private static final String THREAD = "0199a213-81c0-7800-8aa1-bbab2a035a53";

  @Test
  void shouldReadThreadCommandsMessageAndUsageWhenCodexTranscriptIsParsed() {
    // when
    List<AgentEvent> events = Transcripts.events("codex-success.jsonl", CODEX_JSONL);

    // then
    assertThat(events)
        .containsExactly(
            new SessionStarted(THREAD, null, List.of()),
            new ToolUse(
                "item_1", "command_execution", "bash -lc 'printf \"# Result\\n\" > RESULT.md'"),
            new ToolResult("item_1", false, ""),
            new ToolUse("item_2", "command_execution", "bash -lc 'cat MISSING.md'"),
            new ToolResult("item_2", true, "cat: MISSING.md: No such file or directory\n"),
            new AssistantMessage("item_3", null, false),
            new AssistantText("Done: RESULT.md written."),
            new Usage(24763L, 122L),
            new Result(
                false,
                "Done: RESULT.md written.",
                null,
                24763L,
                122L,
                1,
                THREAD,
                null,
                "completed"));
  }

  @Test
  void shouldSumUpCodexRunWhenTranscriptIsTallied() {
    // when
    RunSummary summary = Transcripts.tally("codex-success.jsonl", CODEX_JSONL).snapshot();

    // then
    assertThat(summary.sessionId()).isEqualTo(THREAD);
    assertThat(summary.turns()).isEqualTo(1);
    assertThat(summary.toolCalls()).isEqualTo(2);
    assertThat(summary.inputTokens()).isEqualTo(24763);
    assertThat(summary.outputTokens()).isEqualTo(122);
    assertThat(summary.costUsd()).isNull();
    assertThat(summary.lastMessage()).isEqualTo("Done: RESULT.md written.");
  }

  @Test
  void shouldYieldFailedResultWithStatusWhenTurnFails() {
    // given
    AgentOutputFormat parser = AgentOutputFormat.forName(CODEX_JSONL);
    parser.parse("{\"type\":\"thread.started\",\"thread_id\":\"t\"}");
    parser.parse("{\"type\":\"turn.started\"}");

    // when
    List<AgentEvent> events =
        parser.parse(
            "{\"type\":\"turn.failed\",\"error\":{\"message\":"
                + "\"exceeded retry limit, last status: 429 Too Many Requests\"}}");

    // then
    assertThat(events)
        .containsExactly(
            new Result(
                true,
                "exceeded retry limit, last status: 429 Too Many Requests",
                null,
                null,
                null,
                1,
                "t",
                429,
                "error"));
  }

  @Test
  void shouldReadLegacyMessagesWhenMsgShapeIsUsed() {
    // given
    AgentOutputFormat parser = AgentOutputFormat.forName(CODEX_JSONL);

    // when
    List<AgentEvent> session =
        parser.parse(
            "{\"id\":\"0\",\"msg\":{\"type\":\"session_configured\",\"session_id\":\"s\","
                + "\"model\":\"gpt-5-codex\"}}");
    List<AgentEvent> begin =
        parser.parse(
            "{\"id\":\"1\",\"msg\":{\"type\":\"exec_command_begin\",\"call_id\":\"c\","
                + "\"command\":[\"bash\",\"-lc\",\"ls\"]}}");
    List<AgentEvent> end =
        parser.parse(
            "{\"id\":\"1\",\"msg\":{\"type\":\"exec_command_end\",\"call_id\":\"c\","
                + "\"stdout\":\"a.txt\\n\",\"stderr\":\"\",\"exit_code\":0}}");
    List<AgentEvent> message =
        parser.parse("{\"id\":\"1\",\"msg\":{\"type\":\"agent_message\",\"message\":\"Hi\"}}");
    List<AgentEvent> other = parser.parse("{\"id\":\"1\",\"msg\":{\"type\":\"agent_reasoning\"}}");

    // then
    assertThat(session).containsExactly(new SessionStarted("s", "gpt-5-codex", List.of()));
    assertThat(begin).containsExactly(new ToolUse("c", "exec_command", "bash -lc ls"));
    assertThat(end).containsExactly(new ToolResult("c", false, "a.txt\n"));
    assertThat(message)
        .containsExactly(new AssistantMessage(null, null, false), new AssistantText("Hi"));
    assertThat(other).containsExactly(new AgentEvent.Other("msg/agent_reasoning"));
  }
}
