package dev.taskpilot.app.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Event streams each poll PostgreSQL, so an API process serves a bounded number at once: one more
 * is answered 503 {@code TOO_MANY_STREAMS} with Retry-After, and a closed stream frees its place.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventStreamLimitTest {
  private static EventsTaskpilot taskpilot;

  @BeforeAll
  static void start() {
    taskpilot = EventsTaskpilot.dev(1, Map.of("taskpilot.api.max-event-streams", 2));
  }

  @AfterAll
  static void stop() throws Exception {
    taskpilot.close();
  }

  @Test
  void shouldRefuseAStreamOverTheLimitWithRetryAfterAndAdmitOneWhenAnotherCloses()
      throws Exception {
    // given: a task that waits for tomorrow, and two open streams on it
    String tomorrow = Instant.now().plus(Duration.ofDays(1)).toString();
    String id = taskpilot.create("{\"prompt\": \"later\", \"notBefore\": \"" + tomorrow + "\"}");
    String events = "/api/v1/tasks/" + id + "/events";
    SseConnection first =
        SseConnection.open(taskpilot.http(), taskpilot.uri(events), taskpilot.token(), null);
    SseConnection second =
        SseConnection.open(taskpilot.http(), taskpilot.uri(events), taskpilot.token(), null);
    assertThat(first.next()).isNotNull();
    assertThat(second.next()).isNotNull();

    // when
    HttpResponse<String> third = taskpilot.get(events, "Accept", "text/event-stream");

    // then
    assertThat(third.statusCode()).as(third.body()).isEqualTo(503);
    assertThat(third.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(EventsTaskpilot.json(third.body()).path("code").asText())
        .isEqualTo("TOO_MANY_STREAMS");

    // when: one closes
    first.close();
    SseConnection again = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (again == null && System.nanoTime() < deadline) {
      SseConnection attempt =
          SseConnection.open(taskpilot.http(), taskpilot.uri(events), taskpilot.token(), null);
      if (attempt.response().statusCode() == 200) {
        again = attempt;
      } else {
        attempt.close();
        Thread.sleep(100);
      }
    }

    // then
    assertThat(again).as("a stream admitted after one closed").isNotNull();
    assertThat(again.next()).isNotNull();
    again.close();
    second.close();
  }
}
