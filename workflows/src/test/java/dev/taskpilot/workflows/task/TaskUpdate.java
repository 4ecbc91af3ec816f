package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.TaskStatus;
import java.time.Instant;
import java.util.function.Function;

/** Every command update with a valid argument, so tests can tabulate where each is refused. */
enum TaskUpdate {
  APPROVE("approve", workflow -> workflow.approve("ok", null)),
  REJECT("reject", workflow -> workflow.reject("no")),
  CANCEL("cancel", workflow -> workflow.cancel("stop")),
  PAUSE("pause", TaskWorkflow::pause),
  RESUME("resume", TaskWorkflow::resume),
  RUN_NOW("run-now", TaskWorkflow::runNow),
  RESCHEDULE("reschedule", workflow -> workflow.reschedule(Instant.parse("2030-01-07T09:00:00Z"))),
  SET_PRIORITY("priority", workflow -> workflow.setPriority(7)),
  PROVIDE_INPUT("input", workflow -> workflow.provideInput("use the staging database"));

  private final String command;
  private final Function<TaskWorkflow, TaskState> call;

  TaskUpdate(String command, Function<TaskWorkflow, TaskState> call) {
    this.command = command;
    this.call = call;
  }

  /** The message the validator refuses this command with in the given status. */
  String refusalIn(TaskStatus status) {
    return command + " does not apply to a task in status " + status;
  }

  TaskState sendTo(TaskWorkflow workflow) {
    return call.apply(workflow);
  }
}
