package dev.taskpilot.api.tasks;

import dev.taskpilot.workflows.task.TaskWorkflow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The task commands: each answers the task as it is after the command, or 404/409. */
@Controller("/api/v1/tasks/{id}")
@ExecuteOn(TaskExecutors.BLOCKING)
class TaskCommandController {
  private final TaskService tasks;

  TaskCommandController(TaskService tasks) {
    this.tasks = tasks;
  }

  @Post("/approve")
  TaskView approve(@PathVariable String id, @Nullable @Body @Valid CommandRequests.Decision body) {
    String comment = body == null ? null : body.comment();
    return tasks.approve(id, comment, body == null ? null : body.budgetUsd());
  }

  @Post("/reject")
  TaskView reject(@PathVariable String id, @Nullable @Body @Valid CommandRequests.Decision body) {
    String comment = body == null ? null : body.comment();
    return tasks.command(id, "reject", workflow -> workflow.reject(comment));
  }

  @Post("/cancel")
  TaskView cancel(@PathVariable String id, @Nullable @Body @Valid CommandRequests.Cancel body) {
    String reason = body == null ? null : body.reason();
    return tasks.command(id, "cancel", workflow -> workflow.cancel(reason));
  }

  @Post("/pause")
  TaskView pause(@PathVariable String id) {
    return tasks.command(id, "pause", TaskWorkflow::pause);
  }

  @Post("/resume")
  TaskView resume(@PathVariable String id) {
    return tasks.command(id, "resume", TaskWorkflow::resume);
  }

  @Post("/run-now")
  TaskView runNow(@PathVariable String id) {
    return tasks.command(id, "run-now", TaskWorkflow::runNow);
  }

  @Post("/reschedule")
  TaskView reschedule(
      @PathVariable String id, @Body @Valid @NotNull CommandRequests.Reschedule body) {
    var notBefore = TaskRequestMapper.parseInstant("notBefore", body.notBefore());
    return tasks.command(id, "reschedule", workflow -> workflow.reschedule(notBefore));
  }

  @Post("/priority")
  TaskView priority(@PathVariable String id, @Body @Valid @NotNull CommandRequests.Priority body) {
    int priority = body.priority();
    return tasks.command(id, "priority", workflow -> workflow.setPriority(priority));
  }

  @Post("/replan")
  TaskView replan(@PathVariable String id) {
    return tasks.command(id, "replan", TaskWorkflow::replan);
  }

  @Post("/input")
  TaskView input(@PathVariable String id, @Body @Valid @NotNull CommandRequests.Input body) {
    String text = body.text();
    return tasks.command(id, "input", workflow -> workflow.provideInput(text));
  }
}
