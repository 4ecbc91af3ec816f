package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpilot.activities.agent.process.AgentProcessRunner;
import dev.taskpilot.store.OutputLineRecord;
import dev.taskpilot.store.OutputLineRepository;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.workflows.activities.agent.AgentOutcome;
import dev.taskpilot.workflows.activities.agent.AgentRunResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling restart of real worker processes (issue #12): ten long agent runs are in flight while
 * each of two worker JVMs gets SIGTERM in turn, a replacement starting before the second one is
 * stopped, so one worker is always up; {@code run-agent} is allowed a single attempt. Every task
 * still succeeds, each webhook is delivered once, and nothing is left behind: no agent process, no
 * held slot, no task that is not done.
 *
 * <p>One coordinator runs in this JVM (the {@code dev} role with no workers: the embedded engine on
 * a loopback port, the API, a test database); the workers are {@code Taskpilot worker} processes on
 * this JVM's class path, configured with {@code -D} properties. The agent prints numbered lines
 * and, after the last, waits for a gate file that the test opens only once the second worker is
 * gone, so every run is surely in flight at both SIGTERMs however slow the machine is. The profile
 * cannot resume a session, so a run that is handed over starts again from line 1 on the next
 * worker: each task's output is one or more cut-off runs, each followed by the HANDED OVER note,
 * then one whole run.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RollingRestartFaultTest {
  private static final int TASKS = 10;
  private static final int LINES = 60;
  private static final String DONE = "done";
  private static final String HANDED_OVER_NOTE = "[taskpilot] HANDED OVER";
  // What a worker logs when it stopped an agent at the end of its drain.
  private static final String HANDED_OVER_LOG =
      "ended: Cancelled[reason=" + AgentProcessRunner.HANDED_OVER + "]";
  private static final Duration WORKER_START = Duration.ofSeconds(120);
  private static final Duration WORKER_EXIT = Duration.ofSeconds(60);
  private static final Duration TASKS_DONE = Duration.ofSeconds(150);

  private static Receivers receivers;
  private static RunningTaskpilot taskpilot;
  private static Path dataDir;
  private static Path gate;
  private static String marker;
  private static final Map<String, String> workerProperties = new LinkedHashMap<>();
  private static final List<Worker> workers = new ArrayList<>();

  /** One worker process and its log. */
  private record Worker(String name, Process process, Path log) {
    String logText() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }

    String logTail() {
      List<String> lines = logText().lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /**
     * The agents this worker runs now: its children carrying the test's marker (the agent's leader
     * is the worker's child; what the agent forks is not, though it carries the marker until it
     * execs).
     */
    Set<Long> agents() {
      return process
          .toHandle()
          .children()
          .filter(p -> p.info().commandLine().orElse("").contains(marker))
          .filter(p -> running(p.pid()))
          .map(ProcessHandle::pid)
          .collect(Collectors.toSet());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    receivers = new Receivers();
    marker = "rolling-restart-" + UUID.randomUUID();
    dataDir = Files.createTempDirectory("taskpilot-" + marker + "-");
    // Outside the data directory, which no sandbox shows; the agents' sandboxes show this one.
    Path gates = Files.createTempDirectory("taskpilot-" + marker + "-gate-");
    gate = gates.resolve("gate");
    Path agent = dataDir.resolve("long-agent.sh");
    Files.writeString(
        agent,
        "#!/bin/bash\n"
            + "# A long agent run: numbered lines, then it waits until the test opens the gate.\n"
            + "for ((i = 1; i <= "
            + LINES
            + "; i++)); do echo \"line $i\"; sleep 0.15; done\n"
            + "while [ ! -e '"
            + gate
            + "' ]; do sleep 0.1; done\n"
            + "echo "
            + DONE
            + "\n");
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwx------"));
    Map<String, String> database = TestDatabase.freshDatasourceProperties();
    Map<String, Object> shared = new LinkedHashMap<>();
    // The path of the script carries the marker: so does every agent's command line.
    shared.put("taskpilot.agents.long.command", agent.toString());
    shared.put("taskpilot.agents.long.prompt", "argument");
    shared.put("taskpilot.agents.long.sandbox-paths", gates.toString());
    // All ten run at once: fleet-wide, and on either worker alone (one is down at times).
    shared.put("taskpilot.slots.max-runs.long", Integer.toString(TASKS));
    shared.put("taskpilot.network.allowed-hosts", "127.0.0.1/32");
    taskpilot = RunningTaskpilot.dev(0, dataDir, database, shared);
    String target =
        taskpilot
            .runtime()
            .context()
            .getProperty("temporal.target", String.class)
            .orElseThrow(() -> new IllegalStateException("the coordinator has no engine"));
    database.forEach(workerProperties::put);
    shared.forEach((key, value) -> workerProperties.put(key, value.toString()));
    workerProperties.put("temporal.target", target);
    workerProperties.put("taskpilot.data-dir", dataDir.toString());
    // The coordinator's key: workers read and write the same encrypted payloads and secrets.
    workerProperties.put(
        "taskpilot.encryption.key-file", dataDir.resolve(EncryptionKeyFile.NAME).toString());
    workerProperties.put("taskpilot.worker.agent-slots", Integer.toString(TASKS));
    // Workers that die on an engine that never times out a sticky queue: no stickiness.
    workerProperties.put("taskpilot.worker.sticky-timeout", "0s");
    // Longer than the runner's 5 s heartbeat interval: every run heartbeats while it drains.
    workerProperties.put("taskpilot.worker.drain-timeout", "6s");
    // A single attempt: a run that failed instead of being handed over would fail its task.
    workerProperties.put("taskpilot.activities.run-agent.maximum-attempts", "1");
  }

  @AfterAll
  static void stop() throws Exception {
    for (Worker worker : workers) {
      worker.process().destroy();
      if (!worker.process().waitFor(30, TimeUnit.SECONDS)) {
        worker.process().destroyForcibly();
        worker.process().waitFor(30, TimeUnit.SECONDS);
      }
    }
    if (taskpilot != null) {
      taskpilot.close();
    }
    if (receivers != null) {
      receivers.close();
    }
  }

  @Test
  void shouldFinishEveryRunAndDeliverOnceWhenBothWorkersAreRestartedInTurn() throws Exception {
    // given: two workers, and ten tasks whose agents are all running
    Worker one = startWorker("worker-1");
    Worker two = startWorker("worker-2");
    awaitUp(one);
    awaitUp(two);
    List<String> ids = new ArrayList<>();
    for (int n = 1; n <= TASKS; n++) {
      ObjectNode body =
          RunningTaskpilot.JSON
              .createObjectNode()
              .put("prompt", "long run " + n)
              .put("agent", "long");
      body.putArray("publish")
          .add(
              RunningTaskpilot.JSON
                  .createObjectNode()
                  .put("type", "webhook")
                  .put("url", receivers.url(hook(n))));
      ids.add(taskpilot.create(body.toString()).path("id").asText());
    }
    await(
        "all ten agents printing",
        TASKS_DONE,
        () -> ids.stream().allMatch(id -> lines(id).size() >= 3),
        one,
        two);
    await(
        "ten agent processes on the two workers",
        WORKER_START,
        () -> one.agents().size() + two.agents().size() == TASKS,
        one,
        two);
    // The engine may well give all ten to one worker: that one is stopped first, so each SIGTERM
    // finds runs on its worker (the second one then has those handed over to it).
    Worker first = one.agents().size() >= two.agents().size() ? one : two;
    Worker second = first == one ? two : one;

    // when: SIGTERM to the first worker; once it is gone a replacement starts, and once that is
    // up the second worker gets SIGTERM; after it is gone its replacement starts too
    Set<Long> onFirst = first.agents();
    assertThat(onFirst).hasSizeGreaterThanOrEqualTo(TASKS / 2);
    stopAndAwaitExit(first, onFirst.size());
    assertThat(onFirst).as("agents of the stopped first worker").noneMatch(pid -> running(pid));
    Worker third = startWorker("worker-3");
    awaitUp(third);
    await(
        "the ten runs going again on the second and third workers",
        WORKER_START,
        () -> second.agents().size() + third.agents().size() == TASKS,
        second,
        third);
    Set<Long> onSecond = second.agents();
    assertThat(onSecond).isNotEmpty();
    stopAndAwaitExit(second, onSecond.size());
    assertThat(onSecond).as("agents of the stopped second worker").noneMatch(pid -> running(pid));
    Worker fourth = startWorker("worker-4");
    Files.createFile(gate);
    Map<String, JsonNode> done = new LinkedHashMap<>();
    for (String id : ids) {
      done.put(id, awaitStatus(id, "SUCCEEDED", third, fourth));
    }

    // then: every task succeeded with its run's attempt 1, and its webhook was delivered once
    for (int n = 1; n <= TASKS; n++) {
      String id = ids.get(n - 1);
      assertThat(done.get(id).path("run").path("attempt").asInt()).as(id).isEqualTo(1);
      List<Receivers.Received> delivered = receivers.at(hook(n));
      assertThat(delivered).as("deliveries to %s", hook(n)).hasSize(1);
      assertThat(
              RunningTaskpilot.JSON.readTree(delivered.getFirst().body()).path("taskId").asText())
          .isEqualTo(id);
    }
    // no retry: RunAgent was scheduled allowing one attempt, each started as attempt 1 and
    // completed (never failed or timed out); a hand-over is a completed result, then a new run
    int handedOver = 0;
    Map<String, Integer> runsPerTask = new LinkedHashMap<>();
    for (String id : ids) {
      List<AgentRunResult> results = agentRuns(id);
      assertThat(results.getLast().outcomeOrCompleted()).as(id).isEqualTo(AgentOutcome.COMPLETED);
      assertThat(results.subList(0, results.size() - 1))
          .as(id)
          .allMatch(result -> result.outcomeOrCompleted() == AgentOutcome.HANDED_OVER);
      handedOver += results.size() - 1;
      runsPerTask.put(id, results.size());
    }
    // every run the two SIGTERMs found was handed over (none could finish within the drain)
    assertThat(handedOver).isEqualTo(onFirst.size() + onSecond.size());
    // each task's output: cut-off runs of numbered lines from 1, each followed by the note, then
    // one whole run
    Map<String, Integer> outputLines = new LinkedHashMap<>();
    for (String id : ids) {
      List<String> output = lines(id);
      outputLines.put(id, output.size());
      List<List<String>> runs = runs(output);
      assertThat(runs).as(id).hasSize(runsPerTask.get(id));
      for (List<String> cutOff : runs.subList(0, runs.size() - 1)) {
        assertThat(cutOff).as(id).isEqualTo(numbered(cutOff.size()));
      }
      List<String> whole = new ArrayList<>(numbered(LINES));
      whole.add(DONE);
      assertThat(runs.getLast()).as(id).isEqualTo(whole);
    }
    // no orphans: no agent process anywhere, no record of one, no slot held, no task left open
    assertThat(agentProcesses()).as("agent processes left running").isEmpty();
    try (Stream<Path> records = Files.list(dataDir.resolve("run/agents"))) {
      assertThat(records).as("recorded agent process groups").isEmpty();
    }
    assertThat(count("SELECT count(*) FROM agent_slots")).as("agent slot rows").isZero();
    assertThat(count("SELECT count(*) FROM tasks WHERE status <> 'SUCCEEDED'")).isZero();
    assertThat(count("SELECT count(*) FROM tasks")).isEqualTo(TASKS);
    assertThat(count("SELECT count(*) FROM publication_attempts")).isEqualTo(TASKS);
    for (Worker worker : List.of(first, second, third, fourth)) {
      assertThat(worker.logText()).doesNotContain("left behind by a worker that died");
    }
    System.out.printf(
        "rolling restart: first worker stopped with %d runs, second with %d; %d runs handed over;"
            + " runs per task %s; output lines per task %s%n",
        onFirst.size(), onSecond.size(), handedOver, runsPerTask.values(), outputLines.values());
  }

  private static String hook(int n) {
    return "/hooks/task-" + n;
  }

  private static Worker startWorker(String name) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    if (Runtime.version().feature() >= 24) {
      // As the launcher does: gRPC's native transport and protobuf use these on newer JDKs.
      command.add("--enable-native-access=ALL-UNNAMED");
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    workerProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), Taskpilot.class.getName(), "worker"));
    Path log = dataDir.resolve(name + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Worker worker = new Worker(name, process, log);
    workers.add(worker);
    return worker;
  }

  private static void awaitUp(Worker worker) {
    await(
        worker.name() + " started",
        WORKER_START,
        () -> {
          assertThat(worker.process().isAlive())
              .as("%s exited early:%n%s", worker.name(), worker.logTail())
              .isTrue();
          return worker.logText().contains("taskpilot worker started");
        },
        worker);
  }

  /**
   * SIGTERM (what {@link Process#destroy()} sends on Linux), then waits for the exit; the worker
   * must have handed over each of its running agents.
   */
  private static void stopAndAwaitExit(Worker worker, int running) throws InterruptedException {
    worker.process().destroy();
    boolean exited = worker.process().waitFor(WORKER_EXIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(exited).as("%s exited after SIGTERM:%n%s", worker.name(), worker.logTail()).isTrue();
    // 143: ended by SIGTERM after the shutdown hooks ran
    assertThat(worker.process().exitValue()).as(worker.logTail()).isIn(0, 143);
    assertThat(worker.logText().lines().filter(line -> line.contains(HANDED_OVER_LOG)).count())
        .as("%s handed over its runs:%n%s", worker.name(), worker.logTail())
        .isEqualTo(running);
  }

  private static JsonNode awaitStatus(String id, String status, Worker... watched) {
    JsonNode[] last = new JsonNode[1];
    await(
        id + " " + status,
        TASKS_DONE,
        () -> {
          last[0] = RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id));
          return status.equals(last[0].path("status").asText());
        },
        watched);
    return last[0];
  }

  private static void await(
      String what, Duration timeout, BooleanSupplier condition, Worker... watched) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        StringBuilder logs = new StringBuilder();
        for (Worker worker : watched) {
          logs.append("\n--- ").append(worker.name()).append(":\n").append(worker.logTail());
        }
        throw new AssertionError("timed out waiting for " + what + logs);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static List<String> lines(String id) {
    return taskpilot
        .runtime()
        .context()
        .getBean(OutputLineRepository.class)
        .findAfter(id, 0, 100_000)
        .stream()
        .map(OutputLineRecord::text)
        .toList();
  }

  /** The output cut into runs at each hand-over note. */
  private static List<List<String>> runs(List<String> output) {
    List<List<String>> runs = new ArrayList<>();
    List<String> run = new ArrayList<>();
    for (String line : output) {
      if (line.startsWith(HANDED_OVER_NOTE)) {
        runs.add(run);
        run = new ArrayList<>();
      } else {
        run.add(line);
      }
    }
    runs.add(run);
    return runs;
  }

  private static List<String> numbered(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(n -> "line " + n).toList();
  }

  /**
   * The results of the task's RunAgent activities, in order, from its history; fails on any attempt
   * but the first, a retry policy allowing more than one, or an activity that did not complete.
   */
  private static List<AgentRunResult> agentRuns(String id) {
    WorkflowClient client = taskpilot.runtime().context().getBean(WorkflowClient.class);
    List<HistoryEvent> events = client.fetchHistory(id).getEvents();
    Map<Long, HistoryEvent> scheduled = new HashMap<>();
    List<AgentRunResult> results = new ArrayList<>();
    for (HistoryEvent event : events) {
      EventType type = event.getEventType();
      if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && event
              .getActivityTaskScheduledEventAttributes()
              .getActivityType()
              .getName()
              .equals("RunAgent")) {
        scheduled.put(event.getEventId(), event);
        assertThat(
                event
                    .getActivityTaskScheduledEventAttributes()
                    .getRetryPolicy()
                    .getMaximumAttempts())
            .as("RunAgent's maximum attempts in %s", id)
            .isEqualTo(1);
      } else if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
          && scheduled.containsKey(
              event.getActivityTaskStartedEventAttributes().getScheduledEventId())) {
        assertThat(event.getActivityTaskStartedEventAttributes().getAttempt())
            .as("RunAgent's attempt in %s", id)
            .isEqualTo(1);
      } else if (type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
          && scheduled.containsKey(
              event.getActivityTaskCompletedEventAttributes().getScheduledEventId())) {
        results.add(
            client
                .getOptions()
                .getDataConverter()
                .fromPayloads(
                    0,
                    Optional.of(event.getActivityTaskCompletedEventAttributes().getResult()),
                    AgentRunResult.class,
                    AgentRunResult.class));
      } else if ((type == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED
              && scheduled.containsKey(
                  event.getActivityTaskFailedEventAttributes().getScheduledEventId()))
          || (type == EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT
              && scheduled.containsKey(
                  event.getActivityTaskTimedOutEventAttributes().getScheduledEventId()))) {
        throw new AssertionError("a RunAgent activity of " + id + " did not complete: " + event);
      }
    }
    assertThat(results).as("completed RunAgent activities of %s", id).hasSize(scheduled.size());
    return results;
  }

  /**
   * Processes anywhere on this machine, but the workers themselves, whose command line carries the
   * test's marker.
   */
  private static List<String> agentProcesses() {
    Set<Long> workerPids =
        workers.stream().map(worker -> worker.process().pid()).collect(Collectors.toSet());
    return ProcessHandle.allProcesses()
        .filter(p -> !workerPids.contains(p.pid()))
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .filter(p -> running(p.pid()))
        .map(p -> p.pid() + " " + p.info().command().orElse("?"))
        .toList();
  }

  /** Whether the process runs: it exists and is no zombie waiting for its parent to reap it. */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) state ...: the state follows the last parenthesis
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                workerProperties.get("datasources.default.url"),
                workerProperties.get("datasources.default.username"),
                workerProperties.get("datasources.default.password"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
