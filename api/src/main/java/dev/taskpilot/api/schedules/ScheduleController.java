package dev.taskpilot.api.schedules;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import dev.taskpilot.api.tasks.TaskView;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/** Recurring schedules: create, read, replace, pause, resume, trigger, delete, and their runs. */
@Controller("/api/v1/schedules")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.OPERATOR)
class ScheduleController {
  private final ScheduleService schedules;

  ScheduleController(ScheduleService schedules) {
    this.schedules = schedules;
  }

  @Post
  HttpResponse<ScheduleView> create(Caller caller, @Body @Valid @NotNull ScheduleRequest request) {
    ScheduleView created = schedules.create(caller, request);
    return HttpResponse.created(created)
        .headers(headers -> headers.location(URI.create("/api/v1/schedules/" + created.id())));
  }

  @Get
  @Secured(Roles.VIEWER)
  ScheduleLists.Schedules list(Caller caller) {
    return new ScheduleLists.Schedules(schedules.list(caller));
  }

  @Get("/{id}")
  @Secured(Roles.VIEWER)
  ScheduleView get(Caller caller, @PathVariable String id) {
    return schedules.get(caller, id);
  }

  @Put("/{id}")
  ScheduleView replace(
      Caller caller, @PathVariable String id, @Body @Valid @NotNull ScheduleRequest request) {
    return schedules.replace(caller, id, request);
  }

  @Delete("/{id}")
  @Status(HttpStatus.NO_CONTENT)
  void delete(Caller caller, @PathVariable String id) {
    schedules.delete(caller, id);
  }

  @Post("/{id}/pause")
  ScheduleView pause(Caller caller, @PathVariable String id) {
    return schedules.pause(caller, id);
  }

  @Post("/{id}/resume")
  ScheduleView resume(Caller caller, @PathVariable String id) {
    return schedules.resume(caller, id);
  }

  /** Starts a run now; answers 201 with the task, its Location the task's. */
  @Post("/{id}/trigger")
  HttpResponse<TaskView> trigger(Caller caller, @PathVariable String id) {
    TaskView task = schedules.trigger(caller, id);
    return HttpResponse.created(task)
        .headers(headers -> headers.location(URI.create("/api/v1/tasks/" + task.id())));
  }

  @Get("/{id}/runs")
  @Secured(Roles.VIEWER)
  ScheduleLists.Runs runs(Caller caller, @PathVariable String id) {
    return new ScheduleLists.Runs(schedules.runs(caller, id));
  }
}
