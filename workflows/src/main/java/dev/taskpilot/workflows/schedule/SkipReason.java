package dev.taskpilot.workflows.schedule;

/** Why a fire time started no task. */
public enum SkipReason {
  /** The previous run was still going and the overlap policy skips (or one fire was buffered). */
  OVERLAP,
  /** The schedule was down at the fire time, and that is longer ago than its catch-up window. */
  MISSED,
  /** The fire waited in the buffer and the schedule was deleted before it could start. */
  DELETED,
  /** Starting the run failed for good (its activity gave up); the schedule goes on. */
  START_FAILED
}
