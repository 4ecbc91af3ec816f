package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.worker.FleetHeartbeat;
import dev.taskpilot.worker.TaskWorkers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fleet registry in dev: the worker's row and heartbeat, the runs it holds and the queues per
 * profile in {@code GET /api/v1/fleet}, the slot wait metric, silent workers told apart and
 * forgotten, draining shown, the row gone on a clean stop.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FleetEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * This process's worker identity (dev runs the worker in the test's JVM). The silent rows the
   * tests add have pids 1 and 2, so they never match: a pattern of any pid once picked one of them
   * whenever it sorted first (by pid digits), and the draining check failed.
   */
  private static final String IDENTITY = ProcessHandle.current().pid() + "@.+/worker-1-[0-9a-f]{6}";

  private static Map<String, String> database;
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabase.freshDatasourceProperties();
    taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-test-"),
            database,
            Map.of(
                "taskpilot.fleet.heartbeat-interval", "200ms",
                "taskpilot.slots.max-runs.sleepy", "1",
                "taskpilot.worker.sticky-timeout", "0s"));
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  @Test
  void shouldShowTheWorkerItsRunAndTheQueuesWhenAnAdminAsks() {
    // given: a sleepy run holds the profile's only slot, a second one waits for it
    String running = create("sleepy");
    taskpilot.awaitStatus(running, "RUNNING", WAIT);
    String waiting = create("sleepy");

    // when
    JsonNode fleet =
        fleetUntil(
            f ->
                profile(f, "sleepy").path("waiting").asLong() == 1
                    && mine(f).path("running").size() == 1);

    // then
    JsonNode worker = mine(fleet);
    assertThat(worker.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(worker.path("host").asText()).isNotBlank();
    assertThat(worker.path("taskQueue").asText()).isEqualTo("taskpilot-workflows");
    assertThat(worker.path("alive").asBoolean()).isTrue();
    assertThat(worker.path("draining").asBoolean()).isFalse();
    assertThat(Instant.parse(worker.path("lastSeen").asText()))
        .isAfterOrEqualTo(Instant.parse(worker.path("startedAt").asText()));
    assertThat(worker.path("agents").path("sleepy").asInt()).isEqualTo(1);
    assertThat(worker.path("agents").path("example").asInt()).isEqualTo(2);
    JsonNode run = worker.path("running").get(0);
    assertThat(run.path("taskId").asText()).isEqualTo(running);
    assertThat(run.path("agent").asText()).isEqualTo("sleepy");
    assertThat(Instant.parse(run.path("since").asText())).isBefore(Instant.now());
    JsonNode sleepy = profile(fleet, "sleepy");
    assertThat(sleepy.path("capacity").asInt()).isEqualTo(1);
    assertThat(sleepy.path("running").asLong()).isEqualTo(1);
    assertThat(Instant.parse(sleepy.path("oldestWaitingSince").asText())).isBefore(Instant.now());
    JsonNode example = profile(fleet, "example");
    assertThat(example.path("capacity").asInt()).isEqualTo(2);
    assertThat(example.path("running").asLong()).isZero();
    assertThat(example.path("waiting").asLong()).isZero();
    assertThat(example.has("oldestWaitingSince")).isTrue();
    assertThat(example.path("oldestWaitingSince").isNull()).isTrue();

    // and when the running one is cancelled, the waiting one is granted and its wait timed
    cancel(running);
    taskpilot.awaitStatus(waiting, "RUNNING", WAIT);
    cancel(waiting);
    String scrape = taskpilot.get("/prometheus").body();
    assertThat(MetricsEndToEndTest.value(scrape, "taskpilot_slot_wait_seconds_count", "sleepy"))
        .isGreaterThanOrEqualTo(2.0);
  }

  @Test
  void shouldForgetSilentWorkersShowDrainingAndDeleteTheRowOnACleanStop() throws Exception {
    // given: a worker silent for an hour, one silent for two days
    insertWorker("1@gone/worker-1-aaaaaa", Instant.now().minus(Duration.ofHours(1)));
    insertWorker("2@gone/worker-1-bbbbbb", Instant.now().minus(Duration.ofDays(2)));

    // when: a heartbeat has gone by
    JsonNode fleet =
        fleetUntil(
            f -> identities(f).size() == 2 && identities(f).contains("1@gone/worker-1-aaaaaa"));

    // then: the two-day one is forgotten, the hour one is shown as not alive
    JsonNode silent = worker(fleet, "1@gone/worker-1-aaaaaa");
    assertThat(silent.path("alive").asBoolean()).isFalse();
    String mine =
        identities(fleet).stream().filter(id -> id.matches(IDENTITY)).findFirst().orElseThrow();

    // when: this process's worker drains
    taskpilot.runtime().context().getBean(FleetHeartbeat.class).draining();
    assertThat(worker(fleet(), mine).path("draining").asBoolean()).isTrue();

    // when: it stops cleanly, and starts again
    TaskWorkers workers = taskpilot.runtime().context().getBean(TaskWorkers.class);
    workers.stop();
    assertThat(identities(fleet())).containsExactly("1@gone/worker-1-aaaaaa");
    workers.start();

    // then: the new start has a new identity
    List<String> after = identities(fleet());
    assertThat(after).hasSize(2).doesNotContain(mine);
    assertThat(after).anyMatch(id -> id.matches(IDENTITY));
  }

  @Test
  void shouldRefuseTheFleetToAllButAdmins() {
    HttpResponse<String> anonymous =
        taskpilot.sendAnonymous(TestHttp.request(taskpilot.uri("/api/v1/fleet")).GET().build());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(taskpilot.get("/api/v1/fleet").statusCode()).isEqualTo(200);
  }

  private static String create(String agent) {
    return taskpilot
        .create("{\"prompt\": \"sleep\", \"agent\": \"" + agent + "\"}")
        .path("id")
        .asText();
  }

  private static void cancel(String id) {
    HttpResponse<String> response = taskpilot.post("/api/v1/tasks/" + id + "/cancel", "{}");
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
  }

  private static JsonNode fleet() {
    HttpResponse<String> response = taskpilot.get("/api/v1/fleet");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RunningTaskpilot.json(response);
  }

  private static JsonNode fleetUntil(Predicate<JsonNode> done) {
    Instant deadline = Instant.now().plus(WAIT);
    JsonNode fleet = fleet();
    while (!done.test(fleet)) {
      assertThat(Instant.now()).as("fleet never got there: " + fleet).isBefore(deadline);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      fleet = fleet();
    }
    return fleet;
  }

  private static JsonNode profile(JsonNode fleet, String agent) {
    for (JsonNode profile : fleet.path("profiles")) {
      if (profile.path("agent").asText().equals(agent)) {
        return profile;
      }
    }
    throw new AssertionError("no profile " + agent + " in " + fleet);
  }

  /** This process's worker (others in the registry are the silent ones another test adds). */
  private static JsonNode mine(JsonNode fleet) {
    for (JsonNode worker : fleet.path("workers")) {
      if (worker.path("identity").asText().matches(IDENTITY)) {
        return worker;
      }
    }
    return RunningTaskpilot.JSON.missingNode();
  }

  private static JsonNode worker(JsonNode fleet, String identity) {
    for (JsonNode worker : fleet.path("workers")) {
      if (worker.path("identity").asText().equals(identity)) {
        return worker;
      }
    }
    throw new AssertionError("no worker " + identity + " in " + fleet);
  }

  private static List<String> identities(JsonNode fleet) {
    List<String> identities = new ArrayList<>();
    fleet.path("workers").forEach(worker -> identities.add(worker.path("identity").asText()));
    return identities;
  }

  private static void insertWorker(String identity, Instant lastSeen) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                database.get("datasources.default.url"),
                database.get("datasources.default.username"),
                database.get("datasources.default.password"));
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO workers (identity, host, pid, task_queue, agent_slots, started_at,"
                    + " last_seen) VALUES (?, 'gone', 1, 'taskpilot-workflows', 2, ?, ?)")) {
      insert.setString(1, identity);
      insert.setTimestamp(2, Timestamp.from(lastSeen));
      insert.setTimestamp(3, Timestamp.from(lastSeen));
      insert.executeUpdate();
    }
  }
}
