package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.api.auth.ApiTokens;
import dev.taskpilot.api.auth.Role;
import dev.taskpilot.store.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-token rate limits over HTTP: task creations, chat messages and the schedules of an owner,
 * with small limits, for operator tokens; admin tokens are not limited.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RateLimitApiTest {
  private static final String LATER = Instant.now().plus(30, ChronoUnit.DAYS).toString();
  private static final String TASK = "{\"prompt\": \"limited\", \"notBefore\": \"" + LATER + "\"}";
  private static RunningTaskpilot taskpilot;
  private static ApiTokens tokens;

  @BeforeAll
  static void start() {
    try {
      taskpilot =
          RunningTaskpilot.dev(
              1,
              Files.createTempDirectory("taskpilot-limits-"),
              TestDatabase.freshDatasourceProperties(),
              Map.of(
                  "taskpilot.rate-limits.tasks.capacity", 2,
                  "taskpilot.rate-limits.tasks.period", "1h",
                  "taskpilot.rate-limits.chat.capacity", 1,
                  "taskpilot.rate-limits.max-schedules", 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tokens = taskpilot.runtime().context().getBean(ApiTokens.class);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  private static HttpResponse<String> post(String token, String path, String body) {
    return taskpilot.send(
        TestHttp.request(taskpilot.uri(path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static void limited(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(RunningTaskpilot.json(response).path("code").asText()).isEqualTo("RATE_LIMITED");
  }

  private static long retryAfter(HttpResponse<String> response) {
    return Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
  }

  @Test
  void shouldRefuseTheThirdTaskOfATokenButNotAnotherTokensOrAnAdmins() {
    // given
    String operator = tokens.create("erin", Role.OPERATOR, null).secret();
    String sameOwner = tokens.create("erin", Role.OPERATOR, null).secret();
    // when
    int first = post(operator, "/api/v1/tasks", TASK).statusCode();
    int second = post(operator, "/api/v1/tasks", TASK).statusCode();
    HttpResponse<String> third = post(operator, "/api/v1/tasks", TASK);
    int otherToken = post(sameOwner, "/api/v1/tasks", TASK).statusCode();
    // then: 2 an hour refill one every 30 minutes
    assertThat(first).isEqualTo(201);
    assertThat(second).isEqualTo(201);
    limited(third);
    assertThat(retryAfter(third)).isBetween(1L, 1800L);
    assertThat(otherToken).isEqualTo(201);
    for (int i = 0; i < 4; i++) {
      assertThat(post(taskpilot.adminToken(), "/api/v1/tasks", TASK).statusCode()).isEqualTo(201);
    }
  }

  @Test
  void shouldRefuseTheSecondChatMessageOfAToken() {
    // given
    String operator = tokens.create("frank", Role.OPERATOR, null).secret();
    // when
    HttpResponse<String> first = post(operator, "/api/v1/chat", "{\"message\": \"hello\"}");
    HttpResponse<String> second = post(operator, "/api/v1/chat", "{\"message\": \"again\"}");
    // then: the first is answered (no LLM here), the second refused before any LLM is asked
    assertThat(RunningTaskpilot.json(first).path("code").asText()).isEqualTo("LLM_NOT_CONFIGURED");
    limited(second);
    assertThat(retryAfter(second)).isBetween(1L, 3600L);
  }

  @Test
  void shouldCapTheSchedulesOfAnOwnerAndCountTriggersAsTaskCreations() {
    // given
    String operator = tokens.create("gina", Role.OPERATOR, null).secret();
    String sameOwner = tokens.create("gina", Role.OPERATOR, null).secret();
    String schedule =
        "{\"name\": \"%s\", \"cron\": \"0 9 * * *\", \"timeZone\": \"UTC\", \"paused\": true,"
            + " \"task\": {\"prompt\": \"digest\"}}";
    // when
    HttpResponse<String> created = post(operator, "/api/v1/schedules", schedule.formatted("one"));
    HttpResponse<String> second = post(sameOwner, "/api/v1/schedules", schedule.formatted("two"));
    String id = RunningTaskpilot.json(created).path("id").asText();
    int triggered = post(operator, "/api/v1/schedules/" + id + "/trigger", "").statusCode();
    int again = post(operator, "/api/v1/schedules/" + id + "/trigger", "").statusCode();
    HttpResponse<String> third = post(operator, "/api/v1/schedules/" + id + "/trigger", "");
    // then
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    limited(second);
    assertThat(RunningTaskpilot.json(second).path("detail").asText())
        .contains("owner gina has 1 schedules");
    assertThat(second.headers().firstValue("Retry-After")).isEmpty();
    assertThat(triggered).isEqualTo(201);
    assertThat(again).isEqualTo(201);
    limited(third);
    assertThat(
            post(taskpilot.adminToken(), "/api/v1/schedules", schedule.formatted("admin's"))
                .statusCode())
        .isEqualTo(201);
  }
}
