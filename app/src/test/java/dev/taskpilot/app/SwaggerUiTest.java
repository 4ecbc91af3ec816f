package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Swagger UI page dev serves without a token, and everything it loads: its scripts and styles
 * from dev itself (no CDN) and the OpenAPI document it shows.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SwaggerUiTest {
  private static final Pattern RESOURCE = Pattern.compile("contextPath \\+ [\"']([^\"']+)[\"']");

  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() {
    taskpilot = RunningTaskpilot.dev(0);
  }

  @AfterAll
  static void stop() {
    if (taskpilot != null) {
      taskpilot.close();
    }
  }

  private static HttpResponse<String> anonymous(String path) {
    return taskpilot.sendAnonymous(TestHttp.request(taskpilot.uri(path)).GET().build());
  }

  @Test
  void shouldServeSwaggerUiAndEverythingItLoadsWithoutAToken() {
    // when
    HttpResponse<String> page = anonymous("/swagger-ui/index.html");
    HttpResponse<String> bare = anonymous("/swagger-ui");
    // then
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(bare.statusCode()).isEqualTo(200);
    assertThat(bare.body()).isEqualTo(page.body());
    assertThat(page.body()).doesNotContain("https://", "http://");
    List<String> loaded = new ArrayList<>();
    Matcher matcher = RESOURCE.matcher(page.body());
    while (matcher.find()) {
      loaded.add(matcher.group(1));
    }
    assertThat(loaded)
        .contains(
            "/swagger-ui/res/swagger-ui-bundle.js",
            "/swagger-ui/res/swagger-ui.css",
            "/openapi/taskpilot-v1.yml");
    for (String path : loaded) {
      HttpResponse<String> response = anonymous(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.body()).as(path).isNotEmpty();
    }
    HttpResponse<String> spec = anonymous("/openapi/taskpilot-v1.yml");
    assertThat(spec.body()).startsWith("openapi: ").contains("/api/v1/tasks");
  }
}
