package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A one-tap approval link's token, known only by its SHA-256 ({@link ApprovalTokenHash}), for one
 * approval gate of one task; {@code usedAt} and {@code usedFor} ({@code approve} or {@code reject})
 * are set when it was used.
 */
@MappedEntity("approval_tokens")
public record ApprovalTokenRecord(
    @Id String tokenHash,
    String taskId,
    int gate,
    Instant createdAt,
    @Nullable Instant usedAt,
    @Nullable String usedFor) {}
