package dev.taskpilot.activities.agent.format;

/**
 * An API error the agent CLI reported while retrying.
 *
 * @param status the HTTP status, such as 401 or 429; {@code null} when not reported
 * @param error the CLI's error code, such as {@code authentication_failed}; {@code null} when not
 *     reported
 */
public record ApiError(Integer status, String error) {

  /**
   * Whether the error says the credentials are wrong (HTTP 401 or 403), which retrying won't fix.
   */
  public boolean isAuthFailure() {
    return status != null && (status == 401 || status == 403);
  }
}
