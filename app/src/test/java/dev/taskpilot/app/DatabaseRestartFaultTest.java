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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault test of a database outage: PostgreSQL, external to Taskpilot, is stopped for 20 s in
 * the middle of a run that prints numbered lines, and started again on the same port and data. The
 * task succeeds, every line is stored exactly once and in order, the API answers 503 with
 * Retry-After meanwhile and recovers by itself.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatabaseRestartFaultTest {
  private static final int LINES = 400;
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @Test
  void shouldSucceedWithEveryLineOnceInOrderWhenPostgresRestartsDuringTheRun() throws Exception {
    // given: a PostgreSQL of its own on a fixed port, and an agent printing a line every 100 ms
    Path pgData = Files.createTempDirectory("taskpilot-outage-pg-");
    int port = freePort();
    EmbeddedDatabase postgres = EmbeddedDatabase.start(pgData, port);
    String url = postgres.databaseUrl("taskpilot_outage");
    Map<String, String> database =
        Map.of(
            "datasources.default.url",
            url,
            "datasources.default.username",
            postgres.username(),
            "datasources.default.password",
            postgres.password());
    String script =
        "for i in $(seq 1 " + LINES + "); do echo \"line $i\"; sleep 0.1; done; echo done";
    List<Integer> outageAnswers = new ArrayList<>();
    try (RunningTaskpilot taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-outage-"),
            database,
            Map.of(
                "taskpilot.agents.counter.command",
                List.of("bash", "-c", script),
                "taskpilot.agents.counter.prompt",
                "argument",
                // Requests during the outage give up on a connection within a second.
                "datasources.default.connection-timeout",
                1000))) {
      String id =
          taskpilot.create("{\"prompt\": \"count\", \"agent\": \"counter\"}").path("id").asText();
      awaitOutputLines(taskpilot, id, 30);

      // when: PostgreSQL stops for 20 s and starts again on the same port and data
      postgres.close();
      Instant back = Instant.now().plus(OUTAGE);
      HttpResponse<String> during = taskpilot.get("/api/v1/tasks/" + id);
      outageAnswers.add(during.statusCode());
      assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
      assertThat(RunningTaskpilot.json(during).path("code").asText())
          .isEqualTo("DATABASE_UNAVAILABLE");
      assertThat(during.headers().firstValue("Retry-After")).isPresent();
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), back).toMillis()));
      postgres = EmbeddedDatabase.start(pgData, port);

      // then: the API is back by itself, and the task succeeds
      JsonNode done = awaitStatusThroughOutage(taskpilot, id, "SUCCEEDED", Duration.ofMinutes(2));
      List<String> output = allOutput(taskpilot, id);
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= LINES; i++) {
        expected.add("line " + i);
      }
      expected.add("done");
      System.out.printf(
          "database restart fault test: %d lines stored, %d expected, run attempts %s%n",
          output.size(), expected.size(), done.path("run").path("attempt").asText());
      assertThat(output).containsExactlyElementsOf(expected);
      assertThat(done.path("run").path("attempt").asInt(1)).isEqualTo(1);
    } finally {
      postgres.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitOutputLines(RunningTaskpilot taskpilot, String id, int lines)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> page = taskpilot.get("/api/v1/tasks/" + id + "/output");
      if (page.statusCode() == 200 && page.body().lines().count() >= lines) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("task " + id + " never printed " + lines + " lines");
  }

  /** Polls the task, taking 503s as the database not being back yet. */
  private static JsonNode awaitStatusThroughOutage(
      RunningTaskpilot taskpilot, String id, String status, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode task = null;
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> response = taskpilot.get("/api/v1/tasks/" + id);
      if (response.statusCode() == 200) {
        task = RunningTaskpilot.json(response);
        if (status.equals(task.path("status").asText())) {
          return task;
        }
        assertThat(task.path("status").asText()).isNotIn("FAILED", "CANCELLED");
      } else {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("task " + id + " never reached " + status + "; last seen: " + task);
  }

  private static List<String> allOutput(RunningTaskpilot taskpilot, String id) {
    List<String> lines = new ArrayList<>();
    long after = 0;
    boolean more = true;
    while (more) {
      HttpResponse<String> page = taskpilot.get("/api/v1/tasks/" + id + "/output?after=" + after);
      assertThat(page.statusCode()).isEqualTo(200);
      lines.addAll(page.body().lines().toList());
      after = Long.parseLong(page.headers().firstValue("X-Last-Line").orElseThrow());
      more = Boolean.parseBoolean(page.headers().firstValue("X-More-Output").orElseThrow());
    }
    return lines;
  }
}
