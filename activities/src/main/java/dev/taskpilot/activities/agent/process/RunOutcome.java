package dev.taskpilot.activities.agent.process;

import java.time.Duration;

/** How an agent process ended. */
public sealed interface RunOutcome {

  /** The process exited by itself with {@code code} (128 + signal when a signal ended it). */
  record Exited(int code) implements RunOutcome {}

  /** The process ran longer than {@code after} and was killed. */
  record TimedOut(Duration after) implements RunOutcome {}

  /**
   * No output arrived for the profile's stall timeout and the process was killed; {@code silentFor}
   * is how long it had been silent then.
   */
  record Stalled(Duration silentFor) implements RunOutcome {}

  /** The run was cancelled, interrupted or hit by worker shutdown, and the process was killed. */
  record Cancelled(String reason) implements RunOutcome {}

  /** The process could not be started. */
  record StartFailed(String message) implements RunOutcome {}
}
