package dev.taskpilot.api.tasks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A task's state as its workflow knows it this moment (the {@code state} Query), with the
 * projection version it corresponds to.
 */
@Serdeable
public record LiveStateView(
    String id,
    String status,
    @Nullable String statusReason,
    int priority,
    @Nullable Instant notBefore,
    @Nullable String waitingAt,
    long version,
    Instant updatedAt) {}
