package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Schedules through HTTP on the dev role: one workflow each, commands as Updates, runs listed. */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduleApiTest {
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

  private static String body(String name, String cron, String extra) {
    return "{\"name\": \""
        + name
        + "\", \"cron\": \""
        + cron
        + "\", \"timeZone\": \"Europe/Berlin\", \"task\": {\"prompt\": \"Summarise yesterday's"
        + " tickets\", \"labels\": [\"digest\"]}"
        + extra
        + "}";
  }

  private static JsonNode created(String body) {
    HttpResponse<String> response = taskpilot.post("/api/v1/schedules", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode schedule = RunningTaskpilot.json(response);
    assertThat(response.headers().firstValue("Location"))
        .contains("/api/v1/schedules/" + schedule.path("id").asText());
    return schedule;
  }

  private static HttpResponse<String> put(String path, String body) {
    return taskpilot.send(
        TestHttp.request(taskpilot.uri(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpResponse<String> delete(String path) {
    return taskpilot.send(TestHttp.request(taskpilot.uri(path)).DELETE().build());
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RunningTaskpilot.json(response);
  }

  @Test
  void shouldCreateReadPauseTriggerResumeReplaceAndDeleteASchedule() {
    // given: weekdays at 09:00 in Berlin
    JsonNode schedule = created(body("weekday digest", "0 9 * * 1-5", ""));
    String id = schedule.path("id").asText();
    String path = "/api/v1/schedules/" + id;

    // then: the resource, with its defaults and next fire time
    assertThat(schedule.path("overlap").asText()).isEqualTo("SKIP");
    assertThat(schedule.path("catchupWindow").asText()).isEqualTo("PT1H");
    assertThat(schedule.path("paused").asBoolean()).isFalse();
    assertThat(schedule.path("task").path("prompt").asText()).startsWith("Summarise");
    assertThat(schedule.path("task").path("timeout").asText()).isEqualTo("PT10M");
    ZonedDateTime next =
        Instant.parse(schedule.path("nextFireTime").asText()).atZone(ZoneId.of("Europe/Berlin"));
    assertThat(next.getHour()).isEqualTo(9);
    assertThat(next.getDayOfWeek().getValue()).isBetween(1, 5);
    assertThat(schedule.path("lastFireTime").isNull()).isTrue();
    assertThat(ok(taskpilot.get(path)).path("name").asText()).isEqualTo("weekday digest");
    assertThat(RunningTaskpilot.json(taskpilot.get("/api/v1/schedules")).path("items"))
        .anySatisfy(item -> assertThat(item.path("id").asText()).isEqualTo(id));

    // when: paused, the next fire time is null
    JsonNode paused = ok(taskpilot.post(path + "/pause", ""));
    assertThat(paused.path("paused").asBoolean()).isTrue();
    assertThat(paused.path("nextFireTime").isNull()).isTrue();

    // when: triggered while paused, a run starts and succeeds
    HttpResponse<String> triggered = taskpilot.post(path + "/trigger", "");
    assertThat(triggered.statusCode()).as(triggered.body()).isEqualTo(201);
    String taskId = RunningTaskpilot.json(triggered).path("id").asText();
    assertThat(taskId).isEqualTo(id + "-manual-1");
    JsonNode task = taskpilot.awaitStatus(taskId, "SUCCEEDED", WAIT);
    assertThat(task.path("labels").get(0).asText()).isEqualTo("digest");
    JsonNode runs = ok(taskpilot.get(path + "/runs")).path("items");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("taskId").asText()).isEqualTo(taskId);
    assertThat(runs.get(0).path("outcome").asText()).isEqualTo("STARTED");
    assertThat(runs.get(0).path("manual").asBoolean()).isTrue();

    // when: resumed
    JsonNode resumed = ok(taskpilot.post(path + "/resume", ""));
    assertThat(resumed.path("paused").asBoolean()).isFalse();
    assertThat(resumed.path("nextFireTime").asText())
        .isEqualTo(schedule.path("nextFireTime").asText());

    // when: replaced with another name, cron and zone
    JsonNode replaced =
        ok(
            put(
                path,
                body("monthly digest", "@monthly", ", \"overlap\": \"BUFFER_ONE\"")
                    .replace("Europe/Berlin", "America/New_York")));
    assertThat(replaced.path("name").asText()).isEqualTo("monthly digest");
    assertThat(replaced.path("cron").asText()).isEqualTo("@monthly");
    assertThat(replaced.path("overlap").asText()).isEqualTo("BUFFER_ONE");
    ZonedDateTime monthly =
        Instant.parse(replaced.path("nextFireTime").asText()).atZone(ZoneId.of("America/New_York"));
    assertThat(monthly.getDayOfMonth()).isEqualTo(1);
    assertThat(monthly.getHour()).isZero();

    // when: deleted
    assertThat(delete(path).statusCode()).isEqualTo(204);

    // then: gone, its task left alone, its name free again
    assertThat(taskpilot.get(path).statusCode()).isEqualTo(404);
    assertThat(taskpilot.post(path + "/trigger", "").statusCode()).isEqualTo(404);
    assertThat(ok(taskpilot.get("/api/v1/tasks/" + taskId)).path("status").asText())
        .isEqualTo("SUCCEEDED");
    created(body("monthly digest", "@monthly", ""));
  }

  @Test
  void shouldAnswerConflictWhenNameIsTaken() {
    // given
    created(body("nightly", "@daily", ""));
    // when
    HttpResponse<String> response =
        taskpilot.post("/api/v1/schedules", body("nightly", "@hourly", ""));
    // then
    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    assertThat(RunningTaskpilot.json(response).path("code").asText())
        .isEqualTo("SCHEDULE_NAME_TAKEN");
  }

  @Test
  void shouldStartATaskNamedAfterTheFireTimeWhenTheCronFires() throws InterruptedException {
    // given: every minute
    String id = created(body("every minute", "* * * * *", "")).path("id").asText();
    String path = "/api/v1/schedules/" + id;

    // when: the next minute comes
    JsonNode run = null;
    Instant deadline = Instant.now().plus(Duration.ofSeconds(75));
    while (run == null && Instant.now().isBefore(deadline)) {
      for (JsonNode item : ok(taskpilot.get(path + "/runs")).path("items")) {
        if ("STARTED".equals(item.path("outcome").asText())) {
          run = item;
        }
      }
      Thread.sleep(200);
    }

    // then
    assertThat(run).as("a cron run within 75 s").isNotNull();
    Instant fire = Instant.parse(run.path("fireTime").asText());
    assertThat(fire.getEpochSecond() % 60).isZero();
    assertThat(run.path("taskId").asText())
        .isEqualTo(
            id
                + "-"
                + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                    .withZone(java.time.ZoneOffset.UTC)
                    .format(fire));
    taskpilot.awaitStatus(run.path("taskId").asText(), "SUCCEEDED", WAIT);
    JsonNode schedule = ok(taskpilot.get(path));
    assertThat(schedule.path("lastFireTime").asText()).isEqualTo(run.path("fireTime").asText());
    assertThat(delete(path).statusCode()).isEqualTo(204);
  }
}
