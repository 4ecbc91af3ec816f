package dev.taskpilot.api.error;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Turns an {@link ApiException} into its problem answer. A 503 (the engine or the database
 * unreachable, or out of connections) and a 429 (a rate limit) say when to try again: {@code
 * Retry-After}.
 */
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<?>> {
  private final ErrorResponseProcessor<?> processor;

  public ApiExceptionHandler(ErrorResponseProcessor<?> processor) {
    this.processor = processor;
  }

  /** Seconds a 503 asks the caller to wait before trying again. */
  static final String RETRY_AFTER_SECONDS = "2";

  @Override
  public MutableHttpResponse<?> handle(HttpRequest request, ApiException exception) {
    MutableHttpResponse<?> response =
        processor.processResponse(
            ErrorContext.builder(request)
                .cause(exception)
                .errorMessage(exception.getMessage())
                .build(),
            HttpResponse.status(exception.code().status()));
    if (exception.retryAfterSeconds() > 0) {
      response.header(HttpHeaders.RETRY_AFTER, Long.toString(exception.retryAfterSeconds()));
    } else if (exception.code().status() == HttpStatus.SERVICE_UNAVAILABLE) {
      response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    return response;
  }
}
