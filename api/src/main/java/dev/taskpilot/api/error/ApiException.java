package dev.taskpilot.api.error;

import dev.taskpilot.workflows.client.EngineCallException;

/** A request the API refuses, with the code and sentence the caller gets back. */
public class ApiException extends RuntimeException {
  private final ErrorCode code;

  public ApiException(ErrorCode code, String detail) {
    super(detail);
    this.code = code;
  }

  public ApiException(ErrorCode code, String detail, Throwable cause) {
    super(detail, cause);
    this.code = code;
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
}
