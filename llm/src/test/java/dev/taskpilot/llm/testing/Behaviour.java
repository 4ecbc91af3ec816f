package dev.taskpilot.llm.testing;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** A scripted behaviour for one request answered by a fake model server. */
public sealed interface Behaviour {

  /** Answers like a real model would, from what the request asks for (the default). */
  record Answer() implements Behaviour {}

  /** Answers 200 with assistant content that is not valid JSON. */
  record Malformed() implements Behaviour {}

  /** Answers with a fixed assistant text, whatever the request asks for. */
  record Reply(String text) implements Behaviour {
    public Reply {
      Objects.requireNonNull(text, "text");
    }
  }

  /** Answers an error status with a provider-shaped error body and extra response headers. */
  record Status(int code, String message, Map<String, String> headers) implements Behaviour {
    public Status {
      Objects.requireNonNull(message, "message");
      headers = Map.copyOf(headers);
    }
  }

  /**
   * Answers with one call of the named tool; {@code argumentsJson} null means arguments generated
   * from the tool's parameter schema. Fails loudly (500) if the request does not offer the tool.
   */
  record ToolCall(String name, String argumentsJson) implements Behaviour {
    public ToolCall {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Sleeps for {@code delay} before answering like {@link Answer}. */
  record Hang(Duration delay) implements Behaviour {
    public Hang {
      Objects.requireNonNull(delay, "delay");
    }
  }

  static Behaviour answer() {
    return new Answer();
  }

  static Behaviour malformed() {
    return new Malformed();
  }

  static Behaviour reply(String text) {
    return new Reply(text);
  }

  static Behaviour status(int code, String message) {
    return new Status(code, message, Map.of());
  }

  static Behaviour status(int code, String message, Map<String, String> headers) {
    return new Status(code, message, headers);
  }

  /** 429 with {@code retry-after: 1}. */
  static Behaviour rateLimited() {
    return new Status(429, "Rate limit reached, please retry after 1s", Map.of("retry-after", "1"));
  }

  /** 500 internal server error. */
  static Behaviour serverError() {
    return new Status(500, "The server had an error while processing your request", Map.of());
  }

  /** 401 invalid API key. */
  static Behaviour unauthorized() {
    return new Status(401, "Incorrect API key provided", Map.of());
  }

  /** 400 invalid request. */
  static Behaviour badRequest(String message) {
    return new Status(400, message, Map.of());
  }

  static Behaviour toolCall(String name, String argumentsJson) {
    return new ToolCall(name, argumentsJson);
  }

  /** A call of the named tool with arguments generated from its parameter schema. */
  static Behaviour toolCall(String name) {
    return new ToolCall(name, null);
  }

  static Behaviour hang(Duration delay) {
    return new Hang(delay);
  }
}
