package dev.taskpilot.app.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.api.auth.ApiTokens;
import dev.taskpilot.api.auth.Role;
import dev.taskpilot.app.events.SseConnection.SseEvent;
import dev.taskpilot.store.LlmCallRecord;
import dev.taskpilot.store.LlmCallRepository;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.testing.TaskRows;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard's reads against a running Taskpilot on its own PostgreSQL: a task's status
 * timeline, the task list's agent and owner filters, the global event stream and the cost report.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DashboardReadsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String LATER = Instant.now().plus(300, ChronoUnit.DAYS).toString();

  private static EventsTaskpilot taskpilot;
  private static String bobViewer;
  private static String bobOperator;
  private static String carolViewer;

  @BeforeAll
  static void start() {
    taskpilot = EventsTaskpilot.dev(1, Map.of("taskpilot.api.events-keep-alive", "500ms"));
    ApiTokens tokens = taskpilot.runtime().context().getBean(ApiTokens.class);
    bobViewer = tokens.create("bob", Role.VIEWER, null).secret();
    bobOperator = tokens.create("bob", Role.OPERATOR, null).secret();
    carolViewer = tokens.create("carol", Role.VIEWER, null).secret();
  }

  @AfterAll
  static void stop() throws Exception {
    taskpilot.close();
  }

  private static HttpResponse<String> get(String token, String path) {
    return taskpilot.get(path, "Authorization", "Bearer " + token);
  }

  private static String label() {
    return "l" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String later(String label, String agent) {
    return "{\"prompt\": \"later\", \"agent\": \""
        + agent
        + "\", \"labels\": [\""
        + label
        + "\"], \"notBefore\": \""
        + LATER
        + "\"}";
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("items").forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  private static void assertProblem(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(EventsTaskpilot.json(response.body()).path("code").asText()).isEqualTo(code);
  }

  @Test
  void shouldListEveryStatusOfATaskOnceOldestFirstAndHideItFromOtherOwners() {
    // given: a task that runs to its end
    String id = taskpilot.create("{\"prompt\": \"timeline\"}");
    taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);

    // when
    HttpResponse<String> response = taskpilot.get("/api/v1/tasks/" + id + "/timeline");

    // then
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode items = EventsTaskpilot.json(response.body()).path("items");
    List<String> statuses = new ArrayList<>();
    Instant last = Instant.MIN;
    String previous = null;
    for (JsonNode item : items) {
      statuses.add(item.path("status").asText());
      Instant at = Instant.parse(item.path("at").asText());
      assertThat(at).isAfterOrEqualTo(last);
      last = at;
      String entry = item.path("status").asText() + "|" + item.path("reason").asText(null);
      assertThat(entry).as("two entries in a row say the same").isNotEqualTo(previous);
      assertThat(item.has("reason")).as("reason is always there, null when none").isTrue();
      previous = entry;
    }
    assertThat(statuses.getFirst()).isEqualTo("PLANNING");
    assertThat(statuses.getLast()).isEqualTo("SUCCEEDED");
    assertThat(statuses).contains("RUNNING");
    // and another owner's viewer and an unknown task get 404 alike
    assertProblem(get(bobViewer, "/api/v1/tasks/" + id + "/timeline"), 404, "NOT_FOUND");
    assertProblem(taskpilot.get("/api/v1/tasks/task-nope/timeline"), 404, "NOT_FOUND");
  }

  @Test
  void shouldFilterTheListByAgentAndOwnerAndPageThroughTheFilteredList() {
    // given: two sleepy tasks and one example task of the admin's owner, one sleepy of bob's
    String label = label();
    String first = taskpilot.create(later(label, "sleepy"));
    String second = taskpilot.create(later(label, "sleepy"));
    String example = taskpilot.create(later(label, "example"));
    HttpResponse<String> bobs =
        TestHttpCalls.post(taskpilot, bobOperator, "/api/v1/tasks", later(label, "sleepy"));
    assertThat(bobs.statusCode()).as(bobs.body()).isEqualTo(201);
    String bobsTask = EventsTaskpilot.json(bobs.body()).path("id").asText();

    // when: pages of one
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      String path =
          "/api/v1/tasks?label="
              + label
              + "&agent=sleepy&owner=default&limit=1"
              + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode page = EventsTaskpilot.json(taskpilot.get(path).body());
      paged.addAll(ids(page));
      JsonNode next = page.path("nextCursor");
      cursor = next.isMissingNode() || next.isNull() ? null : next.asText();
    } while (cursor != null);

    // then
    assertThat(paged).containsExactly(second, first);
    JsonNode adminAll =
        EventsTaskpilot.json(
            taskpilot.get("/api/v1/tasks?label=" + label + "&agent=sleepy").body());
    assertThat(ids(adminAll)).containsExactlyInAnyOrder(first, second, bobsTask);
    JsonNode adminBob =
        EventsTaskpilot.json(taskpilot.get("/api/v1/tasks?label=" + label + "&owner=bob").body());
    assertThat(ids(adminBob)).containsExactly(bobsTask);
    JsonNode examples =
        EventsTaskpilot.json(
            taskpilot.get("/api/v1/tasks?label=" + label + "&agent=example").body());
    assertThat(ids(examples)).containsExactly(example);
    // and a non-admin naming another owner gets an empty page, naming itself its own tasks
    HttpResponse<String> bobAsDefault =
        get(bobViewer, "/api/v1/tasks?label=" + label + "&owner=default");
    assertThat(bobAsDefault.statusCode()).isEqualTo(200);
    assertThat(ids(EventsTaskpilot.json(bobAsDefault.body()))).isEmpty();
    assertThat(EventsTaskpilot.json(bobAsDefault.body()).path("nextCursor").asText(null)).isNull();
    JsonNode bobAsBob =
        EventsTaskpilot.json(get(bobViewer, "/api/v1/tasks?label=" + label + "&owner=bob").body());
    assertThat(ids(bobAsBob)).containsExactly(bobsTask);
    // and malformed values are refused
    assertProblem(taskpilot.get("/api/v1/tasks?agent=no%20such"), 400, "VALIDATION_FAILED");
    assertProblem(taskpilot.get("/api/v1/tasks?owner=%2Fx"), 400, "VALIDATION_FAILED");
    assertProblem(taskpilot.get("/api/v1/tasks?status=NOPE"), 400, "VALIDATION_FAILED");
  }

  @Test
  void shouldStreamEveryChangeOfVisibleTasksAsTheTaskResourceAndResumeFromLastEventId()
      throws Exception {
    // given: an admin's stream and bob's, filtered by a fresh label
    String label = label();
    String path = "/api/v1/events?label=" + label;
    try (SseConnection admin =
            SseConnection.open(taskpilot.http(), taskpilot.uri(path), taskpilot.token(), null);
        SseConnection bob =
            SseConnection.open(taskpilot.http(), taskpilot.uri(path), bobViewer, null)) {
      assertThat(admin.response().statusCode()).isEqualTo(200);
      assertThat(admin.response().headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));

      // when: the admin's owner creates a task, then bob does
      String id = taskpilot.create(later(label, "sleepy"));
      taskpilot.awaitStatus(id, "SCHEDULED", WAIT);
      HttpResponse<String> bobs =
          TestHttpCalls.post(taskpilot, bobOperator, "/api/v1/tasks", later(label, "sleepy"));
      String bobsTask = EventsTaskpilot.json(bobs.body()).path("id").asText();

      // then: the admin sees its task reach SCHEDULED, the data exactly the task resource
      SseEvent scheduled = null;
      List<SseEvent> seen = new ArrayList<>();
      while (scheduled == null) {
        SseEvent event = admin.nextEvent();
        assertThat(event).isNotNull();
        assertThat(event.name()).isEqualTo("status");
        assertThat(event.id()).matches("\\d+\\.task-[0-9a-f-]+");
        seen.add(event);
        JsonNode data = EventsTaskpilot.json(event.data());
        if (data.path("id").asText().equals(id)
            && data.path("status").asText().equals("SCHEDULED")) {
          scheduled = event;
        }
      }
      JsonNode resource = EventsTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id).body());
      assertThat(EventsTaskpilot.json(scheduled.data())).isEqualTo(resource);
      // and bob's stream shows bob's task only
      SseEvent bobsFirst = bob.nextEvent();
      assertThat(EventsTaskpilot.json(bobsFirst.data()).path("id").asText()).isEqualTo(bobsTask);

      // when: the task changes while no stream is open, and the admin resumes
      String lastId = scheduled.id();
      admin.close();
      HttpResponse<String> raised =
          taskpilot.post("/api/v1/tasks/" + id + "/priority", "{\"priority\": 9}");
      assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
      try (SseConnection resumed =
          SseConnection.open(taskpilot.http(), taskpilot.uri(path), taskpilot.token(), lastId)) {
        // then: the change after the last event comes, nothing before it again
        JsonNode next;
        do {
          SseEvent event = resumed.nextEvent();
          next = EventsTaskpilot.json(event.data());
          assertThat(event.id()).isNotEqualTo(lastId);
        } while (!(next.path("id").asText().equals(id) && next.path("priority").asInt() == 9));
      }
    }
    // and a malformed Last-Event-ID or filter is refused
    assertProblem(
        taskpilot.get("/api/v1/events", "Last-Event-ID", "nope"), 400, "VALIDATION_FAILED");
    assertProblem(taskpilot.get("/api/v1/events?status=NOPE"), 400, "VALIDATION_FAILED");
  }

  @Test
  void shouldReportCostsByDayAgentAndWorkspaceOfTheCallersTasks() {
    // given: carol's task with two LLM calls today and an agent cost of 1.5 (two runs: 1 + 0.5)
    TaskRepository tasks = taskpilot.runtime().context().getBean(TaskRepository.class);
    LlmCallRepository calls = taskpilot.runtime().context().getBean(LlmCallRepository.class);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    String id = TaskRows.insert(tasks, "carol", "claude-code", "shop", "SUCCEEDED");
    tasks.applyState(
        id,
        3,
        "SUCCEEDED",
        null,
        5,
        null,
        null,
        null,
        "{\"attempt\":2,\"startedAt\":\""
            + now
            + "\",\"endedAt\":\""
            + now
            + "\",\"exitCode\":0,\"costUsd\":1.5,\"sessionId\":null,\"outputLines\":3}",
        null,
        null,
        now);
    for (String cost : List.of("0.1", "0.02")) {
      calls.save(
          new LlmCallRecord(
              null,
              "carol",
              id,
              "plan",
              "anthropic",
              "m",
              "{}",
              null,
              1,
              1,
              new BigDecimal(cost),
              5,
              "OK",
              null,
              now));
    }
    calls.save(
        new LlmCallRecord(
            null,
            "carol",
            null,
            "chat",
            "anthropic",
            "m",
            "{}",
            null,
            1,
            1,
            new BigDecimal("0.3"),
            5,
            "OK",
            null,
            now));

    // when
    HttpResponse<String> response = get(carolViewer, "/api/v1/costs?days=7");

    // then
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode costs = EventsTaskpilot.json(response.body());
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertThat(costs.path("from").asText())
        .isEqualTo(today.minusDays(6).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
    assertThat(costs.path("to").asText())
        .isEqualTo(today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
    assertThat(costs.path("days")).hasSize(7);
    JsonNode last = costs.path("days").get(6);
    assertThat(last.path("day").asText()).isEqualTo(today.toString());
    assertThat(last.path("llmUsd").decimalValue()).isEqualByComparingTo("0.42");
    assertThat(last.path("agentUsd").decimalValue()).isEqualByComparingTo("1.5");
    assertThat(costs.path("days").get(0).path("llmUsd").decimalValue()).isEqualByComparingTo("0");
    assertThat(costs.path("totalUsd").decimalValue()).isEqualByComparingTo("1.92");
    JsonNode byAgent = costs.path("byAgent");
    assertThat(byAgent).hasSize(2);
    assertThat(byAgent.get(0).path("agent").asText()).isEqualTo("claude-code");
    assertThat(byAgent.get(0).path("llmUsd").decimalValue()).isEqualByComparingTo("0.12");
    assertThat(byAgent.get(0).path("agentUsd").decimalValue()).isEqualByComparingTo("1.5");
    assertThat(byAgent.get(0).path("tasks").asInt()).isEqualTo(1);
    assertThat(byAgent.get(1).path("agent").isNull()).isTrue();
    assertThat(byAgent.get(1).path("llmUsd").decimalValue()).isEqualByComparingTo("0.3");
    assertThat(byAgent.get(1).path("tasks").asInt()).isZero();
    assertThat(costs.path("byWorkspace").get(0).path("workspace").asText()).isEqualTo("shop");
    // and another owner sees none of it, and the range is checked
    JsonNode bobs = EventsTaskpilot.json(get(bobViewer, "/api/v1/costs").body());
    assertThat(bobs.path("days")).hasSize(30);
    assertThat(bobs.path("byAgent").toString()).doesNotContain("claude-code");
    assertProblem(get(carolViewer, "/api/v1/costs?days=0"), 400, "VALIDATION_FAILED");
    assertProblem(get(carolViewer, "/api/v1/costs?days=367"), 400, "VALIDATION_FAILED");
    assertThat(get(carolViewer, "/api/v1/costs?days=366").statusCode()).isEqualTo(200);
  }
}
