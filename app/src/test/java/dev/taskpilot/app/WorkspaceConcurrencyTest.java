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
  private static Path overlaps;
  private static Path runs;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = Files.createTempDirectory("taskpilot-concurrency-");
    Path workspaces = Files.createDirectories(dataDir.resolve("workspaces"));
    Files.createDirectories(workspaces.resolve("plain"));
    Files.createDirectories(workspaces.resolve("queue"));
    // In the shared workspace, which every run sees and writes (in its sandbox too).
    overlaps = workspaces.resolve("queue/overlaps.txt");
    runs = workspaces.resolve("queue/runs.txt");
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
                // Records a second agent in the workspace: its lock is held by the first.
                "taskpilot.agents.queue.command",
                List.of(
                    "bash",
                    "-c",
                    "exec 9>>queue.lock; flock -n 9 || echo \"$TASKPILOT_TASK_ID\" >> "
                        + "overlaps.txt; echo \"$TASKPILOT_TASK_ID\" >> runs.txt; sleep 0.2;"
                        + " echo done"),
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
  void shouldGrantAQueueOfRunsOneAtATimeApplyingCommandsWhileTheyWait() throws Exception {
    // given: twelve tasks queue on one plain workspace
    String body = "{\"prompt\": \"queue\", \"agent\": \"queue\", \"workspace\": \"queue\"}";
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(taskpilot.create(body).path("id").asText());
    }
    String last = ids.getLast();
    JsonNode waiting = taskpilot.awaitStatus(last, "SCHEDULED", WAIT);
    while (waiting.path("statusReason").isNull() || waiting.path("statusReason").isMissingNode()) {
      Thread.sleep(50);
      waiting = read(last);
    }

    // when: the last one is paused, then resumed with the highest priority
    assertThat(taskpilot.post("/api/v1/tasks/" + last + "/pause", "{}").statusCode())
        .isEqualTo(200);
    assertThat(read(last).path("status").asText()).isEqualTo("PAUSED");
    assertThat(taskpilot.post("/api/v1/tasks/" + last + "/resume", "{}").statusCode())
        .isEqualTo(200);
    assertThat(
            taskpilot
                .post("/api/v1/tasks/" + last + "/priority", "{\"priority\": 10}")
                .statusCode())
        .isEqualTo(200);
    List<JsonNode> done = new java.util.ArrayList<>();
    for (String id : ids) {
      done.add(taskpilot.awaitStatus(id, "SUCCEEDED", WAIT));
    }

    // then: it waited with the reason, no two runs shared the workspace, and the last one went
    // ahead of the tasks still waiting when its priority rose
    assertThat(waiting.path("statusReason").asText())
        .isEqualTo("waiting for a free slot of agent queue");
    assertThat(Files.exists(overlaps) ? Files.readString(overlaps) : "").isEmpty();
    assertThat(Files.readAllLines(runs)).as("every run wrote its record").hasSize(12);
    for (int i = 0; i < done.size(); i++) {
      for (int j = i + 1; j < done.size(); j++) {
        assertThat(overlap(done.get(i), done.get(j))).as("runs %d and %d", i, j).isFalse();
      }
    }
    Instant lastStarted = Instant.parse(done.getLast().path("run").path("startedAt").asText());
    long startedAfter =
        done.stream()
            .filter(
                t -> Instant.parse(t.path("run").path("startedAt").asText()).isAfter(lastStarted))
            .count();
    assertThat(startedAfter).as("tasks that ran after the promoted one").isGreaterThan(0);
  }

  private static JsonNode read(String id) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(taskpilot.get("/api/v1/tasks/" + id).body());
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
