package dev.taskpilot.workflows.activities.notify;

import java.util.List;

/** The moments people can be told about. */
public enum NotifyEvent {
  AWAITING_APPROVAL,
  WAITING_FOR_INPUT,
  PARKED,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  REJECTED;

  /**
   * The events notified when a task names none: API.md's approval needed, succeeded and failed,
   * plus the two other moments a person must know about, a question and a parked task.
   */
  public static final List<NotifyEvent> DEFAULTS =
      List.of(AWAITING_APPROVAL, WAITING_FOR_INPUT, PARKED, SUCCEEDED, FAILED);
}
