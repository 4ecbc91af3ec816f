package dev.taskpilot.app;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import dev.taskpilot.app.codec.PayloadEncryption;
import dev.taskpilot.workflows.logging.RequestIdPropagator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * The Temporal connection of every role, from {@code temporal.target} and {@code .namespace}. Its
 * data converter encrypts every payload ({@link PayloadEncryption}) and moves failure messages and
 * stack traces into an encrypted payload too; the workers of a process use its client, so the same
 * converter. The SDK's own client and worker metrics (temporal_*) go into the application's
 * Micrometer registry through a Tally scope, reported every {@code
 * taskpilot.metrics.temporal-report-interval}; the workers take it from the service stubs.
 */
@Factory
class TemporalClientFactory {

  @Singleton
  @Bean(preDestroy = "close")
  Scope temporalMetricsScope(
      MeterRegistry meters,
      @Value("${taskpilot.metrics.temporal-report-interval:10s}") Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "taskpilot.metrics.temporal-report-interval must be positive: " + interval);
    }
    return new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(meters))
        .reportEvery(com.uber.m3.util.Duration.ofMillis(interval.toMillis()));
  }

  @Singleton
  @Bean(preDestroy = "shutdown")
  WorkflowServiceStubs workflowServiceStubs(
      @Value("${temporal.target}") String target, Scope metricsScope) {
    // Lazy: the process starts (and reports readiness DOWN) while Temporal is not there yet.
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(target)
            .setMetricsScope(metricsScope)
            .setRpcTimeout(Duration.ofSeconds(10))
            .build());
  }

  @Singleton
  WorkflowClient workflowClient(
      WorkflowServiceStubs stubs,
      PayloadEncryption encryption,
      @Value("${temporal.namespace:default}") String namespace) {
    DataConverter converter =
        new CodecDataConverter(
            DefaultDataConverter.newDefaultInstance(), List.of(encryption), true);
    return WorkflowClient.newInstance(
        stubs,
        WorkflowClientOptions.newBuilder()
            .setNamespace(namespace)
            .setDataConverter(converter)
            // The request id of the API call follows into workflows and activities (MDC), in a
            // header encrypted like every payload.
            .setContextPropagators(List.of(new RequestIdPropagator(converter)))
            .build());
  }
}
