package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet registry in PostgreSQL ({@code workers}) and what the fleet view reads of the agent
 * slots. Kept in PostgreSQL rather than asked of Temporal, whose embedded test server does not
 * answer DescribeTaskQueue reliably.
 */
@Singleton
public class WorkerRegistry {
  private final JdbcOperations jdbc;

  public WorkerRegistry(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A running claim on an agent slot.
   *
   * @param holder the identity of the worker running it, null until its run has started
   * @param since when it was granted (null for claims granted before V12)
   */
  public record RunningClaim(
      String taskId, String agent, @Nullable String holder, @Nullable Instant since) {}

  /**
   * The slot queue of one agent profile.
   *
   * @param oldestWaitingSince when the longest-waiting claim started waiting, null when none waits
   */
  public record SlotCounts(
      String agent, long running, long waiting, @Nullable Instant oldestWaitingSince) {}

  /**
   * Inserts the worker's row, or refreshes it (last seen, draining, what it runs); {@code
   * started_at} stays that of the first upsert of this identity unless the row was deleted.
   */
  @Transactional
  public void upsert(WorkerRecord worker) {
    jdbc.prepareStatement(
        """
        INSERT INTO workers (identity, host, pid, task_queue, agent_slots, started_at, last_seen,
                             draining, profiles)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
        ON CONFLICT (identity) DO UPDATE
           SET host = EXCLUDED.host, pid = EXCLUDED.pid, task_queue = EXCLUDED.task_queue,
               agent_slots = EXCLUDED.agent_slots, started_at = EXCLUDED.started_at,
               last_seen = EXCLUDED.last_seen, draining = EXCLUDED.draining,
               profiles = EXCLUDED.profiles
        """,
        (PreparedStatement statement) -> {
          statement.setString(1, worker.identity());
          statement.setString(2, worker.host());
          statement.setLong(3, worker.pid());
          statement.setString(4, worker.taskQueue());
          statement.setInt(5, worker.agentSlots());
          statement.setObject(6, utc(worker.startedAt()));
          statement.setObject(7, utc(worker.lastSeen()));
          statement.setBoolean(8, worker.draining());
          statement.setString(9, worker.profiles());
          return statement.executeUpdate();
        });
  }

  /** Deletes a worker's row (a clean stop). */
  @Transactional
  public int delete(String identity) {
    return jdbc.prepareStatement(
        "DELETE FROM workers WHERE identity = ?",
        (PreparedStatement statement) -> {
          statement.setString(1, identity);
          return statement.executeUpdate();
        });
  }

  /** Deletes the rows of workers not seen since the cutoff (they died without a clean stop). */
  @Transactional
  public int deleteUnseenSince(Instant cutoff) {
    return jdbc.prepareStatement(
        "DELETE FROM workers WHERE last_seen < ?",
        (PreparedStatement statement) -> {
          statement.setObject(1, utc(cutoff));
          return statement.executeUpdate();
        });
  }

  /** Every registered worker, by identity. */
  @Transactional(readOnly = true)
  public List<WorkerRecord> workers() {
    return jdbc.prepareStatement(
        """
        SELECT identity, host, pid, task_queue, agent_slots, started_at, last_seen, draining,
               CAST(profiles AS TEXT) AS profiles
          FROM workers ORDER BY identity
        """,
        (PreparedStatement statement) -> {
          List<WorkerRecord> rows = new ArrayList<>();
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              rows.add(
                  new WorkerRecord(
                      result.getString("identity"),
                      result.getString("host"),
                      result.getLong("pid"),
                      result.getString("task_queue"),
                      result.getInt("agent_slots"),
                      instant(result, "started_at"),
                      instant(result, "last_seen"),
                      result.getBoolean("draining"),
                      result.getString("profiles")));
            }
          }
          return rows;
        });
  }

  /** The granted claims, oldest grant first. */
  @Transactional(readOnly = true)
  public List<RunningClaim> runningClaims() {
    return jdbc.prepareStatement(
        """
        SELECT task_id, agent, holder, granted_at FROM agent_slots
         WHERE state = 'RUNNING' AND lease_until >= now()
         ORDER BY granted_at NULLS FIRST, task_id
        """,
        (PreparedStatement statement) -> {
          List<RunningClaim> rows = new ArrayList<>();
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              rows.add(
                  new RunningClaim(
                      result.getString("task_id"),
                      result.getString("agent"),
                      result.getString("holder"),
                      instant(result, "granted_at")));
            }
          }
          return rows;
        });
  }

  /** Running and waiting claims per agent that has any, by agent. */
  @Transactional(readOnly = true)
  public List<SlotCounts> slotCounts() {
    return jdbc.prepareStatement(
        """
        SELECT agent,
               COUNT(*) FILTER (WHERE state = 'RUNNING') AS running,
               COUNT(*) FILTER (WHERE state = 'WAITING') AS waiting,
               MIN(COALESCE(waiting_since, submitted_at)) FILTER (WHERE state = 'WAITING')
                 AS oldest_waiting_since
          FROM agent_slots WHERE lease_until >= now() GROUP BY agent ORDER BY agent
        """,
        (PreparedStatement statement) -> {
          List<SlotCounts> rows = new ArrayList<>();
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              rows.add(
                  new SlotCounts(
                      result.getString("agent"),
                      result.getLong("running"),
                      result.getLong("waiting"),
                      instant(result, "oldest_waiting_since")));
            }
          }
          return rows;
        });
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet result, String column) throws SQLException {
    OffsetDateTime value = result.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
