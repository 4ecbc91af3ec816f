package dev.taskpilot.activities.projection;

import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.TaskStatusChanges;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.projection.ProjectionActivities;
import dev.taskpilot.workflows.task.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes workflow states into the task projection, newest version wins, and counts a task in {@code
 * taskpilot.tasks.finished} (by status) the first time its projection reaches a terminal status: a
 * terminal state may be written again (a retried activity, a later version), which counts no more.
 * A write that changes the status or its reason also adds an entry to the task's status timeline
 * ({@link TaskStatusChanges}), in the same transaction.
 */
@Singleton
public class ProjectionActivitiesImpl implements ProjectionActivities {
  private static final Logger log = LoggerFactory.getLogger(ProjectionActivitiesImpl.class);

  private final TaskRepository tasks;
  private final TaskStatusChanges changes;
  private final MeterRegistry meters;

  public ProjectionActivitiesImpl(
      TaskRepository tasks, TaskStatusChanges changes, MeterRegistry meters) {
    this.tasks = tasks;
    this.changes = changes;
    this.meters = meters;
  }

  @Override
  public void record(TaskState state) {
    boolean wasTerminal =
        state.status().isTerminal()
            && tasks
                .findById(state.taskId())
                .map(TaskRecord::status)
                .map(status -> TaskStatus.valueOf(status).isTerminal())
                .orElse(false);
    // The row and, when its status or reason changed, its timeline entry: one transaction.
    int changed =
        changes.applyState(
            state.taskId(),
            state.version(),
            state.status().name(),
            state.statusReason(),
            state.priority(),
            state.notBefore(),
            state.gate() == null ? null : state.gate().name(),
            TaskJson.write(state.plan()),
            TaskJson.write(state.run()),
            TaskJson.write(state.result()),
            TaskJson.write(state.error()),
            state.updatedAt());
    if (changed == 0) {
      log.debug("state {} of task {} was not newer; skipped", state.version(), state.taskId());
    } else if (state.status().isTerminal() && !wasTerminal) {
      Counter.builder("taskpilot.tasks.finished")
          .description("Tasks that reached a terminal status, by that status")
          .tag("status", state.status().name())
          .register(meters)
          .increment();
    }
  }
}
