package dev.taskpilot.workflows.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A 5-field UNIX cron expression (or a nickname) evaluated in an IANA time zone. Pure computation,
 * safe inside workflow code.
 *
 * <p>The expression is matched against wall-clock time, then each matching local time becomes an
 * instant: a local time that does not exist on the spring-forward day fires once, shifted forward
 * by the gap (02:30 in Europe/Berlin fires at 03:30 CEST); a local time that occurs twice on the
 * fall-back day fires once, at its first occurrence. cron-utils' own zoned evaluation drops the
 * non-existent time altogether, hence the wall-clock evaluation here.
 */
public final class CronSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> NICKNAMES =
      Map.of(
          "@hourly", "0 * * * *",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@weekly", "0 0 * * 0",
          "@monthly", "0 0 1 * *",
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *");
  // Far enough for "0 0 29 2 1" (a Monday the 29th of February, or any 29th of February).
  private static final int MAX_STEPS = 10_000;

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime execution;

  private CronSchedule(String expression, ZoneId zone, ExecutionTime execution) {
    this.expression = expression;
    this.zone = zone;
    this.execution = execution;
  }

  /**
   * Parses an expression in a zone.
   *
   * @throws IllegalArgumentException with a sentence for the caller when either is invalid, or when
   *     the expression never fires
   */
  public static CronSchedule parse(String cron, String timeZone) {
    ZoneId zone = zone(timeZone);
    if (cron == null || cron.isBlank()) {
      throw new IllegalArgumentException("cron is required");
    }
    String text = cron.strip();
    String expanded = NICKNAMES.get(text.toLowerCase(Locale.ROOT));
    if (expanded == null && text.startsWith("@")) {
      throw new IllegalArgumentException(
          "unknown cron nickname '"
              + text
              + "' (@hourly, @daily, @midnight, @weekly, @monthly,"
              + " @yearly)");
    }
    if (expanded == null) {
      int fields = text.split("\\s+").length;
      if (fields != 5) {
        throw new IllegalArgumentException(
            "cron must have 5 fields (minute hour day-of-month month day-of-week), not "
                + fields
                + ": '"
                + text
                + "'");
      }
      expanded = text;
    }
    ExecutionTime execution;
    try {
      execution = ExecutionTime.forCron(PARSER.parse(expanded));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cron '" + text + "': " + e.getMessage(), e);
    }
    CronSchedule schedule = new CronSchedule(text, zone, execution);
    if (schedule.nextLocal(LocalDateTime.of(2000, 1, 1, 0, 0)).isEmpty()) {
      throw new IllegalArgumentException("cron '" + text + "' never fires");
    }
    return schedule;
  }

  /** An IANA zone id such as {@code Europe/Berlin}; fixed offsets are refused too. */
  public static ZoneId zone(String timeZone) {
    if (timeZone == null || timeZone.isBlank()) {
      throw new IllegalArgumentException(
          "timeZone is required (an IANA zone such as Europe/Berlin)");
    }
    try {
      ZoneId zone = ZoneId.of(timeZone);
      if (zone instanceof ZoneOffset) {
        throw new IllegalArgumentException(
            "timeZone must be an IANA zone such as Europe/Berlin or UTC: '" + timeZone + "'");
      }
      return zone;
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "unknown timeZone '" + timeZone + "' (an IANA zone such as Europe/Berlin)", e);
    }
  }

  /** The first fire time strictly after {@code after}, or null when there is none. */
  public Instant next(Instant after) {
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    for (int step = 0; step < MAX_STEPS; step++) {
      Optional<LocalDateTime> candidate = nextLocal(local);
      if (candidate.isEmpty()) {
        return null;
      }
      // ofLocal: the earlier offset in an overlap, shifted forward by the gap in a gap.
      Instant fire = ZonedDateTime.ofLocal(candidate.get(), zone, null).toInstant();
      if (fire.isAfter(after)) {
        return fire;
      }
      // The second pass through a repeated hour: its times fired at their first occurrence.
      local = candidate.get();
    }
    return null;
  }

  /** The expression as given. */
  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  private Optional<LocalDateTime> nextLocal(LocalDateTime after) {
    return execution
        .nextExecution(after.atZone(ZoneOffset.UTC))
        .map(ZonedDateTime::toLocalDateTime);
  }
}
