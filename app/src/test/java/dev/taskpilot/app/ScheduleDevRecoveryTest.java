package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded engine forgets schedule workflows when dev stops; the next start runs them again
 * from PostgreSQL, catching up on what came while it was down.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduleDevRecoveryTest {

  @Test
  void shouldRestartScheduleAndCatchUpWithinWindowWhenDevRestarts() throws Exception {
    // given: a schedule, then dev stops; meanwhile (as if it had been down ten minutes with an
    // every-minute cron) the row says fires were handled until ten minutes ago
    Path dataDir = Files.createTempDirectory("taskpilot-schedule-recovery-");
    Map<String, String> database = TestDatabase.freshDatasourceProperties();
    String id;
    try (RunningTaskpilot first = RunningTaskpilot.dev(1, dataDir, database)) {
      var created =
          first.post(
              "/api/v1/schedules",
              "{\"name\": \"minutely\", \"cron\": \"0 0 1 1 *\", \"timeZone\": \"UTC\","
                  + " \"task\": {\"prompt\": \"tick\"}}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      id =
          RunningTaskpilot.json(first.get("/api/v1/schedules"))
              .path("items")
              .get(0)
              .path("id")
              .asText();
    }
    Instant down = Instant.now().minus(Duration.ofMinutes(10));
    try (Connection connection =
            DriverManager.getConnection(
                database.get("datasources.default.url"),
                database.get("datasources.default.username"),
                database.get("datasources.default.password"));
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE schedules SET cron = '* * * * *', overlap = 'ALLOW_ALL',"
                    + " catchup_window = 'PT3M', handled_until = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(down));
      update.setString(2, id);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }

    // when: dev starts again with a fresh engine
    try (RunningTaskpilot second = RunningTaskpilot.dev(1, dataDir, database)) {
      Instant restarted = Instant.now();
      String path = "/api/v1/schedules/" + id;
      JsonNode runs = awaitRuns(second, path, 10);

      // then: fires within three minutes started once each, older ones recorded as missed
      List<Instant> started = new ArrayList<>();
      List<Instant> missed = new ArrayList<>();
      for (JsonNode run : runs) {
        Instant fire = Instant.parse(run.path("fireTime").asText());
        if ("STARTED".equals(run.path("outcome").asText())) {
          started.add(fire);
          assertThat(second.get("/api/v1/tasks/" + run.path("taskId").asText()).statusCode())
              .isEqualTo(200);
        } else {
          assertThat(run.path("reason").asText()).isEqualTo("MISSED");
          missed.add(fire);
        }
      }
      assertThat(started).doesNotHaveDuplicates().isNotEmpty();
      assertThat(started)
          .allSatisfy(fire -> assertThat(fire).isAfter(restarted.minus(Duration.ofMinutes(4))));
      assertThat(missed)
          .isNotEmpty()
          .allSatisfy(fire -> assertThat(fire).isBefore(restarted.minus(Duration.ofMinutes(3))));
      assertThat(second.post(path + "/pause", "").statusCode())
          .as("the restarted workflow answers commands")
          .isEqualTo(200);
    }
  }

  /** Polls the runs until there are at least {@code count}, failing after 30 s. */
  private static JsonNode awaitRuns(RunningTaskpilot taskpilot, String path, int count)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    JsonNode runs = null;
    while (Instant.now().isBefore(deadline)) {
      runs = RunningTaskpilot.json(taskpilot.get(path + "/runs")).path("items");
      if (runs.size() >= count) {
        return runs;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("fewer than " + count + " runs: " + runs);
  }
}
