package dev.taskpilot.app;

import dev.taskpilot.app.codec.PayloadEncryption;
import dev.taskpilot.workflows.logging.RequestIdPropagator;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * The Temporal connection of every role, from {@code temporal.target} and {@code .namespace}. Its
 * data converter encrypts every payload ({@link PayloadEncryption}) and moves failure messages and
 * stack traces into an encrypted payload too; the workers of a process use its client, so the same
 * converter.
 */
@Factory
class TemporalClientFactory {

  @Singleton
  @Bean(preDestroy = "shutdown")
  WorkflowServiceStubs workflowServiceStubs(@Value("${temporal.target}") String target) {
    // Lazy: the process starts (and reports readiness DOWN) while Temporal is not there yet.
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(target)
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
