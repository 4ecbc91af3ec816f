package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The status timeline of tasks ({@code task_status_changes}): one row per change of a task's status
 * or status reason, keyed by the projection version that made it. Rows are written with the
 * projection write itself, in its transaction, so the timeline never disagrees with the task row; a
 * stale or repeated projection write (refused by the version guard) adds nothing, and a row for a
 * version already there is never written twice.
 */
@Singleton
public class TaskStatusChanges {
  /**
   * A new row unless the newest earlier row of the task already says the same: the comparison is
   * with the timeline, not the task row, so it holds however writes interleave (the projection
   * write before it holds the task row's lock until the commit).
   */
  private static final String INSERT_IF_CHANGED =
      """
      INSERT INTO task_status_changes (task_id, version, status, reason, at)
      SELECT ?, ?, ?, ?, ?
       WHERE NOT EXISTS (
             SELECT 1 FROM (SELECT status, reason FROM task_status_changes
                             WHERE task_id = ? AND version < ?
                             ORDER BY version DESC LIMIT 1) last
              WHERE last.status = ? AND last.reason IS NOT DISTINCT FROM ?)
      ON CONFLICT (task_id, version) DO NOTHING
      """;

  private static final String LIST =
      """
      SELECT version, status, reason, at FROM task_status_changes
       WHERE task_id = ? ORDER BY version
      """;

  /** One entry of a task's timeline. */
  public record Change(long version, String status, @Nullable String reason, Instant at) {}

  private final JdbcOperations jdbc;
  private final TaskRepository tasks;

  public TaskStatusChanges(JdbcOperations jdbc, TaskRepository tasks) {
    this.jdbc = jdbc;
    this.tasks = tasks;
  }

  /**
   * {@link TaskRepository#applyState} plus, when it changed the row and the status or its reason
   * differs from the last timeline entry, a timeline entry, in one transaction. Returns what {@code
   * applyState} returns: 0 for a stale or repeated write, 1 otherwise.
   */
  @Transactional
  public int applyState(
      String id,
      long version,
      String status,
      @Nullable String statusReason,
      int priority,
      @Nullable Instant notBefore,
      @Nullable String approvalGate,
      @Nullable String plan,
      @Nullable String run,
      @Nullable String result,
      @Nullable String error,
      Instant updatedAt) {
    int changed =
        tasks.applyState(
            id,
            version,
            status,
            statusReason,
            priority,
            notBefore,
            approvalGate,
            plan,
            run,
            result,
            error,
            updatedAt);
    if (changed == 1) {
      recordIfChanged(id, version, status, statusReason, updatedAt);
    }
    return changed;
  }

  /**
   * The first entry of a new task (its row's status at its version); call in the transaction that
   * inserts the row (it joins it).
   */
  @Transactional
  public void initial(TaskRecord row) {
    recordIfChanged(row.id(), row.version(), row.status(), row.statusReason(), row.createdAt());
  }

  /** A task's timeline, oldest first; empty for an unknown task. */
  @Transactional(readOnly = true)
  public List<Change> of(String taskId) {
    return jdbc.prepareStatement(
        LIST,
        statement -> {
          statement.setString(1, taskId);
          List<Change> changes = new ArrayList<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              changes.add(
                  new Change(
                      rows.getLong(1),
                      rows.getString(2),
                      rows.getString(3),
                      rows.getObject(4, OffsetDateTime.class).toInstant()));
            }
          }
          return changes;
        });
  }

  private void recordIfChanged(
      String id, long version, String status, @Nullable String reason, Instant at) {
    jdbc.prepareStatement(
        INSERT_IF_CHANGED,
        statement -> {
          statement.setString(1, id);
          statement.setLong(2, version);
          statement.setString(3, status);
          statement.setString(4, reason);
          statement.setObject(5, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
          statement.setString(6, id);
          statement.setLong(7, version);
          statement.setString(8, status);
          statement.setString(9, reason);
          return statement.executeUpdate();
        });
  }
}
