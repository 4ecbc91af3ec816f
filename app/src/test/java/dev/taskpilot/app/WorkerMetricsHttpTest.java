package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.testing.TestDatabase;
import io.micronaut.context.env.Environment;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker process exports its own metrics (the Temporal SDK's worker metrics live only there) when
 * {@code taskpilot.worker.metrics-http.enabled} gives it an HTTP server, which serves {@code
 * /prometheus} (admin token) and {@code /health} and nothing else; by default it opens no port at
 * all.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerMetricsHttpTest {
  private static RunningTaskpilot dev;
  private static TaskpilotRuntime worker;
  private static TaskpilotRuntime quietWorker;

  @BeforeAll
  static void start() throws Exception {
    dev =
        RunningTaskpilot.dev(
            0,
            Files.createTempDirectory("taskpilot-worker-http-"),
            TestDatabase.freshDatasourceProperties(),
            Map.of());
    worker = TaskpilotRuntime.start(Role.WORKER, null, workerConfig(true));
    quietWorker = TaskpilotRuntime.start(Role.WORKER, null, workerConfig(false));
  }

  private static Map<String, Object> workerConfig(boolean http) throws Exception {
    Environment devEnvironment = dev.runtime().context().getEnvironment();
    Map<String, Object> config = new HashMap<>();
    for (String key :
        new String[] {
          "datasources.default.url", "datasources.default.username", "datasources.default.password"
        }) {
      config.put(key, devEnvironment.getRequiredProperty(key, String.class));
    }
    config.put(
        "temporal.target", devEnvironment.getRequiredProperty("temporal.target", String.class));
    config.put("taskpilot.encryption.key-file", dev.dataDir().resolve("encryption-key").toString());
    config.put("taskpilot.data-dir", Files.createTempDirectory("taskpilot-worker-").toString());
    config.put("taskpilot.worker.drain-timeout", "1s");
    config.put("taskpilot.metrics.temporal-report-interval", "200ms");
    config.put("micronaut.server.port", -1);
    if (http) {
      config.put("taskpilot.worker.metrics-http.enabled", true);
    }
    return config;
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {quietWorker, worker, dev}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static HttpResponse<String> get(String path, boolean withToken) {
    HttpRequest request =
        TestHttp.request(URI.create("http://127.0.0.1:" + worker.httpPort() + path)).GET().build();
    return dev.sendAnonymous(withToken ? TestHttp.withToken(request, dev.adminToken()) : request);
  }

  @Test
  void shouldExportTheWorkersTemporalMetricsToAnAdmin() throws InterruptedException {
    // when: the SDK's worker metrics are reported into the registry every 200 ms
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    HttpResponse<String> metrics = get("/prometheus", true);
    while (!metrics.body().contains("temporal_worker_start") && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      metrics = get("/prometheus", true);
    }
    // then
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("temporal_worker_start", "worker_type=");
    assertThat(get("/prometheus", false).statusCode()).isEqualTo(401);
    assertThat(get("/health", false).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldServeNothingOfTheApiOnAWorker() {
    // when
    HttpResponse<String> tasks = get("/api/v1/tasks", true);
    HttpResponse<String> dashboard = get("/", false);
    // then
    assertThat(tasks.statusCode()).isEqualTo(404);
    assertThat(tasks.body()).contains("NOT_FOUND", "the API is on the api role");
    assertThat(dashboard.statusCode()).isEqualTo(404);
  }

  @Test
  void shouldOpenNoPortWhenNotAskedTo() {
    assertThat(quietWorker.httpPort()).isEqualTo(-1);
  }
}
