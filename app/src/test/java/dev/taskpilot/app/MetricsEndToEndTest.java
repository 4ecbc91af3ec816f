package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Takes a task to SUCCEEDED in dev, then reads {@code /prometheus} with the admin token: the domain
 * metrics and the Temporal SDK's own are there.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MetricsEndToEndTest {
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-test-"),
            TestDatabase.freshDatasourceProperties(),
            Map.of("taskpilot.metrics.temporal-report-interval", "200ms"));
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  @Test
  void shouldExportTaskAgentAndTemporalMetricsWhenTaskSucceeds() {
    // given
    String id =
        taskpilot.create("{\"prompt\": \"Write a haiku about meters\"}").path("id").asText();
    taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));

    // an event stream on the ended task: it sends what there is and ends
    HttpResponse<String> events = taskpilot.get("/api/v1/tasks/" + id + "/events");
    assertThat(events.statusCode()).isEqualTo(200);

    // when: the SDK's metrics arrive with its next report
    String scrape = scrapeUntil("temporal_workflow_completed_total");

    // then
    assertThat(value(scrape, "taskpilot_task_creations_total", "")).isEqualTo(1.0);
    assertThat(value(scrape, "taskpilot_tasks_finished_total", "status=\"SUCCEEDED\""))
        .isEqualTo(1.0);
    assertThat(
            value(
                scrape,
                "taskpilot_agent_runs_seconds_count",
                "outcome=\"COMPLETED\",profile=\"example\""))
        .isEqualTo(1.0);
    assertThat(
            value(
                scrape,
                "taskpilot_agent_runs_seconds_sum",
                "outcome=\"COMPLETED\",profile=\"example\""))
        .isPositive();
    // the stream may still be being closed: present, and at most that one
    assertThat(value(scrape, "taskpilot_sse_streams_open", "")).isBetween(0.0, 1.0);
    assertThat(scrape).doesNotContain(id);
    assertThat(
            taskpilot
                .sendAnonymous(TestHttp.request(taskpilot.uri("/prometheus")).GET().build())
                .statusCode())
        .isEqualTo(401);
  }

  /** Scrapes until the metric appears (the SDK reports on an interval), failing after 30 s. */
  static String scrapeUntil(String metric) {
    Instant deadline = Instant.now().plusSeconds(30);
    String body = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> response = taskpilot.get("/prometheus");
      assertThat(response.statusCode()).isEqualTo(200);
      body = response.body();
      if (body.lines().anyMatch(line -> line.startsWith(metric))) {
        return body;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("no " + metric + " in the scrape:\n" + body);
  }

  /** The value of the sample of a metric whose labels contain the given text. */
  static double value(String scrape, String metric, String labels) {
    Pattern sample = Pattern.compile("^" + Pattern.quote(metric) + "(\\{[^}]*})? (\\S+)$");
    return scrape
        .lines()
        .map(sample::matcher)
        .filter(Matcher::matches)
        .filter(m -> m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels))
        .map(m -> Double.parseDouble(m.group(2)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + metric + " {" + labels + "} in:\n" + scrape));
  }
}
