package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    // given: what earlier tests of this class counted
    String before = taskpilot.get("/prometheus").body();
    String example = "outcome=\"COMPLETED\",profile=\"example\"";
    String delivered = "action=\"SEND\",outcome=\"DELIVERED\",type=\"file\"";
    String id =
        taskpilot
            .create(
                """
                {"prompt": "Write a haiku about meters",
                 "publish": [{"type": "file", "path": "poems/meters.md"}]}
                """)
            .path("id")
            .asText();
    taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));

    // an event stream on the ended task: it sends what there is and ends
    HttpResponse<String> events = taskpilot.get("/api/v1/tasks/" + id + "/events");
    assertThat(events.statusCode()).isEqualTo(200);

    // when: the SDK's metrics arrive with its next report
    String scrape = scrapeUntil("temporal_workflow_completed_total");

    // then
    String succeeded = "status=\"SUCCEEDED\"";
    assertThat(added(before, scrape, "taskpilot_task_creations_total", "")).isEqualTo(1.0);
    assertThat(added(before, scrape, "taskpilot_tasks_finished_total", succeeded)).isEqualTo(1.0);
    assertThat(added(before, scrape, "taskpilot_agent_runs_seconds_count", example)).isEqualTo(1.0);
    assertThat(added(before, scrape, "taskpilot_agent_runs_seconds_sum", example)).isPositive();
    // the stream may still be being closed: present, and at most that one
    assertThat(value(scrape, "taskpilot_sse_streams_open", "")).isBetween(0.0, 1.0);
    assertThat(added(before, scrape, "taskpilot_publish_steps_total", delivered)).isEqualTo(1.0);
    assertThat(value(scrape, "taskpilot_slots_waiting", "")).isZero();
    String exampleProfile = "profile=\"example\"";
    assertThat(added(before, scrape, "taskpilot_slot_wait_seconds_count", exampleProfile))
        .as("one slot granted to the run")
        .isEqualTo(1.0);
    assertThat(value(scrape, "taskpilot_slot_wait_seconds_sum", exampleProfile)).isNotNegative();
    assertThat(scrape).doesNotContain(id);
    assertThat(
            taskpilot
                .sendAnonymous(TestHttp.request(taskpilot.uri("/prometheus")).GET().build())
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void shouldReferenceOnlyExportedMetricsWhenDashboardIsRead() throws Exception {
    // given: a scrape after a task ran, and the dashboard
    String id =
        taskpilot
            .create(
                """
                {"prompt": "Count the meters",
                 "publish": [{"type": "file", "path": "poems/count.md"}]}
                """)
            .path("id")
            .asText();
    taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));
    String scrape = scrapeUntil("temporal_workflow_completed_total");
    JsonNode dashboard =
        RunningTaskpilot.JSON.readTree(
            Files.readString(
                Path.of(System.getProperty("taskpilot.home"), "deploy/grafana/taskpilot.json")));

    // when
    Set<String> referenced = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher names = METRIC_NAME.matcher(target.path("expr").asText());
        while (names.find()) {
          referenced.add(names.group());
        }
      }
    }
    Set<String> exported = new TreeSet<>();
    scrape
        .lines()
        .filter(line -> !line.startsWith("#"))
        .map(METRIC_NAME::matcher)
        .filter(Matcher::lookingAt)
        .forEach(m -> exported.add(m.group()));

    // then: every name is in the scrape, but those that need an LLM call or a notification
    assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(10);
    assertThat(referenced)
        .contains("taskpilot_task_creations_total", "temporal_workflow_completed_total")
        .allSatisfy(
            name ->
                assertThat(exported.contains(name) || NOT_IN_A_DEV_RUN.contains(name))
                    .as(name + " is exported (exported: " + exported + ")")
                    .isTrue());
  }

  /**
   * Dashboard metrics a dev task with the example agent (which reports no cost), no LLM and no
   * notification channel does not produce, nor a run in which no Temporal request failed.
   */
  static final Set<String> NOT_IN_A_DEV_RUN =
      Set.of(
          "taskpilot_agent_cost_usd_sum",
          "temporal_request_failure_total",
          "taskpilot_llm_tokens_total",
          "taskpilot_llm_cost_usd_total",
          "taskpilot_notify_attempts_total");

  private static final Pattern METRIC_NAME = Pattern.compile("\\b(taskpilot|temporal)_[a-z_]+");

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

  /** How much a sample grew from one scrape to the next (absent in the first: from 0). */
  static double added(String before, String after, String metric, String labels) {
    double then;
    try {
      then = value(before, metric, labels);
    } catch (AssertionError absent) {
      then = 0;
    }
    return value(after, metric, labels) - then;
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
