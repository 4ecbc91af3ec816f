package dev.taskpilot.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Benchmark, not a test (excluded from the suite; run by {@code bench/schedule-latency.sh}): the
 * start latency of scheduled runs on the dev role's embedded engine, from the fire time to the task
 * workflow's start event (and to the task row's creation). Cron has minute resolution, so {@code
 * bench.schedules} schedules fire every minute together (a burst, like many users' 09:00) until
 * {@code bench.fires} runs were measured; each schedule's first fire is warm-up.
 */
// Generous for the default bench.* sizes; -Djunit.jupiter.execution.timeout.mode=disabled lifts it.
@Timeout(value = 60, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduleLatencyBenchmark {
  private static final int FIRES = Integer.getInteger("bench.fires", 200);
  private static final int SCHEDULES = Integer.getInteger("bench.schedules", 40);

  @Test
  void measureStartLatency() throws Exception {
    List<Long> toWorkflowStart = new ArrayList<>();
    List<Long> toTaskRow = new ArrayList<>();
    try (RunningTaskpilot taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-bench-"),
            TestDatabase.freshDatasourceProperties(),
            Map.of())) {
      WorkflowClient client = taskpilot.runtime().context().getBean(WorkflowClient.class);
      // Runs wait for a slot a day ahead, so no agent process competes with the starts.
      String later = Instant.now().plus(Duration.ofDays(1)).toString();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < SCHEDULES; i++) {
        String body =
            "{\"name\": \"bench "
                + i
                + "\", \"cron\": \"* * * * *\", \"timeZone\": \"UTC\", \"overlap\": \"ALLOW_ALL\","
                + " \"task\": {\"prompt\": \"bench "
                + i
                + "\", \"notBefore\": \""
                + later
                + "\"}}";
        ids.add(
            RunningTaskpilot.json(taskpilot.post("/api/v1/schedules", body)).path("id").asText());
      }
      Set<String> seen = new HashSet<>();
      Instant deadline = Instant.now().plus(Duration.ofMinutes(3L + FIRES / SCHEDULES));
      while (toWorkflowStart.size() < FIRES && Instant.now().isBefore(deadline)) {
        Thread.sleep(2_000);
        for (String id : ids) {
          JsonNode runs = RunningTaskpilot.json(taskpilot.get("/api/v1/schedules/" + id + "/runs"));
          for (JsonNode run : runs.path("items")) {
            String taskId = run.path("taskId").asText();
            if (!"STARTED".equals(run.path("outcome").asText()) || !seen.add(taskId)) {
              continue;
            }
            if (seen.size() <= SCHEDULES) {
              continue;
            }
            Instant fire = Instant.parse(run.path("fireTime").asText());
            HistoryEvent started = client.fetchHistory(taskId).getEvents().getFirst();
            Instant workflowStart =
                Instant.ofEpochSecond(
                    started.getEventTime().getSeconds(), started.getEventTime().getNanos());
            Instant created =
                Instant.parse(
                    RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + taskId))
                        .path("createdAt")
                        .asText());
            if (toWorkflowStart.size() < FIRES) {
              toWorkflowStart.add(Duration.between(fire, workflowStart).toMillis());
              toTaskRow.add(Duration.between(fire, created).toMillis());
            }
          }
        }
      }
      for (String id : ids) {
        taskpilot.send(TestHttp.request(taskpilot.uri("/api/v1/schedules/" + id)).DELETE().build());
      }
    }
    System.out.printf(
        "%nschedule start latency, fire time -> start, %d fires of %d every-minute schedules"
            + " (bursts of %d), dev role, embedded engine, 1 worker:%n",
        toWorkflowStart.size(), SCHEDULES, SCHEDULES);
    print("task workflow started (history)", toWorkflowStart);
    print("task row stored (created_at)", toTaskRow);
    System.out.printf(
        "%-36s median %5d ms  p90 %5d ms  p99 %5d ms  max %5d ms   (uniform 0-5 s, analytic)%n",
        "polling every 5 s (APScheduler)", 2_500, 4_500, 4_950, 5_000);
    System.out.printf(
        "%-36s median %5d ms  p90 %5d ms  p99 %5d ms  max %5d ms   (uniform 0-60 s, analytic)%n",
        "polling every 60 s (Celery beat)", 30_000, 54_000, 59_400, 60_000);
    System.out.println("end of schedule latency");
  }

  private static long percentile(List<Long> values, int percentile) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  private static void print(String name, List<Long> values) {
    System.out.printf(
        "%-36s median %5d ms  p90 %5d ms  p99 %5d ms  max %5d ms%n",
        name,
        percentile(values, 50),
        percentile(values, 90),
        percentile(values, 99),
        Collections.max(values));
  }
}
