package dev.taskpilot.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Secrets of a task's publish targets and notify channels, by the target's or channel's key; see
 * V4__publish_notify_approvals.sql. Values are stored encrypted: read and write them through {@link
 * TaskSecrets}, which seals and opens them; this repository sees only the stored text. Written once
 * by the API, read by the activities when they send, purged by the task's workflow once it has
 * ended (and by the retention sweep for tasks that ended without purging them).
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

  /** Inserts a secret unless the task has one of that name; 1 when inserted. */
  @Query(
      """
      INSERT INTO task_secrets (task_id, name, value, created_at)
      VALUES (:taskId, :name, :value, :createdAt)
      ON CONFLICT (task_id, name) DO NOTHING
      """)
  int putIfAbsent(String taskId, String name, String value, Instant createdAt);

  @Query("SELECT value FROM task_secrets WHERE task_id = :taskId AND name = :name")
  Optional<String> find(String taskId, String name);

  /** Purges a task's secrets; returns how many there were. */
  @Query("DELETE FROM task_secrets WHERE task_id = :taskId")
  int deleteAll(String taskId);

  /**
   * Rows not stored with the prefix (the current key's), after (taskId, name), in key order: the
   * ones to re-encrypt.
   */
  @Query(
      """
      SELECT task_id, name, value, created_at FROM task_secrets
      WHERE NOT starts_with(value, :prefix) AND (task_id, name) > (:afterTaskId, :afterName)
      ORDER BY task_id, name LIMIT :limit
      """)
  List<TaskSecretRecord> findNotPrefixed(
      String prefix, String afterTaskId, String afterName, int limit);

  /** Replaces a stored value if it is still the one read; 1 when replaced. */
  @Query(
      """
      UPDATE task_secrets SET value = :newValue
      WHERE task_id = :taskId AND name = :name AND value = :oldValue
      """)
  int replace(String taskId, String name, String oldValue, String newValue);
}
