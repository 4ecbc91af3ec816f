package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.embedded.EmbeddedDatabase;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Readiness tells the truth: DOWN when PostgreSQL or Temporal cannot be reached. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadinessTest {

  @Test
  void shouldReportDownWhenPostgresqlGoesAway() throws Exception {
    // given: dev on a PostgreSQL server of its own
    EmbeddedDatabase database = EmbeddedDatabase.start(null, 0);
    Map<String, String> coordinates =
        Map.of(
            "datasources.default.url", database.databaseUrl("taskpilot"),
            "datasources.default.username", database.username(),
            "datasources.default.password", database.password());
    try (RunningTaskpilot taskpilot =
        RunningTaskpilot.dev(0, Files.createTempDirectory("taskpilot-ready-"), coordinates)) {
      assertThat(taskpilot.get("/health/readiness").statusCode()).isEqualTo(200);

      // when
      database.close();

      // then
      HttpResponse<String> readiness = taskpilot.get("/health/readiness");
      assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
      assertThat(readiness.body()).contains("DOWN");
      assertThat(taskpilot.get("/health/liveness").statusCode()).isEqualTo(200);
      // and the API answers 503 with a stable code and Retry-After, never 500
      HttpResponse<String> create = taskpilot.post("/api/v1/tasks", "{\"prompt\": \"hello\"}");
      assertThat(create.statusCode()).as(create.body()).isEqualTo(503);
      assertThat(RunningTaskpilot.json(create).path("code").asText())
          .isEqualTo("DATABASE_UNAVAILABLE");
      assertThat(create.headers().firstValue("Retry-After")).isPresent();
    }
  }

  @Test
  void shouldReportDownWhenTemporalIsUnreachable() throws Exception {
    // given: a Temporal target where nothing listens
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (RunningTaskpilot taskpilot =
        RunningTaskpilot.dev(
            0,
            Files.createTempDirectory("taskpilot-ready-"),
            dev.taskpilot.store.testing.TestDatabase.freshDatasourceProperties(),
            Map.of("temporal.target", "127.0.0.1:" + closedPort))) {
      // when
      HttpResponse<String> readiness = taskpilot.get("/health/readiness");

      // then
      assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
      assertThat(readiness.body()).contains("temporal");
      HttpResponse<String> create = taskpilot.post("/api/v1/tasks", "{\"prompt\": \"x\"}");
      assertThat(create.statusCode()).as(create.body()).isEqualTo(503);
      assertThat(RunningTaskpilot.json(create).path("code").asText())
          .isEqualTo("ENGINE_UNAVAILABLE");
      assertThat(RunningTaskpilot.json(taskpilot.get("/api/v1/tasks")).path("items")).isEmpty();
    }
  }
}
