package dev.taskpilot.api.publish;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * One (task, target) in the publish ledger, with why for every attempt.
 *
 * @param target the target's key, e.g. {@code webhook:https://…} or {@code git:<remote>#<branch>}
 * @param status {@code PENDING}, {@code SENDING}, {@code DELIVERED}, {@code FAILED} or {@code
 *     UNKNOWN}
 * @param attempts how many sends were claimed
 */
@Serdeable
public record PublicationView(
    String target,
    String type,
    String status,
    int attempts,
    @Nullable String location,
    @Nullable String detail,
    @Nullable Instant deliveredAt,
    Instant createdAt,
    Instant updatedAt,
    List<Attempt> history) {

  /** One send, reconciliation or skip. */
  @Serdeable
  public record Attempt(
      int attempt,
      String action,
      String outcome,
      @Nullable Integer httpStatus,
      @Nullable String error,
      Instant startedAt,
      Instant endedAt) {}

  /** The ledger of one task. */
  @Serdeable
  public record Page(List<PublicationView> items) {}
}
