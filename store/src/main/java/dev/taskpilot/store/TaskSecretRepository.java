package dev.taskpilot.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

/**
 * Secrets of a task's publish targets and notify channels, by the target's or channel's key; see
 * V4__publish_notify_approvals.sql. Written once by the API, read by the activities when they send,
 * purged by the task's workflow once it has ended (and by the retention sweep for tasks that ended
 * without purging them).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TaskSecretRepository extends GenericRepository<TaskSecretRecord, String> {

  @Query(
      """
      INSERT INTO task_secrets (task_id, name, value, created_at)
      VALUES (:taskId, :name, :value, :createdAt)
      ON CONFLICT (task_id, name) DO UPDATE SET value = EXCLUDED.value
      """)
  int put(String taskId, String name, String value, Instant createdAt);

  @Query("SELECT value FROM task_secrets WHERE task_id = :taskId AND name = :name")
  Optional<String> find(String taskId, String name);

  /** Purges a task's secrets; returns how many there were. */
  @Query("DELETE FROM task_secrets WHERE task_id = :taskId")
  int deleteAll(String taskId);
}
