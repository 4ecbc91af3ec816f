package dev.taskpilot.api.auth;

import dev.taskpilot.store.DatabaseFailures;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;

/**
 * Micronaut Security's validator for {@code Authorization: Bearer <token>}: looks the token up by
 * its hash (on the blocking executor: it is a database read) and answers the caller's
 * authentication, or nothing for a token that does not work. A request that sent a token that does
 * not work is marked, so that its 401 says so. When PostgreSQL cannot be reached the token cannot
 * be checked: the request goes on without authentication (so {@code /health} still answers, {@code
 * DOWN}), marked, so that a route that needs a token answers {@code 503 DATABASE_UNAVAILABLE}
 * rather than 401.
 */
@Singleton
class BearerTokenValidator implements TokenValidator<HttpRequest<?>> {
  /** The request attribute set when the request sent a bearer token that does not work. */
  static final String REJECTED_TOKEN = "taskpilot.auth.rejected-token";

  /** The request attribute set when the token could not be checked: the database is away. */
  static final String UNCHECKED_TOKEN = "taskpilot.auth.unchecked-token";

  private final ApiTokens tokens;
  private final ExecutorService blocking;

  BearerTokenValidator(ApiTokens tokens, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.tokens = tokens;
    this.blocking = blocking;
  }

  @Override
  public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
    return Publishers.fromCompletableFuture(
        () -> CompletableFuture.supplyAsync(() -> validate(token, request), blocking));
  }

  private @Nullable Authentication validate(String token, @Nullable HttpRequest<?> request) {
    Optional<Caller> caller;
    try {
      caller = tokens.authenticate(token);
    } catch (RuntimeException e) {
      if (!DatabaseFailures.isConnectionFailure(e)) {
        throw e;
      }
      mark(request, UNCHECKED_TOKEN);
      return null;
    }
    if (caller.isEmpty()) {
      mark(request, REJECTED_TOKEN);
      return null;
    }
    return caller.get().authentication();
  }

  private static void mark(@Nullable HttpRequest<?> request, String attribute) {
    if (request != null) {
      request.setAttribute(attribute, true);
    }
  }
}
