package dev.taskpilot.workflows.schedule;

import java.time.Instant;

/**
 * What a schedule workflow starts from: at creation, after a continue-as-new, or after a dev
 * restart (then read back from PostgreSQL).
 *
 * @param handledUntil fire times up to this instant are dealt with (started, skipped or buffered);
 *     at creation the creation time
 * @param lastFireTime the last fire time that came (started, buffered or skipped for overlap), or
 *     null
 * @param lastTaskId the task the schedule started last (the "previous run"), or null
 * @param bufferedFire the fire waiting for the previous run to end (BUFFER_ONE), or null
 * @param triggers how many manual triggers there were, which numbers the next one's task id
 * @param version the last state version written to PostgreSQL
 */
public record ScheduleInput(
    String scheduleId,
    ScheduleSpec spec,
    boolean paused,
    Instant handledUntil,
    Instant lastFireTime,
    String lastTaskId,
    Instant bufferedFire,
    long triggers,
    long version) {

  /** A new schedule, created at {@code createdAt}. */
  public static ScheduleInput created(
      String scheduleId, ScheduleSpec spec, boolean paused, Instant createdAt) {
    return new ScheduleInput(scheduleId, spec, paused, createdAt, null, null, null, 0, 0);
  }
}
