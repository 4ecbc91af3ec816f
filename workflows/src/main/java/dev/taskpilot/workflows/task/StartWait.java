package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.TaskStatus;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * A task's wait for its start (its {@code notBefore}): a durable timer that a command wakes, so
 * pause, resume, run-now, reschedule, replan and priority all apply while it waits, and waiting
 * costs nothing. Workflow code only.
 */
final class StartWait {
  private final TaskContext task;

  StartWait(TaskContext task) {
    this.task = task;
  }

  /** Returns when the task may start: its time came, or run-now was asked. */
  void untilStart() {
    task.throwIfCancelled();
    if (task.input.carried() == null) {
      task.record(TaskStatus.SCHEDULED, null);
    }
    while (true) {
      task.throwIfCancelled();
      // Run-now applies to a paused task too, so it is checked first and ends the pause.
      if (task.commands.runNowRequested()) {
        if (task.progress.status == TaskStatus.PAUSED) {
          // Run-now ends the pause; the next step records the status it moves on to.
          task.progress.status = TaskStatus.SCHEDULED;
        }
        return;
      }
      task.continueIfLong(TaskCarry.Stage.START_WAIT, false);
      if (task.progress.status == TaskStatus.PAUSED) {
        Workflow.await(
            () ->
                task.progress.status != TaskStatus.PAUSED
                    || task.cancelled()
                    || task.commands.runNowRequested());
        continue;
      }
      Duration wait = Duration.between(TaskContext.now(), task.progress.notBefore);
      if (wait.isNegative() || wait.isZero()) {
        return;
      }
      long seen = task.commands.changes();
      Workflow.await(wait, () -> task.commands.changes() != seen || task.cancelled());
    }
  }
}
