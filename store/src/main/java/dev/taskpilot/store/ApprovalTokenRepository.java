package dev.taskpilot.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One-tap approval tokens, stored as their hashes only; see V4__publish_notify_approvals.sql. The
 * notifier adds them, the API looks them up and uses each at most once.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApprovalTokenRepository extends GenericRepository<ApprovalTokenRecord, String> {

  @Query(
      """
      INSERT INTO approval_tokens (token_hash, task_id, gate, created_at)
      VALUES (:tokenHash, :taskId, :gate, :createdAt)
      """)
  int add(String tokenHash, String taskId, int gate, Instant createdAt);

  Optional<ApprovalTokenRecord> findByTokenHash(String tokenHash);

  /** The highest gate number a link was made for, 0 when the task has none. */
  @Query("SELECT COALESCE(MAX(gate), 0) FROM approval_tokens WHERE task_id = :taskId")
  int lastGate(String taskId);

  /** A task's tokens for one gate, oldest first. */
  List<ApprovalTokenRecord> findByTaskIdAndGateOrderByCreatedAt(String taskId, int gate);

  /**
   * Marks an unused token used; returns 1 when this call used it, 0 when it was used already (or is
   * unknown).
   */
  @Query(
      """
      UPDATE approval_tokens SET used_at = :usedAt, used_for = :usedFor
       WHERE token_hash = :tokenHash AND used_at IS NULL
      """)
  int markUsed(String tokenHash, Instant usedAt, String usedFor);
}
