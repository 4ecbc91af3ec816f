package dev.taskpilot.app.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.app.events.SseConnection.SseEvent;
import dev.taskpilot.store.OutputLineRecord;
import dev.taskpilot.store.OutputLineRepository;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/v1/tasks/{id}/events} against the dev role: live status and output events, ids a
 * client resumes from without gaps or duplicates, and the error answers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskEventStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern ID = Pattern.compile("(\\d+)\\.(\\d+)");

  private static EventsTaskpilot taskpilot;

  @BeforeAll
  static void start() {
    // A short keep-alive so that a test can see one; it changes nothing else.
    taskpilot = EventsTaskpilot.dev(1, Map.of("taskpilot.api.events-keep-alive", "500ms"));
  }

  @AfterAll
  static void stop() throws Exception {
    taskpilot.close();
  }

  private static SseConnection open(String taskId, String lastEventId) {
    return SseConnection.open(
        taskpilot.http(),
        taskpilot.uri("/api/v1/tasks/" + taskId + "/events"),
        taskpilot.token(),
        lastEventId);
  }

  private static List<SseEvent> named(List<SseEvent> events, String name) {
    return events.stream().filter(event -> name.equals(event.name())).toList();
  }

  private static List<Long> outputLineNumbers(List<SseEvent> events) {
    return named(events, "output").stream()
        .map(event -> EventsTaskpilot.json(event.data()).path("line").asLong())
        .toList();
  }

  private static List<String> outputTexts(List<SseEvent> events) {
    return named(events, "output").stream()
        .map(event -> EventsTaskpilot.json(event.data()).path("text").asText())
        .toList();
  }

  private static List<String> statuses(List<SseEvent> events) {
    return named(events, "status").stream()
        .map(event -> EventsTaskpilot.json(event.data()).path("status").asText())
        .toList();
  }

  private static long version(SseEvent event) {
    var matcher = ID.matcher(event.id());
    assertThat(matcher.matches()).as("id %s", event.id()).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  private static long line(SseEvent event) {
    var matcher = ID.matcher(event.id());
    assertThat(matcher.matches()).as("id %s", event.id()).isTrue();
    return Long.parseLong(matcher.group(2));
  }

  /**
   * The sequence is one a client could have got in one piece: every event is a status or an output
   * with a {@code <version>.<line>} id; a status moves the version forward, an output is the line
   * after the previous one and the id's line is its number.
   */
  private static void assertConsistent(List<SseEvent> events) {
    long lastVersion = -1;
    long lastLine = 0;
    for (SseEvent event : events) {
      assertThat(event.name()).as("event %s", event).isIn("status", "output");
      long version = version(event);
      long line = line(event);
      if (event.name().equals("status")) {
        assertThat(version).as("status version after %s", lastVersion).isGreaterThan(lastVersion);
        assertThat(line).isEqualTo(lastLine);
      } else {
        long number = EventsTaskpilot.json(event.data()).path("line").asLong();
        assertThat(number).as("output line after %s", lastLine).isEqualTo(lastLine + 1);
        assertThat(line).isEqualTo(number);
        assertThat(version).isEqualTo(lastVersion);
      }
      lastVersion = version;
      lastLine = line;
    }
  }

  private static JsonNode problem(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode body = EventsTaskpilot.json(response.body());
    assertThat(body.path("code").asText()).isEqualTo(code);
    assertThat(body.path("status").asInt()).isEqualTo(status);
    return body;
  }

  @Test
  void shouldStreamStatusesToSucceededAndEveryOutputLineOnceWhenTaskRuns() {
    // given
    String id = taskpilot.create("{\"prompt\": \"Stream this task\"}");

    // when
    HttpResponse<?> response;
    List<SseEvent> events;
    try (SseConnection sse = open(id, null)) {
      response = sse.response();
      events = sse.readToEnd();
    }

    // then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertConsistent(events);
    assertThat(events.getFirst().name()).isEqualTo("status");
    assertThat(events.getLast().name()).isEqualTo("status");
    List<String> statuses = statuses(events);
    assertThat(statuses.getFirst()).isNotEqualTo("SUCCEEDED");
    assertThat(statuses).contains("RUNNING").endsWith("SUCCEEDED");
    assertThat(statuses).filteredOn("SUCCEEDED"::equals).hasSize(1);
    JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    assertThat(EventsTaskpilot.json(events.getLast().data())).isEqualTo(done);
    long lines = done.path("run").path("outputLines").asLong();
    assertThat(outputLineNumbers(events))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, lines).boxed().toList());
    assertThat(outputTexts(events)).containsExactlyElementsOf(taskpilot.output(id));
  }

  @Test
  void shouldGiveTheWholeSequenceOnceWhenClientReconnectsWithLastEventIdAfterEveryTwoEvents() {
    // given
    String id = taskpilot.create("{\"prompt\": \"Stream this task in pieces\"}");

    // when: every connection takes two events and drops; the next resumes from the last id
    List<SseEvent> union = new ArrayList<>();
    List<Integer> perConnection = new ArrayList<>();
    String lastId = null;
    while (true) {
      List<SseEvent> got;
      try (SseConnection sse = open(id, lastId)) {
        got = sse.take(2);
      }
      perConnection.add(got.size());
      union.addAll(got);
      if (got.size() < 2) {
        break; // the server ended this stream before a second event
      }
      lastId = got.getLast().id();
    }

    // then
    assertConsistent(union);
    assertThat(perConnection).hasSizeGreaterThan(3);
    assertThat(perConnection.getLast()).as("the last stream ended by itself").isLessThan(2);
    assertThat(union.getFirst().name()).isEqualTo("status");
    assertThat(union.getLast().name()).isEqualTo("status");
    assertThat(statuses(union)).endsWith("SUCCEEDED");
    assertThat(statuses(union)).filteredOn("SUCCEEDED"::equals).hasSize(1);
    List<String> output = taskpilot.output(id);
    assertThat(output).isNotEmpty();
    assertThat(outputLineNumbers(union))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, output.size()).boxed().toList());
    assertThat(outputTexts(union)).containsExactlyElementsOf(output);
  }

  @Test
  void shouldSendTheRestThenEndWhenClientResumesAfterTheTaskEnded() {
    // given: a client that saw the first few events, then was away until the task was done
    String id = taskpilot.create("{\"prompt\": \"Stream this task, then resume\"}");
    List<SseEvent> before;
    try (SseConnection sse = open(id, null)) {
      before = sse.take(3);
    }
    taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);

    // when
    List<SseEvent> after;
    try (SseConnection sse = open(id, before.getLast().id())) {
      after = sse.readToEnd();
    }

    // then
    List<SseEvent> union = new ArrayList<>(before);
    union.addAll(after);
    assertConsistent(union);
    assertThat(after).isNotEmpty();
    assertThat(statuses(after)).containsExactly("SUCCEEDED");
    assertThat(after.getLast().name()).isEqualTo("status");
    assertThat(outputTexts(union)).containsExactlyElementsOf(taskpilot.output(id));
  }

  @Test
  void shouldSendStatusThenAllOutputThenEndWhenTaskHadAlreadyEnded() {
    // given
    String id = taskpilot.create("{\"prompt\": \"Stream this task later\"}");
    taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);

    // when
    List<SseEvent> events;
    try (SseConnection sse = open(id, null)) {
      events = sse.readToEnd();
    }
    List<SseEvent> resumed;
    try (SseConnection sse = open(id, events.getLast().id())) {
      resumed = sse.readToEnd();
    }

    // then
    assertConsistent(events);
    assertThat(statuses(events)).containsExactly("SUCCEEDED");
    assertThat(events.getFirst().name()).isEqualTo("status");
    assertThat(outputTexts(events)).containsExactlyElementsOf(taskpilot.output(id));
    assertThat(resumed).isEmpty();
  }

  @Test
  void shouldKeepAliveWhileIdleAndEndWithCancelledWhenRunningTaskIsCancelled() {
    // given: an agent that prints one line and then sleeps
    String id = taskpilot.create("{\"prompt\": \"nap\", \"agent\": \"sleepy\"}");
    try (SseConnection sse = open(id, null)) {
      List<SseEvent> seen = new ArrayList<>();
      SseEvent event;
      while ((event = sse.next()) != null && !"output".equals(event.name())) {
        seen.add(event);
      }
      assertThat(event).as("the stream ended before any output: %s", seen).isNotNull();
      SseEvent keepAlive;
      while ((keepAlive = sse.next()) != null && !keepAlive.isComment()) {
        seen.add(keepAlive);
      }

      // when
      HttpResponse<String> cancelled = taskpilot.post("/api/v1/tasks/" + id + "/cancel", "{}");
      List<SseEvent> rest = sse.readToEnd();

      // then
      assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
      assertThat(EventsTaskpilot.json(event.data()).path("text").asText()).isEqualTo("sleeping");
      assertThat(keepAlive).isNotNull();
      assertThat(keepAlive.comment()).isEqualTo("keep-alive");
      assertThat(keepAlive.id()).isNull();
      assertThat(rest).isNotEmpty();
      assertThat(rest.getLast().name()).isEqualTo("status");
      assertThat(statuses(rest)).endsWith("CANCELLED");
    }
  }

  /** A task that waits for tomorrow: no agent runs, so a test writes its output itself. */
  private static String waitingTask() {
    String tomorrow = Instant.now().plus(Duration.ofDays(1)).toString();
    String id = taskpilot.create("{\"prompt\": \"later\", \"notBefore\": \"" + tomorrow + "\"}");
    taskpilot.awaitStatus(id, "SCHEDULED", WAIT);
    return id;
  }

  private static void store(String taskId, long... lineNumbers) {
    List<OutputLineRecord> lines =
        LongStream.of(lineNumbers)
            .mapToObj(n -> new OutputLineRecord(null, taskId, n, 1, "line " + n, Instant.now()))
            .toList();
    taskpilot.runtime().context().getBean(OutputLineRepository.class).saveAll(lines);
  }

  @Test
  void shouldSendEveryLineInOrderWhenOutputIsLongerThanOnePage() {
    // given: more lines than the stream reads at once
    String id = waitingTask();
    store(id, LongStream.rangeClosed(1, 2_500).toArray());

    // when
    List<SseEvent> events;
    try (SseConnection sse = open(id, null)) {
      events = sse.take(1 + 2_500);
    }

    // then
    assertConsistent(events);
    assertThat(statuses(events)).containsExactly("SCHEDULED");
    assertThat(outputLineNumbers(events))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 2_500).boxed().toList());
    assertThat(outputTexts(events).getLast()).isEqualTo("line 2500");
  }

  @Test
  void shouldHoldLinesBackUntilTheHoleFillsWhenLinesBecomeVisibleOutOfOrder() {
    // given: line 3 is not visible yet when line 4 is
    String id = waitingTask();
    store(id, 1, 2, 4);
    try (SseConnection sse = open(id, null)) {
      List<SseEvent> first = sse.take(3);

      // when
      store(id, 3);
      List<SseEvent> then = sse.take(2);

      // then
      assertThat(outputLineNumbers(first)).containsExactly(1L, 2L);
      assertThat(outputLineNumbers(then)).containsExactly(3L, 4L);
    }
  }

  @Test
  void shouldGoOnAfterTheGraceWhenAHoleInTheLineNumbersNeverFills() {
    // given: line 2 never comes
    String id = waitingTask();
    store(id, 1, 3);

    // when
    long start = System.nanoTime();
    List<SseEvent> events;
    try (SseConnection sse = open(id, null)) {
      events = sse.take(3);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // then
    assertThat(outputLineNumbers(events)).containsExactly(1L, 3L);
    assertThat(events.getLast().id()).endsWith(".3");
    assertThat(took).isGreaterThan(Duration.ofMillis(1_500));
  }

  @Test
  void shouldAnswerNotFoundProblemWhenTaskIsUnknown() {
    // when
    HttpResponse<String> response =
        taskpilot.get("/api/v1/tasks/task-unknown/events", "Accept", "text/event-stream");

    // then
    problem(response, 404, "NOT_FOUND");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "7", "7.", ".7", "1.2.3", "-1.2", "1.x", "1234567890123456789.1"})
  void shouldAnswerValidationProblemWhenLastEventIdIsMalformed(String lastEventId) {
    // given
    String id = waitingTask();

    // when
    HttpResponse<String> response =
        taskpilot.get(
            "/api/v1/tasks/" + id + "/events",
            "Accept",
            "text/event-stream",
            "Last-Event-ID",
            lastEventId);

    // then
    JsonNode body = problem(response, 400, "VALIDATION_FAILED");
    assertThat(body.path("detail").asText()).contains("Last-Event-ID");
  }
}
