package dev.taskpilot.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskpilot.net.LoopbackServer.Received;
import dev.taskpilot.net.TargetRefusedException.Reason;
import java.io.IOException;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guarded client against a server on 127.0.0.1, which the allow-list lets through. */
class GuardedHttpClientTest {

  private final MapHostResolver resolver =
      new MapHostResolver().map("rebound.test", "10.0.0.1").map("hooks.test", "127.0.0.1");

  private final GuardedHttpClient client =
      new GuardedHttpClient(
          new OutboundGuard(new NetworkConfig(List.of("127.0.0.1/32")), resolver));

  private LoopbackServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new LoopbackServer();
  }

  @AfterEach
  void stop() {
    server.close();
    client.close();
  }

  @Test
  void shouldDeliverPostWithHeadersAndBody() throws Exception {
    // given
    server.reply("/hook", 200, "ok");
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/hook"))
            .POST(BodyPublishers.ofString("{\"state\":\"done\"}"))
            .header("Content-Type", "application/json")
            .header("X-Taskpilot-Signature", "sha256=abc")
            .timeout(Duration.ofSeconds(30))
            .build();

    // when
    HttpResponse<String> response = client.send(request);

    // then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    assertThat(server.received())
        .singleElement()
        .satisfies(
            received -> {
              assertThat(received.method()).isEqualTo("POST");
              assertThat(received.headers().getFirst("X-Taskpilot-Signature"))
                  .isEqualTo("sha256=abc");
              assertThat(received.headers().getFirst("Content-Type")).isEqualTo("application/json");
              assertThat(received.body()).isEqualTo("{\"state\":\"done\"}");
            });
  }

  @Test
  void shouldFollowRedirectToAllowedPath() throws Exception {
    // given
    server.redirect("/old", 302, "/new").reply("/new", 200, "moved");
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/old")).header("Authorization", "Bearer t").build();

    // when
    HttpResponse<String> response = client.send(request);

    // then
    assertThat(response.body()).isEqualTo("moved");
    assertThat(response.uri()).isEqualTo(server.uri("/new"));
    assertThat(server.received()).extracting(Received::path).containsExactly("/old", "/new");
    assertThat(server.received().get(1).headers().getFirst("Authorization")).isEqualTo("Bearer t");
  }

  @Test
  void shouldResendPostBodyOn307() throws Exception {
    server.redirect("/a", 307, "/b").reply("/b", 202, "");

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(server.uri("/a"))
                .POST(BodyPublishers.ofString("payload"))
                .build());

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(server.received())
        .extracting(Received::method, Received::body)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("POST", "payload"),
            org.assertj.core.groups.Tuple.tuple("POST", "payload"));
  }

  @Test
  void shouldFollow303WithGetWithoutBody() throws Exception {
    server.redirect("/form", 303, "/result").reply("/result", 200, "seen");

    client.send(
        HttpRequest.newBuilder(server.uri("/form")).POST(BodyPublishers.ofString("x=1")).build());

    Received second = server.received().get(1);
    assertThat(second.method()).isEqualTo("GET");
    assertThat(second.body()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://0x7f000002:%d/new",
        "http://localhost:%d/new",
        "http://rebound.test:%d/new"
      })
  void shouldRefuseRedirectToRefusedAddressWithoutConnecting(String location) throws Exception {
    // given a redirect whose target is refused; some of them would reach this very server
    server.redirect("/start", 302, location.formatted(server.port())).reply("/new", 200, "in");

    // when
    TargetRefusedException refused =
        catchThrowableOfType(
            TargetRefusedException.class,
            () -> client.send(HttpRequest.newBuilder(server.uri("/start")).build()));

    // then
    assertThat(refused).isNotNull();
    assertThat(refused.reason()).isEqualTo(Reason.NOT_ALLOWED);
    assertThat(server.received()).extracting(Received::path).containsExactly("/start");
  }

  @Test
  void shouldFollowFiveRedirects() throws Exception {
    chain(5);

    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(server.uri("/chain/5")).build());

    assertThat(response.body()).isEqualTo("end");
    assertThat(server.received()).hasSize(6);
  }

  @Test
  void shouldFailOnSixthRedirect() {
    chain(6);

    assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/chain/6")).build()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("more than 5 redirects");
    assertThat(server.received()).hasSize(6);
  }

  @Test
  void shouldNeverContactRefusedUrl() {
    // given a client whose allow-list is empty
    GuardedHttpClient strict =
        new GuardedHttpClient(new OutboundGuard(new NetworkConfig(List.of()), resolver));
    server.reply("/hook", 200, "ok");

    // when
    TargetRefusedException refused;
    try (strict) {
      refused =
          catchThrowableOfType(
              TargetRefusedException.class,
              () -> strict.send(HttpRequest.newBuilder(server.uri("/hook")).build()));
    }

    // then
    assertThat(refused.reason()).isEqualTo(Reason.NOT_ALLOWED);
    assertThat(server.received()).isEmpty();
  }

  @Test
  void shouldThrowUnknownHostExceptionWhenNameDoesNotResolve() {
    assertThatThrownBy(
            () ->
                client.send(
                    HttpRequest.newBuilder(java.net.URI.create("http://gone.test/")).build()))
        .isInstanceOf(UnknownHostException.class);
    assertThat(server.received()).isEmpty();
  }

  @Test
  void shouldDropAuthorizationOnRedirectToAnotherOrigin() throws Exception {
    // given a second server: another port is another origin
    try (LoopbackServer other = new LoopbackServer()) {
      other.reply("/in", 200, "other");
      server.redirect("/out", 307, other.uri("/in").toString());

      // when
      client.send(
          HttpRequest.newBuilder(server.uri("/out"))
              .header("Authorization", "Bearer t")
              .header("X-Trace", "42")
              .build());

      // then
      assertThat(other.received())
          .singleElement()
          .satisfies(
              received -> {
                assertThat(received.headers().getFirst("X-Trace")).isEqualTo("42");
                assertThat(received.headers().containsKey("Authorization")).isFalse();
              });
    }
  }

  private void chain(int length) {
    for (int i = length; i > 0; i--) {
      server.redirect("/chain/" + i, 302, "/chain/" + (i - 1));
    }
    server.reply("/chain/0", 200, "end");
  }
}
