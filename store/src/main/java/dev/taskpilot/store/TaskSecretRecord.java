package dev.taskpilot.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One secret of one task, named by its target's or channel's key. Never logged or shown. */
@MappedEntity("task_secrets")
public record TaskSecretRecord(@Id String taskId, String name, String value, Instant createdAt) {
  @Override
  public String toString() {
    return "TaskSecretRecord[taskId=" + taskId + ", name=" + name + ", value=***]";
  }
}
