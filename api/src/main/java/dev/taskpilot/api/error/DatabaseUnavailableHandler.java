package dev.taskpilot.api.error;

import dev.taskpilot.store.DatabaseFailures;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * A request that could not get a database connection — the pool was exhausted for its whole
 * connection timeout, or PostgreSQL cannot be reached — is answered {@code 503
 * DATABASE_UNAVAILABLE} with {@code Retry-After}, never 500: the caller may simply try again. Every
 * other unexpected failure stays a 500 {@code INTERNAL}, as before.
 */
@Singleton
@Requires(classes = ExceptionHandler.class)
public class DatabaseUnavailableHandler
    implements ExceptionHandler<RuntimeException, HttpResponse<?>> {
  private final ErrorResponseProcessor<?> processor;
  private final ApiExceptionHandler apiErrors;

  public DatabaseUnavailableHandler(
      ErrorResponseProcessor<?> processor, ApiExceptionHandler apiErrors) {
    this.processor = processor;
    this.apiErrors = apiErrors;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, RuntimeException exception) {
    if (!isConnectionFailure(exception)) {
      return processor.processResponse(
          ErrorContext.builder(request).cause(exception).build(),
          HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR));
    }
    ApiException unavailable =
        new ApiException(
            ErrorCode.DATABASE_UNAVAILABLE,
            "the database is unavailable or busy; try again shortly",
            exception);
    // ApiExceptionHandler adds Retry-After to every 503.
    return apiErrors.handle(request, unavailable);
  }

  /**
   * Whether an exception is a failure to get or keep a connection (see {@link DatabaseFailures}).
   */
  static boolean isConnectionFailure(Throwable failure) {
    return DatabaseFailures.isConnectionFailure(failure);
  }
}
