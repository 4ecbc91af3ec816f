package dev.taskpilot.activities.agent.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.format.AgentEvent.ApiRetry;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantMessage;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantText;
import dev.taskpilot.activities.agent.format.AgentEvent.Result;
import dev.taskpilot.activities.agent.format.AgentEvent.SessionStarted;
import dev.taskpilot.activities.agent.format.AgentEvent.ToolUse;
import dev.taskpilot.activities.agent.format.AgentEvent.Usage;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunTallyTest {

  @Test
  void shouldSumUpRunWhenSuccessTranscriptIsTallied() {
    // when
    RunSummary summary =
        Transcripts.tally("success-write-tool.jsonl", "claude-stream-json").snapshot();

    // then
    assertThat(summary.sessionId()).isEqualTo("e5ca2349-f6f0-4193-9054-803fcde83510");
    assertThat(summary.model()).isEqualTo("claude-opus-5-5");
    assertThat(summary.turns()).isEqualTo(2);
    assertThat(summary.toolCalls()).isEqualTo(1);
    assertThat(summary.inputTokens()).isEqualTo(200);
    assertThat(summary.outputTokens()).isEqualTo(40);
    assertThat(summary.costUsd()).isEqualTo(new BigDecimal("0.0016"));
    assertThat(summary.lastMessage()).isEqualTo("Done: RESULT.md written.");
    assertThat(summary.result().isError()).isFalse();
    assertThat(summary.lastApiError()).isNull();
    assertThat(summary.consecutiveAuthFailures()).isZero();
  }

  @Test
  void shouldSumMessageUsageWhenNoResultYet() {
    // given
    RunTally tally = new RunTally();

    // when
    tally.acceptAll(
        List.of(
            new SessionStarted("s1", "m", List.of()),
            new AssistantMessage("a", "m", false),
            new Usage(10L, 2L),
            new ToolUse("t", "Bash", "ls"),
            new AssistantMessage("b", "m", false),
            new Usage(20L, null),
            new AssistantText("y".repeat(600))));

    // then
    RunSummary summary = tally.snapshot();
    assertThat(summary.turns()).isEqualTo(2);
    assertThat(summary.toolCalls()).isEqualTo(1);
    assertThat(summary.inputTokens()).isEqualTo(30);
    assertThat(summary.outputTokens()).isEqualTo(2);
    assertThat(summary.costUsd()).isNull();
    assertThat(summary.lastMessage()).hasSize(500).endsWith("…");
  }

  @Test
  void shouldResetAuthFailuresWhenModelAnswersOrOtherErrorComes() {
    // given
    RunTally tally = new RunTally();
    ApiRetry unauthorized = new ApiRetry(1, 10, 401, "authentication_failed", 500L);
    ApiRetry forbidden = new ApiRetry(2, 10, 403, "permission_error", 900L);

    // when
    tally.acceptAll(List.of(unauthorized, forbidden));
    int beforeAnswer = tally.consecutiveAuthFailures();
    tally.accept(new AssistantMessage("x", "<synthetic>", true));
    int afterSyntheticMessage = tally.consecutiveAuthFailures();
    tally.accept(new AssistantMessage("y", "m", false));
    int afterAnswer = tally.consecutiveAuthFailures();
    tally.acceptAll(List.of(unauthorized, new ApiRetry(2, 10, 529, "overloaded", 1L)));

    // then
    assertThat(beforeAnswer).isEqualTo(2);
    assertThat(afterSyntheticMessage).isEqualTo(2);
    assertThat(afterAnswer).isZero();
    assertThat(tally.consecutiveAuthFailures()).isZero();
    assertThat(tally.lastApiError()).isEqualTo(new ApiError(529, "overloaded"));
  }

  @Test
  void shouldKeepSnapshotUnchangedWhenTallyMovesOn() {
    // given
    RunTally tally = new RunTally();
    tally.accept(new AssistantText("first"));
    RunSummary before = tally.snapshot();

    // when
    tally.accept(new AssistantText("second"));
    tally.accept(new Result(false, "second", BigDecimal.ONE, 1L, 1L, 3, "s2", null, "completed"));
    tally.accept(null);

    // then
    assertThat(before.lastMessage()).isEqualTo("first");
    assertThat(before.turns()).isZero();
    assertThat(tally.snapshot().turns()).isEqualTo(3);
    assertThat(tally.snapshot().sessionId()).isEqualTo("s2");
    assertThat(new RunTally().snapshot()).isEqualTo(RunSummary.EMPTY);
  }
}
