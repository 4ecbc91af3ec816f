package dev.taskpilot.api.tasks;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/** Creating, reading and listing tasks. */
@Controller("/api/v1/tasks")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.VIEWER)
class TaskController {
  private final TaskService tasks;

  TaskController(TaskService tasks) {
    this.tasks = tasks;
  }

  @Post
  @Secured(Roles.OPERATOR)
  HttpResponse<TaskView> create(
      Caller caller,
      @Body @Valid @NotNull CreateTaskRequest request,
      @Nullable @Header("Idempotency-Key") String idempotencyKey) {
    TaskService.Created created = tasks.create(caller, request, blankToNull(idempotencyKey));
    URI location = URI.create("/api/v1/tasks/" + created.task().id());
    return (created.isNew()
            ? HttpResponse.created(created.task())
            : HttpResponse.ok(created.task()))
        .headers(headers -> headers.location(location));
  }

  @Get("/{id}")
  TaskView get(Caller caller, @PathVariable String id) {
    return tasks.get(caller, id);
  }

  /** The live state from the task's workflow (a Temporal Query); needs a worker to answer. */
  @Get("/{id}/state")
  LiveStateView state(Caller caller, @PathVariable String id) {
    return tasks.liveState(caller, id);
  }

  @Get
  TaskPage list(
      Caller caller,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String label,
      @Nullable @QueryValue String agent,
      @Nullable @QueryValue String owner,
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor) {
    return tasks.list(caller, status, label, agent, owner, limit, cursor);
  }

  @Get(value = "/{id}/output", produces = MediaType.TEXT_PLAIN)
  HttpResponse<String> output(
      Caller caller, @PathVariable String id, @Nullable @QueryValue("after") Long after) {
    TaskService.OutputPage page = tasks.output(caller, id, after == null ? 0 : after);
    StringBuilder text = new StringBuilder();
    page.lines().forEach(line -> text.append(line.text()).append('\n'));
    return HttpResponse.ok(text.toString())
        .header("X-Last-Line", Long.toString(page.lastLine()))
        .header("X-More-Output", Boolean.toString(page.more()));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
