package dev.taskpilot.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Loopback HTTP receivers for end-to-end tests: webhook receivers that dedupe by Idempotency-Key
 * and check signatures as the README asks receivers to, and an ntfy-style topic server. Each path
 * behaves as configured: answer 200, fail the first N requests with 503, hang the first request
 * past the client's timeout, or always fail.
 */
final class Receivers implements AutoCloseable {

  /** One request as it arrived. */
  record Received(String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .map(entry -> entry.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hangsLeft = new ConcurrentHashMap<>();
  private final Map<String, Integer> alwaysStatus = new ConcurrentHashMap<>();

  Receivers() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void failFirst(String path, int times) {
    failuresLeft.put(path, new AtomicInteger(times));
  }

  void hangFirst(String path) {
    hangsLeft.put(path, new AtomicInteger(1));
  }

  void alwaysAnswer(String path, int status) {
    alwaysStatus.put(path, status);
  }

  List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Deliveries a deduplicating receiver acts on: one per Idempotency-Key. */
  long effectiveDeliveries(String path) {
    return at(path).stream().map(r -> r.header("Idempotency-Key")).distinct().count();
  }

  static String signature(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256="
          + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body));
    int status = alwaysStatus.getOrDefault(path, 200);
    AtomicInteger hangs = hangsLeft.get(path);
    if (hangs != null && hangs.getAndDecrement() > 0) {
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    AtomicInteger failures = failuresLeft.get(path);
    if (failures != null && failures.getAndDecrement() > 0) {
      status = 503;
    }
    byte[] answer = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
