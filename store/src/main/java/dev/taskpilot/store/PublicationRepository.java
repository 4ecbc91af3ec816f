package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The publish ledger; see V4__publish_notify_approvals.sql. Every status change is a
 * compare-and-set on the status and the attempts counter the caller saw, so two workers never both
 * win one transition; an update that returns 0 lost the race and the caller reads the row again.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PublicationRepository extends GenericRepository<PublicationRecord, String> {

  /** Adds the PENDING row of a (task, target) unless it exists; 1 when it was added. */
  @Query(
      """
      INSERT INTO publications (task_id, target_key, target_type, status, attempts,
                                idempotency_key, created_at, updated_at)
      VALUES (:taskId, :targetKey, :targetType, 'PENDING', 0, :idempotencyKey, :now, :now)
      ON CONFLICT (task_id, target_key) DO NOTHING
      """)
  int insertIfAbsent(
      String taskId, String targetKey, String targetType, String idempotencyKey, Instant now);

  @Query("SELECT * FROM publications WHERE task_id = :taskId AND target_key = :targetKey")
  Optional<PublicationRecord> find(String taskId, String targetKey);

  /**
   * Takes the row for one send: SENDING, one more attempt, and what is being sent. 1 when the row
   * still had the expected status and attempts.
   */
  @Query(
      """
      UPDATE publications
         SET status = 'SENDING', attempts = attempts + 1, content_hash = :contentHash,
             commit_sha = :commitSha, detail = NULL, updated_at = :now
       WHERE task_id = :taskId AND target_key = :targetKey
         AND status = :expectedStatus AND attempts = :expectedAttempts
      """)
  int claim(
      String taskId,
      String targetKey,
      String expectedStatus,
      int expectedAttempts,
      @Nullable String contentHash,
      @Nullable String commitSha,
      Instant now);

  /** Marks the row DELIVERED; 1 when it still had the expected status and attempts. */
  @Query(
      """
      UPDATE publications
         SET status = 'DELIVERED', location = :location, detail = :detail,
             content_hash = COALESCE(:contentHash, content_hash),
             commit_sha = COALESCE(:commitSha, commit_sha),
             delivered_at = :now, updated_at = :now
       WHERE task_id = :taskId AND target_key = :targetKey
         AND status = :expectedStatus AND attempts = :expectedAttempts
      """)
  int markDelivered(
      String taskId,
      String targetKey,
      String expectedStatus,
      int expectedAttempts,
      String location,
      @Nullable String contentHash,
      @Nullable String commitSha,
      @Nullable String detail,
      Instant now);

  /**
   * Marks the row FAILED or UNKNOWN with why; 1 when it still had the expected status and attempts.
   */
  @Query(
      """
      UPDATE publications SET status = :status, detail = :detail, updated_at = :now
       WHERE task_id = :taskId AND target_key = :targetKey
         AND status = :expectedStatus AND attempts = :expectedAttempts
      """)
  int markUndelivered(
      String taskId,
      String targetKey,
      String expectedStatus,
      int expectedAttempts,
      String status,
      @Nullable String detail,
      Instant now);

  @Query(
      """
      INSERT INTO publication_attempts (task_id, target_key, attempt, action, outcome,
                                        http_status, error, started_at, ended_at)
      VALUES (:taskId, :targetKey, :attempt, :action, :outcome, :httpStatus, :error,
              :startedAt, :endedAt)
      """)
  int recordAttempt(
      String taskId,
      String targetKey,
      int attempt,
      String action,
      String outcome,
      @Nullable Integer httpStatus,
      @Nullable String error,
      Instant startedAt,
      Instant endedAt);

  /** A task's ledger rows, by target key. */
  @Query("SELECT * FROM publications WHERE task_id = :taskId ORDER BY target_key")
  List<PublicationRecord> findRows(String taskId);

  /** A task's attempts on every target, oldest first. */
  @Query("SELECT * FROM publication_attempts WHERE task_id = :taskId ORDER BY id")
  List<PublicationAttemptRecord> findAttempts(String taskId);

  /** A (task, target)'s attempts, oldest first. */
  @Query(
      """
      SELECT * FROM publication_attempts WHERE task_id = :taskId AND target_key = :targetKey
       ORDER BY id
      """)
  List<PublicationAttemptRecord> findAttempts(String taskId, String targetKey);

  /** A task's ledger rows by target key, each with its attempts oldest first. */
  default List<PublicationWithAttempts> findByTask(String taskId) {
    Map<String, List<PublicationAttemptRecord>> byTarget = new LinkedHashMap<>();
    for (PublicationAttemptRecord attempt : findAttempts(taskId)) {
      byTarget.computeIfAbsent(attempt.targetKey(), key -> new ArrayList<>()).add(attempt);
    }
    return findRows(taskId).stream()
        .map(
            row ->
                new PublicationWithAttempts(row, byTarget.getOrDefault(row.targetKey(), List.of())))
        .toList();
  }
}
