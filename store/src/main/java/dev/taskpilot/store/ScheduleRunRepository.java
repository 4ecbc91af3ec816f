package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;

/**
 * The runs and skipped fire times of schedules, and the task rows their starts insert; see
 * V5__schedules.sql. Every write is insert-if-absent, so a retried start records nothing twice.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ScheduleRunRepository extends GenericRepository<ScheduleRunRecord, Long> {

  /**
   * Inserts a scheduled task's projection row in its first state, unless the id exists. Returns 1
   * when inserted, 0 when it was there already.
   *
   * @param labels a JSON array of strings
   */
  @Query(
      """
      INSERT INTO tasks (id, owner, title, prompt, agent, workspace, labels, status, priority,
                         not_before, request, request_hash, version, created_at, updated_at)
      VALUES (:taskId, :owner, :title, :prompt, :agent, :workspace,
              ARRAY(SELECT jsonb_array_elements_text(CAST(:labels AS jsonb))),
              'PLANNING', :priority, :notBefore, CAST(:request AS jsonb), :requestHash, 0,
              :createdAt, :createdAt)
      ON CONFLICT (id) DO NOTHING
      """)
  int insertTaskIfAbsent(
      String taskId,
      String owner,
      String title,
      String prompt,
      String agent,
      @Nullable String workspace,
      String labels,
      int priority,
      @Nullable Instant notBefore,
      String request,
      String requestHash,
      Instant createdAt);

  @Query(
      """
      INSERT INTO schedule_runs (schedule_id, fire_time, manual, task_id, outcome, reason,
                                 recorded_at)
      VALUES (:scheduleId, :fireTime, :manual, :taskId, 'STARTED', NULL, :recordedAt)
      ON CONFLICT DO NOTHING
      """)
  int recordStarted(
      String scheduleId, Instant fireTime, boolean manual, String taskId, Instant recordedAt);

  /**
   * Records cron fire times that started nothing; fire times already recorded stay as they are.
   *
   * @param fireTimes a JSON array of ISO-8601 instants
   */
  @Query(
      """
      INSERT INTO schedule_runs (schedule_id, fire_time, manual, task_id, outcome, reason,
                                 recorded_at)
      SELECT :scheduleId, CAST(fire AS timestamptz), FALSE, NULL, 'SKIPPED', :reason, :recordedAt
        FROM jsonb_array_elements_text(CAST(:fireTimes AS jsonb)) AS fire
      ON CONFLICT DO NOTHING
      """)
  int recordSkipped(String scheduleId, String fireTimes, String reason, Instant recordedAt);

  /** A schedule's runs and skipped fire times, newest fire time first. */
  @Query(
      """
      SELECT * FROM schedule_runs WHERE schedule_id = :scheduleId
       ORDER BY fire_time DESC, id DESC LIMIT :limit
      """)
  List<ScheduleRunRecord> findNewest(String scheduleId, int limit);

  @Query("SELECT COUNT(*) FROM schedule_runs WHERE schedule_id = :scheduleId AND manual")
  long countManual(String scheduleId);

  /** The task the schedule started last (its previous run), if any. */
  @Query(
      """
      SELECT task_id FROM schedule_runs WHERE schedule_id = :scheduleId AND outcome = 'STARTED'
       ORDER BY recorded_at DESC, id DESC LIMIT 1
      """)
  @Nullable
  String lastStartedTaskId(String scheduleId);

  /** The projected status of a task, null for an unknown task. */
  @Query("SELECT status FROM tasks WHERE id = :taskId")
  @Nullable
  String taskStatus(String taskId);

  /** The stored request (the workflow input) of a task, null for an unknown task. */
  @Query("SELECT CAST(request AS text) FROM tasks WHERE id = :taskId")
  @Nullable
  String taskRequest(String taskId);
}
