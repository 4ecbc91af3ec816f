package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.workflows.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task cancelled through Temporal itself, as the Temporal Web UI does it (a cancel request for
 * the workflow, not the API's {@code cancel} command): wherever the task waits or runs, it ends
 * {@code CANCELLED} within seconds, its agent's whole process group is gone, and the agent slot it
 * held or waited for is free for the next task.
 *
 * <p>Each case has an agent profile and a plain workspace of its own, both limited to one run at a
 * time, so a slot one case leaks cannot hide in another. The agent records its pid, process group
 * and child pids in {@code <data-dir>/pids/<task-id>.pid} and, for a prompt with {@link #HOLD},
 * sleeps (in a child process) until killed; any other prompt ends at once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TemporalCancelEndToEndTest {
  private static final String HOLD = "HOLD-UNTIL-KILLED";
  private static final String QUICK = "QUICK-RUN";
  private static final Duration START = Duration.ofSeconds(30);
  private static final Duration CANCELLED_WITHIN = Duration.ofSeconds(10);
  private static final Duration PROCESSES_GONE_WITHIN = Duration.ofSeconds(5);
  private static final Duration FOLLOWER_WITHIN = Duration.ofSeconds(20);

  private static RunningTaskpilot taskpilot;
  private static Path pids;
  private static WorkflowServiceStubs stubs;
  private static WorkflowClient temporal;

  private final List<String> created = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    Path dataDir = Files.createTempDirectory("taskpilot-temporal-cancel-");
    pids = Files.createDirectories(dataDir.resolve("pids"));
    Path workspaces = Files.createDirectories(dataDir.resolve("workspaces"));
    Map<String, Object> config = new HashMap<>();
    for (String name : List.of("gate", "wait", "run")) {
      Files.createDirectories(workspaces.resolve("plain-" + name));
      String key = "taskpilot.agents.hold" + name + ".";
      config.put(key + "command", List.of("bash", "-c", agentScript(pids), "hold" + name));
      config.put(key + "prompt", "argument");
      config.put(key + "format", "text");
      // The test looks up the pids the agent records: unconfined, as a sandbox's own PID
      // namespace would renumber them (AgentProcessRunnerSandboxTest kills a sandbox as a tree).
      config.put(key + "sandbox", "none");
      config.put("taskpilot.slots.max-runs.hold" + name, 1);
    }
    // Room on the worker for every case's runs, so a run a case fails to stop starves no other.
    config.put("taskpilot.worker.agent-slots", 6);
    taskpilot = RunningTaskpilot.dev(1, dataDir, TestDatabase.freshDatasourceProperties(), config);

    // A client of its own, as the Temporal Web UI would be: the dev role's embedded engine.
    String target =
        taskpilot.runtime().context().getRequiredProperty("temporal.target", String.class);
    String namespace =
        taskpilot
            .runtime()
            .context()
            .getProperty("temporal.namespace", String.class)
            .orElse("default");
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(target)
                .setRpcTimeout(Duration.ofSeconds(10))
                .build());
    temporal =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  /**
   * The agent: writes {@code <pid> <pgid>} (and, when holding, the pid of its sleeping child) to
   * {@code <pids>/<task-id>.pid}, atomically, then holds or ends. The prompt is its last argument.
   * No braces after a dollar sign: Micronaut would take them for a placeholder.
   */
  private static String agentScript(Path pids) {
    return String.join(
        "\n",
        "set -u",
        "file=\"" + pids + "/$TASKPILOT_TASK_ID\"",
        "read -r _ _ _ _ pgid _ < /proc/$$/stat",
        "echo \"$$ $pgid\" > \"$file.tmp\"",
        // The prompt comes after "--": look at every argument.
        "case \"$*\" in",
        "  *" + HOLD + "*)",
        "    sleep 300 &",
        "    echo \"$!\" >> \"$file.tmp\"",
        "    mv \"$file.tmp\" \"$file.pid\"",
        "    echo \"holding as pid $$, group $pgid\"",
        "    wait",
        "    ;;",
        "  *)",
        "    mv \"$file.tmp\" \"$file.pid\"",
        "    echo \"quick run done\"",
        "    ;;",
        "esac");
  }

  @AfterEach
  void cleanUp() {
    for (String id : created) {
      String status = status(id);
      if (!Set.of("CANCELLED", "SUCCEEDED", "FAILED", "REJECTED").contains(status)) {
        taskpilot.post("/api/v1/tasks/" + id + "/cancel", "{}");
      }
      recordedProcesses(id).forEach(Proc::kill);
    }
  }

  @AfterAll
  static void stop() {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (taskpilot != null) {
      taskpilot.close();
    }
  }

  @Test
  void shouldEndCancelledWhenCancelledInTemporalAtTheApprovalGate() {
    // given
    String id =
        create(
            "{\"prompt\": \"gated "
                + HOLD
                + "\", \"agent\": \"holdgate\", \"workspace\": \"plain-gate\","
                + " \"approval\": {\"beforeRun\": true}}");
    taskpilot.awaitStatus(id, "AWAITING_APPROVAL", START);

    // when
    Instant cancelledAt = cancelInTemporal(id);

    // then
    awaitCancelled(id, cancelledAt);
    assertThat(pidFile(id))
        .as("the agent of a task cancelled at its gate never ran")
        .doesNotExist();
    HttpResponse<String> approve = taskpilot.post("/api/v1/tasks/" + id + "/approve", "{}");
    assertThat(approve.statusCode()).as(approve.body()).isEqualTo(409);
  }

  @Test
  void shouldEndCancelledAndLeaveTheSlotWhenCancelledInTemporalWhileWaitingForASlot() {
    // given: a first task holds the only slot of the profile and of the workspace
    String body = "{\"prompt\": \"%s\", \"agent\": \"holdwait\", \"workspace\": \"plain-wait\"}";
    String holder = create(body.formatted(HOLD));
    taskpilot.awaitStatus(holder, "RUNNING", START);
    List<Proc> holding = awaitRecordedProcesses(holder);
    String waiter = create(body.formatted(HOLD));
    JsonNode waiting =
        awaitTask(
            waiter,
            task ->
                "SCHEDULED".equals(task.path("status").asText())
                    && task.path("statusReason").asText().contains("waiting for a free slot"),
            START,
            "SCHEDULED, waiting for a free slot");
    assertThat(waiting.path("statusReason").asText()).contains("holdwait");

    // when
    Instant cancelledAt = cancelInTemporal(waiter);

    // then
    awaitCancelled(waiter, cancelledAt);

    // and when the holder ends (API cancel), the slot goes to the next task, not the cancelled one
    HttpResponse<String> stopped = taskpilot.post("/api/v1/tasks/" + holder + "/cancel", "{}");
    assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
    awaitGone(holding, Instant.now(), PROCESSES_GONE_WITHIN.plus(CANCELLED_WITHIN));
    String follower = create(body.formatted(QUICK));
    awaitFollowerSucceeded(follower, waiter);
    assertThat(pidFile(waiter))
        .as("the agent of a task cancelled while it waited for a slot never ran")
        .doesNotExist();
  }

  @Test
  void shouldKillTheAgentAndFreeTheSlotWhenCancelledInTemporalWhileTheAgentRuns() {
    // given
    String body = "{\"prompt\": \"%s\", \"agent\": \"holdrun\", \"workspace\": \"plain-run\"}";
    String id = create(body.formatted(HOLD));
    taskpilot.awaitStatus(id, "RUNNING", START);
    List<Proc> running = awaitRecordedProcesses(id);
    assertThat(running).allSatisfy(proc -> assertThat(proc.alive()).isTrue());

    // when
    Instant cancelledAt = cancelInTemporal(id);

    // then
    Instant shownCancelled = awaitCancelled(id, cancelledAt);
    awaitGone(running, shownCancelled, PROCESSES_GONE_WITHIN);
    String follower = create(body.formatted(QUICK));
    awaitFollowerSucceeded(follower, id);
  }

  // ---------------------------------------------------------------------------------------------

  private String create(String body) {
    String id = taskpilot.create(body).path("id").asText();
    created.add(id);
    return id;
  }

  private static String status(String id) {
    return RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id)).path("status").asText();
  }

  /** What the Temporal Web UI's "Request Cancellation" sends. */
  private static Instant cancelInTemporal(String taskId) {
    Instant at = Instant.now();
    temporal.newUntypedWorkflowStub(WorkflowIds.task(taskId)).cancel();
    return at;
  }

  /**
   * Polls until the task shows CANCELLED and its workflow has closed, both within {@link
   * #CANCELLED_WITHIN} of the cancel request, and answers when CANCELLED was first seen; the
   * failure names every status seen, the time waited and what Temporal says about the workflow.
   */
  private static Instant awaitCancelled(String id, Instant cancelledAt) {
    Instant deadline = cancelledAt.plus(CANCELLED_WITHIN);
    Set<String> seen = new LinkedHashSet<>();
    JsonNode task = null;
    WorkflowExecutionStatus workflow = null;
    Instant shownAt = null;
    while (Instant.now().isBefore(deadline)) {
      task = RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id));
      String status = task.path("status").asText();
      seen.add(status);
      if ("CANCELLED".equals(status)) {
        if (shownAt == null) {
          shownAt = Instant.now();
        }
        workflow = workflowStatus(id);
        if (workflow != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          System.out.printf(
              "[temporal-cancel] %s: CANCELLED after %d ms, workflow %s%n",
              id, Duration.between(cancelledAt, shownAt).toMillis(), workflow);
          return shownAt;
        }
      }
      pause();
    }
    throw new AssertionError(
        "task "
            + id
            + " cancelled in Temporal: not CANCELLED with a closed workflow within "
            + CANCELLED_WITHIN
            + "; statuses seen "
            + seen
            + (shownAt == null
                ? ""
                : ", CANCELLED after " + Duration.between(cancelledAt, shownAt).toMillis() + " ms")
            + "; last seen "
            + summary(task)
            + "; Temporal: "
            + describe(id));
  }

  /** The follower runs to SUCCEEDED in the slot the cancelled task held or waited for. */
  private static void awaitFollowerSucceeded(String follower, String cancelled) {
    awaitTask(
        follower,
        task -> "SUCCEEDED".equals(task.path("status").asText()),
        FOLLOWER_WITHIN,
        "SUCCEEDED, in the slot cancelled task " + cancelled + " held or waited for",
        () ->
            "; Temporal on "
                + cancelled
                + ": "
                + describe(cancelled)
                + "; agent_slots: "
                + slotRows());
  }

  private static JsonNode awaitTask(
      String id, Predicate<JsonNode> condition, Duration timeout, String what) {
    return awaitTask(id, condition, timeout, what, () -> "");
  }

  /** Polls the task until the condition holds; the failure adds what {@code more} says then. */
  private static JsonNode awaitTask(
      String id,
      Predicate<JsonNode> condition,
      Duration timeout,
      String what,
      Supplier<String> more) {
    Instant deadline = Instant.now().plus(timeout);
    Set<String> seen = new LinkedHashSet<>();
    JsonNode task = null;
    while (Instant.now().isBefore(deadline)) {
      task = RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id));
      seen.add(task.path("status").asText());
      if (condition.test(task)) {
        return task;
      }
      pause();
    }
    throw new AssertionError(
        "task "
            + id
            + " not "
            + what
            + " within "
            + timeout
            + "; statuses seen "
            + seen
            + "; last seen "
            + summary(task)
            + "; Temporal: "
            + describe(id)
            + more.get());
  }

  /** The rows of {@code agent_slots}, oldest claim first, for failures. */
  private static String slotRows() {
    var context = taskpilot.runtime().context();
    List<String> rows = new ArrayList<>();
    try (Connection connection =
            DriverManager.getConnection(
                context.getRequiredProperty("datasources.default.url", String.class),
                context.getRequiredProperty("datasources.default.username", String.class),
                context.getProperty("datasources.default.password", String.class).orElse(""));
        ResultSet result =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT task_id, agent, workspace_key, state, lease_until FROM agent_slots"
                        + " ORDER BY submitted_at")) {
      while (result.next()) {
        rows.add(
            result.getString(1)
                + " "
                + result.getString(2)
                + "@"
                + result.getString(3)
                + " "
                + result.getString(4)
                + " until "
                + result.getTimestamp(5).toInstant());
      }
      return rows.toString();
    } catch (SQLException | RuntimeException e) {
      return "unreadable: " + e;
    }
  }

  private static String summary(JsonNode task) {
    if (task == null) {
      return "nothing";
    }
    return task.path("status").asText()
        + " ("
        + task.path("statusReason").asText("")
        + (task.path("error").isObject() ? ", error " + task.path("error") : "")
        + ")";
  }

  private static WorkflowExecutionStatus workflowStatus(String taskId) {
    return temporal.newUntypedWorkflowStub(WorkflowIds.task(taskId)).describe().getStatus();
  }

  /** The workflow's status and pending activities as Temporal describes them, for failures. */
  private static String describe(String taskId) {
    try {
      WorkflowStub stub = temporal.newUntypedWorkflowStub(WorkflowIds.task(taskId));
      DescribeWorkflowExecutionResponse raw = stub.describe().getRawDescription();
      String activities =
          raw.getPendingActivitiesList().stream()
              .map(TemporalCancelEndToEndTest::pending)
              .collect(Collectors.joining(", ", "[", "]"));
      return "workflow "
          + raw.getWorkflowExecutionInfo().getStatus()
          + ", history length "
          + raw.getWorkflowExecutionInfo().getHistoryLength()
          + ", pending activities "
          + activities;
    } catch (RuntimeException e) {
      return "describe failed: " + e;
    }
  }

  private static String pending(PendingActivityInfo activity) {
    return activity.getActivityType().getName()
        + " "
        + activity.getState()
        + " attempt "
        + activity.getAttempt()
        + (activity.hasLastFailure()
            ? " last failure " + activity.getLastFailure().getMessage()
            : "");
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // --- the agent's processes ------------------------------------------------------------------

  private static Path pidFile(String taskId) {
    return pids.resolve(taskId + ".pid");
  }

  /** The processes the agent of the task recorded: its leader (first) and its child. */
  private static List<Proc> recordedProcesses(String taskId) {
    List<String> words;
    try {
      words = List.of(Files.readString(pidFile(taskId)).trim().split("\\s+"));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Proc> processes = new ArrayList<>();
    long pgid = Long.parseLong(words.get(1));
    processes.add(Proc.of(Long.parseLong(words.get(0)), pgid));
    for (String child : words.subList(2, words.size())) {
      processes.add(Proc.of(Long.parseLong(child), pgid));
    }
    return processes;
  }

  private static List<Proc> awaitRecordedProcesses(String taskId) {
    Instant deadline = Instant.now().plus(START);
    while (Instant.now().isBefore(deadline)) {
      List<Proc> processes = recordedProcesses(taskId);
      if (!processes.isEmpty()) {
        return processes;
      }
      pause();
    }
    throw new AssertionError(
        "the agent of task " + taskId + " never recorded its pid; Temporal: " + describe(taskId));
  }

  /** Every recorded process and every member of its process group ends within {@code within}. */
  private static void awaitGone(List<Proc> processes, Instant from, Duration within) {
    Instant deadline = from.plus(within);
    long pgid = processes.getFirst().pgid();
    List<String> left = List.of();
    while (Instant.now().isBefore(deadline)) {
      left =
          Stream.concat(
                  processes.stream().filter(Proc::alive).map(Proc::toString),
                  groupMembers(pgid).stream().map(pid -> "group member " + pid))
              .distinct()
              .toList();
      if (left.isEmpty()) {
        System.out.printf(
            "[temporal-cancel] process group %d gone %d ms after %s%n",
            pgid, Duration.between(from, Instant.now()).toMillis(), from);
        return;
      }
      pause();
    }
    throw new AssertionError(
        "agent processes still alive " + within + " after " + from + ": " + left);
  }

  /** Live (not zombie) processes in process group {@code pgid}. */
  private static List<Long> groupMembers(long pgid) {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries
          .map(path -> path.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .filter(
              pid ->
                  Proc.stat(pid)
                      .filter(fields -> !"Z".equals(fields[0]))
                      .filter(fields -> Long.parseLong(fields[2]) == pgid)
                      .isPresent())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A process as recorded by the agent, told apart from a later one with its pid by start time. */
  private record Proc(long pid, long pgid, String startTime) {
    static Proc of(long pid, long pgid) {
      return new Proc(pid, pgid, stat(pid).map(fields -> fields[19]).orElse("gone"));
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name: state is [0], pgrp [2]. */
    static Optional<String[]> stat(long pid) {
      try {
        String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Optional.of(line.substring(line.lastIndexOf(')') + 2).trim().split(" "));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }

    /** Running or sleeping (a zombie has ended, it only waits to be reaped). */
    boolean alive() {
      return stat(pid)
          .filter(fields -> fields[19].equals(startTime))
          .filter(fields -> !"Z".equals(fields[0]))
          .isPresent();
    }

    void kill() {
      if (alive()) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }
}
