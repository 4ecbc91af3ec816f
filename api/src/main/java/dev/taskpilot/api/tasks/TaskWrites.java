package dev.taskpilot.api.tasks;

import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.TaskSecrets;
import dev.taskpilot.store.TaskStatusChanges;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.Map;

/** What creating a task writes: the row and its secrets in one transaction, or nothing. */
@Singleton
class TaskWrites {
  private final TaskRepository tasks;
  private final TaskSecrets secrets;
  private final TaskStatusChanges changes;
  @Nullable private final CreateSteps steps;

  TaskWrites(
      TaskRepository tasks,
      TaskSecrets secrets,
      TaskStatusChanges changes,
      @Nullable CreateSteps steps) {
    this.tasks = tasks;
    this.changes = changes;
    this.secrets = secrets;
    this.steps = steps;
  }

  /** Stores a new task row (status PLANNING, version 0), its first timeline entry and secrets. */
  @Transactional
  void insert(TaskRecord row, Map<String, String> rowSecrets) {
    tasks.save(row);
    changes.initial(row);
    if (steps != null) {
      steps.reached(CreateSteps.Step.ROW_INSERTED, row.id());
    }
    rowSecrets.forEach((name, value) -> secrets.put(row.id(), name, value, row.createdAt()));
  }

  /**
   * Removes a task whose workflow was surely not started, with its secrets, unless a reconciler
   * claimed it meanwhile (then it will be started). True when it was removed.
   */
  boolean removeUnstarted(TaskRecord row) {
    return tasks.deleteUnstarted(row.id(), row.updatedAt()) == 1;
  }
}
