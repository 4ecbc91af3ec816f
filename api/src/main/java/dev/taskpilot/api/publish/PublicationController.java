package dev.taskpilot.api.publish;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import dev.taskpilot.api.tasks.TaskService;
import dev.taskpilot.store.PublicationAttemptRecord;
import dev.taskpilot.store.PublicationRepository;
import dev.taskpilot.store.PublicationWithAttempts;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

/** {@code GET /api/v1/tasks/{id}/publications}: the task's publish ledger, by target. */
@Controller("/api/v1/tasks/{id}/publications")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.VIEWER)
class PublicationController {
  private final TaskService tasks;
  private final PublicationRepository publications;

  PublicationController(TaskService tasks, PublicationRepository publications) {
    this.tasks = tasks;
    this.publications = publications;
  }

  @Get
  PublicationView.Page list(Caller caller, @PathVariable String id) {
    tasks.requireVisible(caller, id);
    return new PublicationView.Page(
        publications.findByTask(id).stream().map(PublicationController::view).toList());
  }

  private static PublicationView view(PublicationWithAttempts entry) {
    var row = entry.publication();
    return new PublicationView(
        row.targetKey(),
        row.targetType(),
        row.status(),
        row.attempts(),
        row.location(),
        row.detail(),
        row.deliveredAt(),
        row.createdAt(),
        row.updatedAt(),
        entry.attempts().stream().map(PublicationController::attempt).toList());
  }

  private static PublicationView.Attempt attempt(PublicationAttemptRecord attempt) {
    return new PublicationView.Attempt(
        attempt.attempt(),
        attempt.action(),
        attempt.outcome(),
        attempt.httpStatus(),
        attempt.error(),
        attempt.startedAt(),
        attempt.endedAt());
  }
}
