package dev.taskpilot.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * V11 gives every task there already one timeline entry, its status then, and a change position.
 */
class StatusTimelineMigrationTest {
  @Test
  void shouldBackfillOneTimelineEntryPerExistingTaskWhenV11Migrates() throws SQLException {
    // given: a database at V10 with a task some way into its life
    TestDatabase.Fresh fresh = TestDatabase.freshDatabase();
    fresh.migrateTo("10");
    try (Connection connection = fresh.connect();
        var statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO tasks (id, owner, title, prompt, agent, status, status_reason, priority,"
              + " request, request_hash, version, created_at, updated_at) VALUES ('t', 'default',"
              + " 't', 'p', 'example', 'PAUSED', 'by hand', 5, '{}', 'h', 7, now(),"
              + " '2026-11-01T10:00:00Z')");
    }

    // when
    fresh.migrate();

    // then
    try (Connection connection = fresh.connect();
        var statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT c.version, c.status, c.reason, c.at = '2026-11-01T10:00:00Z',"
                    + " t.changed_xid IS NOT NULL"
                    + " FROM task_status_changes c JOIN tasks t ON t.id = c.task_id")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isEqualTo(7);
      assertThat(rows.getString(2)).isEqualTo("PAUSED");
      assertThat(rows.getString(3)).isEqualTo("by hand");
      assertThat(rows.getBoolean(4)).isTrue();
      assertThat(rows.getBoolean(5)).isTrue();
      assertThat(rows.next()).isFalse();
    }
  }
}
