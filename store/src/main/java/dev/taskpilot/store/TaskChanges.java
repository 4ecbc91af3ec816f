package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Task rows in the order their last writes committed, for the global event stream: every row's
 * {@code changed_xid} is the id of the transaction that last wrote it (a trigger sets it, V11), and
 * rows are read in ({@code changed_xid}, id) order but only below the horizon, the oldest
 * transaction still running ({@code pg_snapshot_xmin}). Below the horizon every transaction has
 * ended, so no row can still appear there: a reader that remembers the last position it read misses
 * no write, however the writes' commits interleave. A row written again moves past the horizon (its
 * new transaction is newer than any position read) and is read again, in its new state. The price:
 * a long-running writing transaction anywhere in the cluster holds the horizon, and so the stream,
 * back until it ends.
 */
@Singleton
public class TaskChanges {
  private static final String HORIZON = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";

  private static final String AFTER =
      """
      WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)
      SELECT t.*, t.changed_xid::text AS change_position, h.horizon::text AS change_horizon
        FROM h LEFT JOIN tasks t
          ON t.changed_xid < h.horizon
         AND (t.changed_xid, t.id) > (CAST(? AS xid8), ?)
         AND (CAST(? AS text) IS NULL OR t.owner = ?)
         AND (CAST(? AS text) IS NULL OR t.status = ?)
         AND (CAST(? AS text) IS NULL OR t.labels @> ARRAY[CAST(? AS text)])
         AND (CAST(? AS text) IS NULL OR t.agent = ?)
       ORDER BY t.changed_xid, t.id
       LIMIT ?
      """;

  /**
   * Where a reader is: after the row of {@code taskId} written by transaction {@code xid}; a blank
   * task id stands before every row of that transaction.
   */
  public record Position(long xid, String taskId) {}

  /** Which rows to read; a null part matches every row. */
  public record Filter(
      @Nullable String owner,
      @Nullable String status,
      @Nullable String label,
      @Nullable String agent) {}

  /** A row read, with its position. */
  public record Changed(Position position, TaskRecord task) {}

  /**
   * The rows read, in order, and the horizon they were read below: once a page is not full, every
   * row before {@code new Position(horizon, "")} has been read.
   */
  public record Page(List<Changed> changes, long horizon) {}

  private final JdbcOperations jdbc;

  public TaskChanges(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /** The position before every write not ended yet: where a new reader starts. */
  @Transactional(readOnly = true)
  public Position start() {
    return jdbc.prepareStatement(
        HORIZON,
        statement -> {
          try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            return new Position(Long.parseLong(rows.getString(1)), "");
          }
        });
  }

  /** Up to {@code limit} rows matching the filter after the position, below the horizon. */
  @Transactional(readOnly = true)
  public Page after(Position after, Filter filter, int limit) {
    return jdbc.prepareStatement(
        AFTER,
        statement -> {
          int i = 1;
          statement.setString(i++, Long.toUnsignedString(after.xid()));
          statement.setString(i++, after.taskId());
          for (String value :
              new String[] {filter.owner(), filter.status(), filter.label(), filter.agent()}) {
            statement.setString(i++, value);
            statement.setString(i++, value);
          }
          statement.setInt(i, limit);
          List<Changed> changes = new ArrayList<>();
          long horizon = after.xid();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              horizon = Long.parseLong(rows.getString("change_horizon"));
              String position = rows.getString("change_position");
              if (position != null) {
                TaskRecord task = jdbc.readEntity(rows, TaskRecord.class);
                changes.add(new Changed(new Position(Long.parseLong(position), task.id()), task));
              }
            }
          }
          return new Page(changes, horizon);
        });
  }
}
