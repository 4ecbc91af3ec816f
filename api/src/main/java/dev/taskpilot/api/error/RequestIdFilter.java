package dev.taskpilot.api.error;

import dev.taskpilot.workflows.logging.LogIds;
import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.MDC;

/**
 * Puts every request's id into the MDC ({@code requestId}) of whatever thread handles it, through
 * the request's propagated context, so that every line logged for the request carries it and the
 * Temporal client's {@code RequestIdPropagator} hands it on to the workflows and activities it
 * starts or calls; echoes it in the {@code X-Request-Id} response header.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdFilter {

  @RequestFilter
  public void propagate(HttpRequest<?> request, MutablePropagatedContext context) {
    MDC.put(LogIds.REQUEST_ID, RequestIds.of(request));
    try {
      context.add(new MdcPropagationContext());
    } finally {
      MDC.remove(LogIds.REQUEST_ID);
    }
  }

  @ResponseFilter
  public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
    response.header(RequestIds.HEADER, RequestIds.of(request));
  }
}
