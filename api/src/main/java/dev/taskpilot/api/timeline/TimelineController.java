package dev.taskpilot.api.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import dev.taskpilot.api.tasks.TaskService;
import dev.taskpilot.store.TaskStatusChanges;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/tasks/{id}/timeline}: every status a task went through (and every change of
 * its status reason), oldest first, as the projection recorded them. Tasks created before the
 * timeline existed start with the status they had then.
 */
@Controller("/api/v1/tasks/{id}/timeline")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.VIEWER)
class TimelineController {
  private final TaskService tasks;
  private final TaskStatusChanges changes;

  TimelineController(TaskService tasks, TaskStatusChanges changes) {
    this.tasks = tasks;
    this.changes = changes;
  }

  /** The timeline: {@code {"items": [{"status", "reason", "at"}, ...]}}. */
  @Serdeable
  record Timeline(List<Entry> items) {}

  /** One status change: the status, its reason (null when none) and when it was recorded. */
  @Serdeable
  record Entry(
      String status,
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String reason,
      Instant at) {}

  @Get
  Timeline timeline(Caller caller, @PathVariable String id) {
    // 404 for an unknown task and for another owner's alike.
    tasks.requireVisible(caller, id);
    return new Timeline(
        changes.of(id).stream()
            .map(change -> new Entry(change.status(), change.reason(), change.at()))
            .toList());
  }
}
