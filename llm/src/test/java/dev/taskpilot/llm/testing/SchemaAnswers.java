package dev.taskpilot.llm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Generates plausible JSON documents that conform to a JSON schema, the way a well-behaved model
 * would answer a structured-output request; fixed values per property name override the output.
 */
public final class SchemaAnswers {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 12;

  private final Map<String, Object> fixes;

  /**
   * A generator that uses {@code fixes} (property name to value, null allowed) instead of generated
   * values, at any depth.
   */
  public SchemaAnswers(Map<String, Object> fixes) {
    this.fixes = Collections.unmodifiableMap(new HashMap<>(fixes));
  }

  /** A generator without fixed values. */
  public SchemaAnswers() {
    this(Map.of());
  }

  /** An ISO-8601 UTC instant one hour from now, truncated to seconds. */
  public static String isoInstantInOneHour() {
    return Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A document conforming to {@code schema}; {@code $ref}s resolve against the schema itself. */
  public JsonNode generate(JsonNode schema) {
    return generate(schema, schema, null, 0);
  }

  private JsonNode generate(JsonNode node, JsonNode root, String name, int depth) {
    if (name != null && fixes.containsKey(name)) {
      JsonNode fixed = JSON.valueToTree(fixes.get(name));
      return fixed == null ? NODES.nullNode() : fixed;
    }
    if (node == null || node.isMissingNode() || depth > MAX_DEPTH) {
      return NODES.nullNode();
    }
    if (node.hasNonNull("$ref")) {
      return generate(resolve(root, node.get("$ref").asText()), root, name, depth + 1);
    }
    for (String alternatives : new String[] {"anyOf", "oneOf", "allOf"}) {
      if (node.path(alternatives).isArray() && !node.get(alternatives).isEmpty()) {
        return generate(firstNonNull(node.get(alternatives)), root, name, depth + 1);
      }
    }
    if (node.has("const")) {
      return node.get("const");
    }
    if (node.path("enum").isArray() && !node.get("enum").isEmpty()) {
      return node.get("enum").get(0);
    }
    return switch (typeOf(node)) {
      case "object" -> object(node, root, depth);
      case "array" -> array(node, root, name, depth);
      case "integer" -> NODES.numberNode((long) clamp(node, 3));
      case "number" -> NODES.numberNode(clamp(node, 1.5));
      case "boolean" -> NODES.booleanNode(false);
      case "null" -> NODES.nullNode();
      default -> NODES.textNode(text(node, name));
    };
  }

  private ObjectNode object(JsonNode node, JsonNode root, int depth) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> property : node.path("properties").properties()) {
      out.set(property.getKey(), generate(property.getValue(), root, property.getKey(), depth + 1));
    }
    for (JsonNode required : node.path("required")) {
      if (!out.has(required.asText())) {
        out.set(required.asText(), generate(null, root, required.asText(), depth + 1));
      }
    }
    return out;
  }

  private ArrayNode array(JsonNode node, JsonNode root, String name, int depth) {
    ArrayNode out = NODES.arrayNode();
    // Past half the depth budget, recursive schemas end with empty lists rather than nulls.
    int count = Math.max(depth > MAX_DEPTH / 2 ? 0 : 1, node.path("minItems").asInt(0));
    for (int i = 0; i < count; i++) {
      out.add(generate(node.path("items"), root, null, depth + 1));
    }
    return out;
  }

  private static String text(JsonNode node, String name) {
    String format = node.path("format").asText("");
    String hints = ((name == null ? "" : name) + " " + node.path("description").asText(""));
    hints = hints.toLowerCase(Locale.ROOT);
    if (format.equals("date")) {
      return LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    }
    if (format.equals("time")) {
      return "09:30:00";
    }
    if (format.equals(JsonInstructions.LOCAL_DATE_TIME)) {
      return LocalDateTime.now(ZoneOffset.UTC).plusHours(1).truncatedTo(ChronoUnit.SECONDS) + "";
    }
    if (format.equals("date-time")
        || hints.contains("instant")
        || hints.contains("date-time")
        || hints.contains("datetime")
        || hints.contains("iso-8601")
        || hints.contains("iso 8601")
        || hints.contains("start")) {
      return isoInstantInOneHour();
    }
    return name == null ? "fake answer" : "fake " + name;
  }

  private static double clamp(JsonNode node, double preferred) {
    double value = preferred;
    boolean integer = typeOf(node).equals("integer");
    double step = integer ? 1 : 0.5;
    if (node.path("minimum").isNumber()) {
      value = Math.max(value, node.get("minimum").asDouble());
    }
    if (node.path("exclusiveMinimum").isNumber()) {
      value = Math.max(value, node.get("exclusiveMinimum").asDouble() + step);
    }
    if (node.path("maximum").isNumber()) {
      value = Math.min(value, node.get("maximum").asDouble());
    }
    if (node.path("exclusiveMaximum").isNumber()) {
      value = Math.min(value, node.get("exclusiveMaximum").asDouble() - step);
    }
    return integer ? Math.ceil(value) : value;
  }

  private static String typeOf(JsonNode node) {
    JsonNode type = node.path("type");
    if (type.isArray()) {
      for (JsonNode candidate : type) {
        if (!candidate.asText().equals("null")) {
          return candidate.asText();
        }
      }
      return "null";
    }
    if (type.isTextual()) {
      return type.asText();
    }
    return node.has("properties") ? "object" : node.has("items") ? "array" : "string";
  }

  private static JsonNode firstNonNull(JsonNode alternatives) {
    for (JsonNode alternative : alternatives) {
      if (!alternative.path("type").asText("").equals("null")) {
        return alternative;
      }
    }
    return alternatives.get(0);
  }

  private static JsonNode resolve(JsonNode root, String ref) {
    if (!ref.startsWith("#")) {
      throw new IllegalArgumentException("Only local $refs are supported: " + ref);
    }
    return root.at(ref.substring(1));
  }
}
