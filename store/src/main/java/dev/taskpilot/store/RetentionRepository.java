package dev.taskpilot.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The statements of the retention sweep ({@link RetentionStore}); see V7__retention.sql. Every one
 * is bounded by a limit, so one batch never touches more than that many rows of a kind.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RetentionRepository extends GenericRepository<TaskRecord, String> {

  /** Finished tasks that ended (last changed status) before the cutoff, oldest first, locked. */
  @Query(
      """
      SELECT id FROM tasks
       WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED')
         AND updated_at < :endedBefore
       ORDER BY updated_at, id
       LIMIT :limit
       FOR UPDATE SKIP LOCKED
      """)
  List<String> findEnded(Instant endedBefore, int limit);

  /** At most {@code limit} output lines of the given tasks. */
  @Query(
      """
      DELETE FROM task_output
       WHERE id IN (SELECT id FROM task_output WHERE task_id IN (:taskIds) LIMIT :limit)
      """)
  int deleteOutput(Collection<String> taskIds, int limit);

  @Query("DELETE FROM llm_calls WHERE task_id IN (:taskIds)")
  int deleteLlmCallsOfTasks(Collection<String> taskIds);

  @Query("DELETE FROM agent_slots WHERE task_id IN (:taskIds)")
  int deleteSlotsOfTasks(Collection<String> taskIds);

  /**
   * The records of the cron fires that started the tasks. Manual triggers stay while their schedule
   * does: their count numbers the next manual run's task id.
   */
  @Query("DELETE FROM schedule_runs WHERE task_id IN (:taskIds) AND NOT manual")
  int deleteCronRunsOfTasks(Collection<String> taskIds);

  /** The task rows; their output, secrets, ledgers and tokens go by ON DELETE CASCADE. */
  @Query("DELETE FROM tasks WHERE id IN (:taskIds)")
  int deleteTasks(Collection<String> taskIds);

  /** Finished tasks that ended before the cutoff and still have secrets. */
  @Query(
      """
      SELECT DISTINCT s.task_id FROM task_secrets s JOIN tasks t ON t.id = s.task_id
       WHERE t.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED')
         AND t.updated_at < :endedBefore
       LIMIT :limit
      """)
  List<String> findEndedWithSecrets(Instant endedBefore, int limit);

  @Query("DELETE FROM task_secrets WHERE task_id IN (:taskIds)")
  int deleteSecretsOfTasks(Collection<String> taskIds);

  /** LLM calls of no task (the chat's) made before the cutoff, at most {@code limit}. */
  @Query(
      """
      DELETE FROM llm_calls WHERE id IN
        (SELECT id FROM llm_calls WHERE task_id IS NULL AND created_at < :before
          ORDER BY created_at LIMIT :limit)
      """)
  int deleteUntiedLlmCalls(Instant before, int limit);

  /** Chat conversations nobody added to since the cutoff, at most {@code limit}. */
  @Query(
      """
      DELETE FROM chat_conversations WHERE owner IN
        (SELECT owner FROM chat_conversations WHERE updated_at < :before LIMIT :limit)
      """)
  int deleteIdleConversations(Instant before, int limit);

  /** Records of skipped cron fire times recorded before the cutoff, at most {@code limit}. */
  @Query(
      """
      DELETE FROM schedule_runs WHERE id IN
        (SELECT id FROM schedule_runs WHERE task_id IS NULL AND NOT manual
            AND recorded_at < :before
          ORDER BY recorded_at LIMIT :limit)
      """)
  int deleteSkippedRuns(Instant before, int limit);

  /** Schedules deleted before the cutoff; their runs and secrets go by ON DELETE CASCADE. */
  @Query(
      """
      DELETE FROM schedules WHERE id IN
        (SELECT id FROM schedules WHERE deleted_at < :before ORDER BY deleted_at LIMIT :limit)
      """)
  int deleteDeletedSchedules(Instant before, int limit);
}
