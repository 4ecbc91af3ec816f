package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Commands over HTTP against real task workflows on the embedded engine. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskCommandsApiTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() {
    taskpilot = RunningTaskpilot.dev(1);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  private static String later() {
    return Instant.now().plus(3, ChronoUnit.HOURS).toString();
  }

  private static String scheduledTask() {
    String id =
        taskpilot
            .create("{\"prompt\": \"later\", \"notBefore\": \"" + later() + "\"}")
            .path("id")
            .asText();
    taskpilot.awaitStatus(id, "SCHEDULED", WAIT);
    return id;
  }

  private static HttpResponse<String> command(String id, String command, String body) {
    return taskpilot.post("/api/v1/tasks/" + id + "/" + command, body);
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RunningTaskpilot.json(response);
  }

  private static void conflict(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    assertThat(RunningTaskpilot.json(response).path("code").asText()).isEqualTo("INVALID_STATE");
  }

  @Nested
  class WhileScheduled {
    @Test
    void shouldPauseResumeRescheduleAndReprioritiseWhenWaitingForItsSlot() {
      // given
      String id = scheduledTask();
      String newSlot =
          Instant.now().plus(5, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();

      // when / then
      assertThat(ok(command(id, "pause", "")).path("status").asText()).isEqualTo("PAUSED");
      conflict(command(id, "pause", ""));
      assertThat(ok(command(id, "resume", "")).path("status").asText()).isEqualTo("SCHEDULED");
      conflict(command(id, "resume", ""));
      JsonNode moved = ok(command(id, "reschedule", "{\"notBefore\": \"" + newSlot + "\"}"));
      assertThat(Instant.parse(moved.path("notBefore").asText())).isEqualTo(Instant.parse(newSlot));
      assertThat(ok(command(id, "priority", "{\"priority\": 9}")).path("priority").asInt())
          .isEqualTo(9);
      assertThat(
              RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id)).path("priority").asInt())
          .isEqualTo(9);
    }

    @Test
    void shouldRefuseCommandsThatDoNotApplyWhenScheduled() {
      // given
      String id = scheduledTask();
      // when / then
      conflict(command(id, "approve", "{}"));
      conflict(command(id, "reject", "{}"));
      conflict(command(id, "resume", ""));
      conflict(command(id, "input", "{\"text\": \"hello\"}"));
      assertThat(command(id, "priority", "{\"priority\": 11}").statusCode()).isEqualTo(400);
      assertThat(command(id, "reschedule", "{\"notBefore\": \"soon\"}").statusCode())
          .isEqualTo(400);
      assertThat(
              RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id)).path("status").asText())
          .isEqualTo("SCHEDULED");
    }

    @Test
    void shouldCancelAndThenRefuseEveryCommandWhenCancelled() {
      // given
      String id = scheduledTask();
      // when
      JsonNode cancelled = ok(command(id, "cancel", "{\"reason\": \"not needed\"}"));
      // then
      assertThat(cancelled.path("status").asText()).isEqualTo("CANCELLED");
      for (String each : new String[] {"cancel", "pause", "resume", "run-now", "approve"}) {
        conflict(command(id, each, "{}"));
      }
    }

    @Test
    void shouldRunAtOnceWhenToldToRunNow() {
      // given
      String id = scheduledTask();
      // when
      JsonNode started = ok(command(id, "run-now", ""));
      // then
      assertThat(started.path("status").asText()).isNotEqualTo("SCHEDULED");
      taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    }
  }

  @Nested
  class Approval {
    @Test
    void shouldRunAfterApprovalWhenGateIsOn() {
      // given
      String id =
          taskpilot
              .create("{\"prompt\": \"gated\", \"approval\": {\"beforeRun\": true}}")
              .path("id")
              .asText();
      JsonNode waiting = taskpilot.awaitStatus(id, "AWAITING_APPROVAL", WAIT);
      assertThat(waiting.path("approval").path("waitingAt").asText()).isEqualTo("before_run");
      conflict(command(id, "run-now", ""));
      // when
      ok(command(id, "approve", "{\"comment\": \"go\"}"));
      // then
      taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    }

    @Test
    void shouldEndRejectedWhenGateIsRejected() {
      // given
      String id =
          taskpilot
              .create("{\"prompt\": \"gated\", \"approval\": {\"beforeRun\": true}}")
              .path("id")
              .asText();
      taskpilot.awaitStatus(id, "AWAITING_APPROVAL", WAIT);
      // when
      JsonNode rejected = ok(command(id, "reject", "{\"comment\": \"no\"}"));
      // then
      assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
      assertThat(rejected.path("run").isMissingNode() || rejected.path("run").isNull()).isTrue();
    }
  }

  @Nested
  class Running {
    @Test
    void shouldKillTheAgentWhenCancelledWhileRunning() {
      // given
      String id =
          taskpilot.create("{\"prompt\": \"nap\", \"agent\": \"sleepy\"}").path("id").asText();
      taskpilot.awaitStatus(id, "RUNNING", WAIT);
      // when
      JsonNode cancelled = ok(command(id, "cancel", "{}"));
      // then
      assertThat(cancelled.path("status").asText()).isEqualTo("CANCELLED");
      assertThat(
              ProcessHandle.allProcesses()
                  .filter(p -> p.info().commandLine().orElse("").contains("sleep 600"))
                  .count())
          .isZero();
    }
  }

  @Nested
  class Idempotency {
    @Test
    void shouldReturnTheSameTaskWhenKeyAndBodyRepeat() {
      // given
      String body = "{\"prompt\": \"once\", \"notBefore\": \"" + later() + "\"}";
      // when
      HttpResponse<String> first = taskpilot.post("/api/v1/tasks", body, "Idempotency-Key", "k-1");
      HttpResponse<String> second = taskpilot.post("/api/v1/tasks", body, "Idempotency-Key", "k-1");
      // then
      assertThat(first.statusCode()).isEqualTo(201);
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(RunningTaskpilot.json(second).path("id"))
          .isEqualTo(RunningTaskpilot.json(first).path("id"));
      assertThat(first.headers().firstValue("Location"))
          .hasValueSatisfying(
              location ->
                  assertThat(location).endsWith(RunningTaskpilot.json(first).path("id").asText()));
    }

    @Test
    void shouldAnswerConflictWhenKeyIsReusedWithAnotherBody() {
      // given
      taskpilot.post(
          "/api/v1/tasks",
          "{\"prompt\": \"one\", \"notBefore\": \"" + later() + "\"}",
          "Idempotency-Key",
          "k-2");
      // when
      HttpResponse<String> reused =
          taskpilot.post("/api/v1/tasks", "{\"prompt\": \"two\"}", "Idempotency-Key", "k-2");
      // then
      assertThat(reused.statusCode()).isEqualTo(409);
      assertThat(RunningTaskpilot.json(reused).path("code").asText())
          .isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }
  }
}
