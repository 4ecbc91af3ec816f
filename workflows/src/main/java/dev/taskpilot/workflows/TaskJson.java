package dev.taskpilot.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * JSON of the workflow records outside workflow history (the projection, the stored request), in
 * exactly the shape Temporal's own data converter gives them in history.
 */
public final class TaskJson {
  private static final ObjectMapper MAPPER = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  private TaskJson() {}

  /** The JSON text of a value; null stays null. */
  public static String write(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName(), e);
    }
  }

  /** A value read from JSON text; null stays null. */
  public static <T> T read(String json, Class<T> type) {
    if (json == null) {
      return null;
    }
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot read " + type.getName() + " from JSON", e);
    }
  }
}
