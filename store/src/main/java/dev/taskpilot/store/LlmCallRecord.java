package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.math.BigDecimal;
import java.time.Instant;

/** One HTTP call to an LLM, as the ledger keeps it. */
@MappedEntity("llm_calls")
public record LlmCallRecord(
    @Id @GeneratedValue @Nullable Long id,
    String owner,
    @Nullable String taskId,
    String purpose,
    String provider,
    @Nullable String model,
    @TypeDef(type = DataType.JSON) String request,
    @Nullable @TypeDef(type = DataType.JSON) String response,
    @Nullable Integer inputTokens,
    @Nullable Integer outputTokens,
    @Nullable BigDecimal costUsd,
    long durationMs,
    String outcome,
    @Nullable String error,
    Instant createdAt) {}
