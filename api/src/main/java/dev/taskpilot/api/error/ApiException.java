package dev.taskpilot.api.error;

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

  public ErrorCode code() {
    return code;
  }
}
