package dev.taskpilot.workflows.activities.secrets;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** A task's secrets (signing secrets, access tokens, stored webhook URLs) in PostgreSQL. */
@ActivityInterface
public interface SecretActivities {

  /**
   * Deletes the task's secrets, as the last step of its workflow, once its final notifications
   * (which read them) are out. Idempotent.
   */
  @ActivityMethod(name = "PurgeTaskSecrets")
  void purge(String taskId);
}
