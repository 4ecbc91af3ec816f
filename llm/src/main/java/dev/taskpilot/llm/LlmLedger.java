package dev.taskpilot.llm;

import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.taskpilot.store.LlmCallRecord;
import dev.taskpilot.store.LlmCallRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
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
  private final MeterRegistry meters;

  public LlmLedger(LlmCallRepository calls, PriceTable prices, MeterRegistry meters) {
    this.calls = calls;
    this.prices = prices;
    this.meters = meters;
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
    BigDecimal cost = prices.cost(model, in, out).orElse(null);
    count(caller, model, in, out, cost, outcome);
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
              cost,
              took.toMillis(),
              outcome,
              error,
              Instant.now()));
    } catch (RuntimeException e) {
      // The call itself happened; losing its ledger row must not fail the task.
      log.error("could not write the ledger row of a {} call: {}", caller.purpose(), e.toString());
    }
  }

  /**
   * The call in the metrics: {@code taskpilot.llm.calls} by purpose, model and outcome, {@code
   * taskpilot.llm.tokens} by purpose, model and direction, {@code taskpilot.llm.cost} (USD) by
   * purpose and model. The model name comes from the configuration or the provider, not from users.
   */
  private void count(
      Caller caller, String model, Integer in, Integer out, BigDecimal cost, String outcome) {
    String purpose = caller.purpose().value();
    String modelTag = model == null ? "unknown" : model;
    Counter.builder("taskpilot.llm.calls")
        .description("LLM calls by purpose, model and outcome")
        .tags("purpose", purpose, "model", modelTag, "outcome", outcome)
        .register(meters)
        .increment();
    if (in != null) {
      tokens(purpose, modelTag, "input").increment(in);
    }
    if (out != null) {
      tokens(purpose, modelTag, "output").increment(out);
    }
    if (cost != null) {
      Counter.builder("taskpilot.llm.cost")
          .description("LLM cost in USD by purpose and model")
          .baseUnit("usd")
          .tags("purpose", purpose, "model", modelTag)
          .register(meters)
          .increment(cost.doubleValue());
    }
  }

  private Counter tokens(String purpose, String model, String direction) {
    return Counter.builder("taskpilot.llm.tokens")
        .description("LLM tokens by purpose, model and direction (input, output)")
        .tags("purpose", purpose, "model", model, "direction", direction)
        .register(meters);
  }

  static String describe(Throwable error) {
    String text = error.getClass().getSimpleName() + ": " + error.getMessage();
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
  }
}
