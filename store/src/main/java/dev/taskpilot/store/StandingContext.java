package dev.taskpilot.store;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * An owner's standing context for the planner, typed. The one place that knows how {@link
 * OwnerContextRecord} spells it: a zone id, working hours as ISO local times ({@code 09:00}), days
 * as {@link DayOfWeek} names. The API writes it, the planner reads it.
 *
 * @param zone the owner's time zone
 * @param workStart start of working hours (local), or null when none are set
 * @param workEnd end of working hours (local), or null when none are set
 * @param workDays the working days in the order given, each once; empty means every day
 * @param withinWorkingHours whether tasks must start inside working hours
 * @param preferences free text the planner reads; empty when there is none
 */
public record StandingContext(
    ZoneId zone,
    LocalTime workStart,
    LocalTime workEnd,
    List<DayOfWeek> workDays,
    boolean withinWorkingHours,
    String preferences) {

  /** The context of an owner who has stored none: UTC, no working hours, no preferences. */
  public static final StandingContext NONE =
      new StandingContext(ZoneId.of("UTC"), null, null, List.of(), false, "");

  /** Copies the days without repeats; no preferences are empty ones. */
  public StandingContext {
    Objects.requireNonNull(zone, "zone");
    workDays = workDays == null ? List.of() : List.copyOf(new LinkedHashSet<>(workDays));
    preferences = preferences == null ? "" : preferences;
  }

  /** The context a stored row spells. */
  public static StandingContext of(OwnerContextRecord row) {
    return new StandingContext(
        ZoneId.of(row.timeZone()),
        row.workingHoursStart() == null ? null : LocalTime.parse(row.workingHoursStart()),
        row.workingHoursEnd() == null ? null : LocalTime.parse(row.workingHoursEnd()),
        Arrays.stream(row.workingDays()).map(DayOfWeek::valueOf).toList(),
        row.withinWorkingHours(),
        row.preferences());
  }

  /** The row that stores this context for {@code owner}. */
  public OwnerContextRecord toRecord(String owner, Instant updatedAt) {
    return new OwnerContextRecord(
        owner,
        zone.getId(),
        workStart == null ? null : workStart.toString(),
        workEnd == null ? null : workEnd.toString(),
        workDays.stream().map(DayOfWeek::name).toArray(String[]::new),
        withinWorkingHours,
        preferences,
        updatedAt);
  }

  public boolean hasWorkingHours() {
    return workStart != null && workEnd != null;
  }

  /** Whether an instant falls inside working hours (always, when none are set). */
  public boolean isWorkingTime(Instant instant) {
    if (!hasWorkingHours()) {
      return true;
    }
    ZonedDateTime local = instant.atZone(zone);
    LocalTime time = local.toLocalTime();
    boolean day = workDays.isEmpty() || workDays.contains(local.getDayOfWeek());
    return day && !time.isBefore(workStart) && time.isBefore(workEnd);
  }
}
