package dev.taskpilot.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;

/** The CLI's HTTP client of the Taskpilot API: JSON in and out, problems as {@link Failure}. */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI server;
  private final String token;

  ApiClient(URI server, String token) {
    this.server = server;
    this.token = token;
  }

  /** What the command prints on stderr before it exits 1. */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message);
    }
  }

  JsonNode get(String path) {
    return send(request(path).GET());
  }

  JsonNode post(String path, JsonNode body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : body.toString())));
  }

  /** The lines of a {@code text/event-stream}, resumed after {@code lastEventId} when not null. */
  Stream<String> events(String path, String lastEventId) {
    HttpRequest.Builder request = request(path).header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> response =
        exchange(request.build(), HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() >= 400) {
      throw problem(response.statusCode(), String.join("\n", response.body().toList()));
    }
    return response.body();
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(server.resolve(path)).header("Accept", "application/json");
    if (token != null && !token.isBlank()) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> response =
        exchange(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw problem(response.statusCode(), response.body());
    }
    try {
      return response.body().isBlank() ? object() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new Failure("the server answered " + response.statusCode() + " with no JSON");
    }
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new Failure(
          "cannot reach the Taskpilot server at " + server + " (set --server or TASKPILOT_SERVER)");
    } catch (IOException e) {
      throw new Failure("the request to " + server + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
  }

  /** The problem's {@code code} and {@code detail}, or the status and body when it is not one. */
  private static Failure problem(int status, String body) {
    try {
      JsonNode problem = JSON.readTree(body);
      String code = problem.path("code").asText("HTTP_" + status);
      String detail = problem.path("detail").asText(problem.path("title").asText(""));
      return new Failure(code + ": " + detail);
    } catch (IOException | RuntimeException e) {
      return new Failure("HTTP_" + status + ": " + body.strip());
    }
  }
}
