package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/**
 * One row of the task projection. JSON columns hold the workflow's records as JSON text; the store
 * does not interpret them.
 */
@MappedEntity("tasks")
public record TaskRecord(
    @Id String id,
    String owner,
    String title,
    String prompt,
    String agent,
    @Nullable String workspace,
    @TypeDef(type = DataType.STRING_ARRAY) String[] labels,
    String status,
    @Nullable String statusReason,
    int priority,
    @Nullable Instant notBefore,
    @Nullable String approvalGate,
    @Nullable @TypeDef(type = DataType.JSON) String plan,
    @Nullable @TypeDef(type = DataType.JSON) String run,
    @Nullable @TypeDef(type = DataType.JSON) String result,
    @Nullable @TypeDef(type = DataType.JSON) String error,
    @TypeDef(type = DataType.JSON) String request,
    @Nullable String idempotencyKey,
    String requestHash,
    long version,
    Instant createdAt,
    Instant updatedAt) {}
