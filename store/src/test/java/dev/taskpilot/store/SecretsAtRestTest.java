package dev.taskpilot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.store.crypto.DecryptionException;
import dev.taskpilot.store.crypto.EncryptionKeys;
import dev.taskpilot.store.crypto.SecretCipher;
import dev.taskpilot.store.testing.TestDatabase;
import io.micronaut.context.annotation.Value;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Task and schedule secrets at rest: what the tables hold is ciphertext bound to its row, copies to
 * a scheduled run's task are sealed again, rows from before encryption are read and re-encrypted,
 * and so are rows of a previous key after a rotation.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsAtRestTest implements TestPropertyProvider {
  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  private static final String SECRET = "whsec-marker-8d1f0c";

  private final Map<String, String> database = TestDatabase.freshDatasourceProperties();

  @Inject TaskRepository tasks;
  @Inject TaskSecrets taskSecrets;
  @Inject ScheduleSecrets scheduleSecrets;
  @Inject TaskSecretRepository taskRows;
  @Inject ScheduleSecretRepository scheduleRows;
  @Inject SecretCipher cipher;
  @Inject SecretReencryption reencryption;

  @Value("${taskpilot.encryption.key}")
  String testKey;

  @Override
  public Map<String, String> getProperties() {
    return database;
  }

  @Test
  void shouldStoreOnlyCiphertextWhenASecretIsPut() throws SQLException {
    // given
    tasks.save(TaskRepositoryTest.task("s-put", T0, "PLANNING"));

    // when
    taskSecrets.put("s-put", "webhook:https://hooks.example/a", SECRET, T0);
    taskSecrets.put("s-put", "ntfy:https://ntfy.example/b", SECRET, T0);

    // then: the same secret twice, two different ciphertexts, neither showing it
    List<String> stored = values("task_secrets", "task_id", "s-put");
    assertThat(stored)
        .hasSize(2)
        .doesNotHaveDuplicates()
        .allSatisfy(value -> assertThat(value).startsWith(cipher.currentPrefix()))
        .noneMatch(value -> value.contains(SECRET));
    assertThat(taskSecrets.find("s-put", "webhook:https://hooks.example/a")).hasValue(SECRET);
    assertThat(taskSecrets.find("s-put", "ntfy:https://ntfy.example/b")).hasValue(SECRET);
    assertThat(taskSecrets.find("s-put", "webhook:https://hooks.example/none")).isEmpty();
  }

  @Test
  void shouldRefuseACiphertextWhenItWasMovedToAnotherRow() {
    // given: one task's stored value copied into another task's row, and under another name
    tasks.save(TaskRepositoryTest.task("s-from", T0, "PLANNING"));
    tasks.save(TaskRepositoryTest.task("s-to", T0, "PLANNING"));
    taskSecrets.put("s-from", "webhook", SECRET, T0);
    String stored = taskRows.find("s-from", "webhook").orElseThrow();
    taskRows.put("s-to", "webhook", stored, T0);
    taskRows.put("s-from", "other", stored, T0);

    // then
    assertThatThrownBy(() -> taskSecrets.find("s-to", "webhook"))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("cannot be decrypted")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> taskSecrets.find("s-from", "other"))
        .isInstanceOf(DecryptionException.class);
    assertThat(taskSecrets.find("s-from", "webhook")).hasValue(SECRET);
  }

  @Test
  void shouldSealTheCopyForTheTaskWhenAScheduleStartsARun() throws SQLException {
    // given
    schedule("sch-copy");
    tasks.save(TaskRepositoryTest.task("sch-copy-run", T0, "PLANNING"));
    scheduleSecrets.put("sch-copy", "webhook", SECRET, T0);
    scheduleSecrets.put("sch-copy", "ntfy", "tk_token_marker", T0);
    taskSecrets.put("sch-copy-run", "ntfy", "the task's own", T0);

    // when
    int copied = scheduleSecrets.copyToTask("sch-copy", "sch-copy-run", T0);

    // then: the task keeps its own, gets the other, and no value is shared with the schedule
    assertThat(copied).isOne();
    assertThat(taskSecrets.find("sch-copy-run", "webhook")).hasValue(SECRET);
    assertThat(taskSecrets.find("sch-copy-run", "ntfy")).hasValue("the task's own");
    List<String> scheduleValues = values("schedule_secrets", "schedule_id", "sch-copy");
    assertThat(scheduleValues).hasSize(2).noneMatch(value -> value.contains(SECRET));
    assertThat(values("task_secrets", "task_id", "sch-copy-run"))
        .noneMatch(value -> value.contains(SECRET))
        .doesNotContainAnyElementsOf(scheduleValues);
  }

  @Test
  void shouldReadAndReencryptRowsWhenTheyWereWrittenBeforeEncryption() throws SQLException {
    // given: a row V10 marked as plain text, and one an older process wrote after it
    tasks.save(TaskRepositoryTest.task("s-legacy", T0, "PLANNING"));
    taskRows.put("s-legacy", "marked", "plain:" + SECRET, T0);
    taskRows.put("s-legacy", "unmarked", SECRET, T0);
    schedule("sch-legacy");
    scheduleRows.put("sch-legacy", "webhook", "plain:v1:looks-sealed", T0);

    // when
    assertThat(taskSecrets.find("s-legacy", "marked")).hasValue(SECRET);
    assertThat(taskSecrets.find("s-legacy", "unmarked")).hasValue(SECRET);
    SecretReencryption.Result result = reencryption.run();

    // then
    assertThat(result.reencrypted()).isGreaterThanOrEqualTo(3);
    assertThat(result.unreadable()).isZero();
    assertThat(values("task_secrets", "task_id", "s-legacy"))
        .hasSize(2)
        .allSatisfy(value -> assertThat(value).startsWith(cipher.currentPrefix()));
    assertThat(taskSecrets.find("s-legacy", "marked")).hasValue(SECRET);
    assertThat(taskSecrets.find("s-legacy", "unmarked")).hasValue(SECRET);
    tasks.save(TaskRepositoryTest.task("sch-legacy-run", T0, "PLANNING"));
    scheduleSecrets.copyToTask("sch-legacy", "sch-legacy-run", T0);
    assertThat(taskSecrets.find("sch-legacy-run", "webhook")).hasValue("v1:looks-sealed");
    assertThat(reencryption.run().reencrypted()).as("a second pass").isZero();
  }

  @Test
  void shouldReencryptWithTheNewKeyWhenTheKeyWasRotated() throws SQLException {
    // given: a row sealed with today's key, then a process with a new key and today's as previous
    tasks.save(TaskRepositoryTest.task("s-rotate", T0, "PLANNING"));
    taskSecrets.put("s-rotate", "webhook", SECRET, T0);
    byte[] next = EncryptionKeys.parse(EncryptionKeys.generate(), "k");
    byte[] today = EncryptionKeys.parse(testKey, "k");
    SecretCipher rotated = new SecretCipher(EncryptionKeys.of(next, List.of(today)));
    TaskSecrets rotatedSecrets = new TaskSecrets(taskRows, rotated);

    // when
    assertThat(rotatedSecrets.find("s-rotate", "webhook")).hasValue(SECRET);
    var result = new SecretReencryption(taskRows, scheduleRows, rotated).run();

    // then: the row now opens with the new key only
    assertThat(result.reencrypted()).isGreaterThanOrEqualTo(1);
    assertThat(values("task_secrets", "task_id", "s-rotate"))
        .singleElement()
        .satisfies(value -> assertThat(value).startsWith(rotated.currentPrefix()));
    assertThat(rotatedSecrets.find("s-rotate", "webhook")).hasValue(SECRET);
    assertThatThrownBy(() -> taskSecrets.find("s-rotate", "webhook"))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("sealed with key");
  }

  @Test
  void shouldMarkEverySecretAsPlainTextWhenV10Migrates() throws SQLException {
    // given: a database at V9 holding plain secrets, one of which looks like a ciphertext
    TestDatabase.Fresh fresh = TestDatabase.freshDatabase();
    fresh.migrateTo("9");
    try (Connection connection = fresh.connect();
        var statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO tasks (id, owner, title, prompt, agent, status, priority, request,"
              + " request_hash, version, created_at, updated_at) VALUES ('t', 'default', 't', 'p',"
              + " 'example', 'PLANNING', 5, '{}', 'h', 0, now(), now())");
      statement.execute(
          "INSERT INTO task_secrets VALUES ('t', 'a', 'v1:not-a-ciphertext', now()),"
              + " ('t', 'b', 's3cret', now())");
    }

    // when
    fresh.migrate();

    // then
    try (Connection connection = fresh.connect();
        var statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT value FROM task_secrets ORDER BY name")) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      assertThat(values).containsExactly("plain:v1:not-a-ciphertext", "plain:s3cret");
    }
  }

  private void schedule(String id) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "INSERT INTO schedules (id, owner, name, cron, time_zone, task, overlap,"
                    + " catchup_window, paused, handled_until, state_version, created_at,"
                    + " updated_at) VALUES (?, 'default', ?, '0 9 * * *', 'UTC', '{}', 'SKIP',"
                    + " 'PT1H', FALSE, now(), 1, now(), now())")) {
      statement.setString(1, id);
      statement.setString(2, id);
      statement.executeUpdate();
    }
  }

  private List<String> values(String table, String column, String id) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT value FROM " + table + " WHERE " + column + " = ? ORDER BY name")) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        List<String> values = new ArrayList<>();
        while (rows.next()) {
          values.add(rows.getString(1));
        }
        return values;
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(
        database.get("datasources.default.url"),
        database.get("datasources.default.username"),
        database.get("datasources.default.password"));
  }
}
