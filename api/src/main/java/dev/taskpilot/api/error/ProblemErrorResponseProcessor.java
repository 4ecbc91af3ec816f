package dev.taskpilot.api.error;

import dev.taskpilot.api.json.StrictScalars;
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
import java.util.Optional;
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

  /** A value of the wrong JSON type somewhere in the cause chain of the error. */
  private static Optional<StrictScalars.WrongJsonType> wrongJsonType(ErrorContext context) {
    for (Throwable cause = context.getRootCause().orElse(null);
        cause != null;
        cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof StrictScalars.WrongJsonType wrong) {
        return Optional.of(wrong);
      }
    }
    return Optional.empty();
  }

  private static String detail(
      ErrorContext context, MutableHttpResponse<?> response, List<String> messages) {
    if (response.code() >= 500) {
      // Internal details stay in the log; the caller gets the request id to quote.
      return context.getRootCause().filter(ApiException.class::isInstance).isPresent()
          ? context.getRootCause().get().getMessage()
          : "internal error";
    }
    Optional<StrictScalars.WrongJsonType> wrongType = wrongJsonType(context);
    if (wrongType.isPresent()) {
      return "the body does not match the expected JSON types: " + wrongType.get().describe();
    }
    if (!messages.isEmpty()) {
      return String.join("; ", messages);
    }
    return context.getRootCause().map(Throwable::getMessage).orElse(response.reason());
  }
}
