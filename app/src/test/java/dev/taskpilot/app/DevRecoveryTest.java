package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded engine forgets everything when dev stops; on the next start no task may keep a
 * status nothing will change.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DevRecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void shouldRestartWaitingTasksAndFailRunningOnesWhenEngineRestartsEmpty() throws Exception {
    // given: one task waiting for its slot and one whose agent is running, then dev stops
    Path dataDir = Files.createTempDirectory("taskpilot-recovery-");
    Map<String, String> database = TestDatabase.freshDatasourceProperties();
    String slot =
        Instant.now().plus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    String waiting;
    String running;
    try (RunningTaskpilot first = RunningTaskpilot.dev(1, dataDir, database)) {
      waiting =
          first
              .create("{\"prompt\": \"later\", \"notBefore\": \"" + slot + "\"}")
              .path("id")
              .asText();
      running = first.create("{\"prompt\": \"nap\", \"agent\": \"sleepy\"}").path("id").asText();
      first.awaitStatus(waiting, "SCHEDULED", WAIT);
      first.awaitStatus(running, "RUNNING", WAIT);
    }

    // when: dev starts again on the same database with a fresh, empty engine
    try (RunningTaskpilot second = RunningTaskpilot.dev(1, dataDir, database)) {
      // then
      JsonNode restarted = second.awaitStatus(waiting, "SCHEDULED", WAIT);
      assertThat(Instant.parse(restarted.path("notBefore").asText()))
          .isEqualTo(Instant.parse(slot));
      assertThat(second.post("/api/v1/tasks/" + waiting + "/pause", "").statusCode())
          .as("the restarted workflow answers commands")
          .isEqualTo(200);

      JsonNode failed = second.awaitStatus(running, "FAILED", WAIT);
      assertThat(failed.path("error").path("code").asText()).isEqualTo("ENGINE_RESTARTED");
      assertThat(second.post("/api/v1/tasks/" + running + "/cancel", "").statusCode())
          .isEqualTo(409);
    }
  }
}
