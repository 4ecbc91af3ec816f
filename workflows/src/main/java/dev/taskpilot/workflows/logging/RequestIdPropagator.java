package dev.taskpilot.workflows.logging;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.context.ContextPropagator;
import io.temporal.common.converter.DataConverter;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Carries the MDC's {@code requestId} (the API's {@code X-Request-Id}) in the headers of what a
 * client or a workflow starts or calls (workflows, activities, signals, Updates), and puts it back
 * into the MDC of the workflow and activity threads that run them. The header is written with the
 * client's data converter, so it is encrypted like every payload in the history.
 */
public final class RequestIdPropagator implements ContextPropagator {
  private static final String HEADER = "taskpilot-request-id";

  private final DataConverter converter;

  public RequestIdPropagator(DataConverter converter) {
    this.converter = converter;
  }

  @Override
  public String getName() {
    return "taskpilot-request-id";
  }

  @Override
  public Map<String, Payload> serializeContext(Object context) {
    if (context instanceof String id) {
      return Map.of(HEADER, converter.toPayload(id).orElseThrow());
    }
    return Map.of();
  }

  @Override
  public Object deserializeContext(Map<String, Payload> header) {
    Payload payload = header.get(HEADER);
    return payload == null ? null : converter.fromPayload(payload, String.class, String.class);
  }

  @Override
  public Object getCurrentContext() {
    return MDC.get(LogIds.REQUEST_ID);
  }

  @Override
  public void setCurrentContext(Object context) {
    if (context instanceof String id) {
      MDC.put(LogIds.REQUEST_ID, id);
    }
  }
}
