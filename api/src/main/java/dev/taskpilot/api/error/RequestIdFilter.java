package dev.taskpilot.api.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Echoes every request's id in the {@code X-Request-Id} response header. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdFilter {

  @ResponseFilter
  public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
    response.header(RequestIds.HEADER, RequestIds.of(request));
  }
}
