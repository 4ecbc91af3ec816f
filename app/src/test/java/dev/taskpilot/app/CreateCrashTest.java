package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.api.tasks.CreateSteps.Step;
import dev.taskpilot.api.tasks.TaskEngine;
import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.testing.TaskRows;
import dev.taskpilot.store.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A create cut short at any step — a process death (an {@code Error} nothing catches) or an engine
 * answer that never came — leaves either no task or a task that runs to SUCCEEDED, started by the
 * reconciler when the create could not; a repeat with the same Idempotency-Key then returns that
 * task. With the engine down a create answers 503 ENGINE_UNAVAILABLE and leaves nothing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CreateCrashTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static RunningTaskpilot taskpilot;
  private static CrashingCreateSteps steps;
  private static TaskRepository tasks;
  private static TaskEngine engine;

  @BeforeAll
  static void start() throws Exception {
    taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-crash-"),
            TestDatabase.freshDatasourceProperties(),
            Map.of(
                CrashingCreateSteps.ENABLED,
                "true",
                "taskpilot.reconciler.interval",
                "200ms",
                "taskpilot.reconciler.grace",
                "1s"));
    steps = taskpilot.runtime().context().getBean(CrashingCreateSteps.class);
    tasks = taskpilot.runtime().context().getBean(TaskRepository.class);
    engine = taskpilot.runtime().context().getBean(TaskEngine.class);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  private static StatusRuntimeException grpc(Status status) {
    return new StatusRuntimeException(status.withDescription("simulated"));
  }

  @Test
  void shouldLeaveNoTaskWhenTheProcessDiesInsideTheTransaction() {
    steps.crashAt(Step.ROW_INSERTED);
    assertNoTask("in-transaction", 500);
  }

  @Test
  void shouldStartTheTaskLaterWhenTheProcessDiesAfterTheCommit() {
    steps.crashAt(Step.COMMITTED);
    String id = assertKeptAndSucceeds("after-commit", 500);
    assertThat(steps.times(Step.START_SENDING, id)).as("the reconciler's start").isEqualTo(1);
  }

  @Test
  void shouldStartTheTaskLaterWhenTheProcessDiesAsTheStartIsSent() {
    steps.crashAt(Step.START_SENDING);
    String id = assertKeptAndSucceeds("start-sending", 500);
    assertThat(steps.times(Step.START_SENDING, id))
        .as("the create's, the reconciler's")
        .isEqualTo(2);
  }

  @Test
  void shouldRunTheTaskWhenTheProcessDiesAfterTheEngineTookTheStart() {
    steps.crashAt(Step.START_ANSWERED);
    String id = assertKeptAndSucceeds("start-answered", 500);
    assertThat(steps.times(Step.START_SENDING, id)).as("no second start").isEqualTo(1);
  }

  @Test
  void shouldStartTheTaskLaterWhenTheProcessDiesBetweenARefusalAndTheRemoval() {
    steps.arm(Step.START_SENDING, () -> grpc(Status.UNAVAILABLE));
    steps.crashAt(Step.NOT_STARTED);
    String id = assertKeptAndSucceeds("before-removal", 500);
    assertThat(steps.times(Step.START_SENDING, id)).isEqualTo(2);
  }

  @Test
  void shouldLeaveNoTaskWhenTheEngineRefusesTheStart() {
    steps.arm(Step.START_SENDING, () -> grpc(Status.UNAVAILABLE));
    assertNoTask("refused", 503);
  }

  @Test
  void shouldLeaveNoTaskWhenAnUnclearStartNeverReachedTheEngine() {
    // the deadline passed before the start was sent: the engine says it has no such workflow
    steps.arm(Step.START_SENDING, () -> grpc(Status.DEADLINE_EXCEEDED));
    assertNoTask("unclear-absent", 503);
  }

  @Test
  void shouldCreateTheTaskWhenTheStartTimedOutButLanded() {
    // the engine took the start, its answer was lost: the engine says the workflow exists
    steps.arm(Step.START_ANSWERED, () -> grpc(Status.DEADLINE_EXCEEDED));
    String id = assertKeptAndSucceeds("unclear-landed", 201);
    assertThat(steps.times(Step.START_SENDING, id)).as("no second start").isEqualTo(1);
  }

  @Test
  void shouldKeepTheTaskForTheReconcilerWhenTheEngineCannotTellWhetherItStarted() {
    steps.arm(Step.START_SENDING, () -> grpc(Status.DEADLINE_EXCEEDED));
    steps.arm(Step.DESCRIBING, () -> grpc(Status.UNAVAILABLE));
    String id = assertKeptAndSucceeds("cannot-tell", 503);
    assertThat(steps.times(Step.START_SENDING, id)).isEqualTo(2);
  }

  @Test
  void shouldFailATaskThatNeverStartedWhenItsStoredRequestCannotBeRead() {
    // given: a row no workflow wrote, whose request is no task input of this version
    String id = TaskRows.insert(tasks, "PLANNING");

    // when: the reconciler finds it after the grace
    JsonNode failed = taskpilot.awaitStatus(id, "FAILED", WAIT);

    // then
    assertThat(failed.path("error").path("code").asText()).isEqualTo("REQUEST_UNREADABLE");
    assertThat(engine.presence(id)).isEqualTo(TaskEngine.Presence.ABSENT);
    System.out.println("unreadable request: FAILED REQUEST_UNREADABLE, no workflow started");
  }

  @Test
  void shouldAnswerServiceUnavailableAndLeaveNoRowWhenTheEngineIsDown() throws Exception {
    // given: dev whose engine address is a closed loopback port
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    try (RunningTaskpilot down =
        RunningTaskpilot.dev(
            0,
            Files.createTempDirectory("taskpilot-engine-down-"),
            TestDatabase.freshDatasourceProperties(),
            Map.of(
                "temporal.target", "127.0.0.1:" + closed, "taskpilot.api.start-timeout", "2s"))) {
      TaskRepository rows = down.runtime().context().getBean(TaskRepository.class);

      // when: the same create twice
      for (int attempt = 1; attempt <= 2; attempt++) {
        HttpResponse<String> created =
            down.post(
                "/api/v1/tasks",
                "{\"prompt\": \"nobody will start me\"}",
                "Idempotency-Key",
                "engine-down");

        // then
        assertThat(created.statusCode()).as(created.body()).isEqualTo(503);
        assertThat(RunningTaskpilot.json(created).path("code").asText())
            .isEqualTo("ENGINE_UNAVAILABLE");
        assertThat(created.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(rows.count()).as("rows after attempt %s", attempt).isZero();
        System.out.printf("crash point engine-down attempt %d: HTTP 503, rows 0%n", attempt);
      }
    }
  }

  /** Creates with the armed failure; no row may be left, and a repeat creates the task anew. */
  private static void assertNoTask(String point, int expectedStatus) {
    String key = "crash-" + point;
    long before = tasks.count();

    int status = createStatus(key, point);
    String lost = steps.lastAt(Step.ROW_INSERTED);

    assertThat(steps.allFired()).isTrue();
    assertThat(status).isEqualTo(expectedStatus);
    assertThat(tasks.findByOwnerAndIdempotencyKey("default", key)).isEmpty();
    assertThat(tasks.count()).isEqualTo(before);
    assertThat(engine.presence(lost))
        .as("no workflow of the lost task")
        .isEqualTo(TaskEngine.Presence.ABSENT);

    HttpResponse<String> again = create(key, point);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    String id = RunningTaskpilot.json(again).path("id").asText();
    assertThat(id).isNotEqualTo(lost);
    taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    System.out.printf(
        "crash point %s: HTTP %d, rows left 0; repeat HTTP 201, a new task SUCCEEDED%n",
        point, status);
  }

  /**
   * Creates with the armed failure; the row must stay and its task run to SUCCEEDED, and a repeat
   * must return it. Returns its id.
   */
  private static String assertKeptAndSucceeds(String point, int expectedStatus) {
    String key = "crash-" + point;
    long before = tasks.count();

    int status = createStatus(key, point);

    assertThat(steps.allFired()).isTrue();
    assertThat(status).isEqualTo(expectedStatus);
    Optional<TaskRecord> kept = tasks.findByOwnerAndIdempotencyKey("default", key);
    assertThat(kept).isPresent();
    assertThat(tasks.count()).isEqualTo(before + 1);
    String id = kept.orElseThrow().id();
    JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    assertThat(done.path("run").path("exitCode").asInt()).isZero();

    HttpResponse<String> again = create(key, point);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(RunningTaskpilot.json(again).path("id").asText()).isEqualTo(id);
    assertThat(tasks.count()).isEqualTo(before + 1);
    System.out.printf(
        "crash point %s: HTTP %d, rows left 1, SUCCEEDED (starts sent: %d);"
            + " repeat HTTP 200, same id%n",
        point, status, steps.times(Step.START_SENDING, id));
    return id;
  }

  /** The create's status (a crash inside the request is answered 500 by the server). */
  private static int createStatus(String key, String point) {
    return create(key, point).statusCode();
  }

  private static HttpResponse<String> create(String key, String point) {
    return taskpilot.post(
        "/api/v1/tasks",
        "{\"prompt\": \"survive a crash at " + point + "\", \"labels\": [\"crash\"]}",
        "Idempotency-Key",
        key);
  }
}
