package dev.taskpilot.workflows.activities;

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

  /** The events notified when a task names none. */
  public static final List<NotifyEvent> DEFAULTS = List.of(AWAITING_APPROVAL, SUCCEEDED, FAILED);
}
