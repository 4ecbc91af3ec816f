package dev.taskpilot.app;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The Temporal connection of every role, from {@code temporal.target} and {@code .namespace}. */
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
      WorkflowServiceStubs stubs, @Value("${temporal.namespace:default}") String namespace) {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }
}
