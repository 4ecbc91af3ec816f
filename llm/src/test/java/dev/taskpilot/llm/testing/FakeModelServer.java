package dev.taskpilot.llm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of the fake model servers: a loopback HTTP server that records every request and answers
 * from a queue of scripted {@link Behaviour}s, falling back to a default behaviour.
 */
public abstract class FakeModelServer implements AutoCloseable {

  /** One HTTP answer: status, extra headers and JSON body. */
  protected record Reply(int status, Map<String, String> headers, JsonNode body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Deque<Behaviour> script = new ConcurrentLinkedDeque<>();
  private final Map<String, Object> fixes = Collections.synchronizedMap(new HashMap<>());
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile Behaviour fallback = Behaviour.answer();

  protected FakeModelServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL to give the LangChain4j model builder. */
  public abstract String baseUrl();

  /** Whether {@code path} is this protocol's endpoint. */
  protected abstract boolean accepts(String path);

  /** The answer to {@code request} for {@code behaviour} (never a {@link Behaviour.Hang}). */
  protected abstract Reply respond(JsonNode request, Behaviour behaviour);

  /** An error reply in the provider's error shape. */
  protected abstract Reply error(int status, String message, Map<String, String> headers);

  public int port() {
    return server.getAddress().getPort();
  }

  /** Scripts the next answers, in order; once used up the default behaviour applies again. */
  public void enqueue(Behaviour... behaviours) {
    script.addAll(List.of(behaviours));
  }

  /** Sets the behaviour used when the queue is empty ({@link Behaviour#answer()} at first). */
  public void fallback(Behaviour behaviour) {
    this.fallback = behaviour;
  }

  /** Forces the generated value (null allowed) of every JSON property named {@code property}. */
  public void fix(String property, Object value) {
    fixes.put(property, value);
  }

  public void clearFixes() {
    fixes.clear();
  }

  /** A snapshot of the requests received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  /** The most recent request; fails if none arrived. */
  public RecordedRequest lastRequest() {
    if (requests.isEmpty()) {
      throw new IllegalStateException("No request received yet");
    }
    return requests.get(requests.size() - 1);
  }

  /** Forgets requests, scripted behaviours, fixes and the fallback. */
  public void reset() {
    requests.clear();
    script.clear();
    fixes.clear();
    fallback = Behaviour.answer();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  protected SchemaAnswers answers() {
    synchronized (fixes) {
      return new SchemaAnswers(fixes);
    }
  }

  protected int nextSequence() {
    return sequence.incrementAndGet();
  }

  /** A rough token count: characters / 4, at least 1. */
  protected static int tokens(int characters) {
    return Math.max(1, characters / 4);
  }

  /** The total length of the text values in {@code node}, ignoring role and type tags. */
  protected static int textLength(JsonNode node) {
    if (node.isTextual()) {
      return node.asText().length();
    }
    int total = 0;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!field.getKey().equals("role") && !field.getKey().equals("type")) {
        total += textLength(field.getValue());
      }
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        total += textLength(element);
      }
    }
    return total;
  }

  protected static String firstChars(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getRequestMethod().equals("POST") || !accepts(path)) {
        write(exchange, error(404, "No such endpoint: " + path, Map.of()));
        return;
      }
      JsonNode body = SchemaAnswers.JSON.readTree(exchange.getRequestBody().readAllBytes());
      requests.add(new RecordedRequest(path, headersOf(exchange), body));
      Behaviour behaviour = script.poll();
      behaviour = behaviour == null ? fallback : behaviour;
      if (behaviour instanceof Behaviour.Hang hang) {
        Thread.sleep(hang.delay());
        behaviour = Behaviour.answer();
      }
      write(exchange, respond(body, behaviour));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | IOException e) {
      write(exchange, error(500, getClass().getSimpleName() + " failed: " + e, Map.of()));
    }
  }

  private static Map<String, List<String>> headersOf(HttpExchange exchange) {
    Map<String, List<String>> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    return headers;
  }

  private static void write(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body().toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
