package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the dashboard is served: its files without a token and under a strict policy, the API it
 * calls still behind tokens, and dev's one-click link (DashboardBrowserTest drives the pages).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DashboardServingTest {
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() {
    taskpilot = RunningTaskpilot.dev(0);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  private static HttpResponse<String> anonymous(String path) {
    return taskpilot.sendAnonymous(TestHttp.request(taskpilot.uri(path)).GET().build());
  }

  @Test
  void shouldServeThePagesWithoutATokenUnderAStrictContentSecurityPolicy() {
    // when
    HttpResponse<String> page = anonymous("/");
    HttpResponse<String> script = anonymous("/assets/app.js");
    // then
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("<script type=\"module\" src=\"assets/app.js\">");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            policy ->
                assertThat(policy)
                    .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe"));
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    assertThat(script.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  void shouldKeepTheApiBehindTokensAndUnknownPathsNotFound() {
    // when
    HttpResponse<String> me = anonymous("/api/v1/me");
    HttpResponse<String> unknown = anonymous("/api/v1/no-such-thing");
    HttpResponse<String> missingAsset = anonymous("/assets/no-such-file.js");
    // then
    assertThat(me.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
    assertThat(missingAsset.statusCode()).isEqualTo(404);
  }

  @Test
  void shouldTellTheSignedInCallerWhoItIs() {
    // when
    JsonNode me = RunningTaskpilot.json(taskpilot.get("/api/v1/me"));
    // then
    assertThat(me.path("owner").asText()).isEqualTo("default");
    assertThat(me.path("role").asText()).isEqualTo("admin");
    assertThat(me.has("temporalUi")).as("no Web UI configured").isFalse();
  }

  @Test
  void shouldRefuseToStartWithATemporalUiUrlThatIsNotHttp(@TempDir Path dataDir) {
    // when / then
    assertThatThrownBy(
            () ->
                RunningTaskpilot.dev(
                        0,
                        dataDir,
                        TestDatabase.freshDatasourceProperties(),
                        Map.of("taskpilot.dashboard.temporal-ui-url", "javascript:alert(1)"))
                    .close())
        .hasStackTraceContaining("taskpilot.dashboard.temporal-ui-url must be an http(s) URL");
  }

  @Test
  void shouldPrintTheOneClickLinkToATerminalButNeverIntoJsonLogsOrARedirectedOutput(
      @TempDir Path dataDir) throws Exception {
    // given
    Files.writeString(dataDir.resolve("admin-token"), "tp_secret+/=\n");
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    // when
    DashboardLink.announce(
        "http://127.0.0.1:8080",
        dataDir,
        "text",
        new PrintStream(text, true, StandardCharsets.UTF_8));
    DashboardLink.announce(
        "http://127.0.0.1:8080",
        dataDir,
        "json",
        new PrintStream(json, true, StandardCharsets.UTF_8));
    DashboardLink.announce("http://127.0.0.1:8080", dataDir, "text", null);
    // then
    assertThat(text.toString(StandardCharsets.UTF_8))
        .contains("http://127.0.0.1:8080/#token=tp_secret%2B%2F%3D");
    assertThat(json.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(DashboardLink.outputIsATerminal()).as("the test's output is a file").isFalse();
  }
}
