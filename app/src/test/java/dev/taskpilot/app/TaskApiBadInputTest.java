package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of bad input answers a 4xx problem with a stable code, creates nothing and leaves the
 * server healthy. No worker runs: nothing here should ever reach one.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskApiBadInputTest {
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    taskpilot = RunningTaskpilot.dev(0);
    Path workspaces = taskpilot.dataDir().resolve("workspaces");
    Files.createDirectories(workspaces.resolve("shop"));
    Files.createDirectories(workspaces.resolve("repo/.git/hooks"));
    Path outside = Files.createTempDirectory("taskpilot-outside-");
    Files.createSymbolicLink(workspaces.resolve("escape"), outside);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  @AfterEach
  void nothingWasCreatedAndServerIsHealthy() {
    JsonNode all = RunningTaskpilot.json(taskpilot.get("/api/v1/tasks"));
    assertThat(all.path("items")).isEmpty();
    assertThat(taskpilot.get("/health").statusCode()).isEqualTo(200);
  }

  private static JsonNode problem(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode body = RunningTaskpilot.json(response);
    assertThat(body.path("code").asText()).isEqualTo(code);
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("requestId").asText()).isNotBlank();
    assertThat(body.path("detail").asText()).isNotBlank();
    return body;
  }

  private static HttpResponse<String> create(String body) {
    return taskpilot.post("/api/v1/tasks", body);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"prompt\": \"\"}",
        "{\"prompt\": \"   \"}",
        "{\"prompt\": null}",
        "{\"prompt\": \"x\", \"priority\": 11}",
        "{\"prompt\": \"x\", \"priority\": -1}",
        "{\"prompt\": \"x\", \"priority\": \"high\"}",
        "{\"prompt\": 42, \"labels\": \"not-a-list\"}",
        "{\"prompt\": \"x\", \"unknownField\": 1}",
        "{\"prompt\": \"x\", \"approval\": {\"beforeRun\": true, \"sometimes\": 1}}",
        "{\"prompt\": \"x\", \"notBefore\": \"2026-12-01T10:00:00\"}",
        "{\"prompt\": \"x\", \"notBefore\": \"tomorrow\"}",
        "{\"prompt\": \"x\", \"timeout\": \"ten minutes\"}",
        "{\"prompt\": \"x\", \"budgetUsd\": 0}",
        "{\"prompt\": \"x\", \"budgetUsd\": -1.5}",
        "{\"prompt\": \"x\", \"publish\": [{\"type\": \"carrier-pigeon\"}]}",
        "{\"prompt\": \"x\", \"publish\": [{\"type\": \"file\"}]}",
        "{\"prompt\": ",
        "not json at all",
        "[]"
      })
  void shouldAnswerValidationFailedWhenBodyIsInvalid(String body) {
    // when
    HttpResponse<String> response = create(body);
    // then
    problem(response, 400, "VALIDATION_FAILED");
  }

  @Test
  void shouldRefusePromptOverOneHundredThousandCharacters() {
    // given
    String prompt = "a".repeat(100_001);
    // when
    HttpResponse<String> response = create("{\"prompt\": \"" + prompt + "\"}");
    // then
    assertThat(problem(response, 400, "VALIDATION_FAILED").path("detail").asText())
        .contains("prompt");
  }

  @Test
  void shouldAnswerPayloadTooLargeWhenBodyExceedsOneMebibyte() {
    // given
    String context = "b".repeat(1024 * 1024 + 10);
    // when
    HttpResponse<String> response = create("{\"prompt\": \"x\", \"context\": \"" + context + "\"}");
    // then
    problem(response, 413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void shouldAnswerUnknownAgentWhenProfileIsNotConfigured() {
    // when
    HttpResponse<String> response = create("{\"prompt\": \"x\", \"agent\": \"nope\"}");
    // then
    assertThat(problem(response, 422, "UNKNOWN_AGENT").path("detail").asText()).contains("nope");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../shop",
        "shop/../..",
        "/etc",
        "escape",
        "missing",
        "shop/../../x",
        "repo/.git",
        "repo/.git/hooks"
      })
  void shouldAnswerUnknownWorkspaceWhenItLeavesTheRoot(String workspace) {
    // when
    HttpResponse<String> response =
        create("{\"prompt\": \"x\", \"workspace\": \"" + workspace + "\"}");
    // then
    problem(response, 422, "UNKNOWN_WORKSPACE");
  }

  @Test
  void shouldAnswerTargetNotAllowedWhenFilePathLeavesTheRoot() {
    // when
    HttpResponse<String> response =
        create("{\"prompt\": \"x\", \"publish\": [{\"type\": \"file\", \"path\": \"../x.md\"}]}");
    // then
    problem(response, 422, "TARGET_NOT_ALLOWED");
  }

  @Test
  void shouldAnswerNotFoundWhenTaskIsUnknown() {
    problem(taskpilot.get("/api/v1/tasks/task-unknown"), 404, "NOT_FOUND");
    problem(taskpilot.get("/api/v1/tasks/task-unknown/output"), 404, "NOT_FOUND");
    problem(taskpilot.post("/api/v1/tasks/task-unknown/cancel", "{}"), 404, "NOT_FOUND");
    problem(taskpilot.get("/api/v1/nothing-here"), 404, "NOT_FOUND");
    // The codec endpoint (it decrypts every payload) is off unless taskpilot.codec.enabled.
    problem(taskpilot.post("/codec/decode", "{\"payloads\": []}"), 404, "NOT_FOUND");
  }

  @Test
  void shouldRefuseBadListParameters() {
    problem(taskpilot.get("/api/v1/tasks?status=SLEEPING"), 400, "VALIDATION_FAILED");
    problem(taskpilot.get("/api/v1/tasks?limit=0"), 400, "VALIDATION_FAILED");
    problem(taskpilot.get("/api/v1/tasks?limit=abc"), 400, "VALIDATION_FAILED");
    problem(taskpilot.get("/api/v1/tasks?cursor=bm90LWEtY3Vyc29y"), 400, "VALIDATION_FAILED");
  }

  @Test
  void shouldEchoRequestIdWhenCallerSendsOne() {
    // when
    HttpResponse<String> response =
        taskpilot.post("/api/v1/tasks", "{}", "X-Request-Id", "req-123");
    // then
    assertThat(problem(response, 400, "VALIDATION_FAILED").path("requestId").asText())
        .isEqualTo("req-123");
    assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-123");
  }
}
