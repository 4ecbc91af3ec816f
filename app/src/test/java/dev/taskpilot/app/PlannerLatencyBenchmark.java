package dev.taskpilot.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.llm.testing.FakeOpenAiServer;
import dev.taskpilot.store.testing.TestDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Benchmark, not a test (excluded from the suite; run by {@code bench/planner-latency.sh}): the
 * time from a task's creation to its SCHEDULED state, with the fallback planner and with an LLM
 * planner whose server answers instantly; the difference is what LLM planning adds per task.
 */
// Generous for the default bench.* sizes; -Djunit.jupiter.execution.timeout.mode=disabled lifts it.
@Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PlannerLatencyBenchmark {
  private static final int TASKS = Integer.getInteger("bench.tasks", 200);
  private static final int WARMUP = 20;

  @Test
  void measurePlanningLatency() throws Exception {
    List<Long> fallback = run(Map.of());
    List<Long> llm;
    try (FakeOpenAiServer model = new FakeOpenAiServer()) {
      llm =
          run(
              Map.of(
                  "taskpilot.llm.provider", "openai",
                  "taskpilot.llm.base-url", model.baseUrl(),
                  "taskpilot.llm.api-key", "sk-bench",
                  "taskpilot.llm.model", "gpt-bench"));
    }
    System.out.printf(
        "%nplanner latency, creation -> SCHEDULED, %d tasks each, sequential:%n", TASKS);
    print("fallback planner (no LLM)", fallback);
    print("LLM planner, instant local server", llm);
    System.out.printf(
        "added by LLM planning: median %d ms, p99 %d ms%n",
        percentile(llm, 50) - percentile(fallback, 50),
        percentile(llm, 99) - percentile(fallback, 99));
  }

  private static List<Long> run(Map<String, Object> config) throws Exception {
    List<Long> latencies = new ArrayList<>();
    try (RunningTaskpilot taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-bench-"),
            TestDatabase.freshDatasourceProperties(),
            config)) {
      Instant tomorrow = Instant.now().plus(Duration.ofDays(1));
      for (int i = 0; i < WARMUP + TASKS; i++) {
        // A slot of its own a day ahead keeps every task waiting, so no agent run competes with
        // planning; the LLM is asked all the same (the slot is a user-fixed field it must keep).
        String later = tomorrow.plus(Duration.ofMinutes(30L * i)).toString();
        String body = "{\"prompt\": \"bench " + i + "\", \"notBefore\": \"" + later + "\"}";
        String id = taskpilot.create(body).path("id").asText();
        JsonNode task = taskpilot.awaitStatus(id, "SCHEDULED", Duration.ofSeconds(30));
        long millis =
            Duration.between(
                    Instant.parse(task.path("createdAt").asText()),
                    Instant.parse(task.path("updatedAt").asText()))
                .toMillis();
        if (i >= WARMUP) {
          latencies.add(millis);
        }
      }
    }
    return latencies;
  }

  private static long percentile(List<Long> values, int percentile) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  private static void print(String name, List<Long> values) {
    System.out.printf(
        "%-36s median %4d ms  p90 %4d ms  p99 %4d ms  max %4d ms%n",
        name,
        percentile(values, 50),
        percentile(values, 90),
        percentile(values, 99),
        Collections.max(values));
  }
}
