package dev.taskpilot.activities.agent.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Lenient JSON reading shared by the JSON line parsers: wrong types read as absent. */
final class JsonLines {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private JsonLines() {}

  /** The line as a JSON object, or {@code null} when it is not one. */
  static JsonNode object(String line) {
    if (line == null) {
      return null;
    }
    int start = 0;
    while (start < line.length()
        && (Character.isWhitespace(line.charAt(start)) || line.charAt(start) == '\uFEFF')) {
      start++;
    }
    if (start == line.length() || line.charAt(start) != '{') {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(line.substring(start));
      return node != null && node.isObject() ? node : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  static String text(JsonNode parent, String field) {
    JsonNode node = parent == null ? null : parent.get(field);
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    return node.asText();
  }

  static Integer integer(JsonNode parent, String field) {
    Long value = longValue(parent, field);
    return value == null || value > Integer.MAX_VALUE || value < Integer.MIN_VALUE
        ? null
        : value.intValue();
  }

  static Long longValue(JsonNode parent, String field) {
    JsonNode node = parent == null ? null : parent.get(field);
    if (node == null) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.decimalValue().longValue();
    }
    if (node.isTextual()) {
      try {
        return Long.parseLong(node.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static BigDecimal decimal(JsonNode parent, String field) {
    JsonNode node = parent == null ? null : parent.get(field);
    if (node == null) {
      return null;
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isTextual()) {
      try {
        return new BigDecimal(node.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static Boolean bool(JsonNode parent, String field) {
    JsonNode node = parent == null ? null : parent.get(field);
    if (node == null) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual() && ("true".equals(node.asText()) || "false".equals(node.asText()))) {
      return Boolean.parseBoolean(node.asText());
    }
    return null;
  }

  /** The text values of an array field; other elements are skipped. */
  static List<String> texts(JsonNode parent, String field) {
    JsonNode node = parent == null ? null : parent.get(field);
    List<String> values = new ArrayList<>();
    if (node != null && node.isArray()) {
      for (JsonNode element : node) {
        if (element.isValueNode() && !element.isNull()) {
          values.add(element.asText());
        }
      }
    }
    return values;
  }

  /** The elements of an array node; nothing for any other node. */
  static Iterable<JsonNode> elements(JsonNode node) {
    return node != null && node.isArray() ? node : List.of();
  }

  /** The node as text: strings as they are, anything else as compact JSON. */
  static String compact(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isValueNode()) {
      return node.asText();
    }
    return node.toString();
  }

  /** Cuts text to at most {@code max} characters, ending it with an ellipsis when cut. */
  static String truncate(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = max - 1;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }
}
