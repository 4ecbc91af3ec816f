package dev.taskpilot.activities.agent.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A format whose lines are JSON objects: a line that is not one, or of a surprising shape, yields
 * nothing.
 */
abstract class JsonLinesFormat implements AgentOutputFormat {

  @Override
  public final List<AgentEvent> parse(String line) {
    try {
      JsonNode event = JsonLines.object(line);
      return event == null ? List.of() : events(event);
    } catch (RuntimeException e) {
      // A shape this parser did not foresee; the raw line is stored anyway.
      return List.of();
    }
  }

  /** The events of one JSON object line. */
  abstract List<AgentEvent> events(JsonNode event);
}
