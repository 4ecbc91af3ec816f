package dev.taskpilot.llm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fake Anthropic Messages endpoint ({@code POST /v1/messages}, non-streaming) for driving the
 * real LangChain4j {@code AnthropicChatModel} over loopback.
 */
public final class FakeAnthropicServer extends FakeModelServer {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Starts a server on 127.0.0.1 and an ephemeral port. */
  public FakeAnthropicServer() {
    super();
  }

  /**
   * {@code http://127.0.0.1:PORT/v1/}, as {@code AnthropicChatModel.builder().baseUrl(..)} expects.
   */
  @Override
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1/";
  }

  @Override
  protected boolean accepts(String path) {
    return path.equals("/v1/messages") || path.equals("/messages");
  }

  @Override
  protected Reply respond(JsonNode request, Behaviour behaviour) {
    return switch (behaviour) {
      case Behaviour.Status status -> error(status.code(), status.message(), status.headers());
      case Behaviour.Malformed malformed ->
          message(request, text(FakeOpenAiServer.MALFORMED_CONTENT), "end_turn");
      case Behaviour.Reply reply -> message(request, text(reply.text()), "end_turn");
      case Behaviour.ToolCall call -> toolUse(request, call);
      case Behaviour.Answer answer -> message(request, text(answerText(request)), "end_turn");
      case Behaviour.Hang hang -> message(request, text(answerText(request)), "end_turn");
    };
  }

  @Override
  protected Reply error(int status, String message, Map<String, String> headers) {
    String type =
        switch (status) {
          case 400 -> "invalid_request_error";
          case 401 -> "authentication_error";
          case 403 -> "permission_error";
          case 404 -> "not_found_error";
          case 413 -> "request_too_large";
          case 429 -> "rate_limit_error";
          case 529 -> "overloaded_error";
          default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    ObjectNode body = NODES.objectNode().put("type", "error");
    body.putObject("error").put("type", type).put("message", message);
    return new Reply(status, headers, body);
  }

  private String answerText(JsonNode request) {
    JsonNode format = request.path("output_config").path("format");
    if (format.path("type").asText().equals("json_schema")) {
      return answers().generate(format.path("schema")).toString();
    }
    JsonNode messages = request.path("messages");
    String userText = "";
    String toolResult = null;
    for (int i = messages.size() - 1; i >= 0 && userText.isEmpty(); i--) {
      JsonNode message = messages.get(i);
      if (message.path("role").asText().equals("user")) {
        userText = blocksText(message.path("content"), "text");
        if (i == messages.size() - 1) {
          toolResult = toolResultText(message.path("content"));
        }
      }
    }
    Optional<ObjectNode> instructed = JsonInstructions.schemaFrom(userText);
    if (instructed.isPresent()) {
      return answers().generate(instructed.get()).toString();
    }
    return toolResult != null
        ? "Done: " + firstChars(toolResult, 200)
        : "OK: " + firstChars(userText, 60);
  }

  private Reply toolUse(JsonNode request, Behaviour.ToolCall call) {
    List<String> offered = new ArrayList<>();
    for (JsonNode tool : request.path("tools")) {
      offered.add(tool.path("name").asText());
      if (tool.path("name").asText().equals(call.name())) {
        JsonNode input;
        try {
          input =
              call.argumentsJson() != null
                  ? SchemaAnswers.JSON.readTree(call.argumentsJson())
                  : answers().generate(tool.path("input_schema"));
        } catch (java.io.IOException e) {
          throw new IllegalArgumentException("Scripted tool arguments are not JSON", e);
        }
        ObjectNode block = NODES.objectNode().put("type", "tool_use");
        block.put("id", "toolu_fake_" + nextSequence()).put("name", call.name());
        block.set("input", input);
        return message(request, NODES.arrayNode().add(block), "tool_use");
      }
    }
    return error(
        500,
        "FakeAnthropicServer: scripted tool call '"
            + call.name()
            + "' but request offers "
            + offered,
        Map.of());
  }

  private Reply message(JsonNode request, ArrayNode content, String stopReason) {
    ObjectNode body = NODES.objectNode().put("id", "msg_fake_" + nextSequence());
    body.put("type", "message").put("role", "assistant");
    body.put("model", request.path("model").asText("claude-fake"));
    body.set("content", content);
    body.put("stop_reason", stopReason).putNull("stop_sequence");
    int input = tokens(textLength(request.path("messages")) + textLength(request.path("system")));
    body.putObject("usage")
        .put("input_tokens", input)
        .put("output_tokens", tokens(textLength(content)));
    return new Reply(200, Map.of(), body);
  }

  private static ArrayNode text(String text) {
    return NODES.arrayNode().add(NODES.objectNode().put("type", "text").put("text", text));
  }

  private static String blocksText(JsonNode content, String type) {
    if (content.isTextual()) {
      return type.equals("text") ? content.asText() : "";
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if (block.path("type").asText().equals(type)) {
        text.append(block.path("text").asText(""));
      }
    }
    return text.toString();
  }

  private static String toolResultText(JsonNode content) {
    for (JsonNode block : content) {
      if (block.path("type").asText().equals("tool_result")) {
        JsonNode result = block.path("content");
        return result.isTextual() ? result.asText() : blocksText(result, "text");
      }
    }
    return null;
  }
}
