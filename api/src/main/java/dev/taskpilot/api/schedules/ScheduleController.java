package dev.taskpilot.api.schedules;

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
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/** Recurring schedules: create, read, replace, pause, resume, trigger, delete, and their runs. */
@Controller("/api/v1/schedules")
@ExecuteOn(TaskExecutors.BLOCKING)
class ScheduleController {
  private final ScheduleService schedules;

  ScheduleController(ScheduleService schedules) {
    this.schedules = schedules;
  }

  @Post
  HttpResponse<ScheduleView> create(@Body @Valid @NotNull ScheduleRequest request) {
    ScheduleView created = schedules.create(request);
    return HttpResponse.created(created)
        .headers(headers -> headers.location(URI.create("/api/v1/schedules/" + created.id())));
  }

  @Get
  ScheduleLists.Schedules list() {
    return new ScheduleLists.Schedules(schedules.list());
  }

  @Get("/{id}")
  ScheduleView get(@PathVariable String id) {
    return schedules.get(id);
  }

  @Put("/{id}")
  ScheduleView replace(@PathVariable String id, @Body @Valid @NotNull ScheduleRequest request) {
    return schedules.replace(id, request);
  }

  @Delete("/{id}")
  @Status(HttpStatus.NO_CONTENT)
  void delete(@PathVariable String id) {
    schedules.delete(id);
  }

  @Post("/{id}/pause")
  ScheduleView pause(@PathVariable String id) {
    return schedules.pause(id);
  }

  @Post("/{id}/resume")
  ScheduleView resume(@PathVariable String id) {
    return schedules.resume(id);
  }

  /** Starts a run now; answers 201 with the task, its Location the task's. */
  @Post("/{id}/trigger")
  HttpResponse<TaskView> trigger(@PathVariable String id) {
    TaskView task = schedules.trigger(id);
    return HttpResponse.created(task)
        .headers(headers -> headers.location(URI.create("/api/v1/tasks/" + task.id())));
  }

  @Get("/{id}/runs")
  ScheduleLists.Runs runs(@PathVariable String id) {
    return new ScheduleLists.Runs(schedules.runs(id));
  }
}
