package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What was spent in a time range, one row per kind, UTC day and task, for the cost report.
 *
 * <ul>
 *   <li>LLM: the ledger {@code llm_calls.cost_usd}, by the call's time and owner (calls of no task,
 *       the chat's, have no task, agent or workspace).
 *   <li>Agent: a task's {@code run.costUsd} in the projection, which the task workflow keeps as the
 *       sum over every agent run of the task (attempts, resumes after a park, a question, a budget
 *       stop or a hand-over), so it is the task's whole agent cost, not its last run's. It is
 *       attributed to the day its last run ended ({@code run.endedAt}), or, while a run is under
 *       way, to the task's last projection write; the cost of a run still going is not known before
 *       it ends.
 * </ul>
 */
@Singleton
public class CostRows {
  private static final String ROWS =
      """
      SELECT 'llm' AS kind, (c.created_at AT TIME ZONE 'UTC')::date AS day, c.task_id,
             t.agent, t.workspace, SUM(c.cost_usd) AS cost
        FROM llm_calls c LEFT JOIN tasks t ON t.id = c.task_id
       WHERE c.created_at >= ? AND c.created_at < ? AND c.cost_usd IS NOT NULL
         AND (CAST(? AS text) IS NULL OR c.owner = ?)
       GROUP BY 2, 3, 4, 5
      UNION ALL
      SELECT 'agent', (a.at AT TIME ZONE 'UTC')::date, a.id, a.agent, a.workspace, a.cost
        FROM (SELECT id, agent, workspace, CAST(run ->> 'costUsd' AS numeric) AS cost,
                     COALESCE(CAST(run ->> 'endedAt' AS timestamptz), updated_at) AS at
                FROM tasks
               WHERE run ->> 'costUsd' IS NOT NULL
                 AND (CAST(? AS text) IS NULL OR owner = ?)) a
       WHERE a.at >= ? AND a.at < ?
      """;

  /** What was spent on one UTC day for one task (no task: {@code taskId} null). */
  public record Row(
      boolean llm,
      LocalDate day,
      @Nullable String taskId,
      @Nullable String agent,
      @Nullable String workspace,
      BigDecimal costUsd) {}

  private final JdbcOperations jdbc;

  public CostRows(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /** The rows of {@code [from, to)}, of one owner or (null) of every owner. */
  @Transactional(readOnly = true)
  public List<Row> between(Instant from, Instant to, @Nullable String owner) {
    OffsetDateTime start = OffsetDateTime.ofInstant(from, ZoneOffset.UTC);
    OffsetDateTime end = OffsetDateTime.ofInstant(to, ZoneOffset.UTC);
    return jdbc.prepareStatement(
        ROWS,
        statement -> {
          statement.setObject(1, start);
          statement.setObject(2, end);
          statement.setString(3, owner);
          statement.setString(4, owner);
          statement.setString(5, owner);
          statement.setString(6, owner);
          statement.setObject(7, start);
          statement.setObject(8, end);
          List<Row> rows = new ArrayList<>();
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              rows.add(
                  new Row(
                      "llm".equals(result.getString(1)),
                      result.getObject(2, LocalDate.class),
                      result.getString(3),
                      result.getString(4),
                      result.getString(5),
                      result.getBigDecimal(6)));
            }
          }
          return rows;
        });
  }
}
