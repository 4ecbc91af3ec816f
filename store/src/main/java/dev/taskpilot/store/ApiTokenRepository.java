package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API tokens, stored as their hashes only; see V8__api_tokens.sql. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApiTokenRepository extends GenericRepository<ApiTokenRecord, String> {

  @Query(
      """
      INSERT INTO api_tokens (id, token_hash, owner, role, created_at, expires_at)
      VALUES (:id, :tokenHash, :owner, :role, :createdAt, :expiresAt)
      """)
  int add(
      String id,
      String tokenHash,
      String owner,
      String role,
      Instant createdAt,
      @Nullable Instant expiresAt);

  /**
   * Waits for the transaction-scoped advisory lock that serialises bootstrap-token checks, so two
   * processes starting at once on one database add one bootstrap token. Call inside a transaction.
   */
  @Query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7313001)) AS locked")
  int lockForBootstrap();

  Optional<ApiTokenRecord> findByTokenHash(String tokenHash);

  Optional<ApiTokenRecord> findById(String id);

  /** Every token, oldest first. */
  @Query("SELECT * FROM api_tokens ORDER BY created_at, id")
  List<ApiTokenRecord> findAllOldestFirst();

  /** Whether any token exists, revoked and expired ones included. */
  @Query("SELECT EXISTS (SELECT 1 FROM api_tokens)")
  boolean anyExists();

  /** Records a use, unless one at or after {@code notAfter} is recorded already. */
  @Query(
      """
      UPDATE api_tokens SET last_used_at = :usedAt
       WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :notAfter)
      """)
  int touch(String id, Instant usedAt, Instant notAfter);

  /** Revokes a token; returns 0 when it is unknown or was revoked already. */
  @Query("UPDATE api_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
  int revoke(String id, Instant at);
}
