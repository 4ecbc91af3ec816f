package dev.taskpilot.api.schedules;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * One fire of a schedule: a task it STARTED, or a fire time SKIPPED with its reason (OVERLAP,
 * MISSED, DELETED).
 *
 * @param manual started by a trigger; {@code fireTime} is then when it was triggered
 */
@Serdeable
public record ScheduleRunView(
    Instant fireTime,
    boolean manual,
    @Nullable String taskId,
    String outcome,
    @Nullable String reason,
    Instant recordedAt) {}
