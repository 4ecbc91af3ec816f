package dev.taskpilot.api.health;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/** Readiness of the Temporal frontend: DOWN when its gRPC health check fails. */
@Singleton
@Readiness
public class TemporalHealthIndicator implements HealthIndicator {
  private static final String NAME = "temporal";
  private final WorkflowServiceStubs stubs;

  public TemporalHealthIndicator(WorkflowServiceStubs stubs) {
    this.stubs = stubs;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Publishers.just(check());
  }

  private HealthResult check() {
    try {
      var response = stubs.healthCheck();
      boolean serving = response.getStatus().name().equals("SERVING");
      return HealthResult.builder(NAME, serving ? HealthStatus.UP : HealthStatus.DOWN)
          .details(Map.of("status", response.getStatus().name()))
          .build();
    } catch (RuntimeException e) {
      return HealthResult.builder(NAME, HealthStatus.DOWN)
          .details(Map.of("error", String.valueOf(e.getMessage())))
          .build();
    }
  }
}
