package dev.taskpilot.api.error;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place every error answer is made: the framework's (bad JSON, unknown route, too large a
 * body) and ours alike become {@code application/problem+json} with a stable code. 4xx are logged
 * at WARN, 5xx at ERROR.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {
  public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");
  private static final Logger log = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);

  @Override
  public MutableHttpResponse<Problem> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    ErrorCode code =
        context
            .getRootCause()
            .filter(ApiException.class::isInstance)
            .map(cause -> ((ApiException) cause).code())
            .orElseGet(() -> ErrorCode.forStatus(response.code()));
    List<String> messages = context.getErrors().stream().map(Error::getMessage).toList();
    String detail = detail(context, response, messages);
    HttpStatus status = HttpStatus.valueOf(response.code());
    String requestId = RequestIds.of(context.getRequest());
    Problem problem =
        new Problem(
            "urn:taskpilot:problem:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-'),
            status.getReason(),
            response.code(),
            detail,
            code.name(),
            requestId,
            messages.size() > 1 ? messages : null);
    if (response.code() >= 500) {
      log.error(
          "{} {} -> {} {} [{}]",
          context.getRequest().getMethod(),
          context.getRequest().getPath(),
          response.code(),
          detail,
          requestId,
          context.getRootCause().orElse(null));
    } else {
      log.warn(
          "{} {} -> {} {}: {} [{}]",
          context.getRequest().getMethod(),
          context.getRequest().getPath(),
          response.code(),
          code,
          detail,
          requestId);
    }
    return response.body(problem).contentType(PROBLEM_JSON);
  }

  private static String detail(
      ErrorContext context, MutableHttpResponse<?> response, List<String> messages) {
    if (response.code() >= 500) {
      // Internal details stay in the log; the caller gets the request id to quote.
      return context.getRootCause().filter(ApiException.class::isInstance).isPresent()
          ? context.getRootCause().get().getMessage()
          : "internal error";
    }
    if (!messages.isEmpty()) {
      return String.join("; ", messages);
    }
    return context.getRootCause().map(Throwable::getMessage).orElse(response.reason());
  }
}
