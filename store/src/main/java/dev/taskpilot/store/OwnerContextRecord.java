package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/**
 * An owner's standing context for the planner. Working hours are local times ({@code HH:mm}) in the
 * owner's time zone; days are {@code java.time.DayOfWeek} names.
 */
@MappedEntity("owner_context")
public record OwnerContextRecord(
    @Id String owner,
    String timeZone,
    @Nullable String workingHoursStart,
    @Nullable String workingHoursEnd,
    @TypeDef(type = DataType.STRING_ARRAY) String[] workingDays,
    boolean withinWorkingHours,
    String preferences,
    Instant updatedAt) {}
