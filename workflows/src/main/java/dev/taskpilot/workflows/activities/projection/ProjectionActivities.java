package dev.taskpilot.workflows.activities.projection;

import dev.taskpilot.workflows.task.TaskState;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Writes a task's state into the PostgreSQL projection the API lists and reads. */
@ActivityInterface
public interface ProjectionActivities {

  /**
   * Upserts the task's projection row. Idempotent and order-safe: a state whose version is not
   * newer than the stored one changes nothing. Raises only transient failures (the database being
   * away), which are retried until it is back.
   */
  @ActivityMethod(name = "RecordTaskState")
  void record(TaskState state);
}
