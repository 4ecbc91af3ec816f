package dev.taskpilot.llm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One request received by a fake model server: its path, headers (names lower-cased) and parsed
 * JSON body.
 */
public record RecordedRequest(String path, Map<String, List<String>> headers, JsonNode body) {

  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  /** The first value of the named header (case-insensitive), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The model named in the request body, or null. */
  public String model() {
    return body.path("model").asText(null);
  }

  /** The request's messages (an array node, possibly missing). */
  public JsonNode messages() {
    return body.path("messages");
  }
}
