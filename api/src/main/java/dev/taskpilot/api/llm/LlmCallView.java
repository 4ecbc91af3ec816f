package dev.taskpilot.api.llm;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One LLM call from the ledger. {@code request} and {@code response} are LangChain4j's JSON of the
 * messages sent and the message received.
 */
@Serdeable
public record LlmCallView(
    long id,
    String purpose,
    String provider,
    @Nullable String model,
    String outcome,
    @Nullable String error,
    @Nullable Integer inputTokens,
    @Nullable Integer outputTokens,
    @Nullable BigDecimal costUsd,
    long durationMs,
    Instant createdAt,
    String request,
    @Nullable String response) {}
