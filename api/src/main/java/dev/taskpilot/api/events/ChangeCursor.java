package dev.taskpilot.api.events;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.store.TaskChanges;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code id} of a global event stream's events, {@code <xid>.<taskId>}: the id of the
 * transaction that wrote the task's state sent and the task's id, the position of that write in the
 * order {@link TaskChanges} reads writes in. What {@code Last-Event-ID} carries back.
 */
final class ChangeCursor {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,18})\\.([A-Za-z0-9._-]{1,200})");

  private ChangeCursor() {}

  /** The position a {@code Last-Event-ID} names; null for null or blank. */
  static TaskChanges.Position parse(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return null;
    }
    Matcher matcher = FORMAT.matcher(lastEventId.strip());
    if (!matcher.matches()) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "invalid Last-Event-ID: expected <xid>.<taskId> as sent in an event's id");
    }
    return new TaskChanges.Position(Long.parseLong(matcher.group(1)), matcher.group(2));
  }

  /** The id of an event for the write at this position. */
  static String id(TaskChanges.Position position) {
    return position.xid() + "." + position.taskId();
  }
}
