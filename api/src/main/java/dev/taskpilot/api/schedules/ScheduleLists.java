package dev.taskpilot.api.schedules;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The list answers of the schedules API: {@code {"items": [...]}}, newest first. */
final class ScheduleLists {
  private ScheduleLists() {}

  /** {@code GET /api/v1/schedules}. */
  @Serdeable
  record Schedules(List<ScheduleView> items) {}

  /** {@code GET /api/v1/schedules/{id}/runs}. */
  @Serdeable
  record Runs(List<ScheduleRunView> items) {}
}
