package dev.taskpilot.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The list cursor: opaque, URL-safe, read back exactly, and a 400 for anything else. */
class TaskCursorTest {

  private static String base64(String raw) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldReadBackTheSameCursorWhenItWasEncoded() {
    // given
    TaskCursor cursor =
        new TaskCursor(Instant.parse("2026-11-22T09:00:00.123456Z"), "task-0b5c7c1e-1111");

    // when
    String encoded = cursor.encode();

    // then
    assertThat(encoded).matches("[A-Za-z0-9_-]+");
    assertThat(TaskCursor.decode(encoded)).isEqualTo(cursor);
  }

  @Test
  void shouldKeepTheWholeIdWhenItContainsTheSeparator() {
    // given
    TaskCursor cursor = new TaskCursor(Instant.parse("2026-01-01T00:00:00Z"), "task|odd|id");

    // when
    TaskCursor decoded = TaskCursor.decode(cursor.encode());

    // then
    assertThat(decoded.id()).isEqualTo("task|odd|id");
  }

  @Test
  void shouldDecodeACursorWhenTheClientAddedPadding() {
    // given
    String padded =
        Base64.getUrlEncoder()
            .encodeToString("2026-01-01T00:00:00Z|task-1".getBytes(StandardCharsets.UTF_8));

    // when
    TaskCursor decoded = TaskCursor.decode(padded);

    // then
    assertThat(decoded).isEqualTo(new TaskCursor(Instant.parse("2026-01-01T00:00:00Z"), "task-1"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bm90LWEtY3Vyc29y", // "not-a-cursor": no separator
        "not base64 at all!",
        "%%%",
        ""
      })
  void shouldAnswerValidationFailedWhenTheCursorIsNotOurs(String cursor) {
    // when
    ApiException refused =
        catchThrowableOfType(ApiException.class, () -> TaskCursor.decode(cursor));

    // then
    assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(refused.getMessage()).isEqualTo("invalid cursor: " + cursor);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday|task-1", "2026-01-01|task-1", "|task-1"})
  void shouldAnswerValidationFailedWhenTheCursorsTimeIsNoInstant(String raw) {
    // when
    ApiException refused =
        catchThrowableOfType(ApiException.class, () -> TaskCursor.decode(base64(raw)));

    // then
    assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
  }
}
