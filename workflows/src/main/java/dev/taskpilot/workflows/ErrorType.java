package dev.taskpilot.workflows;

/**
 * Stable error codes. Their names are the {@code ApplicationFailure} types raised by activities and
 * workflows, and the {@code code} the API reports.
 */
public enum ErrorType {
  /** A command does not apply to the task's current status. */
  INVALID_STATE,
  /** A command's argument is invalid. */
  VALIDATION_FAILED,
  /** The task names an agent profile that is not configured. */
  UNKNOWN_AGENT,
  /** The task's workspace does not resolve to a directory inside the workspaces root. */
  UNKNOWN_WORKSPACE,
  /** The agent process could not be started. */
  AGENT_START_FAILED,
  /** The agent process exited with a non-zero code. */
  AGENT_FAILED,
  /** The agent process ran longer than the task's timeout. */
  AGENT_TIMEOUT,
  /** The agent printed nothing for its profile's stall timeout; it was killed and is retried. */
  AGENT_STALLED,
  /** The agent's provider refused its credentials again and again. */
  AGENT_AUTH_FAILED,
  /** A publish target refused or could not take the result. */
  PUBLISH_FAILED,
  /** A notification channel refused or could not take a notification. */
  NOTIFY_FAILED,
  /**
   * The embedded engine restarted and lost a task that had already started running (versions before
   * tasks went on from PostgreSQL after a restart).
   */
  ENGINE_RESTARTED,
  /**
   * A task whose workflow never started could not be started by the reconciler: its stored request
   * can no longer be read (written by an incompatible version).
   */
  REQUEST_UNREADABLE,
  /** Anything not classified above. */
  INTERNAL;

  /**
   * The code for an {@code ApplicationFailure} type, {@link #INTERNAL} when it is not one of ours.
   */
  public static ErrorType fromFailureType(String type) {
    if (type == null) {
      return INTERNAL;
    }
    for (ErrorType candidate : values()) {
      if (candidate.name().equals(type)) {
        return candidate;
      }
    }
    return INTERNAL;
  }
}
