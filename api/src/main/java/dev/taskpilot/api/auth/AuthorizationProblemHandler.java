package dev.taskpilot.api.auth;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A request the security rules refused, as a problem like every other error: {@code 401
 * UNAUTHORIZED} with {@code WWW-Authenticate: Bearer} when it had no working token, {@code 403
 * FORBIDDEN} when the token's role may not make the call.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
class AuthorizationProblemHandler
    implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {
  private final ErrorResponseProcessor<?> problems;

  AuthorizationProblemHandler(ErrorResponseProcessor<?> problems) {
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
    MutableHttpResponse<?> response =
        problems.processResponse(
            ErrorContext.builder(request).cause(refusal).errorMessage(refusal.getMessage()).build(),
            HttpResponse.status(refusal.code().status()));
    return challenge == null ? response : response.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
  }
}
