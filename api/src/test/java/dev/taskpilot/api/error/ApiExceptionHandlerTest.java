package dev.taskpilot.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every 503 says when to try again; no other answer does. */
class ApiExceptionHandlerTest {
  @SuppressWarnings("unchecked")
  private final ErrorResponseProcessor<Object> asIs =
      (context, response) -> (MutableHttpResponse<Object>) response;

  private final ApiExceptionHandler handler = new ApiExceptionHandler(asIs);

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void shouldAskForARetryAfterTwoSecondsOnlyWhenTheAnswerIs503(ErrorCode code) {
    // when
    MutableHttpResponse<?> answer =
        handler.handle(HttpRequest.GET("/api/v1/tasks"), new ApiException(code, "no"));

    // then
    assertThat(answer.code()).isEqualTo(code.status().getCode());
    if (code.status().getCode() == 503) {
      assertThat(answer.getHeaders().get("Retry-After")).isEqualTo("2");
    } else {
      assertThat(answer.getHeaders().contains("Retry-After")).isFalse();
    }
  }
}
