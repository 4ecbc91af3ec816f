package dev.taskpilot.api.error;

import dev.taskpilot.workflows.client.EngineCalls;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The API's bounded calls to the engine: every command and query waits at most {@code
 * taskpilot.api.command-timeout} (30 s by default). Their failures become API errors through {@link
 * ApiException#from}.
 */
@Factory
class EngineCallsFactory {

  @Singleton
  @Bean(preDestroy = "close")
  EngineCalls engineCalls(@Value("${taskpilot.api.command-timeout:30s}") Duration commandTimeout) {
    return new EngineCalls(commandTimeout);
  }
}
