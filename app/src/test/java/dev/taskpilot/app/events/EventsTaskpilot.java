package dev.taskpilot.app.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskpilot.app.RunningTaskpilot;
import dev.taskpilot.app.TaskpilotRuntime;
import dev.taskpilot.app.TestHttp;
import dev.taskpilot.store.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code RunningTaskpilot.dev(...)} for the tests of this package (its test defaults: a fresh
 * database, the {@code sleepy} agent profile, ...), plus the few HTTP calls they need.
 */
final class EventsTaskpilot implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final RunningTaskpilot running;
  private final TaskpilotRuntime runtime;
  private final HttpClient http = TestHttp.client(HttpClient.Version.HTTP_1_1);

  private EventsTaskpilot(RunningTaskpilot running, TaskpilotRuntime runtime) {
    this.running = running;
    this.runtime = runtime;
  }

  /** {@code RunningTaskpilot.dev(workers)} with extra configuration on a new database. */
  static EventsTaskpilot dev(int workers, Map<String, Object> extra) {
    try {
      RunningTaskpilot running =
          RunningTaskpilot.dev(
              workers,
              Files.createTempDirectory("taskpilot-events-"),
              TestDatabase.freshDatasourceProperties(),
              extra);
      return new EventsTaskpilot(running, running.runtime());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TaskpilotRuntime runtime() {
    return runtime;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + runtime.httpPort() + path);
  }

  HttpClient http() {
    return http;
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request = TestHttp.request(uri(path)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> post(String path, String body) {
    return send(
        TestHttp.request(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    return TestHttp.send(
        http, TestHttp.withToken(request, token()), HttpResponse.BodyHandlers.ofString());
  }

  /** dev's bootstrap admin token, which every request of these tests sends. */
  String token() {
    return running.adminToken();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  /** Creates a task and returns its id, failing the test unless it was created. */
  String create(String body) {
    HttpResponse<String> response = post("/api/v1/tasks", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response.body()).path("id").asText();
  }

  /** Polls the task until it has the status, failing after the timeout. */
  JsonNode awaitStatus(String id, String status, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode task = null;
    while (Instant.now().isBefore(deadline)) {
      task = json(get("/api/v1/tasks/" + id).body());
      if (status.equals(task.path("status").asText())) {
        return task;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("task " + id + " never reached " + status + "; last seen: " + task);
  }

  /** The task's whole output as {@code GET /output} gives it, one entry per line. */
  java.util.List<String> output(String id) {
    HttpResponse<String> response = get("/api/v1/tasks/" + id + "/output");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body().lines().toList();
  }

  @Override
  public void close() throws Exception {
    running.close();
  }
}
