package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.ApprovalTokenHash;
import dev.taskpilot.store.ApprovalTokenRecord;
import dev.taskpilot.store.ApprovalTokenRepository;
import dev.taskpilot.store.NotificationRecord;
import dev.taskpilot.store.NotificationRepository;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** One-tap approval links and the notification audit over HTTP, against real task workflows. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ApprovalLinksTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
  private static RunningTaskpilot taskpilot;
  private static ApprovalTokenRepository tokens;

  @BeforeAll
  static void start() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    LOG.start();
    root.addAppender(LOG);
    taskpilot = RunningTaskpilot.dev(1);
    tokens = taskpilot.runtime().context().getBean(ApprovalTokenRepository.class);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
  }

  private static String gatedTask(String approval) {
    String id =
        taskpilot
            .create("{\"prompt\": \"gated\", \"approval\": " + approval + "}")
            .path("id")
            .asText();
    taskpilot.awaitStatus(id, "AWAITING_APPROVAL", WAIT);
    return id;
  }

  /** A link's token for the gate, stored as the notifier stores it. */
  private static String token(String taskId, int gate) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tokens.add(
        ApprovalTokenHash.of(token), taskId, gate, Instant.now().truncatedTo(ChronoUnit.MICROS));
    return token;
  }

  /**
   * Taps a link as ntfy's http action does: a POST without a body or a content type, and without an
   * API token (the link's own token decides).
   */
  private static HttpResponse<String> tap(String token, String decision) {
    return taskpilot.sendAnonymous(
        TestHttp.request(taskpilot.uri("/api/v1/approvals/" + token + "/" + decision))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private static String status(String id) {
    return RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id)).path("status").asText();
  }

  private static void gone(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(410);
    assertThat(RunningTaskpilot.json(response).path("code").asText())
        .isEqualTo("APPROVAL_LINK_EXPIRED");
  }

  /** What was logged so far; appends from other threads hold the appender's lock. */
  private static java.util.List<ILoggingEvent> logged() {
    synchronized (LOG) {
      return java.util.List.copyOf(LOG.list);
    }
  }

  private static void neverLogged(String token) {
    assertThat(logged())
        .noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains(token));
  }

  @Test
  void shouldApproveThroughALinkOnceAndRefuseItWhenTappedAgain() {
    // given
    String id = gatedTask("{\"beforeRun\": true}");
    String token = token(id, 1);
    // when
    HttpResponse<String> approved = tap(token, "approve");
    // then
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    JsonNode task = RunningTaskpilot.json(approved);
    assertThat(task.path("id").asText()).isEqualTo(id);
    assertThat(task.path("status").asText()).isNotEqualTo("AWAITING_APPROVAL");
    taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    ApprovalTokenRecord used = tokens.findByTokenHash(ApprovalTokenHash.of(token)).orElseThrow();
    assertThat(used.usedAt()).isNotNull();
    assertThat(used.usedFor()).isEqualTo("approve");
    // when tapped again, and to reject
    gone(tap(token, "approve"));
    gone(tap(token, "reject"));
    // then nothing changed
    assertThat(status(id)).isEqualTo("SUCCEEDED");
    assertThat(tokens.findByTokenHash(ApprovalTokenHash.of(token)).orElseThrow().usedAt())
        .isEqualTo(used.usedAt());
    neverLogged(token);
  }

  @Test
  void shouldAnswerNotFoundWhenTheTokenIsUnknown() {
    // given
    String unknown = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    // when
    HttpResponse<String> response = tap(unknown, "approve");
    HttpResponse<String> malformed = tap("not-a-token", "reject");
    // then
    assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
    assertThat(RunningTaskpilot.json(response).path("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(malformed.statusCode()).isEqualTo(404);
    neverLogged(unknown);
  }

  @Test
  void shouldRefuseLinksOfOtherGatesAndLetTheOpenGatesLinkDecide() {
    // given: a task with two gates, waiting at the first
    String id = gatedTask("{\"beforeRun\": true, \"beforePublish\": true}");
    String firstGate = token(id, 1);
    String secondGate = token(id, 2);
    // when / then: the second gate is not open yet
    gone(tap(secondGate, "approve"));
    assertThat(status(id)).isEqualTo("AWAITING_APPROVAL");
    // when the first gate is approved through the API, its link dies
    HttpResponse<String> approved = taskpilot.post("/api/v1/tasks/" + id + "/approve", "{}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    JsonNode atSecond = taskpilot.awaitStatus(id, "AWAITING_APPROVAL", WAIT);
    assertThat(atSecond.path("approval").path("waitingAt").asText()).isEqualTo("before_publish");
    gone(tap(firstGate, "reject"));
    assertThat(status(id)).isEqualTo("AWAITING_APPROVAL");
    assertThat(tokens.findByTokenHash(ApprovalTokenHash.of(firstGate)).orElseThrow().usedAt())
        .isNull();
    // then the second gate's link, now open, decides
    HttpResponse<String> published = tap(secondGate, "approve");
    assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
    taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
  }

  @Test
  void shouldRejectThroughALinkWithAComment() {
    // given
    String id = gatedTask("{\"beforeRun\": true}");
    String token = token(id, 1);
    // when
    HttpResponse<String> rejected =
        taskpilot.post("/api/v1/approvals/" + token + "/reject", "{\"comment\": \"not now\"}");
    // then
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
    assertThat(RunningTaskpilot.json(rejected).path("status").asText()).isEqualTo("REJECTED");
    assertThat(tokens.findByTokenHash(ApprovalTokenHash.of(token)).orElseThrow().usedFor())
        .isEqualTo("reject");
  }

  @Test
  void shouldNeitherDecideNorLogTheTokenWhenALinkIsOpenedWithGet() {
    // given
    String id = gatedTask("{\"beforeRun\": true}");
    String token = token(id, 1);
    // when
    HttpResponse<String> opened = taskpilot.get("/api/v1/approvals/" + token + "/approve");
    HttpResponse<String> badBody = taskpilot.post("/api/v1/approvals/" + token + "/approve", "[");
    // then
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(405);
    assertThat(opened.headers().firstValue("Allow")).hasValue("POST");
    assertThat(badBody.statusCode()).as(badBody.body()).isEqualTo(400);
    assertThat(status(id)).isEqualTo("AWAITING_APPROVAL");
    assertThat(tokens.findByTokenHash(ApprovalTokenHash.of(token)).orElseThrow().usedAt()).isNull();
    assertThat(logged())
        .anySatisfy(
            event ->
                assertThat(event.getFormattedMessage()).contains("/api/v1/approvals/***/approve"));
    neverLogged(token);
  }

  @Test
  void shouldListTheNotificationAuditInOrderWhenAsked() {
    // given
    String id = taskpilot.create("{\"prompt\": \"quick\"}").path("id").asText();
    NotificationRepository audit =
        taskpilot.runtime().context().getBean(NotificationRepository.class);
    Instant at = Instant.parse("2026-11-01T10:00:00Z");
    audit.save(
        new NotificationRecord(
            null, id, "ntfy:https://ntfy.sh/t", "SUCCEEDED", 1, "FAILED", 503, "HTTP 503", at));
    audit.save(
        new NotificationRecord(
            null,
            id,
            "ntfy:https://ntfy.sh/t",
            "SUCCEEDED",
            2,
            "SENT",
            200,
            null,
            at.plusSeconds(2)));
    // when
    HttpResponse<String> response = taskpilot.get("/api/v1/tasks/" + id + "/notifications");
    HttpResponse<String> unknown = taskpilot.get("/api/v1/tasks/task-unknown/notifications");
    // then
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode items = RunningTaskpilot.json(response).path("items");
    assertThat(items.size()).isEqualTo(2);
    JsonNode first = items.get(0);
    assertThat(first.path("channel").asText()).isEqualTo("ntfy:https://ntfy.sh/t");
    assertThat(first.path("event").asText()).isEqualTo("SUCCEEDED");
    assertThat(first.path("attempt").asInt()).isEqualTo(1);
    assertThat(first.path("outcome").asText()).isEqualTo("FAILED");
    assertThat(first.path("httpStatus").asInt()).isEqualTo(503);
    assertThat(first.path("error").asText()).isEqualTo("HTTP 503");
    assertThat(Instant.parse(first.path("at").asText())).isEqualTo(at);
    assertThat(items.get(1).path("outcome").asText()).isEqualTo("SENT");
    assertThat(unknown.statusCode()).isEqualTo(404);
  }
}
