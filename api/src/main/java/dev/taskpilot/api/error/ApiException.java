package dev.taskpilot.api.error;

import dev.taskpilot.workflows.client.EngineCallException;

/** A request the API refuses, with the code and sentence the caller gets back. */
public class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final long retryAfterSeconds;

  public ApiException(ErrorCode code, String detail) {
    super(detail);
    this.code = code;
    this.retryAfterSeconds = 0;
  }

  public ApiException(ErrorCode code, String detail, Throwable cause) {
    super(detail, cause);
    this.code = code;
    this.retryAfterSeconds = 0;
  }

  /** A refusal that says when to try again: {@code Retry-After: retryAfterSeconds}. */
  public ApiException(ErrorCode code, String detail, long retryAfterSeconds) {
    super(detail);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * The API's answer to a call the engine refused ({@link ErrorCode#fromEngine}) or did not answer
   * (503 {@code ENGINE_UNAVAILABLE}).
   */
  public static ApiException from(EngineCallException failure) {
    return switch (failure) {
      case EngineCallException.Refused refused ->
          new ApiException(ErrorCode.fromEngine(refused.type()), refused.getMessage(), refused);
      case EngineCallException.Unavailable unavailable ->
          new ApiException(ErrorCode.ENGINE_UNAVAILABLE, unavailable.getMessage(), unavailable);
    };
  }

  public ErrorCode code() {
    return code;
  }

  /** The seconds of {@code Retry-After} this refusal asks for, 0 when it names none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
