package dev.taskpilot.activities.publish;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback that keeps the contract Taskpilot relies on: it verifies the
 * signature of the raw body (401 when it does not match) and takes each Idempotency-Key once,
 * answering 200 to repeats without acting again. Its answers follow a script: an HTTP status, or
 * {@link #HANG} to take the delivery and then not answer until released; 200 once the script ends.
 */
final class WebhookReceiver implements AutoCloseable {
  static final int HANG = -1;

  /** One raw POST as it arrived. */
  record Post(String idempotencyKey, String signature, byte[] body, boolean signatureValid) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String secret;
  private final Deque<Integer> script;
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final Set<String> taken = ConcurrentHashMap.newKeySet();
  private final AtomicInteger effective = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  private WebhookReceiver(InetAddress address, String secret, Integer... script)
      throws IOException {
    this.secret = secret;
    this.script = new ArrayDeque<>(List.of(script));
    this.server = HttpServer.create(new InetSocketAddress(address, 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A receiver on 127.0.0.1 verifying with {@code secret} (null: signatures not checked). */
  static WebhookReceiver start(String secret, Integer... script) throws IOException {
    return new WebhookReceiver(InetAddress.getByName("127.0.0.1"), secret, script);
  }

  /** A receiver on another loopback address. */
  static WebhookReceiver startOn(String address) throws IOException {
    return new WebhookReceiver(InetAddress.getByName(address), null);
  }

  /** The URL to publish to; its query is a secret of sorts that must not be stored. */
  String url() {
    InetSocketAddress address = server.getAddress();
    return "http://"
        + address.getAddress().getHostAddress()
        + ":"
        + address.getPort()
        + "/hooks/taskpilot?token=query-secret";
  }

  List<Post> posts() {
    return List.copyOf(posts);
  }

  /** Deliveries acted on: distinct keys whose delivery was taken. */
  int effectiveDeliveries() {
    return effective.get();
  }

  long distinctKeys() {
    return posts.stream().map(Post::idempotencyKey).distinct().count();
  }

  /** Lets a hanging request finish. */
  void release() {
    release.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    String signature = exchange.getRequestHeaders().getFirst("X-Taskpilot-Signature");
    boolean valid = secret == null || verify(secret, body, signature);
    posts.add(new Post(key, signature, body, valid));
    Integer next;
    synchronized (script) {
      next = script.pollFirst();
    }
    int status = next == null ? 200 : next;
    if (!valid) {
      status = 401;
    } else if (status == HANG || (status >= 200 && status < 300)) {
      if (key != null && taken.add(key)) {
        effective.incrementAndGet();
      }
    }
    if (status == HANG) {
      try {
        release.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      status = 200;
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  /** Whether {@code signature} is {@code sha256=<hex HMAC-SHA256 of body under secret>}. */
  static boolean verify(String secret, byte[] body, String signature) {
    if (signature == null) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
      return MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    executor.shutdownNow();
  }
}
