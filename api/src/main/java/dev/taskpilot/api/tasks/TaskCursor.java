package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** An opaque list cursor: the creation time and id of the last task of a page. */
record TaskCursor(Instant createdAt, String id) {

  String encode() {
    String raw = createdAt.toString() + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static TaskCursor decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      if (bar < 0) {
        throw new IllegalArgumentException("no separator");
      }
      return new TaskCursor(Instant.parse(raw.substring(0, bar)), raw.substring(bar + 1));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "invalid cursor: " + cursor);
    }
  }
}
