package dev.taskpilot.workflows.schedule;

/**
 * What a fire does while the schedule's previous run (the last task it started) is not finished.
 */
public enum OverlapPolicy {
  /** The fire is recorded as skipped (reason {@link SkipReason#OVERLAP}). */
  SKIP,
  /** One fire waits and starts when the previous run ends; further fires meanwhile are skipped. */
  BUFFER_ONE,
  /** Every fire starts a run, however many are still going. */
  ALLOW_ALL,
  /** The previous run is cancelled, then the fire starts a run. */
  CANCEL_OTHER
}
