package dev.taskpilot.api.error;

import dev.taskpilot.workflows.ErrorType;
import io.micronaut.http.HttpStatus;

/** The stable, machine-readable error codes of API.md, each with its HTTP status. */
public enum ErrorCode {
  VALIDATION_FAILED(HttpStatus.BAD_REQUEST),
  NOT_FOUND(HttpStatus.NOT_FOUND),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
  NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),
  INVALID_STATE(HttpStatus.CONFLICT),
  APPROVAL_LINK_EXPIRED(HttpStatus.GONE),
  IDEMPOTENCY_KEY_REUSED(HttpStatus.CONFLICT),
  SCHEDULE_NAME_TAKEN(HttpStatus.CONFLICT),
  PAYLOAD_TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE),
  UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  UNKNOWN_AGENT(HttpStatus.UNPROCESSABLE_ENTITY),
  UNKNOWN_WORKSPACE(HttpStatus.UNPROCESSABLE_ENTITY),
  TARGET_NOT_ALLOWED(HttpStatus.UNPROCESSABLE_ENTITY),
  TARGET_NOT_SUPPORTED(HttpStatus.UNPROCESSABLE_ENTITY),
  CREDENTIALS_IN_URL(HttpStatus.UNPROCESSABLE_ENTITY),
  UNAUTHORIZED(HttpStatus.UNAUTHORIZED),
  FORBIDDEN(HttpStatus.FORBIDDEN),
  RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS),
  ENGINE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
  DATABASE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
  TOO_MANY_STREAMS(HttpStatus.SERVICE_UNAVAILABLE),
  LLM_NOT_CONFIGURED(HttpStatus.SERVICE_UNAVAILABLE),
  LLM_UNAVAILABLE(HttpStatus.BAD_GATEWAY),
  INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR);

  private final HttpStatus status;

  ErrorCode(HttpStatus status) {
    this.status = status;
  }

  public HttpStatus status() {
    return status;
  }

  /**
   * The code of a command the workflow refused with a failure of {@code type}: 400 for an invalid
   * argument, 409 {@code INVALID_STATE} for anything else (the command does not apply now).
   */
  public static ErrorCode fromEngine(ErrorType type) {
    return type == ErrorType.VALIDATION_FAILED ? VALIDATION_FAILED : INVALID_STATE;
  }

  /** The code the framework's own errors of a status get. */
  public static ErrorCode forStatus(int status) {
    return switch (status) {
      case 400, 422 -> VALIDATION_FAILED;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 409 -> INVALID_STATE;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 503 -> ENGINE_UNAVAILABLE;
      default -> INTERNAL;
    };
  }
}
