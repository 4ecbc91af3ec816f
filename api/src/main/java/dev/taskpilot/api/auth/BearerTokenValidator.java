package dev.taskpilot.api.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;

/**
 * Micronaut Security's validator for {@code Authorization: Bearer <token>}: looks the token up by
 * its hash (on the blocking executor: it is a database read) and answers the caller's
 * authentication, or nothing for a token that does not work. A request that sent a token that does
 * not work is marked, so that its 401 says so.
 */
@Singleton
class BearerTokenValidator implements TokenValidator<HttpRequest<?>> {
  /** The request attribute set when the request sent a bearer token that does not work. */
  static final String REJECTED_TOKEN = "taskpilot.auth.rejected-token";

  private final ApiTokens tokens;
  private final ExecutorService blocking;

  BearerTokenValidator(ApiTokens tokens, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.tokens = tokens;
    this.blocking = blocking;
  }

  @Override
  public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
    return Publishers.fromCompletableFuture(
        () ->
            CompletableFuture.supplyAsync(
                () -> {
                  var caller = tokens.authenticate(token);
                  if (caller.isEmpty()) {
                    if (request != null) {
                      request.setAttribute(REJECTED_TOKEN, true);
                    }
                    return null;
                  }
                  return caller.get().authentication();
                },
                blocking));
  }
}
