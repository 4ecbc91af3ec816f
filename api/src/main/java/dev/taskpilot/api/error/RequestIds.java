package dev.taskpilot.api.error;

import io.micronaut.http.HttpRequest;
import java.util.UUID;
import java.util.regex.Pattern;

/** The {@code X-Request-Id} of a request: the caller's when it is sane, a new one otherwise. */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  private static final String ATTRIBUTE = "taskpilot.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /** The request's id, assigned on first use and kept on the request. */
  public static String of(HttpRequest<?> request) {
    return request
        .getAttribute(ATTRIBUTE, String.class)
        .orElseGet(
            () -> {
              String given = request.getHeaders().get(HEADER);
              String id =
                  given != null && SANE.matcher(given).matches()
                      ? given
                      : UUID.randomUUID().toString();
              request.setAttribute(ATTRIBUTE, id);
              return id;
            });
  }
}
