package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.net.OutboundGuard;
import dev.taskpilot.net.TargetRefusedException;
import dev.taskpilot.net.Urls;

/** The checks the request mappers share: user-supplied URLs, and fields a type does not take. */
final class RequestChecks {
  private RequestChecks() {}

  /** A user-supplied URL the SSRF guard accepts; its refusals become 400 or 422. */
  static String checkedUrl(OutboundGuard guard, String what, String url) {
    if (url == null || url.isBlank()) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "a " + what + " is required");
    }
    if (Urls.hasCredentials(url)) {
      throw new ApiException(
          ErrorCode.CREDENTIALS_IN_URL,
          "a " + what + " must not carry credentials; secrets go in their own fields");
    }
    try {
      guard.checkAtCreation(url);
      return url;
    } catch (TargetRefusedException e) {
      throw refusal(what, e);
    }
  }

  /** The API error for a refusal of the SSRF guard. */
  static ApiException refusal(String what, TargetRefusedException e) {
    String how =
        switch (e.reason()) {
          case INVALID -> " is not acceptable: ";
          case CREDENTIALS -> " must not carry credentials: ";
          case NOT_ALLOWED -> " is not allowed: ";
        };
    return new ApiException(codeOf(e), "the " + what + how + e.getMessage());
  }

  /** The code of a refused URL or git remote: 400 when malformed, 422 otherwise. */
  static ErrorCode codeOf(TargetRefusedException e) {
    return switch (e.reason()) {
      case INVALID -> ErrorCode.VALIDATION_FAILED;
      case CREDENTIALS -> ErrorCode.CREDENTIALS_IN_URL;
      case NOT_ALLOWED -> ErrorCode.TARGET_NOT_ALLOWED;
    };
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Fields that do not belong to a target or channel type are refused, not ignored. */
  static void onlyFields(
      String what, Object first, String firstName, Object second, String secondName) {
    if (first != null) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "field '" + firstName + "' does not apply to a " + what);
    }
    if (second != null) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "field '" + secondName + "' does not apply to a " + what);
    }
  }
}
