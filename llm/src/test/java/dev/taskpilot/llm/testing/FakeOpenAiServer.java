package dev.taskpilot.llm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fake OpenAI chat-completions endpoint ({@code POST /v1/chat/completions}, non-streaming) for
 * driving the real LangChain4j {@code OpenAiChatModel} over loopback.
 */
public final class FakeOpenAiServer extends FakeModelServer {

  /** The assistant content answered for {@link Behaviour.Malformed}. */
  public static final String MALFORMED_CONTENT = "{\"priority\": 5, \"start\": ";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Starts a server on 127.0.0.1 and an ephemeral port. */
  public FakeOpenAiServer() {
    super();
  }

  /** {@code http://127.0.0.1:PORT/v1}, as {@code OpenAiChatModel.builder().baseUrl(..)} expects. */
  @Override
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  @Override
  protected boolean accepts(String path) {
    return path.equals("/v1/chat/completions") || path.equals("/chat/completions");
  }

  @Override
  protected Reply respond(JsonNode request, Behaviour behaviour) {
    return switch (behaviour) {
      case Behaviour.Status status -> error(status.code(), status.message(), status.headers());
      case Behaviour.Malformed malformed -> completion(request, text(MALFORMED_CONTENT), "stop");
      case Behaviour.Reply reply -> completion(request, text(reply.text()), "stop");
      case Behaviour.ToolCall call -> toolCall(request, call);
      case Behaviour.Answer answer -> completion(request, text(answerText(request)), "stop");
      case Behaviour.Hang hang -> completion(request, text(answerText(request)), "stop");
    };
  }

  @Override
  protected Reply error(int status, String message, Map<String, String> headers) {
    ObjectNode error = NODES.objectNode().put("message", message);
    switch (status) {
      case 401 -> error.put("type", "invalid_request_error").put("code", "invalid_api_key");
      case 404 -> error.put("type", "invalid_request_error").put("code", "model_not_found");
      case 429 -> error.put("type", "requests").put("code", "rate_limit_exceeded");
      default -> error.put("type", status >= 500 ? "server_error" : "invalid_request_error");
    }
    error.putNull("param");
    if (!error.has("code")) {
      error.putNull("code");
    }
    ObjectNode body = NODES.objectNode();
    body.set("error", error);
    return new Reply(status, headers, body);
  }

  private String answerText(JsonNode request) {
    JsonNode format = request.path("response_format");
    if (format.path("type").asText().equals("json_schema")) {
      return answers().generate(format.path("json_schema").path("schema")).toString();
    }
    String userText = lastUserText(request.path("messages"));
    Optional<ObjectNode> instructed = JsonInstructions.schemaFrom(userText);
    if (instructed.isPresent()) {
      return answers().generate(instructed.get()).toString();
    }
    JsonNode messages = request.path("messages");
    JsonNode last = messages.path(messages.size() - 1);
    String reply =
        last.path("role").asText().equals("tool")
            ? "Done: " + firstChars(contentText(last.path("content")), 200)
            : "OK: " + firstChars(userText, 60);
    if (format.path("type").asText().equals("json_object")) {
      return NODES.objectNode().put("answer", reply).toString();
    }
    return reply;
  }

  private Reply toolCall(JsonNode request, Behaviour.ToolCall call) {
    List<String> offered = new ArrayList<>();
    for (JsonNode tool : request.path("tools")) {
      JsonNode function = tool.path("function");
      offered.add(function.path("name").asText());
      if (function.path("name").asText().equals(call.name())) {
        String arguments =
            call.argumentsJson() != null
                ? call.argumentsJson()
                : answers().generate(function.path("parameters")).toString();
        ObjectNode toolCall = NODES.objectNode().put("id", "call_" + nextSequence());
        toolCall.put("type", "function");
        toolCall.putObject("function").put("name", call.name()).put("arguments", arguments);
        ObjectNode message = NODES.objectNode().put("role", "assistant").putNull("content");
        message.putArray("tool_calls").add(toolCall);
        return completion(request, message, "tool_calls");
      }
    }
    return error(
        500,
        "FakeOpenAiServer: scripted tool call '" + call.name() + "' but request offers " + offered,
        Map.of());
  }

  private Reply completion(JsonNode request, ObjectNode message, String finishReason) {
    ObjectNode body = NODES.objectNode().put("id", "chatcmpl-fake-" + nextSequence());
    body.put("object", "chat.completion").put("created", Instant.now().getEpochSecond());
    body.put("model", request.path("model").asText("gpt-fake"));
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    choice.set("message", message);
    choice.putNull("logprobs").put("finish_reason", finishReason);
    int prompt = tokens(textLength(request.path("messages")));
    int completion = tokens(textLength(message));
    body.putObject("usage")
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
    return new Reply(200, Map.of(), body);
  }

  private static ObjectNode text(String content) {
    return NODES.objectNode().put("role", "assistant").put("content", content);
  }

  private static String lastUserText(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).path("role").asText().equals("user")) {
        return contentText(messages.get(i).path("content"));
      }
    }
    return "";
  }

  private static String contentText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      text.append(part.path("text").asText(""));
    }
    return text.toString();
  }
}
