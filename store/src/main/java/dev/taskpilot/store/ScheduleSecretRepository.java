package dev.taskpilot.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;

/**
 * The secrets of schedules' task templates; copied to {@code task_secrets} for every run. Values
 * are stored encrypted: read and write them through {@link ScheduleSecrets}.
 */
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

  @Query(
      """
      SELECT schedule_id, name, value, created_at FROM schedule_secrets
      WHERE schedule_id = :scheduleId ORDER BY name
      """)
  List<ScheduleSecretRecord> findAll(String scheduleId);

  /** As {@link TaskSecretRepository#findNotPrefixed}. */
  @Query(
      """
      SELECT schedule_id, name, value, created_at FROM schedule_secrets
      WHERE NOT starts_with(value, :prefix) AND (schedule_id, name) > (:afterScheduleId, :afterName)
      ORDER BY schedule_id, name LIMIT :limit
      """)
  List<ScheduleSecretRecord> findNotPrefixed(
      String prefix, String afterScheduleId, String afterName, int limit);

  /** Replaces a stored value if it is still the one read; 1 when replaced. */
  @Query(
      """
      UPDATE schedule_secrets SET value = :newValue
      WHERE schedule_id = :scheduleId AND name = :name AND value = :oldValue
      """)
  int replace(String scheduleId, String name, String oldValue, String newValue);
}
