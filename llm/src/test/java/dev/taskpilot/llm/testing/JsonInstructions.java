package dev.taskpilot.llm.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the JSON format instructions LangChain4j 1.19 appends to the user message when the model
 * lacks JSON-schema support ({@code PojoOutputParser.formatInstructions()}), turning the template
 * into an equivalent JSON schema.
 */
public final class JsonInstructions {

  /** The wording LangChain4j 1.19 puts (after a newline) before the JSON template. */
  public static final String MARKER = "You must answer strictly in the following JSON format: ";

  /** A custom schema format for {@code LocalDateTime} fields (no zone). */
  static final String LOCAL_DATE_TIME = "x-local-date-time";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String text;
  private int pos;

  private JsonInstructions(String text, int pos) {
    this.text = text;
    this.pos = pos;
  }

  /** The schema described by the instructions in {@code userText}, if it carries them. */
  public static Optional<ObjectNode> schemaFrom(String userText) {
    int marker = userText == null ? -1 : userText.lastIndexOf(MARKER);
    if (marker < 0) {
      return Optional.empty();
    }
    int brace = userText.indexOf('{', marker + MARKER.length());
    if (brace < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(new JsonInstructions(userText, brace).object());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  // A template is {"name": (description; type: T), ...} where T may nest another template.
  private ObjectNode object() {
    expect('{');
    ObjectNode properties = NODES.objectNode();
    ArrayNode required = NODES.arrayNode();
    skipSpaces();
    while (text.charAt(pos) != '}') {
      expect('"');
      int end = text.indexOf('"', pos);
      String name = text.substring(pos, end);
      pos = end + 1;
      skipSpaces();
      expect(':');
      skipSpaces();
      properties.set(name, property(parenthesised()));
      required.add(name);
      skipSpaces();
      if (text.charAt(pos) == ',') {
        pos++;
        skipSpaces();
      }
    }
    pos++;
    ObjectNode schema = NODES.objectNode().put("type", "object");
    schema.set("properties", properties);
    schema.set("required", required);
    return schema;
  }

  private String parenthesised() {
    expect('(');
    int start = pos;
    int depth = 1;
    while (depth > 0) {
      char c = text.charAt(pos++);
      if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        depth--;
      }
    }
    return text.substring(start, pos - 1);
  }

  private static ObjectNode property(String content) {
    String description = null;
    String type = content;
    int split = content.indexOf("; type: ");
    if (content.startsWith("type: ")) {
      type = content.substring("type: ".length());
    } else if (split >= 0) {
      description = content.substring(0, split);
      type = content.substring(split + "; type: ".length());
    }
    ObjectNode schema = typeSchema(type.trim());
    if (description != null) {
      schema.put("description", description);
    }
    return schema;
  }

  private static ObjectNode typeSchema(String type) {
    String lower = type.toLowerCase(Locale.ROOT);
    if (lower.startsWith("array of ")) {
      ObjectNode array = NODES.objectNode().put("type", "array");
      array.set("items", typeSchema(type.substring("array of ".length()).trim()));
      return array;
    }
    if (lower.startsWith("enum, must be one of [")) {
      ArrayNode values = NODES.arrayNode();
      String list = type.substring(type.indexOf('[') + 1, type.lastIndexOf(']'));
      for (String value : list.split(",\\s*")) {
        values.add(value.trim());
      }
      ObjectNode schema = NODES.objectNode().put("type", "string");
      schema.set("enum", values);
      return schema;
    }
    if (type.contains("{")) {
      return new JsonInstructions(type, type.indexOf('{')).object();
    }
    return switch (lower) {
      case "integer", "int", "long", "short", "byte", "java.lang.long", "java.lang.short" ->
          NODES.objectNode().put("type", "integer");
      case "float", "double", "java.math.bigdecimal" -> NODES.objectNode().put("type", "number");
      case "boolean" -> NODES.objectNode().put("type", "boolean");
      default ->
          // A class LangChain4j already described higher up (recursion): an object of any shape.
          lower.contains(".") && !lower.startsWith("java.")
              ? NODES.objectNode().put("type", "object")
              : stringSchema(lower);
    };
  }

  private static ObjectNode stringSchema(String lower) {
    ObjectNode schema = NODES.objectNode().put("type", "string");
    if (lower.startsWith("date-time string")) {
      schema.put("format", LOCAL_DATE_TIME);
    } else if (lower.startsWith("date string")) {
      schema.put("format", "date");
    } else if (lower.startsWith("time string")) {
      schema.put("format", "time");
    } else if (lower.contains("instant") || lower.contains("offsetdatetime")) {
      schema.put("format", "date-time");
    }
    return schema;
  }

  private void expect(char c) {
    if (text.charAt(pos) != c) {
      throw new IllegalArgumentException("Expected '" + c + "' at " + pos + " in " + text);
    }
    pos++;
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}
