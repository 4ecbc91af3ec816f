package dev.taskpilot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.taskpilot.store.testing.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The retention sweep's batches on real PostgreSQL: what goes, what stays, how much at a time. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionStoreTest implements TestPropertyProvider {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private static final Instant ENDED_BEFORE = NOW.minus(Duration.ofDays(30));
  private static final Instant SECRETS_ENDED_BEFORE = NOW.minus(Duration.ofHours(1));
  private static final Instant OLD = NOW.minus(Duration.ofDays(40));
  private static final Instant RECENT = NOW.minus(Duration.ofDays(1));
  private static final List<String> TERMINAL =
      List.of("SUCCEEDED", "FAILED", "CANCELLED", "REJECTED");
  private static final List<String> ACTIVE =
      List.of(
          "PLANNING",
          "SCHEDULED",
          "AWAITING_APPROVAL",
          "RUNNING",
          "WAITING_FOR_INPUT",
          "PARKED",
          "PAUSED",
          "PUBLISHING");

  /** Every table that holds rows of one task, with its task column. */
  private static final List<String> TASK_TABLES =
      List.of(
          "task_status_changes",
          "task_output",
          "task_secrets",
          "publications",
          "publication_attempts",
          "notifications",
          "approval_tokens",
          "llm_calls",
          "agent_slots",
          "agent_sessions",
          "schedule_runs");

  @Inject RetentionStore retention;
  private Map<String, String> database;
  // Gives every cron run record a fire time of its own.
  private int fires;

  @Override
  public Map<String, String> getProperties() {
    database = TestDatabase.freshDatasourceProperties();
    return database;
  }

  @AfterEach
  void emptyTables() throws SQLException {
    sql(
        "TRUNCATE tasks, task_status_changes, task_output, task_secrets, publications, publication_attempts,"
            + " notifications, approval_tokens, llm_calls, agent_slots, agent_sessions, schedules,"
            + " schedule_secrets, schedule_runs, chat_conversations, owner_context");
  }

  @Test
  void shouldDeleteOldFinishedTasksWithEveryRowAndKeepRecentAndActiveOnes() throws SQLException {
    // given: a live schedule whose cron fires started the tasks
    schedule("sch-live", null);
    List<String> old = new ArrayList<>();
    for (String status : TERMINAL) {
      old.add(taskWithEveryRow(status, OLD, "sch-live"));
    }
    List<String> active = new ArrayList<>();
    for (String status : ACTIVE) {
      active.add(taskWithEveryRow(status, OLD, "sch-live"));
    }
    String recent = taskWithEveryRow("SUCCEEDED", RECENT, "sch-live");
    String justEnded = taskWithEveryRow("FAILED", NOW.minus(Duration.ofMinutes(10)), "sch-live");
    // a manual trigger's old task: the trigger's record numbers the next manual run, so it stays
    String manual = task("SUCCEEDED", OLD);
    sql(
        "INSERT INTO schedule_runs (schedule_id, fire_time, manual, task_id, outcome, recorded_at)"
            + " VALUES ('sch-live', ?, TRUE, ?, 'STARTED', ?)",
        OLD,
        manual,
        OLD);

    // when
    List<RetentionCounts> batches = sweep(500);

    // then: one batch did it all
    assertThat(batches).hasSize(1);
    RetentionCounts counts = batches.getFirst();
    assertThat(counts.complete()).isTrue();
    assertThat(counts.tasks()).isEqualTo(TERMINAL.size() + 1);
    assertThat(counts.outputLines()).isEqualTo(3L * TERMINAL.size());
    assertThat(counts.taskLlmCalls()).isEqualTo(TERMINAL.size());
    // the backstop purged the recent task's secrets (and the old ones', deleted anyway)
    assertThat(counts.secretsPurged()).isEqualTo(TERMINAL.size() + 1);
    for (String id : old) {
      assertThat(count("SELECT count(*) FROM tasks WHERE id = ?", id)).as(id).isZero();
      for (String table : TASK_TABLES) {
        assertThat(rowsOf(table, id)).as(table + " of " + id).isZero();
      }
    }
    assertThat(count("SELECT count(*) FROM tasks WHERE id = ?", manual)).isZero();
    assertThat(rowsOf("schedule_runs", manual)).as("the manual trigger's record").isOne();
    for (String id : active) {
      assertThat(count("SELECT count(*) FROM tasks WHERE id = ?", id)).as(id).isOne();
      for (String table : TASK_TABLES) {
        assertThat(rowsOf(table, id)).as(table + " of active " + id).isPositive();
      }
    }
    for (String id : List.of(recent, justEnded)) {
      assertThat(count("SELECT count(*) FROM tasks WHERE id = ?", id)).as(id).isOne();
      for (String table : TASK_TABLES) {
        if (!table.equals("task_secrets")) {
          assertThat(rowsOf(table, id)).as(table + " of " + id).isPositive();
        }
      }
    }
    assertThat(rowsOf("task_secrets", recent)).as("secrets of a task ended a day ago").isZero();
    assertThat(rowsOf("task_secrets", justEnded)).as("secrets of a task just ended").isOne();
    assertThat(count("SELECT count(*) FROM schedules WHERE id = 'sch-live'")).isOne();
    assertThat(count("SELECT count(*) FROM schedule_secrets WHERE schedule_id = 'sch-live'"))
        .isOne();
  }

  @Test
  void shouldDeleteOldRowsTiedToNoTaskAndKeepTheStandingContext() throws SQLException {
    // given
    llmCall(null, OLD);
    llmCall(null, RECENT);
    conversation("idle-owner", OLD);
    conversation("chatty-owner", RECENT);
    sql(
        "INSERT INTO owner_context (owner, time_zone, updated_at) VALUES ('idle-owner', 'UTC', ?)",
        OLD);
    schedule("sch-live", null);
    skippedRun("sch-live", OLD);
    skippedRun("sch-live", RECENT);
    schedule("sch-deleted-long-ago", OLD);
    skippedRun("sch-deleted-long-ago", RECENT);
    schedule("sch-deleted-yesterday", RECENT);

    // when
    List<RetentionCounts> batches = sweep(500);

    // then
    assertThat(batches).hasSize(1);
    RetentionCounts counts = batches.getFirst();
    assertThat(counts)
        .extracting(
            RetentionCounts::untiedLlmCalls,
            RetentionCounts::conversations,
            RetentionCounts::skippedRuns,
            RetentionCounts::schedules)
        .containsExactly(1, 1, 1, 1);
    assertThat(count("SELECT count(*) FROM llm_calls WHERE created_at < ?", ENDED_BEFORE)).isZero();
    assertThat(count("SELECT count(*) FROM llm_calls")).isOne();
    assertThat(count("SELECT count(*) FROM chat_conversations WHERE owner = 'chatty-owner'"))
        .isOne();
    assertThat(count("SELECT count(*) FROM chat_conversations")).isOne();
    assertThat(count("SELECT count(*) FROM owner_context WHERE owner = 'idle-owner'"))
        .as("standing context is never deleted")
        .isOne();
    assertThat(count("SELECT count(*) FROM schedule_runs WHERE schedule_id = 'sch-live'")).isOne();
    assertThat(count("SELECT count(*) FROM schedules WHERE id = 'sch-deleted-long-ago'")).isZero();
    assertThat(rowsOf("schedule_secrets", "sch-deleted-long-ago")).isZero();
    assertThat(
            count(
                "SELECT count(*) FROM schedule_runs WHERE schedule_id = ?", "sch-deleted-long-ago"))
        .isZero();
    assertThat(count("SELECT count(*) FROM schedules WHERE id = 'sch-deleted-yesterday'")).isOne();
    assertThat(count("SELECT count(*) FROM schedules WHERE id = 'sch-live'")).isOne();
  }

  @Test
  void shouldDeleteAtMostTheBatchSizeOfTasksAndTheirOutputPerTransaction() throws SQLException {
    // given: five old finished tasks, the oldest with more output than one batch may delete
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(task("SUCCEEDED", OLD.plusSeconds(i)));
    }
    int manyLines = 2 * RetentionStore.OUTPUT_LINES_PER_TASK + 50;
    output(ids.getFirst(), manyLines);
    output(ids.get(1), 3);

    // when: batches of 2
    List<RetentionCounts> batches = sweep(2);

    // then: the output of the oldest two first, then the tasks two at a time, oldest first
    assertThat(batches)
        .extracting(RetentionCounts::tasks, RetentionCounts::outputLines, RetentionCounts::complete)
        .containsExactly(
            tuple(0, 200L, false), tuple(2, 53L, false), tuple(2, 0L, false), tuple(1, 0L, true));
    assertThat(count("SELECT count(*) FROM tasks")).isZero();
    assertThat(count("SELECT count(*) FROM task_output")).isZero();
  }

  @Test
  void shouldPurgeSecretsButKeepTasksWhenTaskRetentionIsOff() throws SQLException {
    // given
    schedule("sch-live", null);
    String old = taskWithEveryRow("SUCCEEDED", OLD, "sch-live");
    llmCall(null, OLD);

    // when
    RetentionCounts counts = retention.deleteBatch(null, SECRETS_ENDED_BEFORE, 500);

    // then
    assertThat(counts.complete()).isTrue();
    assertThat(counts.tasks()).isZero();
    assertThat(counts.secretsPurged()).isOne();
    assertThat(count("SELECT count(*) FROM tasks WHERE id = ?", old)).isOne();
    assertThat(rowsOf("task_output", old)).isEqualTo(3);
    assertThat(rowsOf("task_secrets", old)).isZero();
    assertThat(count("SELECT count(*) FROM llm_calls WHERE task_id IS NULL")).isOne();
  }

  @Test
  void shouldPurgeSecretsOfAtMostTheBatchSizeOfTasksPerTransaction() throws SQLException {
    // given
    for (int i = 0; i < 3; i++) {
      secret(task("CANCELLED", RECENT), "ntfy-0");
    }

    // when
    List<Integer> purged = new ArrayList<>();
    RetentionCounts counts;
    do {
      counts = retention.deleteBatch(null, SECRETS_ENDED_BEFORE, 2);
      purged.add(counts.secretsPurged());
    } while (!counts.complete());

    // then
    assertThat(purged).containsExactly(2, 1);
    assertThat(count("SELECT count(*) FROM task_secrets")).isZero();
  }

  /** Batches until one is complete, at most 20. */
  private List<RetentionCounts> sweep(int limit) {
    List<RetentionCounts> batches = new ArrayList<>();
    RetentionCounts counts;
    do {
      counts = retention.deleteBatch(ENDED_BEFORE, SECRETS_ENDED_BEFORE, limit);
      batches.add(counts);
    } while (!counts.complete() && batches.size() < 20);
    return batches;
  }

  /** A task that ended (last changed) at {@code ended}, with rows in every table of a task. */
  private String taskWithEveryRow(String status, Instant ended, String scheduleId)
      throws SQLException {
    String id = task(status, ended);
    output(id, 3);
    secret(id, "webhook-0");
    sql(
        "INSERT INTO task_status_changes (task_id, version, status, at) VALUES (?, 1, ?, ?)",
        id,
        status,
        ended);
    sql(
        "INSERT INTO publications (task_id, target_key, target_type, status, attempts,"
            + " idempotency_key, created_at, updated_at)"
            + " VALUES (?, 'webhook-0', 'webhook', 'DELIVERED', 1, ?, ?, ?)",
        id,
        id + "-webhook-0",
        ended,
        ended);
    sql(
        "INSERT INTO publication_attempts (task_id, target_key, attempt, action, outcome,"
            + " started_at, ended_at) VALUES (?, 'webhook-0', 1, 'SEND', 'DELIVERED', ?, ?)",
        id,
        ended,
        ended);
    sql(
        "INSERT INTO notifications (task_id, channel, event, attempt, outcome, created_at)"
            + " VALUES (?, 'ntfy-0', 'SUCCEEDED', 1, 'SENT', ?)",
        id,
        ended);
    sql(
        "INSERT INTO approval_tokens (token_hash, task_id, gate, created_at) VALUES (?, ?, 1, ?)",
        UUID.randomUUID().toString(),
        id,
        ended);
    llmCall(id, ended);
    sql(
        "INSERT INTO agent_slots (task_id, agent, priority, submitted_at, state, lease_until)"
            + " VALUES (?, 'example', 5, ?, 'WAITING', ?)",
        id,
        ended,
        NOW.plus(Duration.ofHours(1)));
    sql(
        "INSERT INTO agent_sessions (task_id, session_id, updated_at) VALUES (?, 'session-1', ?)",
        id,
        ended);
    sql(
        "INSERT INTO schedule_runs (schedule_id, fire_time, manual, task_id, outcome, recorded_at)"
            + " VALUES (?, ?, FALSE, ?, 'STARTED', ?)",
        scheduleId,
        ended.minusSeconds(++fires),
        id,
        ended);
    return id;
  }

  private String task(String status, Instant ended) throws SQLException {
    String id = "task-" + UUID.randomUUID();
    sql(
        "INSERT INTO tasks (id, owner, title, prompt, agent, status, priority, request,"
            + " request_hash, version, created_at, updated_at)"
            + " VALUES (?, 'default', 'title', 'prompt', 'example', ?, 5, '{}', 'hash', 3, ?, ?)",
        id,
        status,
        ended.minus(Duration.ofMinutes(5)),
        ended);
    return id;
  }

  private void output(String taskId, int lines) throws SQLException {
    sql(
        "INSERT INTO task_output (task_id, line_no, attempt, text, created_at)"
            + " SELECT ?, n, 1, 'line ' || n, ? FROM generate_series(1, ?) AS n",
        taskId,
        NOW,
        lines);
  }

  private void secret(String taskId, String name) throws SQLException {
    sql(
        "INSERT INTO task_secrets (task_id, name, value, created_at) VALUES (?, ?, 's3cret', ?)",
        taskId,
        name,
        NOW);
  }

  private void llmCall(String taskId, Instant at) throws SQLException {
    sql(
        "INSERT INTO llm_calls (owner, task_id, purpose, provider, request, duration_ms, outcome,"
            + " created_at) VALUES ('default', ?, ?, 'openai', '{}', 10, 'OK', ?)",
        taskId,
        taskId == null ? "chat" : "plan",
        at);
  }

  private void conversation(String owner, Instant updated) throws SQLException {
    sql(
        "INSERT INTO chat_conversations (owner, messages, updated_at) VALUES (?, '[]', ?)",
        owner,
        updated);
  }

  /** A schedule with one secret, deleted at {@code deletedAt} unless null. */
  private void schedule(String id, Instant deletedAt) throws SQLException {
    sql(
        "INSERT INTO schedules (id, owner, name, cron, time_zone, task, overlap, catchup_window,"
            + " paused, handled_until, state_version, created_at, updated_at, deleted_at)"
            + " VALUES (?, 'default', ?, '0 9 * * *', 'UTC', '{}', 'SKIP', 'PT1H', FALSE, ?, 1,"
            + " ?, ?, ?)",
        id,
        id,
        OLD,
        OLD,
        OLD,
        deletedAt);
    sql(
        "INSERT INTO schedule_secrets (schedule_id, name, value, created_at)"
            + " VALUES (?, 'webhook-0', 's3cret', ?)",
        id,
        OLD);
  }

  private void skippedRun(String scheduleId, Instant recorded) throws SQLException {
    sql(
        "INSERT INTO schedule_runs (schedule_id, fire_time, manual, task_id, outcome, reason,"
            + " recorded_at) VALUES (?, ?, FALSE, NULL, 'SKIPPED', 'OVERLAP', ?)",
        scheduleId,
        recorded,
        recorded);
  }

  private long rowsOf(String table, String id) throws SQLException {
    String column = table.startsWith("schedule_secrets") ? "schedule_id" : "task_id";
    return count("SELECT count(*) FROM " + table + " WHERE " + column + " = ?", id);
  }

  private long count(String query, Object... parameters) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement = prepare(connection, query, parameters);
        ResultSet result = statement.executeQuery()) {
      result.next();
      return result.getLong(1);
    }
  }

  private void sql(String statement, Object... parameters) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement prepared = prepare(connection, statement, parameters)) {
      prepared.execute();
    }
  }

  private static PreparedStatement prepare(
      Connection connection, String query, Object... parameters) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(query);
    for (int i = 0; i < parameters.length; i++) {
      Object value = parameters[i];
      if (value instanceof Instant instant) {
        statement.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
      } else {
        statement.setObject(i + 1, value);
      }
    }
    return statement;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(
        database.get("datasources.default.url"),
        database.get("datasources.default.username"),
        database.get("datasources.default.password"));
  }
}
