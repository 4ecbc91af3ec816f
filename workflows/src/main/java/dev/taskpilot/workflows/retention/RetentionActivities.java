package dev.taskpilot.workflows.retention;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Deleting what outlived its retention, in PostgreSQL. */
@ActivityInterface
public interface RetentionActivities {

  /**
   * Deletes one batch in one transaction: at most the batch size of finished tasks (with all their
   * rows) and of rows of each other kind. Repeated until a batch comes back complete. Idempotent.
   */
  @ActivityMethod(name = "DeleteRetentionBatch")
  RetentionBatch deleteBatch(RetentionRequest request);
}
