package dev.taskpilot.api.tasks;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import dev.taskpilot.workflows.task.TaskWorkflow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The task commands: each answers the task as it is after the command, or 404/409. */
@Controller("/api/v1/tasks/{id}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.OPERATOR)
class TaskCommandController {
  private final TaskService tasks;

  TaskCommandController(TaskService tasks) {
    this.tasks = tasks;
  }

  @Post("/approve")
  TaskView approve(
      Caller caller,
      @PathVariable String id,
      @Nullable @Body @Valid CommandRequests.Decision body) {
    String comment = body == null ? null : body.comment();
    return tasks.approve(caller, id, comment, body == null ? null : body.budgetUsd());
  }

  @Post("/reject")
  TaskView reject(
      Caller caller,
      @PathVariable String id,
      @Nullable @Body @Valid CommandRequests.Decision body) {
    String comment = body == null ? null : body.comment();
    return tasks.command(caller, id, "reject", workflow -> workflow.reject(comment));
  }

  @Post("/cancel")
  TaskView cancel(
      Caller caller, @PathVariable String id, @Nullable @Body @Valid CommandRequests.Cancel body) {
    String reason = body == null ? null : body.reason();
    return tasks.command(caller, id, "cancel", workflow -> workflow.cancel(reason));
  }

  @Post("/pause")
  TaskView pause(Caller caller, @PathVariable String id) {
    return tasks.command(caller, id, "pause", TaskWorkflow::pause);
  }

  @Post("/resume")
  TaskView resume(Caller caller, @PathVariable String id) {
    return tasks.command(caller, id, "resume", TaskWorkflow::resume);
  }

  @Post("/run-now")
  TaskView runNow(Caller caller, @PathVariable String id) {
    return tasks.command(caller, id, "run-now", TaskWorkflow::runNow);
  }

  @Post("/reschedule")
  TaskView reschedule(
      Caller caller,
      @PathVariable String id,
      @Body @Valid @NotNull CommandRequests.Reschedule body) {
    var notBefore = TaskRequestMapper.parseInstant("notBefore", body.notBefore());
    return tasks.command(caller, id, "reschedule", workflow -> workflow.reschedule(notBefore));
  }

  @Post("/priority")
  TaskView priority(
      Caller caller, @PathVariable String id, @Body @Valid @NotNull CommandRequests.Priority body) {
    int priority = body.priority();
    return tasks.command(caller, id, "priority", workflow -> workflow.setPriority(priority));
  }

  @Post("/replan")
  TaskView replan(Caller caller, @PathVariable String id) {
    return tasks.command(caller, id, "replan", TaskWorkflow::replan);
  }

  @Post("/input")
  TaskView input(
      Caller caller, @PathVariable String id, @Body @Valid @NotNull CommandRequests.Input body) {
    String text = body.text();
    return tasks.command(caller, id, "input", workflow -> workflow.provideInput(text));
  }
}
