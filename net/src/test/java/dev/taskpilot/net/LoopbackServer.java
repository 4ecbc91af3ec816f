package dev.taskpilot.net;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An HTTP server on 127.0.0.1 that records every request and answers as told per path. */
final class LoopbackServer implements AutoCloseable {

  /** A request as it arrived. */
  record Received(String method, String path, Headers headers, String body) {}

  private record Reply(int status, String location, String body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();

  LoopbackServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Answers requests for {@code path} with the status and body. */
  LoopbackServer reply(String path, int status, String body) {
    replies.put(path, new Reply(status, null, body));
    return this;
  }

  /** Answers requests for {@code path} with a redirect to {@code location}. */
  LoopbackServer redirect(String path, int status, String location) {
    replies.put(path, new Reply(status, location, ""));
    return this;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      received.add(
          new Received(exchange.getRequestMethod(), path, exchange.getRequestHeaders(), body));
      Reply reply = replies.getOrDefault(path, new Reply(404, null, "not found"));
      if (reply.location() != null) {
        exchange.getResponseHeaders().set("Location", reply.location());
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
