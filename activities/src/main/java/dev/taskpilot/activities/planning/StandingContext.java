package dev.taskpilot.activities.planning;

import dev.taskpilot.store.OwnerContextRecord;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * An owner's standing context as the planner uses it.
 *
 * @param workStart start of working hours (local), or null when none are set
 * @param workEnd end of working hours (local), or null when none are set
 * @param workDays the working days; empty means every day
 * @param withinWorkingHours whether tasks must start inside working hours
 */
record StandingContext(
    ZoneId zone,
    LocalTime workStart,
    LocalTime workEnd,
    Set<DayOfWeek> workDays,
    boolean withinWorkingHours,
    String preferences) {

  static final StandingContext NONE =
      new StandingContext(ZoneOffset.UTC, null, null, Set.of(), false, "");

  static StandingContext of(OwnerContextRecord row) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    Arrays.stream(row.workingDays()).map(DayOfWeek::valueOf).forEach(days::add);
    return new StandingContext(
        ZoneId.of(row.timeZone()),
        row.workingHoursStart() == null ? null : LocalTime.parse(row.workingHoursStart()),
        row.workingHoursEnd() == null ? null : LocalTime.parse(row.workingHoursEnd()),
        Set.copyOf(days),
        row.withinWorkingHours(),
        row.preferences());
  }

  boolean hasWorkingHours() {
    return workStart != null && workEnd != null;
  }

  /** Whether an instant falls inside working hours (always, when none are set). */
  boolean isWorkingTime(Instant instant) {
    if (!hasWorkingHours()) {
      return true;
    }
    ZonedDateTime local = instant.atZone(zone);
    LocalTime time = local.toLocalTime();
    boolean day = workDays.isEmpty() || workDays.contains(local.getDayOfWeek());
    return day && !time.isBefore(workStart) && time.isBefore(workEnd);
  }
}
