package dev.taskpilot.api.approvals;

import dev.taskpilot.api.approvals.ApprovalLinkService.Decision;
import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.api.tasks.TaskView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.io.IOException;

/**
 * The one-tap links of approval notifications: {@code POST /api/v1/approvals/{token}/approve} and
 * {@code /reject}, with no body or {@code {"comment": …}}, answering the task resource. The path
 * holds the token, so every error of this controller is answered here, the token masked in what is
 * logged, and the body is read here rather than by the framework, whose errors would log the path.
 */
@Controller("/api/v1/approvals")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_ANONYMOUS)
class ApprovalController {
  private static final int MAX_COMMENT = 10_000;

  private final ApprovalLinkService links;
  private final JsonMapper json;
  private final ErrorResponseProcessor<?> problems;

  ApprovalController(
      ApprovalLinkService links, JsonMapper json, ErrorResponseProcessor<?> problems) {
    this.links = links;
    this.json = json;
    this.problems = problems;
  }

  @Post("/{token}/approve")
  @Consumes(MediaType.ALL)
  TaskView approve(@PathVariable String token, @Nullable @Body String body) {
    return links.decide(token, Decision.APPROVE, comment(body));
  }

  @Post("/{token}/reject")
  @Consumes(MediaType.ALL)
  TaskView reject(@PathVariable String token, @Nullable @Body String body) {
    return links.decide(token, Decision.REJECT, comment(body));
  }

  // A browser or a chat's link preview opening a link neither decides nor gets the token logged.
  @Get("/{token}/{decision}")
  HttpResponse<?> opened(@PathVariable String token, @PathVariable String decision) {
    throw new ApiException(
        ErrorCode.METHOD_NOT_ALLOWED, "an approval link decides only when sent with POST");
  }

  @Error(exception = RuntimeException.class)
  HttpResponse<?> failed(HttpRequest<?> request, RuntimeException failure) {
    ApiException refusal =
        failure instanceof ApiException api
            ? api
            : new ApiException(ErrorCode.INTERNAL, "the approval could not be decided", failure);
    MutableHttpResponse<?> answer =
        problems.processResponse(
            ErrorContext.builder(new TokenMaskedRequest<>(request))
                .cause(refusal)
                .errorMessage(refusal.getMessage())
                .build(),
            HttpResponse.status(refusal.code().status()));
    return refusal.code() == ErrorCode.METHOD_NOT_ALLOWED ? answer.header("Allow", "POST") : answer;
  }

  private @Nullable String comment(@Nullable String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    ApprovalRequest request;
    try {
      request = json.readValue(body, ApprovalRequest.class);
    } catch (IOException | RuntimeException e) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "the body must be empty or {\"comment\": \"…\"}");
    }
    if (request == null) {
      return null;
    }
    if (request.comment() != null && request.comment().length() > MAX_COMMENT) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "comment must be at most " + MAX_COMMENT + " characters");
    }
    return request.comment();
  }
}
