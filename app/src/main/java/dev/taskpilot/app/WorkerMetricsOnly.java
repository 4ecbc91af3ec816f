package dev.taskpilot.app;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * A worker's HTTP server, when {@code taskpilot.worker.metrics-http.enabled} starts one, serves its
 * metrics and health only: {@code /prometheus} (the Temporal SDK's worker metrics and the agent-run
 * metrics live in the worker's process, so only the worker can export them; an admin token, as on
 * the api) and {@code /health}. Every other path, the API's included, answers 404: a worker is not
 * an API node. Off by default: a worker opens no port unless told to.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(env = "worker")
class WorkerMetricsOnly implements Ordered {
  static final String ENABLED = "taskpilot.worker.metrics-http.enabled";

  @RequestFilter
  void onlyMetricsAndHealth(HttpRequest<?> request) {
    String path = request.getPath();
    if (!path.equals("/prometheus") && !path.equals("/health") && !path.startsWith("/health/")) {
      throw new ApiException(
          ErrorCode.NOT_FOUND,
          "a worker serves /prometheus and /health only; the API is on the api role");
    }
  }

  @Override
  public int getOrder() {
    // Before security: an API path is not found here, whoever asks.
    return ServerFilterPhase.FIRST.order();
  }
}
