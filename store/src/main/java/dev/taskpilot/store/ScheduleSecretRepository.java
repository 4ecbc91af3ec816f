package dev.taskpilot.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;

/** The secrets of schedules' task templates; copied to {@code task_secrets} for every run. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ScheduleSecretRepository extends GenericRepository<ScheduleSecretRecord, String> {

  @Query(
      """
      INSERT INTO schedule_secrets (schedule_id, name, value, created_at)
      VALUES (:scheduleId, :name, :value, :createdAt)
      ON CONFLICT (schedule_id, name) DO UPDATE SET value = EXCLUDED.value
      """)
  int put(String scheduleId, String name, String value, Instant createdAt);

  @Query("DELETE FROM schedule_secrets WHERE schedule_id = :scheduleId")
  int deleteAll(String scheduleId);

  /** Copies the schedule's secrets to a task it starts; secrets the task has are kept. */
  @Query(
      """
      INSERT INTO task_secrets (task_id, name, value, created_at)
      SELECT :taskId, name, value, :createdAt FROM schedule_secrets WHERE schedule_id = :scheduleId
      ON CONFLICT (task_id, name) DO NOTHING
      """)
  int copyToTask(String scheduleId, String taskId, Instant createdAt);
}
