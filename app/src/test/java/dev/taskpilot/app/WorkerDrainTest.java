package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.worker.TaskWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stopping worker takes no new work, gives a running agent the drain time, then stops it and
 * hands the run over: it goes on on the next worker without using a retry attempt.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerDrainTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = Files.createTempDirectory("taskpilot-drain-");
    // In the task's own directory, which every run of the task works in (and its sandbox shows).
    String marker = "first-run-started";
    taskpilot =
        RunningTaskpilot.dev(
            1,
            dataDir,
            TestDatabase.freshDatasourceProperties(),
            Map.of(
                // The first run works longer than the drain allows; the next one finishes.
                "taskpilot.agents.long.command",
                List.of(
                    "bash",
                    "-c",
                    "if [ -e "
                        + marker
                        + " ]; then echo second run; else touch "
                        + marker
                        + "; echo first run; sleep 60; fi"),
                "taskpilot.worker.drain-timeout",
                "1s",
                // Workers stop and start again here while the engine runs on: no sticky queue.
                "taskpilot.worker.sticky-timeout",
                "0s"));
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  @Test
  void shouldHandARunOverWithoutUsingARetryWhenItsWorkerStopsDuringTheRun() throws Exception {
    // given: the agent runs
    String id =
        taskpilot.create("{\"prompt\": \"work long\", \"agent\": \"long\"}").path("id").asText();
    taskpilot.awaitStatus(id, "RUNNING", WAIT);
    while (!output(id).contains("first run")) {
      Thread.sleep(50);
    }
    TaskWorkers workers = taskpilot.runtime().context().getBean(TaskWorkers.class);

    // when: its worker stops (the drain is 1 s), and a worker starts again
    long stopping = System.nanoTime();
    workers.stop();
    Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);
    workers.start();
    JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);

    // then: stopped after the drain, not at once and not after the agent's 60 s; run again as
    // attempt 1
    assertThat(stopped).isBetween(Duration.ofMillis(900), Duration.ofSeconds(20));
    String output = output(id);
    assertThat(output).contains("first run", "HANDED OVER", "second run");
    assertThat(output.indexOf("HANDED OVER")).isLessThan(output.indexOf("second run"));
    assertThat(done.path("run").path("attempt").asInt()).isEqualTo(1);
  }

  private static String output(String id) {
    return taskpilot.get("/api/v1/tasks/" + id + "/output").body();
  }
}
