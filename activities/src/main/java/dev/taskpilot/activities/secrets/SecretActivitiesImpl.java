package dev.taskpilot.activities.secrets;

import dev.taskpilot.store.TaskSecrets;
import dev.taskpilot.workflows.activities.secrets.SecretActivities;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Purges a task's secrets from PostgreSQL once the task has ended. */
@Singleton
public class SecretActivitiesImpl implements SecretActivities {
  private static final Logger log = LoggerFactory.getLogger(SecretActivitiesImpl.class);

  private final TaskSecrets secrets;

  public SecretActivitiesImpl(TaskSecrets secrets) {
    this.secrets = secrets;
  }

  @Override
  public void purge(String taskId) {
    int purged = secrets.deleteAll(taskId);
    if (purged > 0) {
      log.debug("purged {} secret(s) of ended task {}", purged, taskId);
    }
  }
}
