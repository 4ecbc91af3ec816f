package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** What one fire time of a schedule did: STARTED a task, or SKIPPED with a reason. */
@MappedEntity("schedule_runs")
public record ScheduleRunRecord(
    @Id @GeneratedValue Long id,
    String scheduleId,
    Instant fireTime,
    boolean manual,
    @Nullable String taskId,
    String outcome,
    @Nullable String reason,
    Instant recordedAt) {}
