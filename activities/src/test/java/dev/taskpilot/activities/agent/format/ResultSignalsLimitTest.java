package dev.taskpilot.activities.agent.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResultSignalsLimitTest {
  /** 11:00 in Berlin, 05:00 in New York. */
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "Claude AI usage limit reached · resets 2:30pm; Europe/Berlin; 2026-11-22T13:30:00Z",
        "limit reached|resets 2:30pm (Europe/Berlin); UTC; 2026-11-22T13:30:00Z",
        "5-hour limit reached ∙ resets 4pm; America/New_York; 2026-11-22T21:00:00Z",
        "Usage limit reached, resets at 14:30; UTC; 2026-11-22T14:30:00Z",
        "Usage limit reached, resets at 9:15; UTC; 2026-11-23T09:15:00Z",
        "Claude usage limit reached. Your limit will reset at 5pm (Asia/Tokyo).; UTC;"
            + " 2026-11-23T08:00:00Z",
        "Weekly limit reached · resets 12am; UTC; 2026-11-23T00:00:00Z",
        "Claude AI usage limit reached|1735689600; UTC; 2025-01-01T00:00:00Z",
        "API Error: 429 rate_limit_error · retry after 30 seconds; UTC; 2026-11-22T10:00:30Z",
        "HTTP 429 Too Many Requests (retry-after: 45); UTC; 2026-11-22T10:00:45Z"
      })
  void shouldFindResetTimeWhenTextReportsLimit(String text, String zone, String expected) {
    // when
    var reset = ResultSignals.usageLimitReset(text, ZoneId.of(zone), NOW);

    // then
    assertThat(reset).contains(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Done: RESULT.md written.",
        "The cache resets at 2:30pm every day.",
        "Server said retry after 30 seconds (503).",
        "API Error: Request rejected (429) · Number of request tokens has exceeded your limit",
        "usage limit reached · resets 25:00",
        "usage limit reached · resets 13pm",
        ""
      })
  void shouldFindNothingWhenTextReportsNoResetTime(String text) {
    // when
    var reset = ResultSignals.usageLimitReset(text, ZoneOffset.UTC, NOW);

    // then
    assertThat(reset).isEmpty();
  }

  @Test
  void shouldFallBackToGivenZoneWhenNamedZoneIsUnknown() {
    // when
    var reset =
        ResultSignals.usageLimitReset(
            "usage limit reached · resets 2:30pm (Mars/Olympus)", ZoneId.of("Europe/Berlin"), NOW);

    // then
    assertThat(reset).contains(Instant.parse("2026-11-22T13:30:00Z"));
  }

  @Test
  void shouldUseCallerPatternsWhenGiven() {
    // given
    List<Pattern> patterns =
        List.of(
            Pattern.compile("no groups here"), Pattern.compile("try again in (?<seconds>\\d+)s"));

    // when
    var custom =
        ResultSignals.usageLimitReset("no groups here; try again in 90s", patterns, null, NOW);
    var defaults = ResultSignals.usageLimitReset("try again in 90s", ZoneOffset.UTC, NOW);

    // then
    assertThat(custom).contains(NOW.plusSeconds(90));
    assertThat(defaults).isEmpty();
  }

  @Test
  void shouldFindResetTimeWhenLimitTranscriptIsTallied() {
    // given
    RunTally tally = Transcripts.tally("limit.jsonl", "claude-stream-json");

    // when
    var reset = ResultSignals.usageLimitReset(tally.result().resultText(), ZoneOffset.UTC, NOW);

    // then
    assertThat(tally.result().isError()).isTrue();
    assertThat(reset).contains(Instant.parse("2026-11-22T13:30:00Z"));
  }
}
