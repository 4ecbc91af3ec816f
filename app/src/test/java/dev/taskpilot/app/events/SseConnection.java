package dev.taskpilot.app.events;

import dev.taskpilot.app.TestHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code text/event-stream} response read line by line with the JDK client, parsed as the SSE
 * specification says (fields {@code id}, {@code event}, {@code data}; {@code :} comments; a blank
 * line ends an event). Closing it drops the connection.
 */
final class SseConnection implements AutoCloseable {

  /**
   * One dispatched block: an event ({@code name} and {@code data}) or a comment-only block.
   *
   * @param id the {@code id:} field, null when the block had none
   * @param name the {@code event:} field, null when none
   * @param data the {@code data:} lines joined by newlines, null when none
   * @param comment the text of the last comment line, null when none
   */
  record SseEvent(String id, String name, String data, String comment) {
    boolean isComment() {
      return name == null && data == null && comment != null;
    }
  }

  private final HttpResponse<Stream<String>> response;
  private final Iterator<String> lines;

  private SseConnection(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.lines = response.body().iterator();
  }

  /**
   * Opens the stream with the API token, with {@code Last-Event-ID} when {@code lastEventId} is not
   * null. The request timeout bounds the wait for the response headers only; reading events is
   * bounded by the test's {@code @Timeout}.
   */
  static SseConnection open(HttpClient http, URI uri, String token, String lastEventId) {
    HttpRequest.Builder request =
        TestHttp.request(uri)
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + token)
            .GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return new SseConnection(
        TestHttp.send(http, request.build(), HttpResponse.BodyHandlers.ofLines()));
  }

  HttpResponse<Stream<String>> response() {
    return response;
  }

  /** The next event or comment, or null when the server ended the stream. */
  SseEvent next() {
    String id = null;
    String name = null;
    StringBuilder data = null;
    String comment = null;
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (id != null || name != null || data != null || comment != null) {
          return new SseEvent(id, name, data == null ? null : data.toString(), comment);
        }
        continue;
      }
      if (line.startsWith(":")) {
        comment = stripOneSpace(line.substring(1));
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : stripOneSpace(line.substring(colon + 1));
      switch (field) {
        case "id" -> id = value;
        case "event" -> name = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {
          // retry and unknown fields are of no interest here
        }
      }
    }
    return null;
  }

  /** The next event that is not a comment, or null when the stream ended. */
  SseEvent nextEvent() {
    SseEvent event;
    do {
      event = next();
    } while (event != null && event.isComment());
    return event;
  }

  /** Up to {@code count} events (comments skipped); fewer when the stream ended first. */
  List<SseEvent> take(int count) {
    List<SseEvent> events = new ArrayList<>();
    SseEvent event;
    while (events.size() < count && (event = nextEvent()) != null) {
      events.add(event);
    }
    return events;
  }

  /** Every event until the server ends the stream (comments skipped). */
  List<SseEvent> readToEnd() {
    return take(Integer.MAX_VALUE);
  }

  private static String stripOneSpace(String value) {
    return value.startsWith(" ") ? value.substring(1) : value;
  }

  @Override
  public void close() {
    response.body().close();
  }
}
