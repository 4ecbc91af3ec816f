package dev.taskpilot.workflows.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Ids derived from a schedule: its workflow, and the tasks it starts. Task ids are functions of the
 * fire, so a replay, a retry or a restart names the same task again and cannot start a second one.
 */
public final class ScheduleIds {
  private static final DateTimeFormatter FIRE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private ScheduleIds() {}

  /** The schedule's workflow id: {@code schedule-<schedule-id>}. */
  public static String workflow(String scheduleId) {
    return "schedule-" + scheduleId;
  }

  /** The task a cron fire starts: {@code <schedule-id>-<yyyyMMdd'T'HHmmss'Z'>}. */
  public static String task(String scheduleId, Instant fireTime) {
    return scheduleId + "-" + FIRE_TIME.format(fireTime);
  }

  /** The task the {@code n}-th manual trigger starts (from 1): {@code <schedule-id>-manual-<n>}. */
  public static String manualTask(String scheduleId, long n) {
    return scheduleId + "-manual-" + n;
  }
}
