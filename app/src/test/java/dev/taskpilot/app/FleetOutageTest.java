package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.embedded.EmbeddedDatabase;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fleet heartbeat through a PostgreSQL outage: its beats fail while the database is stopped,
 * and the worker's row is refreshed again once it is back, without a restart of the worker.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FleetOutageTest {

  @Test
  void shouldGoOnBeatingWhenPostgresComesBackAfterAnOutage() throws Exception {
    // given: a PostgreSQL of its own on a fixed port, a heartbeat every 200 ms
    Path pgData = Files.createTempDirectory("taskpilot-fleet-pg-");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    EmbeddedDatabase postgres = EmbeddedDatabase.start(pgData, port);
    Map<String, String> database =
        Map.of(
            "datasources.default.url",
            postgres.databaseUrl("taskpilot_fleet_outage"),
            "datasources.default.username",
            postgres.username(),
            "datasources.default.password",
            postgres.password());
    try (RunningTaskpilot taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-fleet-outage-"),
            database,
            Map.of(
                "taskpilot.fleet.heartbeat-interval",
                "200ms",
                "datasources.default.connection-timeout",
                1000))) {
      Instant before = lastSeen(awaitFleet(taskpilot));

      // when: PostgreSQL stops for 3 s (several beats fail) and starts again on the same data
      postgres.close();
      Thread.sleep(3_000);
      postgres = EmbeddedDatabase.start(pgData, port);
      Instant back = Instant.now();

      // then: the heartbeat carried on, and the row is fresh again
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      Instant seen = before;
      while (!seen.isAfter(back)) {
        assertThat(Instant.now()).as("no beat after the outage").isBefore(deadline);
        Thread.sleep(200);
        seen = lastSeen(awaitFleet(taskpilot));
      }
      assertThat(awaitFleet(taskpilot).path("workers").get(0).path("alive").asBoolean()).isTrue();
    } finally {
      postgres.close();
    }
  }

  private static Instant lastSeen(JsonNode fleet) {
    return Instant.parse(fleet.path("workers").get(0).path("lastSeen").asText());
  }

  /** The fleet once the API answers (it answers 503 right after an outage) with the worker. */
  private static JsonNode awaitFleet(RunningTaskpilot taskpilot) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      HttpResponse<String> response = taskpilot.get("/api/v1/fleet");
      if (response.statusCode() == 200) {
        JsonNode fleet = RunningTaskpilot.json(response);
        if (fleet.path("workers").size() == 1) {
          return fleet;
        }
      }
      assertThat(Instant.now()).as("fleet: " + response.body()).isBefore(deadline);
      Thread.sleep(200);
    }
  }
}
