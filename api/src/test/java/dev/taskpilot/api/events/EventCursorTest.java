package dev.taskpilot.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Last-Event-ID}: where a resuming client is, written {@code <version>.<line>}. */
class EventCursorTest {

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\t"})
  void shouldStartBeforeEverythingWhenThereIsNoLastEventId(String lastEventId) {
    // when
    EventCursor cursor = EventCursor.parse(lastEventId);

    // then
    assertThat(cursor).isEqualTo(EventCursor.START);
    assertThat(cursor.hasStatus()).isFalse();
    assertThat(cursor.line()).isZero();
  }

  @ParameterizedTest
  @CsvSource({
    "0.0, 0, 0",
    "3.17, 3, 17",
    "'  12.4 ', 12, 4",
    "007.010, 7, 10",
    "999999999999999999.999999999999999999, 999999999999999999, 999999999999999999"
  })
  void shouldReadVersionAndLineWhenTheIdIsOurs(String lastEventId, long version, long line) {
    // when
    EventCursor cursor = EventCursor.parse(lastEventId);

    // then
    assertThat(cursor).isEqualTo(new EventCursor(version, line));
    assertThat(cursor.hasStatus()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "3",
        "3.",
        ".3",
        "3.4.5",
        "-1.0",
        "+1.0",
        "1.-2",
        "a.b",
        "1 .2",
        "1,2",
        "1e3.0",
        "١.٢",
        "1234567890123456789.0",
        "0.1234567890123456789"
      })
  void shouldAnswerValidationFailedWhenTheIdIsNotOurs(String lastEventId) {
    // when
    ApiException refused =
        catchThrowableOfType(ApiException.class, () -> EventCursor.parse(lastEventId));

    // then
    assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(refused.getMessage())
        .isEqualTo(
            "invalid Last-Event-ID '"
                + lastEventId
                + "': expected <version>.<line> as sent in an event's id");
  }

  @Test
  void shouldShortenALongIdWhenItIsRefused() {
    // given
    String lastEventId = "x".repeat(500);

    // when
    ApiException refused =
        catchThrowableOfType(ApiException.class, () -> EventCursor.parse(lastEventId));

    // then
    assertThat(refused.getMessage())
        .contains("'" + "x".repeat(60) + "...'")
        .doesNotContain("x".repeat(61));
  }

  @Test
  void shouldWriteTheIdItReadsWhenAStatusWasSent() {
    // given
    EventCursor cursor = EventCursor.START.withVersion(4).withLine(9);

    // when
    String id = cursor.id();

    // then
    assertThat(id).isEqualTo("4.9");
    assertThat(EventCursor.parse(id)).isEqualTo(cursor);
  }

  @Test
  void shouldChangeOnlyOnePartWhenVersionOrLineMoves() {
    // given
    EventCursor cursor = new EventCursor(2, 5);

    // then
    assertThat(cursor.withVersion(3)).isEqualTo(new EventCursor(3, 5));
    assertThat(cursor.withLine(8)).isEqualTo(new EventCursor(2, 8));
    assertThat(EventCursor.START.withLine(8).hasStatus()).isFalse();
  }
}
