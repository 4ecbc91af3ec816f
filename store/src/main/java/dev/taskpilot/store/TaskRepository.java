package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The task projection. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TaskRepository extends CrudRepository<TaskRecord, String> {

  /** The task an owner created with an idempotency key, if any. */
  Optional<TaskRecord> findByOwnerAndIdempotencyKey(String owner, String idempotencyKey);

  /**
   * Applies a workflow state to the projection unless a newer one is already there. Returns the
   * number of rows changed: 0 for a stale or repeated write (or an unknown task), 1 otherwise.
   */
  @Query(
      """
      UPDATE tasks SET status = :status, status_reason = :statusReason, priority = :priority,
             not_before = :notBefore, approval_gate = :approvalGate,
             plan = CAST(:plan AS jsonb), run = CAST(:run AS jsonb),
             result = CAST(:result AS jsonb), error = CAST(:error AS jsonb),
             version = :version, updated_at = :updatedAt
       WHERE id = :id AND version < :version
      """)
  int applyState(
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
      Instant updatedAt);

  /**
   * Newest first, optionally filtered by owner (null: every owner), status, label and agent,
   * continuing after the cursor (the creation time and id of the last task of the previous page).
   */
  @Query(
      """
      SELECT * FROM tasks
       WHERE (CAST(:owner AS text) IS NULL OR owner = :owner)
         AND (CAST(:status AS text) IS NULL OR status = :status)
         AND (CAST(:label AS text) IS NULL OR labels @> ARRAY[CAST(:label AS text)])
         AND (CAST(:agent AS text) IS NULL OR agent = :agent)
         AND (CAST(:afterCreatedAt AS timestamptz) IS NULL
              OR (created_at, id) < (CAST(:afterCreatedAt AS timestamptz), :afterId))
       ORDER BY created_at DESC, id DESC
       LIMIT :limit
      """)
  List<TaskRecord> findPage(
      @Nullable String owner,
      @Nullable String status,
      @Nullable String label,
      @Nullable String agent,
      @Nullable Instant afterCreatedAt,
      @Nullable String afterId,
      int limit);

  /**
   * Puts a task back to its first state so a new workflow run of the same id can project from
   * version 1 again. Only for tasks the engine has lost. Its status timeline goes back to its first
   * entry too (the versions of the lost run will be written again by the new one).
   */
  @Query(
      """
      WITH timeline AS (DELETE FROM task_status_changes WHERE task_id = :id AND version > 0),
           restart AS (INSERT INTO task_status_changes (task_id, version, status, reason, at)
                       SELECT id, 0, 'PLANNING', NULL, :updatedAt FROM tasks WHERE id = :id
                       ON CONFLICT (task_id, version) DO NOTHING)
      UPDATE tasks SET status = 'PLANNING', status_reason = NULL, approval_gate = NULL,
             plan = NULL, run = NULL, result = NULL, error = NULL, version = 0,
             updated_at = :updatedAt
       WHERE id = :id
      """)
  int resetForRestart(String id, Instant updatedAt);

  /**
   * Tasks no workflow ever wrote (still {@code PLANNING} at projection version 0) whose row was
   * last touched before {@code before}, least recently touched first: the candidates of the task
   * reconciler.
   */
  @Query(
      """
      SELECT * FROM tasks
       WHERE status = 'PLANNING' AND version = 0 AND updated_at < :before
       ORDER BY updated_at, id LIMIT :limit
      """)
  List<TaskRecord> findUnstarted(Instant before, int limit);

  /**
   * Claims a task no workflow wrote yet for one reconciler pass: moves its {@code updated_at} from
   * {@code seen} to {@code now}. Returns 0 when another process claimed it first, or a workflow
   * wrote it, or its create removed it; 1 otherwise.
   */
  @Query(
      """
      UPDATE tasks SET updated_at = :now
       WHERE id = :id AND status = 'PLANNING' AND version = 0 AND updated_at = :seen
      """)
  int claimUnstarted(String id, Instant seen, Instant now);

  /**
   * Removes a task whose workflow could not be started, unless a workflow wrote it or a reconciler
   * claimed it since (its {@code updated_at} is no longer {@code seen}); its secrets and other rows
   * go with it (ON DELETE CASCADE). Returns the number of rows removed.
   */
  @Query(
      """
      DELETE FROM tasks
       WHERE id = :id AND status = 'PLANNING' AND version = 0 AND updated_at = :seen
      """)
  int deleteUnstarted(String id, Instant seen);

  /** An owner's tasks waiting for a slot from {@code from} on, soonest first (for the planner). */
  @Query(
      """
      SELECT * FROM tasks
       WHERE owner = :owner AND status IN ('SCHEDULED', 'PAUSED', 'AWAITING_APPROVAL')
         AND not_before >= :from
       ORDER BY not_before LIMIT :limit
      """)
  List<TaskRecord> findUpcoming(String owner, Instant from, int limit);

  /** Tasks not in one of the given statuses, for recovery after an engine restart. */
  List<TaskRecord> findByStatusNotInList(List<String> statuses);

  /**
   * The projection version of a task, empty for an unknown task: a cheap probe for whether the task
   * changed (the event stream polls it).
   */
  @Query("SELECT version FROM tasks WHERE id = :id")
  Optional<Long> findVersionById(String id);
}
