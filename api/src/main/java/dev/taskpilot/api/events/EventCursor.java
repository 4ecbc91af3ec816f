package dev.taskpilot.api.events;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a client is in a task's event stream: the projection {@code version} of the last {@code
 * status} event it got and the number of the last {@code output} line it got. Written as {@code
 * <version>.<line>}, the {@code id:} of every event and what {@code Last-Event-ID} carries back.
 *
 * @param version the version of the last status event sent, or {@link #NO_STATUS} before the first
 * @param line the last output line sent, 0 before the first
 */
record EventCursor(long version, long line) {
  /** The version of a cursor that has seen no status event yet. */
  static final long NO_STATUS = -1;

  /** Where a new client (no {@code Last-Event-ID}) starts. */
  static final EventCursor START = new EventCursor(NO_STATUS, 0);

  // At most 18 digits, so that every value fits a long; no sign, no spaces.
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,18})\\.(\\d{1,18})");

  /** The cursor a {@code Last-Event-ID} names; null or blank means {@link #START}. */
  static EventCursor parse(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return START;
    }
    Matcher matcher = FORMAT.matcher(lastEventId.strip());
    if (!matcher.matches()) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "invalid Last-Event-ID '"
              + abbreviate(lastEventId)
              + "': expected <version>.<line> as sent in an event's id");
    }
    return new EventCursor(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
  }

  EventCursor withVersion(long newVersion) {
    return new EventCursor(newVersion, line);
  }

  EventCursor withLine(long newLine) {
    return new EventCursor(version, newLine);
  }

  /** Whether a status event has been sent (or was seen before a resume). */
  boolean hasStatus() {
    return version != NO_STATUS;
  }

  /** The event id: {@code <version>.<line>}. Only called once a status has been sent. */
  String id() {
    return version + "." + line;
  }

  private static String abbreviate(String value) {
    return value.length() <= 60 ? value : value.substring(0, 60) + "...";
  }
}
