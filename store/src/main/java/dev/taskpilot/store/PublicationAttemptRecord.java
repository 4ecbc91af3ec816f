package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One attempt at one (task, target): a send, a reconciliation with the target, or a skip because it
 * was delivered already.
 *
 * @param attempt the activity attempt it belonged to
 * @param action {@code SEND}, {@code RECONCILE} or {@code SKIP}
 * @param outcome {@code DELIVERED}, {@code FAILED}, {@code UNKNOWN}, {@code NOT_DELIVERED} or
 *     {@code ALREADY_DELIVERED}
 * @param error why it failed, free of secrets and query strings
 */
@MappedEntity("publication_attempts")
public record PublicationAttemptRecord(
    @Id @GeneratedValue @Nullable Long id,
    String taskId,
    String targetKey,
    int attempt,
    String action,
    String outcome,
    @Nullable Integer httpStatus,
    @Nullable String error,
    Instant startedAt,
    Instant endedAt) {}
