package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One row of the publish ledger: one (task, target). {@code attempts} counts the sends claimed so
 * far and doubles as the row's version in compare-and-set updates.
 */
@MappedEntity("publications")
public record PublicationRecord(
    @Id String taskId,
    String targetKey,
    String targetType,
    String status,
    int attempts,
    String idempotencyKey,
    @Nullable String contentHash,
    @Nullable String commitSha,
    @Nullable String location,
    @Nullable String detail,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant deliveredAt) {

  /** The status as the enum. */
  public PublicationStatus publicationStatus() {
    return PublicationStatus.valueOf(status);
  }
}
