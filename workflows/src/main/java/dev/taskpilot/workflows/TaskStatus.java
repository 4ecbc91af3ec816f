package dev.taskpilot.workflows;

/** The lifecycle states of a task, as promised in API.md. */
public enum TaskStatus {
  PLANNING,
  SCHEDULED,
  AWAITING_APPROVAL,
  RUNNING,
  WAITING_FOR_INPUT,
  PARKED,
  PAUSED,
  PUBLISHING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  REJECTED;

  /** Whether nothing will ever change this status again. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == REJECTED;
  }

  /** Whether the agent has started (or finished) running in this status. */
  public boolean hasStartedRunning() {
    return switch (this) {
      case RUNNING, WAITING_FOR_INPUT, PARKED, PUBLISHING, SUCCEEDED -> true;
      default -> false;
    };
  }
}
