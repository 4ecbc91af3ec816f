package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskpilot.store.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Taskpilot role booted in-process for tests, on a fresh real PostgreSQL database, with an HTTP
 * client speaking to it over loopback. Every request {@link #send} sends carries dev's bootstrap
 * admin token (from {@code <data-dir>/admin-token}) unless it names a token itself; {@link
 * #sendAnonymous} sends none.
 */
public final class RunningTaskpilot implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final TaskpilotRuntime runtime;
  private final HttpClient http = TestHttp.client();
  private final Path dataDir;

  private RunningTaskpilot(TaskpilotRuntime runtime, Path dataDir) {
    this.runtime = runtime;
    this.dataDir = dataDir;
  }

  /** The dev role with its embedded engine, on a new database and a new data directory. */
  static RunningTaskpilot dev(int workers) {
    try {
      return dev(
          workers,
          Files.createTempDirectory("taskpilot-test-"),
          TestDatabase.freshDatasourceProperties());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The dev role on the given data directory and database (to restart on the same state). */
  static RunningTaskpilot dev(int workers, Path dataDir, Map<String, String> database) {
    return dev(workers, dataDir, database, Map.of());
  }

  /** The dev role with extra configuration on top of the test defaults. */
  public static RunningTaskpilot dev(
      int workers, Path dataDir, Map<String, String> database, Map<String, Object> extra) {
    Map<String, Object> overrides = new HashMap<>(database);
    overrides.put("micronaut.server.port", -1);
    overrides.put("taskpilot.dev.temporal-port", 0);
    overrides.put("taskpilot.data-dir", dataDir.toString());
    overrides.put("taskpilot.worker.drain-timeout", "2s");
    overrides.put("taskpilot.api.command-timeout", "20s");
    overrides.put(
        "taskpilot.agents.sleepy.command", List.of("bash", "-c", "echo sleeping; sleep 600"));
    overrides.put("taskpilot.agents.sleepy.prompt", "argument");
    overrides.putAll(extra);
    return new RunningTaskpilot(TaskpilotRuntime.start(Role.DEV, workers, overrides), dataDir);
  }

  public TaskpilotRuntime runtime() {
    return runtime;
  }

  Path dataDir() {
    return dataDir;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + runtime.httpPort() + path);
  }

  HttpResponse<String> get(String path) {
    return send(TestHttp.request(uri(path)).GET().build());
  }

  /** dev's bootstrap admin token, as it wrote it to {@code <data-dir>/admin-token}. */
  public String adminToken() {
    return adminToken(dataDir);
  }

  /** The bootstrap admin token dev wrote into a data directory. */
  public static String adminToken(Path dataDir) {
    try {
      return Files.readString(dataDir.resolve("admin-token")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("dev wrote no admin token into " + dataDir, e);
    }
  }

  HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.Builder request =
        TestHttp.request(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  /**
   * Sends the request with the admin token (unless it names a token itself), with {@link
   * TestHttp#REQUEST_TIMEOUT} unless it set a timeout itself.
   */
  HttpResponse<String> send(HttpRequest request) {
    return sendAnonymous(TestHttp.withToken(request, adminToken()));
  }

  /** Sends the request as it is: without a token unless it carries one. */
  HttpResponse<String> sendAnonymous(HttpRequest request) {
    return TestHttp.send(http, request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  /** Creates a task and returns its resource, failing the test unless it was created. */
  JsonNode create(String body) {
    HttpResponse<String> response = post("/api/v1/tasks", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response);
  }

  /** Polls the task until it has the status, failing after the timeout. */
  JsonNode awaitStatus(String id, String status, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode task = null;
    while (Instant.now().isBefore(deadline)) {
      task = json(get("/api/v1/tasks/" + id));
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

  @Override
  public void close() {
    runtime.close();
  }
}
