package dev.taskpilot.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectsTest {

  private final BodyPublisher body = BodyPublishers.ofString("{\"a\":1}");

  private final HttpRequest post =
      HttpRequest.newBuilder(URI.create("https://hooks.test/a/b?x=1"))
          .POST(body)
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer t")
          .header("X-Taskpilot-Signature", "sha256=00")
          .timeout(Duration.ofSeconds(7))
          .build();

  @ParameterizedTest
  @ValueSource(ints = {303, 302, 301})
  void shouldTurnPostIntoGetWithoutBody(int status) throws IOException {
    // when
    HttpRequest next = Redirects.next(post, status, Optional.of("/done")).orElseThrow();

    // then
    assertThat(next.method()).isEqualTo("GET");
    assertThat(next.bodyPublisher()).isEmpty();
    assertThat(next.uri()).isEqualTo(URI.create("https://hooks.test/done"));
    assertThat(next.headers().firstValue("Content-Type")).isEmpty();
    assertThat(next.headers().firstValue("X-Taskpilot-Signature")).contains("sha256=00");
    assertThat(next.headers().firstValue("Authorization")).contains("Bearer t");
    assertThat(next.timeout()).contains(Duration.ofSeconds(7));
  }

  @ParameterizedTest
  @ValueSource(ints = {307, 308})
  void shouldKeepMethodAndBody(int status) throws IOException {
    HttpRequest next = Redirects.next(post, status, Optional.of("c")).orElseThrow();

    assertThat(next.method()).isEqualTo("POST");
    assertThat(next.bodyPublisher()).containsSame(body);
    assertThat(next.uri()).isEqualTo(URI.create("https://hooks.test/a/c"));
    assertThat(next.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(next.timeout()).contains(Duration.ofSeconds(7));
  }

  @Test
  void shouldKeepPutOn302() throws IOException {
    HttpRequest put = HttpRequest.newBuilder(URI.create("https://hooks.test/")).PUT(body).build();

    HttpRequest next = Redirects.next(put, 302, Optional.of("/x")).orElseThrow();

    assertThat(next.method()).isEqualTo("PUT");
    assertThat(next.bodyPublisher()).containsSame(body);
  }

  @Test
  void shouldDropCredentialsWhenOriginChanges() throws IOException {
    HttpRequest next =
        Redirects.next(post, 307, Optional.of("https://elsewhere.test/in")).orElseThrow();

    assertThat(next.headers().firstValue("Authorization")).isEmpty();
    assertThat(next.headers().firstValue("X-Taskpilot-Signature")).contains("sha256=00");
  }

  @ParameterizedTest
  @CsvSource({
    "http://h.test, x, http://h.test/x",
    "http://h.test/a/b, ../c, http://h.test/c",
    "http://h.test/a, //other.test/p, http://other.test/p",
    "http://h.test:8080/a, /b?q=1, http://h.test:8080/b?q=1"
  })
  void shouldResolveRelativeLocation(String from, String location, String expected)
      throws IOException {
    HttpRequest get = HttpRequest.newBuilder(URI.create(from)).build();

    HttpRequest next = Redirects.next(get, 302, Optional.of(location)).orElseThrow();

    assertThat(next.uri()).isEqualTo(URI.create(expected));
  }

  @Test
  void shouldNotFollowDowngradeFromHttpsToHttp() throws IOException {
    assertThat(Redirects.next(post, 302, Optional.of("http://hooks.test/"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 204, 304, 404, 500})
  void shouldNotFollowOtherStatus(int status) throws IOException {
    assertThat(Redirects.next(post, status, Optional.of("/x"))).isEmpty();
  }

  @Test
  void shouldNotFollowRedirectWithoutLocation() throws IOException {
    assertThat(Redirects.next(post, 302, Optional.empty())).isEmpty();
  }

  @Test
  void shouldFailOnInvalidLocation() {
    assertThatThrownBy(() -> Redirects.next(post, 302, Optional.of("http://h.test/a b")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("invalid Location");
  }
}
