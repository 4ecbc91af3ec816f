package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad schedules answer a 4xx problem with a stable code and create nothing; a schedule's task body
 * is refused exactly as {@code POST /api/v1/tasks} refuses it. No worker runs.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduleApiBadInputTest {
  private static final String TASK = "{\"prompt\": \"digest\"}";
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    taskpilot = RunningTaskpilot.dev(0);
    Files.createDirectories(taskpilot.dataDir().resolve("workspaces").resolve("shop"));
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  @AfterEach
  void nothingWasCreated() {
    assertThat(RunningTaskpilot.json(taskpilot.get("/api/v1/schedules")).path("items")).isEmpty();
    assertThat(RunningTaskpilot.json(taskpilot.get("/api/v1/tasks")).path("items")).isEmpty();
  }

  private static String schedule(String cron, String zone, String task, String extra) {
    return "{\"name\": \"digest\", \"cron\": \""
        + cron
        + "\", \"timeZone\": \""
        + zone
        + "\", \"task\": "
        + task
        + extra
        + "}";
  }

  private static JsonNode problem(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode body = RunningTaskpilot.json(response);
    assertThat(body.path("code").asText()).isEqualTo(code);
    assertThat(body.path("detail").asText()).isNotBlank();
    return body;
  }

  private static HttpResponse<String> create(String body) {
    return taskpilot.post("/api/v1/schedules", body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 0 9 * * *", "0 0 9 * * ? 2026"})
  void shouldRefuseSixAndSevenFieldCronSayingFiveFields(String cron) {
    // when
    HttpResponse<String> response = create(schedule(cron, "UTC", TASK, ""));
    // then
    assertThat(problem(response, 400, "VALIDATION_FAILED").path("detail").asText())
        .contains("5 fields");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"cron\": \"every morning\"}",
        "{\"cron\": \"61 9 * * *\"}",
        "{\"cron\": \"0 9 31 2 *\"}",
        "{\"cron\": \"@reboot\"}",
        "{\"timeZone\": \"Mars/Olympus_Mons\"}",
        "{\"timeZone\": \"+02:00\"}",
        "{\"catchupWindow\": \"-PT1M\"}",
        "{\"catchupWindow\": \"P31D\"}",
        "{\"catchupWindow\": \"soon\"}",
        "{\"overlap\": \"SOMETIMES\"}",
        "{\"name\": \"\"}",
        "{\"name\": null}",
        "{\"task\": null}",
        "{\"cron\": null}",
        "{\"timeZone\": null}",
        "{\"color\": \"blue\"}",
        "{\"task\": {\"prompt\": \"x\", \"notBefore\": \"2026-12-01T09:00:00Z\"}}"
      })
  void shouldAnswerValidationFailedWhenAFieldIsInvalid(String override) throws Exception {
    // given: a valid schedule with one field replaced (or added)
    var body =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            RunningTaskpilot.JSON.readTree(
                schedule("0 9 * * 1-5", "Europe/Berlin", TASK, ", \"catchupWindow\": \"PT1H\""));
    body.setAll(
        (com.fasterxml.jackson.databind.node.ObjectNode) RunningTaskpilot.JSON.readTree(override));
    // when
    HttpResponse<String> response = create(body.toString());
    // then
    problem(response, 400, "VALIDATION_FAILED");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"prompt\": \"\"}",
        "{\"prompt\": \"x\", \"priority\": 11}",
        "{\"prompt\": \"x\", \"unknownField\": 1}",
        "{\"prompt\": \"x\", \"notBefore\": \"tomorrow\"}",
        "{\"prompt\": \"x\", \"timeout\": \"PT25H\"}",
        "{\"prompt\": \"x\", \"agent\": \"nope\"}",
        "{\"prompt\": \"x\", \"workspace\": \"../shop\"}",
        "{\"prompt\": \"x\", \"publish\": [{\"type\": \"carrier-pigeon\"}]}",
        "{\"prompt\": \"x\", \"publish\": [{\"type\": \"file\", \"path\": \"../x.md\"}]}"
      })
  void shouldRefuseTaskBodyWithTheCodeTasksApiGives(String task) {
    // given: what POST /api/v1/tasks answers for the same body
    HttpResponse<String> asTask = taskpilot.post("/api/v1/tasks", task);
    JsonNode taskProblem = RunningTaskpilot.json(asTask);
    assertThat(asTask.statusCode()).as(asTask.body()).isBetween(400, 499);

    // when
    HttpResponse<String> asSchedule = create(schedule("0 9 * * *", "UTC", task, ""));

    // then
    problem(asSchedule, asTask.statusCode(), taskProblem.path("code").asText());
  }

  @Test
  void shouldAnswerNotFoundForEveryCallOnAnUnknownSchedule() {
    // given
    String unknown = "/api/v1/schedules/sch-unknown";
    String valid = schedule("0 9 * * *", "UTC", TASK, "");
    // when / then
    problem(taskpilot.get(unknown), 404, "NOT_FOUND");
    problem(taskpilot.get(unknown + "/runs"), 404, "NOT_FOUND");
    problem(taskpilot.post(unknown + "/pause", ""), 404, "NOT_FOUND");
    problem(taskpilot.post(unknown + "/resume", ""), 404, "NOT_FOUND");
    problem(taskpilot.post(unknown + "/trigger", ""), 404, "NOT_FOUND");
    problem(
        taskpilot.send(
            TestHttp.request(taskpilot.uri(unknown))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(valid))
                .build()),
        404,
        "NOT_FOUND");
    problem(
        taskpilot.send(TestHttp.request(taskpilot.uri(unknown)).DELETE().build()),
        404,
        "NOT_FOUND");
  }
}
