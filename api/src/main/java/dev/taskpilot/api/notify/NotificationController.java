package dev.taskpilot.api.notify;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import dev.taskpilot.api.tasks.TaskService;
import dev.taskpilot.store.NotificationRecord;
import dev.taskpilot.store.NotificationRepository;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

/** A task's notification audit: every attempt on every channel, oldest first. */
@Controller("/api/v1/tasks/{id}/notifications")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.VIEWER)
class NotificationController {
  private final TaskService tasks;
  private final NotificationRepository notifications;

  NotificationController(TaskService tasks, NotificationRepository notifications) {
    this.tasks = tasks;
    this.notifications = notifications;
  }

  @Get
  NotificationView.Items list(Caller caller, @PathVariable String id) {
    tasks.requireVisible(caller, id);
    return new NotificationView.Items(
        notifications.findByTaskIdOrderById(id).stream()
            .map(NotificationController::view)
            .toList());
  }

  private static NotificationView view(NotificationRecord row) {
    return new NotificationView(
        row.channel(),
        row.event(),
        row.attempt(),
        row.outcome(),
        row.httpStatus(),
        row.error(),
        row.createdAt());
  }
}
