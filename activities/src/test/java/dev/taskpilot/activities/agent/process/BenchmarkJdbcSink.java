package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.output.OutputLine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;

/**
 * A sink for {@link AgentRunnerBenchmark} that inserts every batch into PostgreSQL the way the
 * production sink does (one JDBC batch per output batch), into a table of its own shaped like
 * {@code task_output} without the foreign key; the table is dropped at the end. The URL comes from
 * {@code TASKPILOT_BENCH_JDBC_URL}, the user and password from {@code TASKPILOT_BENCH_JDBC_USER}
 * and {@code TASKPILOT_BENCH_JDBC_PASSWORD} when not in the URL.
 */
final class BenchmarkJdbcSink extends BenchmarkCountingSink implements AutoCloseable {
  private static final String TABLE = "taskpilot_bench_output";

  private final Connection connection;
  private final PreparedStatement insert;

  private BenchmarkJdbcSink(Connection connection) throws SQLException {
    this.connection = connection;
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + TABLE);
      statement.execute(
          "CREATE TABLE "
              + TABLE
              + " (id BIGSERIAL PRIMARY KEY, task_id TEXT NOT NULL, line_no BIGINT NOT NULL,"
              + " attempt INTEGER NOT NULL, text TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL,"
              + " UNIQUE (task_id, line_no))");
    }
    this.insert =
        connection.prepareStatement(
            "INSERT INTO "
                + TABLE
                + " (task_id, line_no, attempt, text, created_at) VALUES (?, ?, ?, ?, ?)");
  }

  static BenchmarkJdbcSink connect(String url) throws SQLException {
    String user = System.getenv("TASKPILOT_BENCH_JDBC_USER");
    String password = System.getenv("TASKPILOT_BENCH_JDBC_PASSWORD");
    Connection connection =
        user == null
            ? DriverManager.getConnection(url)
            : DriverManager.getConnection(url, user, password);
    return new BenchmarkJdbcSink(connection);
  }

  @Override
  public synchronized void append(String taskId, int attempt, List<OutputLine> batch) {
    try {
      for (OutputLine line : batch) {
        insert.setString(1, taskId);
        insert.setLong(2, line.number());
        insert.setInt(3, attempt);
        insert.setString(4, line.text());
        insert.setTimestamp(5, Timestamp.from(line.at()));
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("insert failed", e);
    }
    super.append(taskId, attempt, batch);
  }

  @Override
  public void close() throws SQLException {
    try (connection;
        Statement statement = connection.createStatement()) {
      insert.close();
      statement.execute("DROP TABLE IF EXISTS " + TABLE);
    }
  }
}
