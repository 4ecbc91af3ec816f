package dev.taskpilot.llm;

import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.taskpilot.store.LlmCallRecord;
import dev.taskpilot.store.LlmCallRepository;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes one ledger row per LLM call: request, response, tokens, cost, duration, outcome. */
@Singleton
public class LlmLedger {
  private static final Logger log = LoggerFactory.getLogger(LlmLedger.class);
  static final int MAX_ERROR_LENGTH = 2000;

  private final LlmCallRepository calls;
  private final PriceTable prices;

  public LlmLedger(LlmCallRepository calls, PriceTable prices) {
    this.calls = calls;
    this.prices = prices;
  }

  /** Who made a call and why. */
  public record Caller(String owner, String taskId, LlmPurpose purpose, String provider) {}

  void succeeded(Caller caller, ChatRequest request, ChatResponse response, Duration took) {
    TokenUsage usage = response.tokenUsage();
    Integer in = usage == null ? null : usage.inputTokenCount();
    Integer out = usage == null ? null : usage.outputTokenCount();
    String model =
        response.metadata() != null && response.metadata().modelName() != null
            ? response.metadata().modelName()
            : request.parameters().modelName();
    save(
        caller,
        request,
        ChatMessageSerializer.messageToJson(response.aiMessage()),
        model,
        in,
        out,
        took,
        "SUCCEEDED",
        null);
  }

  void failed(Caller caller, ChatRequest request, Throwable error, Duration took) {
    save(
        caller,
        request,
        null,
        request.parameters().modelName(),
        null,
        null,
        took,
        LlmFailures.isRetriable(error) ? "RETRIABLE_ERROR" : "PERMANENT_ERROR",
        describe(error));
  }

  private void save(
      Caller caller,
      ChatRequest request,
      String response,
      String model,
      Integer in,
      Integer out,
      Duration took,
      String outcome,
      String error) {
    try {
      calls.save(
          new LlmCallRecord(
              null,
              caller.owner(),
              caller.taskId(),
              caller.purpose().value(),
              caller.provider(),
              model,
              ChatMessageSerializer.messagesToJson(request.messages()),
              response,
              in,
              out,
              prices.cost(model, in, out).orElse(null),
              took.toMillis(),
              outcome,
              error,
              Instant.now()));
    } catch (RuntimeException e) {
      // The call itself happened; losing its ledger row must not fail the task.
      log.error("could not write the ledger row of a {} call: {}", caller.purpose(), e.toString());
    }
  }

  static String describe(Throwable error) {
    String text = error.getClass().getSimpleName() + ": " + error.getMessage();
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
  }
}
