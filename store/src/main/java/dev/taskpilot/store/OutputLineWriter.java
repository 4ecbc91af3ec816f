package dev.taskpilot.store;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Stores batches of agent output lines so that storing a batch again is harmless: one transaction
 * per batch, and a line whose number the task already has is skipped. A batch whose commit was lost
 * with the connection can so be written again after an outage, with no line stored twice.
 */
@Singleton
public class OutputLineWriter {
  private static final String INSERT =
      """
      INSERT INTO task_output (task_id, line_no, attempt, text, created_at)
      VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (task_id, line_no) DO NOTHING
      """;

  private final JdbcOperations jdbc;

  public OutputLineWriter(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores the lines, in one statement batch and one transaction. */
  @Transactional
  public void insert(List<OutputLineRecord> lines) {
    if (lines.isEmpty()) {
      return;
    }
    jdbc.prepareStatement(
        INSERT,
        (PreparedStatement statement) -> {
          for (OutputLineRecord line : lines) {
            statement.setString(1, line.taskId());
            statement.setLong(2, line.lineNo());
            statement.setInt(3, line.attempt());
            statement.setString(4, line.text());
            statement.setObject(5, OffsetDateTime.ofInstant(line.createdAt(), ZoneOffset.UTC));
            statement.addBatch();
          }
          statement.executeBatch();
          return null;
        });
  }
}
