package dev.taskpilot.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The one way app tests speak HTTP, so that no request can hang a test: clients get a connect
 * timeout, and every request sent through {@link #send} has a request timeout ({@link
 * #REQUEST_TIMEOUT} unless the request set its own). The JDK applies a request timeout until the
 * response headers arrive; a streamed body (server-sent events) is bounded by the test's
 * {@code @Timeout} instead.
 */
public final class TestHttp {
  /** How long a request may wait for its response; longer than any command the API waits for. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** How long connecting may take; everything is on loopback. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private TestHttp() {}

  /** A client with the connect timeout, speaking the JDK's default HTTP version. */
  public static HttpClient client() {
    return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  /** A client with the connect timeout, speaking {@code version}. */
  public static HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(version).build();
  }

  /** A request builder for {@code uri} with the request timeout already set. */
  public static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
  }

  /**
   * {@code request} itself when it has a timeout, otherwise a copy with {@link #REQUEST_TIMEOUT}.
   */
  public static HttpRequest withTimeout(HttpRequest request) {
    if (request.timeout().isPresent()) {
      return request;
    }
    return HttpRequest.newBuilder(request, (name, value) -> true).timeout(REQUEST_TIMEOUT).build();
  }

  /** {@code request} with {@code Authorization: Bearer token}, unless it names a token already. */
  public static HttpRequest withToken(HttpRequest request, String token) {
    if (request.headers().firstValue("Authorization").isPresent()) {
      return request;
    }
    return HttpRequest.newBuilder(request, (name, value) -> true)
        .header("Authorization", "Bearer " + token)
        .build();
  }

  /**
   * Sends {@code request} with a timeout (see {@link #withTimeout}); I/O failures, a timeout among
   * them, are unchecked and name the request.
   */
  public static <T> HttpResponse<T> send(
      HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body) {
    HttpRequest bounded = withTimeout(request);
    try {
      return client.send(bounded, body);
    } catch (HttpConnectTimeoutException e) {
      throw new UncheckedIOException(
          "could not connect for "
              + bounded.method()
              + " "
              + bounded.uri()
              + " within "
              + CONNECT_TIMEOUT,
          e);
    } catch (HttpTimeoutException e) {
      throw new UncheckedIOException(
          "no response to "
              + bounded.method()
              + " "
              + bounded.uri()
              + " within "
              + bounded.timeout().orElseThrow(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(bounded.method() + " " + bounded.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + bounded.method() + " " + bounded.uri(), e);
    }
  }
}
