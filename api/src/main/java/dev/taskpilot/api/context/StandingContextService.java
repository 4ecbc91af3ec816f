package dev.taskpilot.api.context;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.store.OwnerContextRecord;
import dev.taskpilot.store.OwnerContextRepository;
import dev.taskpilot.store.StandingContext;
import jakarta.inject.Singleton;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** Reads and replaces owners' standing contexts, refusing what the planner could not use. */
@Singleton
public class StandingContextService {
  private final OwnerContextRepository contexts;

  public StandingContextService(OwnerContextRepository contexts) {
    this.contexts = contexts;
  }

  /** The owner's context, or the empty default (UTC, no working hours). */
  public StandingContextView get(String owner) {
    return contexts
        .findById(owner)
        .map(StandingContextService::view)
        .orElse(view(StandingContext.NONE, null));
  }

  /** Replaces the owner's context. */
  public StandingContextView put(String owner, StandingContextView context) {
    ZoneId zone = zone(context.timeZone());
    StandingContextView.WorkingHours hours = context.workingHours();
    LocalTime from = null;
    LocalTime to = null;
    List<DayOfWeek> days = List.of();
    if (hours != null) {
      from = time("workingHours.start", hours.start());
      to = time("workingHours.end", hours.end());
      if (!to.isAfter(from)) {
        throw invalid("workingHours.end must be after workingHours.start");
      }
      days = hours.days() == null ? List.of() : hours.days().stream().map(this::day).toList();
    }
    boolean within = Boolean.TRUE.equals(context.withinWorkingHours());
    if (within && hours == null) {
      throw invalid("withinWorkingHours needs workingHours");
    }
    OwnerContextRecord row =
        new StandingContext(zone, from, to, days, within, context.preferences())
            .toRecord(owner, Instant.now().truncatedTo(ChronoUnit.MICROS));
    return view(contexts.existsById(owner) ? contexts.update(row) : contexts.save(row));
  }

  private static StandingContextView view(OwnerContextRecord row) {
    return view(StandingContext.of(row), row.updatedAt());
  }

  private static StandingContextView view(StandingContext context, Instant updatedAt) {
    StandingContextView.WorkingHours hours =
        context.hasWorkingHours()
            ? new StandingContextView.WorkingHours(
                context.workStart().toString(),
                context.workEnd().toString(),
                context.workDays().stream().map(DayOfWeek::name).toList())
            : null;
    return new StandingContextView(
        context.zone().getId(),
        hours,
        context.withinWorkingHours(),
        context.preferences(),
        updatedAt);
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw invalid("timeZone must be an IANA time zone id such as Europe/Berlin: '" + id + "'");
    }
  }

  private static LocalTime time(String field, String text) {
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid(field + " must be a local time such as 09:00: '" + text + "'");
    }
  }

  private DayOfWeek day(String text) {
    try {
      return DayOfWeek.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("workingHours.days must name days such as MONDAY: '" + text + "'");
    }
  }

  private static ApiException invalid(String detail) {
    return new ApiException(ErrorCode.VALIDATION_FAILED, detail);
  }
}
