package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two tasks on one plain workspace run one after the other; on a git workspace each gets its own
 * worktree and they run side by side.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkspaceConcurrencyTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = Files.createTempDirectory("taskpilot-concurrency-");
    Path workspaces = Files.createDirectories(dataDir.resolve("workspaces"));
    Files.createDirectories(workspaces.resolve("plain"));
    Path repo = Files.createDirectories(workspaces.resolve("repo"));
    git(repo, "init", "-q", "-b", "main");
    Files.writeString(repo.resolve("README.md"), "repo\n");
    git(repo, "add", "README.md");
    git(
        repo,
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@localhost",
        "commit",
        "-q",
        "-m",
        "one");
    taskpilot =
        RunningTaskpilot.dev(
            1,
            dataDir,
            TestDatabase.freshDatasourceProperties(),
            Map.of(
                "taskpilot.agents.nap.command",
                List.of("bash", "-c", "echo start; pwd; sleep 1.5; echo end"),
                "taskpilot.slots.default-max-runs",
                4,
                "taskpilot.worker.agent-slots",
                4));
  }

  private static void git(Path directory, String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", directory.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor()).isZero();
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  private static JsonNode[] runTwo(String workspace) {
    String body = "{\"prompt\": \"nap\", \"agent\": \"nap\", \"workspace\": \"" + workspace + "\"}";
    String first = taskpilot.create(body).path("id").asText();
    String second = taskpilot.create(body).path("id").asText();
    return new JsonNode[] {
      taskpilot.awaitStatus(first, "SUCCEEDED", WAIT),
      taskpilot.awaitStatus(second, "SUCCEEDED", WAIT)
    };
  }

  private static boolean overlap(JsonNode a, JsonNode b) {
    Instant aStart = Instant.parse(a.path("run").path("startedAt").asText());
    Instant aEnd = Instant.parse(a.path("run").path("endedAt").asText());
    Instant bStart = Instant.parse(b.path("run").path("startedAt").asText());
    Instant bEnd = Instant.parse(b.path("run").path("endedAt").asText());
    return aStart.isBefore(bEnd) && bStart.isBefore(aEnd);
  }

  @Test
  void shouldRunOneAfterTheOtherOnAPlainWorkspace() {
    // when
    JsonNode[] done = runTwo("plain");
    // then
    assertThat(overlap(done[0], done[1])).isFalse();
  }

  @Test
  void shouldRunSideBySideInTheirOwnWorktreesOnAGitWorkspace() {
    // when
    JsonNode[] done = runTwo("repo");
    // then
    assertThat(overlap(done[0], done[1])).isTrue();
    for (JsonNode task : done) {
      String id = task.path("id").asText();
      assertThat(taskpilot.get("/api/v1/tasks/" + id + "/output").body()).contains("_tasks/" + id);
    }
  }
}
