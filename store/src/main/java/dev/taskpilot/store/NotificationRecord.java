package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One attempt to notify one channel, as the audit keeps it. {@code channel} is the channel's key
 * without anything secret in it; {@code outcome} is {@code SENT}, {@code FAILED} (retried) or
 * {@code GAVE_UP} (no attempt follows).
 */
@MappedEntity("notifications")
public record NotificationRecord(
    @Id @GeneratedValue @Nullable Long id,
    String taskId,
    String channel,
    String event,
    int attempt,
    String outcome,
    @Nullable Integer httpStatus,
    @Nullable String error,
    Instant createdAt) {}
