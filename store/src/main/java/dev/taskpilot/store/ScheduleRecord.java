package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/**
 * One schedule. {@code task} is the template's JSON text, {@code catchupWindow} an ISO-8601
 * duration; the store interprets neither.
 */
@MappedEntity("schedules")
public record ScheduleRecord(
    @Id String id,
    String owner,
    String name,
    String cron,
    String timeZone,
    @TypeDef(type = DataType.JSON) String task,
    String overlap,
    String catchupWindow,
    boolean paused,
    @Nullable Instant nextFireTime,
    @Nullable Instant lastFireTime,
    Instant handledUntil,
    @Nullable Instant bufferedFireTime,
    long stateVersion,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant deletedAt) {}
