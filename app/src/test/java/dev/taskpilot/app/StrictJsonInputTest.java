package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JSON API takes no value of the wrong type: a number, boolean, array or object for a string, a
 * fraction or a string for a whole number, a string or number for a boolean, a string for a
 * decimal; each is a 400 VALIDATION_FAILED naming the field and what was expected, and nothing is
 * created. No worker runs.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StrictJsonInputTest {
  private static final String TASK = "{\"prompt\": \"x\"";
  private static final String SCHEDULE =
      "{\"name\": \"n\", \"cron\": \"0 9 * * *\", \"timeZone\": \"UTC\", \"task\": {\"prompt\":"
          + " \"x\"}";
  private static final String CONTEXT = "{\"timeZone\": \"UTC\"";

  private static RunningTaskpilot taskpilot;
  private static int createdOnPurpose;

  @BeforeAll
  static void start() {
    taskpilot = RunningTaskpilot.dev(0);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  @AfterEach
  void nothingElseWasCreated() {
    assertThat(RunningTaskpilot.json(taskpilot.get("/api/v1/tasks")).path("items"))
        .hasSize(createdOnPurpose);
    assertThat(RunningTaskpilot.json(taskpilot.get("/api/v1/schedules")).path("items")).isEmpty();
  }

  /**
   * Each row: method, path, a body (a prefix above and the wrong field; {@code '} stands for {@code
   * "}), and the words the refusal must contain.
   */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "POST | /api/v1/tasks | {'prompt': 5}                        | prompt: expected a string but got a whole number",
        "POST | /api/v1/tasks | {'prompt': 5.5}                      | prompt, expected a string",
        "POST | /api/v1/tasks | {'prompt': ['a']}                    | prompt, expected a string, an array",
        "POST | /api/v1/tasks | {'prompt': true}                     | prompt, expected a string, a boolean",
        "POST | /api/v1/tasks | {'prompt': {'text': 'a'}}            | prompt, expected a string, an object",
        "POST | /api/v1/tasks | TASK, 'title': 7}                    | title, expected a string",
        "POST | /api/v1/tasks | TASK, 'workspace': ['shop']}         | workspace, expected a string",
        "POST | /api/v1/tasks | TASK, 'priority': 5.5}               | priority, expected a whole number, a decimal number",
        "POST | /api/v1/tasks | TASK, 'priority': 5.0}               | priority, expected a whole number",
        "POST | /api/v1/tasks | TASK, 'priority': '5'}               | priority, expected a whole number, a string",
        "POST | /api/v1/tasks | TASK, 'priority': true}              | priority, expected a whole number",
        "POST | /api/v1/tasks | TASK, 'priority': 4294967296}        | priority, whole number between",
        "POST | /api/v1/tasks | TASK, 'labels': [1]}                 | labels[0]: expected a string",
        "POST | /api/v1/tasks | TASK, 'labels': [['a']]}             | labels[0]: expected a string",
        "POST | /api/v1/tasks | TASK, 'approval': {'beforeRun': 'true'}} | approval.beforeRun: expected true or false but got a string",
        "POST | /api/v1/tasks | TASK, 'approval': {'beforeRun': 1}}  | beforeRun, expected true or false",
        "POST | /api/v1/tasks | TASK, 'budgetUsd': '1.5'}            | budgetUsd, expected a number, a string",
        "POST | /api/v1/tasks | TASK, 'budgetUsd': true}             | budgetUsd, expected a number",
        "POST | /api/v1/tasks | TASK, 'timeout': 600}                | timeout, expected a string",
        "POST | /api/v1/tasks | TASK, 'publish': [{'type': 'file', 'path': 5}]} | publish[0].path: expected a string",
        "POST | /api/v1/tasks | TASK, 'notify': [{'type': 'ntfy', 'topic': 't', 'events': [1]}]} | notify[0].events[0]: expected a string but got a whole number",
        "POST | /api/v1/tasks/t-1/priority | {'priority': 5.5}        | priority, expected a whole number",
        "POST | /api/v1/tasks/t-1/priority | {'priority': '7'}        | priority, expected a whole number",
        "POST | /api/v1/tasks/t-1/reschedule | {'notBefore': 1767225600} | notBefore, expected a string",
        "POST | /api/v1/tasks/t-1/input | {'text': 42}                | text, expected a string",
        "POST | /api/v1/tasks/t-1/approve | {'comment': 5}            | comment, expected a string",
        "POST | /api/v1/tasks/t-1/approve | {'budgetUsd': '10'}       | budgetUsd, expected a number",
        "POST | /api/v1/tasks/t-1/reject | {'comment': false}        | comment, expected a string",
        "POST | /api/v1/tasks/t-1/cancel | {'reason': ['x']}         | reason, expected a string",
        "POST | /api/v1/schedules | {'name': 5, 'cron': '0 9 * * *', 'timeZone': 'UTC', 'task': {'prompt': 'x'}} | name, expected a string",
        "POST | /api/v1/schedules | SCHEDULE, 'paused': 'false'}   | paused, expected true or false",
        "POST | /api/v1/schedules | SCHEDULE, 'paused': 0}         | paused, expected true or false",
        "POST | /api/v1/schedules | {'name': 'n', 'cron': '0 9 * * *', 'timeZone': 'UTC', 'task': {'prompt': 5}} | prompt, expected a string",
        "PUT  | /api/v1/schedules/s-1 | SCHEDULE, 'catchupWindow': 3600} | catchupWindow, expected a string",
        "POST | /api/v1/chat | {'message': 5}                         | message, expected a string",
        "POST | /api/v1/chat | {'message': ['hello']}                 | message, expected a string",
        "PUT  | /api/v1/context | {'timeZone': 5}                     | timeZone, expected a string",
        "PUT  | /api/v1/context | CONTEXT, 'withinWorkingHours': 'yes'} | withinWorkingHours, expected true or false",
        "PUT  | /api/v1/context | CONTEXT, 'workingHours': {'start': 9, 'end': '17:00'}} | start, expected a string",
        "PUT  | /api/v1/context | CONTEXT, 'preferences': {'a': 1}}  | preferences, expected a string",
      })
  void shouldAnswerValidationFailedWhenAValueHasTheWrongJsonType(
      String method, String path, String body, String expectedWords) {
    // given
    String json =
        body.replace("TASK", TASK)
            .replace("SCHEDULE", SCHEDULE)
            .replace("CONTEXT", CONTEXT)
            .replace('\'', '"');
    HttpRequest request =
        TestHttp.request(taskpilot.uri(path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .build();

    // when
    HttpResponse<String> response = taskpilot.send(request);

    // then
    assertThat(response.statusCode()).as(json + " -> " + response.body()).isEqualTo(400);
    JsonNode problem = RunningTaskpilot.json(response);
    assertThat(problem.path("code").asText()).isEqualTo("VALIDATION_FAILED");
    for (String words : expectedWords.split(",")) {
      assertThat(problem.path("detail").asText()).as(json).contains(words.strip());
    }
  }

  @Test
  void shouldStillTakeValuesOfTheRightType() {
    // given
    String body =
        "{\"prompt\": \"x\", \"title\": \"t\", \"priority\": 7, \"labels\": [\"a\"],"
            + " \"approval\": {\"beforeRun\": true}, \"budgetUsd\": 2.5}";

    // when
    HttpResponse<String> created = taskpilot.post("/api/v1/tasks", body);

    // then
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    createdOnPurpose++;
    JsonNode task = RunningTaskpilot.json(created);
    assertThat(task.path("title").asText()).isEqualTo("t");
    assertThat(task.path("labels")).extracting(JsonNode::asText).containsExactly("a");
  }
}
