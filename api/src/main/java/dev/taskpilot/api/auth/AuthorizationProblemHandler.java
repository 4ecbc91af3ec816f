package dev.taskpilot.api.auth;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ApiExceptionHandler;
import dev.taskpilot.api.error.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A request the security rules refused, as a problem like every other error: {@code 401
 * UNAUTHORIZED} with {@code WWW-Authenticate: Bearer} when it had no working token, {@code 403
 * FORBIDDEN} when the token's role may not make the call, {@code 503 DATABASE_UNAVAILABLE} (with
 * {@code Retry-After}) when its token could not be checked.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
class AuthorizationProblemHandler
    implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {
  private final ApiExceptionHandler problems;

  AuthorizationProblemHandler(ApiExceptionHandler problems) {
    this.problems = problems;
  }

  @Override
  public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
    ApiException refusal;
    String challenge = null;
    if (exception.isForbidden()) {
      Caller caller = Caller.of(exception.getAuthentication());
      refusal =
          new ApiException(
              ErrorCode.FORBIDDEN,
              "a token with role " + caller.role().id() + " may not make this call");
    } else if (request.getAttribute(BearerTokenValidator.UNCHECKED_TOKEN).isPresent()) {
      refusal =
          new ApiException(
              ErrorCode.DATABASE_UNAVAILABLE,
              "the database is unavailable, so the token cannot be checked; try again shortly");
    } else if (request.getAttribute(BearerTokenValidator.REJECTED_TOKEN).isPresent()) {
      refusal =
          new ApiException(
              ErrorCode.UNAUTHORIZED, "the bearer token is unknown, revoked or expired");
      challenge = "Bearer realm=\"taskpilot\", error=\"invalid_token\"";
    } else {
      refusal =
          new ApiException(
              ErrorCode.UNAUTHORIZED,
              "this call needs an API token: send Authorization: Bearer <token>");
      challenge = "Bearer realm=\"taskpilot\"";
    }
    MutableHttpResponse<?> response = problems.handle(request, refusal);
    return challenge == null ? response : response.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
  }
}
