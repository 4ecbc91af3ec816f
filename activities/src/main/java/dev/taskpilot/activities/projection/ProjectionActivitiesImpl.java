package dev.taskpilot.activities.projection;

import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.activities.projection.ProjectionActivities;
import dev.taskpilot.workflows.task.TaskState;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes workflow states into the task projection, newest version wins. */
@Singleton
public class ProjectionActivitiesImpl implements ProjectionActivities {
  private static final Logger log = LoggerFactory.getLogger(ProjectionActivitiesImpl.class);

  private final TaskRepository tasks;

  public ProjectionActivitiesImpl(TaskRepository tasks) {
    this.tasks = tasks;
  }

  @Override
  public void record(TaskState state) {
    int changed =
        tasks.applyState(
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
    }
  }
}
