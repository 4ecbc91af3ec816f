package dev.taskpilot.workflows.schedule;

import java.time.Instant;

/**
 * A schedule workflow's state, as it queries and as it is written to the {@code schedules} row.
 *
 * @param version grows with every change; a write not newer than the stored one is ignored
 * @param nextFireTime null while paused or deleted
 */
public record ScheduleState(
    String scheduleId,
    long version,
    ScheduleSpec spec,
    boolean paused,
    boolean deleted,
    Instant nextFireTime,
    Instant lastFireTime,
    Instant handledUntil,
    String lastTaskId,
    Instant bufferedFire,
    long triggers,
    Instant updatedAt) {}
