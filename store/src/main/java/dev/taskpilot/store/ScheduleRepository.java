package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Schedules; see V5__schedules.sql. Reads skip deleted schedules unless they say otherwise. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ScheduleRepository extends CrudRepository<ScheduleRecord, String> {

  @Query("SELECT * FROM schedules WHERE id = :id AND deleted_at IS NULL")
  Optional<ScheduleRecord> findLive(String id);

  /** An owner's schedules, newest first. */
  @Query(
      """
      SELECT * FROM schedules WHERE owner = :owner AND deleted_at IS NULL
       ORDER BY created_at DESC, id DESC LIMIT :limit
      """)
  List<ScheduleRecord> findLiveByOwner(String owner, int limit);

  /** Every owner's schedules, newest first. */
  @Query(
      """
      SELECT * FROM schedules WHERE deleted_at IS NULL
       ORDER BY created_at DESC, id DESC LIMIT :limit
      """)
  List<ScheduleRecord> findLiveNewest(int limit);

  /** How many live schedules the owner has. */
  @Query("SELECT COUNT(*) FROM schedules WHERE owner = :owner AND deleted_at IS NULL")
  long countLiveByOwner(String owner);

  /** How many other live schedules of the owner carry this name (0 or 1). */
  @Query(
      """
      SELECT COUNT(*) FROM schedules
       WHERE owner = :owner AND name = :name AND deleted_at IS NULL AND id <> :exceptId
      """)
  long countLiveNamed(String owner, String name, String exceptId);

  /** Every schedule not deleted, for restarting their workflows. */
  @Query("SELECT * FROM schedules WHERE deleted_at IS NULL ORDER BY created_at")
  List<ScheduleRecord> findAllLive();

  /** Replaces what the API owns: the name and the task template. */
  @Query(
      """
      UPDATE schedules SET name = :name, task = CAST(:task AS jsonb), updated_at = :updatedAt
       WHERE id = :id AND deleted_at IS NULL
      """)
  int updateDefinition(String id, String name, String task, Instant updatedAt);

  /**
   * Applies a schedule workflow's state unless a newer one is there. Returns the rows changed: 0
   * for a stale or repeated write.
   */
  @Query(
      """
      UPDATE schedules SET cron = :cron, time_zone = :timeZone, overlap = :overlap,
             catchup_window = :catchupWindow, paused = :paused, next_fire_time = :nextFireTime,
             last_fire_time = :lastFireTime, handled_until = :handledUntil,
             buffered_fire_time = :bufferedFireTime, state_version = :stateVersion,
             updated_at = :updatedAt
       WHERE id = :id AND state_version < :stateVersion
      """)
  int applyState(
      String id,
      long stateVersion,
      String cron,
      String timeZone,
      String overlap,
      String catchupWindow,
      boolean paused,
      @Nullable Instant nextFireTime,
      @Nullable Instant lastFireTime,
      Instant handledUntil,
      @Nullable Instant bufferedFireTime,
      Instant updatedAt);

  @Query(
      """
      UPDATE schedules SET deleted_at = :deletedAt, next_fire_time = NULL, updated_at = :deletedAt
       WHERE id = :id AND deleted_at IS NULL
      """)
  int markDeleted(String id, Instant deletedAt);
}
