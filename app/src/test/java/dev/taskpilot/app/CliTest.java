package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code taskpilot tasks ...} and {@code taskpilot schedules ...} run in-process against a running
 * dev over loopback HTTP, with dev's admin token read from its data directory.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CliTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws IOException {
    // fake Claude sessions: one that asks a question and resumes with the answer, at a known cost
    Map<String, Object> agents =
        FakeClaude.profiles(
            Map.of("fc-question", "question.jsonl", "fc-success", "success-write-tool.jsonl"),
            "2s");
    taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-cli-"),
            TestDatabase.freshDatasourceProperties(),
            agents);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return RunningTaskpilot.JSON.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + out, e);
      }
    }
  }

  /** The command line with dev's server and data directory (so the admin-token file). */
  private static Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server=" + taskpilot.uri(""));
    all.add("--data-dir=" + taskpilot.dataDir());
    return cliAsIs(all.toArray(String[]::new));
  }

  private static Run cliAsIs(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new Taskpilot());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void shouldPrintOutputAndSucceededAndExitZeroWhenCreateWatches() {
    // when
    Run run = cli("tasks", "create", "Write a haiku about terminals", "--label", "cli", "--watch");

    // then
    assertThat(run.exit()).as(run.err() + run.out()).isZero();
    String id = run.out().lines().findFirst().orElseThrow().split(" ")[1];
    String output = taskpilot.get("/api/v1/tasks/" + id + "/output").body();
    assertThat(output.lines().toList()).isNotEmpty();
    assertThat(run.out().lines().toList()).containsSubsequence(output.lines().toList());
    String last = run.out().lines().toList().getLast();
    assertThat(last).startsWith("[SUCCEEDED] " + id + " · ").contains("$");
    assertThat(run.out()).doesNotContain("\u001B[");

    // and: list --json holds it, show prints it, watch of the ended task exits 0 again
    Run list = cli("tasks", "list", "--json", "--label", "cli");
    assertThat(list.exit()).isZero();
    List<String> ids = new ArrayList<>();
    list.json().path("items").forEach(task -> ids.add(task.path("id").asText()));
    assertThat(ids).contains(id);
    Run otherAgent = cli("tasks", "list", "--json", "--label", "cli", "--agent", "no-such-agent");
    assertThat(otherAgent.json().path("items").size()).isZero();
    Run otherOwner = cli("tasks", "list", "--json", "--label", "cli", "--owner", "nobody");
    assertThat(otherOwner.json().path("items").size()).isZero();
    Run show = cli("tasks", "show", id);
    assertThat(show.exit()).isZero();
    assertThat(show.out()).contains("id:        " + id).contains("status:    SUCCEEDED");
    Run showJson = cli("tasks", "show", id, "--json");
    assertThat(showJson.json().path("status").asText()).isEqualTo("SUCCEEDED");
    Run again = cli("tasks", "watch", id);
    assertThat(again.exit()).isZero();
    assertThat(again.out().lines().toList()).containsSubsequence(output.lines().toList());
  }

  @Test
  void shouldRunGatedTaskWhenApprovedThroughTheCli() {
    // given
    Run created = cli("tasks", "create", "Gated by the CLI", "--approve-before-run", "--json");
    assertThat(created.exit()).as(created.err()).isZero();
    String id = created.json().path("id").asText();
    assertThat(created.json().path("approval").path("beforeRun").asBoolean()).isTrue();
    taskpilot.awaitStatus(id, "AWAITING_APPROVAL", WAIT);

    // when
    Run approved = cli("tasks", "approve", id, "--comment", "go");

    // then
    assertThat(approved.exit()).as(approved.err()).isZero();
    assertThat(approved.out()).startsWith(id + " ");
    Run watch = cli("tasks", "watch", id);
    assertThat(watch.exit()).as(watch.out()).isZero();
    assertThat(watch.out()).contains("[SUCCEEDED] " + id);
  }

  @Test
  void shouldEndNonZeroWhenGatedTaskIsRejectedThroughTheCli() {
    // given
    Run created = cli("tasks", "create", "Gated, then refused", "--approve-before-run", "--json");
    String id = created.json().path("id").asText();
    taskpilot.awaitStatus(id, "AWAITING_APPROVAL", WAIT);

    // when
    Run rejected = cli("tasks", "reject", id, "--comment", "not this one");

    // then
    assertThat(rejected.exit()).as(rejected.err()).isZero();
    Run watch = cli("tasks", "watch", id);
    assertThat(watch.exit()).isEqualTo(1);
    assertThat(watch.out()).contains("[REJECTED] " + id);
  }

  @Test
  void shouldAnswerQuestionThroughTheCliAndShowTheSessionCost() {
    // given
    Run created = cli("tasks", "create", "Write RESULT.md", "--agent", "fc-question", "--json");
    String id = created.json().path("id").asText();
    taskpilot.awaitStatus(id, "WAITING_FOR_INPUT", WAIT);

    // when
    Run answered = cli("tasks", "input", id, "Use main");

    // then
    assertThat(answered.exit()).as(answered.err()).isZero();
    Run watch = cli("tasks", "watch", id);
    assertThat(watch.exit()).as(watch.out()).isZero();
    assertThat(watch.out()).contains("\"subtype\":\"resumed\"");
    JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    assertThat(watch.out().lines().toList().getLast())
        .endsWith(" · $" + done.path("run").path("costUsd").decimalValue().toPlainString());
    assertThat(done.path("run").path("costUsd").decimalValue()).isPositive();
  }

  @Test
  void shouldEndNonZeroWhenWatchedTaskIsCancelled() {
    // given
    Run created = cli("tasks", "create", "Sleep", "--agent", "sleepy", "--json");
    assertThat(created.exit()).as(created.err()).isZero();
    String id = created.json().path("id").asText();
    taskpilot.awaitStatus(id, "RUNNING", WAIT);

    // when
    Run cancelled = cli("tasks", "cancel", id, "--reason", "enough");

    // then
    assertThat(cancelled.exit()).as(cancelled.err()).isZero();
    taskpilot.awaitStatus(id, "CANCELLED", WAIT);
    Run watch = cli("tasks", "watch", id);
    assertThat(watch.exit()).isEqualTo(1);
    assertThat(watch.out()).contains("sleeping").contains("[CANCELLED] " + id);
    Run again = cli("tasks", "cancel", id);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("INVALID_STATE");
  }

  @Test
  void shouldPrintProblemCodeAndExitOneWhenRequestIsBad() {
    // when
    Run run = cli("tasks", "create", "Too urgent", "--priority", "42");

    // then
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("VALIDATION_FAILED").contains("priority");
    assertThat(run.out()).isEmpty();
    Run missing = cli("tasks", "show", "no-such-task");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("NOT_FOUND");
  }

  @Test
  void shouldUseGivenTokenOverDataDirAndRefuseWithoutOne() throws IOException {
    // when: a wrong --token wins over the admin-token file; an empty data dir gives no token
    Run wrong = cli("tasks", "list", "--token", "tp_not-a-token");
    Run none =
        cliAsIs(
            "tasks",
            "list",
            "--server",
            taskpilot.uri("").toString(),
            "--data-dir",
            Files.createTempDirectory("taskpilot-cli-").toString());
    Run given =
        cliAsIs(
            "tasks",
            "list",
            "--server",
            taskpilot.uri("").toString(),
            "--data-dir",
            Files.createTempDirectory("taskpilot-cli-").toString(),
            "--token",
            taskpilot.adminToken());

    // then
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("UNAUTHORIZED");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).contains("UNAUTHORIZED");
    assertThat(given.exit()).as(given.err()).isZero();
    assertThat(given.out()).startsWith("ID ");
  }

  @Test
  void shouldSayServerIsUnreachableAndExitOne() {
    // when: a loopback port nobody listens on
    Run run = cliAsIs("tasks", "list", "--server", "http://127.0.0.1:1", "--token", "x");

    // then
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("cannot reach the Taskpilot server at http://127.0.0.1:1");
  }

  @Test
  void shouldCreateListPauseResumeAndTriggerSchedules() {
    // when
    Run created =
        cli(
            "schedules",
            "create",
            "--name",
            "cli digest",
            "--cron",
            "0 9 * * 1-5",
            "--time-zone",
            "Europe/Berlin",
            "--prompt",
            "Summarise the day",
            "--json");

    // then
    assertThat(created.exit()).as(created.err()).isZero();
    String id = created.json().path("id").asText();
    assertThat(created.json().path("nextFireTime").isTextual()).isTrue();
    Run list = cli("schedules", "list", "--json");
    List<String> ids = new ArrayList<>();
    list.json().path("items").forEach(schedule -> ids.add(schedule.path("id").asText()));
    assertThat(ids).contains(id);
    assertThat(cli("schedules", "list").out()).contains(id).contains("cli digest");

    Run paused = cli("schedules", "pause", id);
    assertThat(paused.exit()).as(paused.err()).isZero();
    assertThat(paused.out()).contains(id).contains(" paused ");
    assertThat(taskpilot.get("/api/v1/schedules/" + id).body()).contains("\"paused\":true");
    Run resumed = cli("schedules", "resume", id);
    assertThat(resumed.out()).contains(" active ");
    assertThat(taskpilot.get("/api/v1/schedules/" + id).body()).contains("\"paused\":false");

    Run triggered = cli("schedules", "trigger", id, "--json");
    assertThat(triggered.exit()).as(triggered.err()).isZero();
    String taskId = triggered.json().path("id").asText();
    assertThat(taskId).startsWith(id + "-manual-");
    taskpilot.awaitStatus(taskId, "SUCCEEDED", WAIT);

    Run duplicate =
        cli("schedules", "create", "--name", "cli digest", "--cron", "@daily", "--prompt", "x");
    assertThat(duplicate.exit()).isEqualTo(1);
    assertThat(duplicate.err()).contains("SCHEDULE_NAME_TAKEN");
  }
}
