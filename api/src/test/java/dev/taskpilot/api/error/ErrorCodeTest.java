package dev.taskpilot.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpStatus;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stable codes of API.md: each with its status, and the code the framework's errors get. */
class ErrorCodeTest {

  /** API.md's table: every code and its status. */
  private static final Map<ErrorCode, Integer> DOCUMENTED =
      Map.ofEntries(
          Map.entry(ErrorCode.VALIDATION_FAILED, 400),
          Map.entry(ErrorCode.NOT_FOUND, 404),
          Map.entry(ErrorCode.METHOD_NOT_ALLOWED, 405),
          Map.entry(ErrorCode.NOT_ACCEPTABLE, 406),
          Map.entry(ErrorCode.INVALID_STATE, 409),
          Map.entry(ErrorCode.APPROVAL_LINK_EXPIRED, 410),
          Map.entry(ErrorCode.IDEMPOTENCY_KEY_REUSED, 409),
          Map.entry(ErrorCode.SCHEDULE_NAME_TAKEN, 409),
          Map.entry(ErrorCode.PAYLOAD_TOO_LARGE, 413),
          Map.entry(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415),
          Map.entry(ErrorCode.UNKNOWN_AGENT, 422),
          Map.entry(ErrorCode.UNKNOWN_WORKSPACE, 422),
          Map.entry(ErrorCode.TARGET_NOT_ALLOWED, 422),
          Map.entry(ErrorCode.TARGET_NOT_SUPPORTED, 422),
          Map.entry(ErrorCode.CREDENTIALS_IN_URL, 422),
          Map.entry(ErrorCode.UNAUTHORIZED, 401),
          Map.entry(ErrorCode.FORBIDDEN, 403),
          Map.entry(ErrorCode.RATE_LIMITED, 429),
          Map.entry(ErrorCode.ENGINE_UNAVAILABLE, 503),
          Map.entry(ErrorCode.DATABASE_UNAVAILABLE, 503),
          Map.entry(ErrorCode.TOO_MANY_STREAMS, 503),
          Map.entry(ErrorCode.LLM_NOT_CONFIGURED, 503),
          Map.entry(ErrorCode.LLM_UNAVAILABLE, 502),
          Map.entry(ErrorCode.INTERNAL, 500));

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void shouldAnswerTheDocumentedStatusWhenACodeIsRaised(ErrorCode code) {
    assertThat(DOCUMENTED).as("API.md documents %s", code).containsKey(code);
    assertThat(code.status().getCode()).isEqualTo(DOCUMENTED.get(code));
  }

  @Test
  void shouldStillHaveEveryDocumentedCodeWhenCodesChange() {
    // then clients can rely on every code they were told about
    assertThat(ErrorCode.values()).containsExactlyInAnyOrderElementsOf(DOCUMENTED.keySet());
  }

  @ParameterizedTest
  @CsvSource({
    "400, VALIDATION_FAILED",
    "422, VALIDATION_FAILED",
    "401, UNAUTHORIZED",
    "403, FORBIDDEN",
    "404, NOT_FOUND",
    "405, METHOD_NOT_ALLOWED",
    "406, NOT_ACCEPTABLE",
    "409, INVALID_STATE",
    "413, PAYLOAD_TOO_LARGE",
    "415, UNSUPPORTED_MEDIA_TYPE",
    "503, ENGINE_UNAVAILABLE"
  })
  void shouldNameTheFrameworksErrorWhenItsStatusHasACode(int status, ErrorCode code) {
    assertThat(ErrorCode.forStatus(status)).isEqualTo(code);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 200, 302, 410, 418, 429, 500, 502, 504})
  void shouldAnswerInternalWhenTheFrameworksStatusHasNoCodeOfItsOwn(int status) {
    assertThat(ErrorCode.forStatus(status)).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void shouldKeepEveryFrameworkCodeOnItsOwnStatusWhenMappedBack() {
    // then a code forStatus gives (other than the 422 fold) answers the status it came from
    Arrays.stream(HttpStatus.values())
        .filter(status -> status.getCode() != 422)
        .forEach(
            status -> {
              ErrorCode code = ErrorCode.forStatus(status.getCode());
              if (code != ErrorCode.INTERNAL) {
                assertThat(code.status().getCode()).as(status.name()).isEqualTo(status.getCode());
              }
            });
  }
}
