package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * An API token, known only by its SHA-256 ({@link ApprovalTokenHash} hashes it the same way); see
 * V8__api_tokens.sql. {@code role} is {@code admin}, {@code operator} or {@code viewer}.
 */
@MappedEntity("api_tokens")
public record ApiTokenRecord(
    @Id String id,
    String tokenHash,
    String owner,
    String role,
    Instant createdAt,
    @Nullable Instant lastUsedAt,
    @Nullable Instant expiresAt,
    @Nullable Instant revokedAt) {

  /** Whether the token may be used at {@code now}: not revoked and not expired. */
  public boolean isActive(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }
}
