package dev.taskpilot.api.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * The management endpoints: {@code /health} (and its {@code /readiness}, {@code /liveness}) are
 * open, every other one ({@code /prometheus}, {@code /beans}, {@code /routes}, …) needs an admin
 * token, whatever {@code endpoints.*.sensitive} says.
 */
@Singleton
@Replaces(SensitiveEndpointRule.class)
class ManagementEndpointRule extends SensitiveEndpointRule {

  ManagementEndpointRule(EndpointSensitivityProcessor endpoints) {
    super(endpoints);
  }

  @Override
  protected @NonNull Publisher<SecurityRuleResult> check(
      @NonNull HttpRequest<?> request,
      @Nullable Authentication authentication,
      @NonNull ExecutableMethod<?, ?> method) {
    if (method.getDeclaringType() == HealthEndpoint.class) {
      return Publishers.just(SecurityRuleResult.ALLOWED);
    }
    boolean admin = authentication != null && authentication.getRoles().contains(Roles.ADMIN);
    return Publishers.just(admin ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
  }
}
