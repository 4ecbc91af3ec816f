package dev.taskpilot.activities.agent.format;

import static dev.taskpilot.activities.agent.format.AgentOutputFormat.CLAUDE_STREAM_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.format.AgentEvent.ApiRetry;
import dev.taskpilot.activities.agent.format.AgentEvent.AssistantMessage;
import dev.taskpilot.activities.agent.format.AgentEvent.Result;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaudeFailureTranscriptTest {

  @Test
  void shouldYieldAuthRetriesWhenEveryRequestGets401() {
    // when
    List<ApiRetry> retries =
        Transcripts.events("auth-failure-retrying.jsonl", CLAUDE_STREAM_JSON, ApiRetry.class);

    // then
    assertThat(retries).hasSize(9);
    assertThat(retries).extracting(ApiRetry::errorStatus).containsOnly(401);
    assertThat(retries).extracting(ApiRetry::error).containsOnly("authentication_failed");
    assertThat(retries).extracting(ApiRetry::attempt).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(retries.getFirst())
        .isEqualTo(new ApiRetry(1, 10, 401, "authentication_failed", 562L));
  }

  @Test
  void shouldCountConsecutiveAuthFailuresWhenAuthFailureTranscriptIsTallied() {
    // when
    RunTally tally = Transcripts.tally("auth-failure-retrying.jsonl", CLAUDE_STREAM_JSON);

    // then
    assertThat(tally.consecutiveAuthFailures()).isEqualTo(9);
    assertThat(tally.lastApiError()).isEqualTo(new ApiError(401, "authentication_failed"));
    assertThat(tally.lastApiError().isAuthFailure()).isTrue();
    assertThat(tally.sessionId()).isEqualTo("12dead2b-796f-42b9-ba65-39ce24ee27d2");
    assertThat(tally.result()).isNull();
    assertThat(tally.costUsd()).isNull();
  }

  @Test
  void shouldYieldTenRateLimitRetriesAndFailedResultWhenRateLimited() {
    // when
    List<AgentEvent> events = Transcripts.events("rate-limited.jsonl", CLAUDE_STREAM_JSON);

    // then
    assertThat(events)
        .filteredOn(ApiRetry.class::isInstance)
        .hasSize(10)
        .extracting(event -> ((ApiRetry) event).errorStatus())
        .containsOnly(429);
    assertThat(events)
        .filteredOn(AssistantMessage.class::isInstance)
        .containsExactly(
            new AssistantMessage("600b4bf0-5d49-409e-8300-600991822237", "<synthetic>", true));
    Result result = (Result) events.getLast();
    assertThat(result.isError()).isTrue();
    assertThat(result.apiErrorStatus()).isEqualTo(429);
    assertThat(result.terminalReason()).isEqualTo("api_error");
    assertThat(result.resultText()).startsWith("API Error: Request rejected (429)");
    assertThat(result.totalCostUsd()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(result.numTurns()).isEqualTo(1);
  }

  @Test
  void shouldNotCountRateLimitsAsAuthFailuresWhenRateLimitedTranscriptIsTallied() {
    // when
    RunTally tally = Transcripts.tally("rate-limited.jsonl", CLAUDE_STREAM_JSON);

    // then
    assertThat(tally.consecutiveAuthFailures()).isZero();
    assertThat(tally.lastApiError()).isEqualTo(new ApiError(429, "rate_limit"));
    assertThat(tally.result().isError()).isTrue();
    assertThat(tally.model()).isEqualTo("claude-opus-5-5");
    assertThat(tally.turns()).isEqualTo(1);
  }
}
