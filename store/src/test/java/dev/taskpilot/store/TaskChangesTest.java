package dev.taskpilot.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.testing.TaskRows;
import dev.taskpilot.store.testing.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The global event stream's reads: task writes in commit order as far as it is certain, so a write
 * whose transaction is still open holds back the ones after it instead of being skipped.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskChangesTest implements TestPropertyProvider {
  private static final TaskChanges.Filter ALL = new TaskChanges.Filter(null, null, null, null);

  @Inject TaskRepository tasks;
  @Inject TaskChanges changes;
  private Map<String, String> database;

  @Override
  public Map<String, String> getProperties() {
    database = TestDatabase.freshDatasourceProperties();
    return database;
  }

  @Test
  void shouldHoldBackLaterWritesUntilAnEarlierOpenTransactionCommitsAndThenReadBoth()
      throws Exception {
    // given: two tasks and a reader that starts now
    String slow = TaskRows.insert(tasks, "SCHEDULED");
    String fast = TaskRows.insert(tasks, "SCHEDULED");
    TaskChanges.Position start = changes.start();

    // A connection of its own, outside the application's pool and transactions.
    try (Connection connection =
        DriverManager.getConnection(
            database.get("datasources.default.url"),
            database.get("datasources.default.username"),
            database.get("datasources.default.password"))) {
      connection.setAutoCommit(false);
      // when: one write stays uncommitted while a later one commits
      try (PreparedStatement update =
          connection.prepareStatement("UPDATE tasks SET status = 'RUNNING' WHERE id = ?")) {
        update.setString(1, slow);
        update.executeUpdate();
      }
      tasks.applyState(
          fast, 1, "PAUSED", null, 5, null, null, null, null, null, null, Instant.now());

      // then: nothing yet, the later write waits behind the open one
      TaskChanges.Page held = changes.after(start, ALL, 10);
      assertThat(held.changes()).isEmpty();

      // when: the open one commits
      connection.commit();
    }

    // then: both, in commit order as the transactions started, with their new states
    TaskChanges.Page page = changes.after(start, ALL, 10);
    assertThat(page.changes())
        .extracting(c -> c.task().id() + " " + c.task().status())
        .containsExactly(slow + " RUNNING", fast + " PAUSED");
    // and a reader after the first gets the second only, one with a filter the matching one
    TaskChanges.Position first = page.changes().getFirst().position();
    assertThat(changes.after(first, ALL, 10).changes())
        .extracting(c -> c.task().id())
        .containsExactly(fast);
    assertThat(
            changes.after(start, new TaskChanges.Filter(null, "PAUSED", null, null), 10).changes())
        .extracting(c -> c.task().id())
        .containsExactly(fast);
    assertThat(
            changes.after(start, new TaskChanges.Filter("nobody", null, null, null), 10).changes())
        .isEmpty();
    // and once read, the horizon is past both
    assertThat(page.horizon()).isGreaterThan(page.changes().getLast().position().xid());
    List<TaskChanges.Changed> none =
        changes.after(new TaskChanges.Position(page.horizon(), ""), ALL, 10).changes();
    assertThat(none).isEmpty();
  }
}
