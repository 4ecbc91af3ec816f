package dev.taskpilot.net;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTP client for user-supplied URLs: every request's URL is checked by {@link
 * OutboundGuard#checkAtSend} first, and redirects are followed by hand (at most 5), each hop
 * checked, so a redirect never reaches a refused address.
 */
@Singleton
public class GuardedHttpClient implements AutoCloseable {

  /** The most redirects followed for one request. */
  public static final int MAX_REDIRECTS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(GuardedHttpClient.class);

  private final OutboundGuard guard;
  private final HttpClient http;

  /**
   * Builds one JDK client that never follows redirects itself, with a 10-second connect timeout.
   */
  public GuardedHttpClient(OutboundGuard guard) {
    this.guard = guard;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /**
   * Sends the request (its own timeout applies) and returns the final response. 303, and 301/302
   * after POST, are followed with GET; 307/308 resend method and body (so the body publisher must
   * be repeatable, as those of {@code BodyPublishers.ofString} and {@code ofByteArray} are).
   * Headers follow the redirect, except credentials ({@code Authorization}, {@code Cookie}) to
   * another origin; a redirect from https to http is returned, not followed.
   *
   * @throws TargetRefusedException when the URL or a redirect's target is refused
   * @throws IOException on connection failures and timeouts ({@link
   *     java.net.http.HttpTimeoutException}), an unresolvable host ({@link
   *     java.net.UnknownHostException}) and more than 5 redirects
   */
  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    HttpRequest current = request;
    for (int redirects = 0; ; redirects++) {
      check(current.uri());
      HttpResponse<String> response = http.send(current, BodyHandlers.ofString());
      Optional<HttpRequest> next =
          Redirects.next(current, response.statusCode(), response.headers().firstValue("Location"));
      if (next.isEmpty()) {
        return response;
      }
      if (redirects == MAX_REDIRECTS) {
        throw new IOException(
            "more than "
                + MAX_REDIRECTS
                + " redirects, the last from host "
                + current.uri().getHost());
      }
      LOG.debug(
          "Following {} from host {} to host {}",
          response.statusCode(),
          current.uri().getHost(),
          next.get().uri().getHost());
      current = next.get();
    }
  }

  private void check(URI uri) throws IOException {
    try {
      guard.checkAtSend(uri);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Stops the client's threads once requests in flight are done. */
  @PreDestroy
  @Override
  public void close() {
    http.shutdown();
  }
}
