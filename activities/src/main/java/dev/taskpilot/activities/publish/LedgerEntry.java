package dev.taskpilot.activities.publish;

import dev.taskpilot.activities.Redaction;
import dev.taskpilot.store.PublicationRecord;
import dev.taskpilot.store.PublicationRepository;
import dev.taskpilot.store.PublicationStatus;
import dev.taskpilot.workflows.activities.publish.Publication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;

/**
 * One (task, target) in the publish ledger as one call sees it: its row's compare-and-set
 * transitions, each true when this call won it, and the attempt rows the call writes.
 */
final class LedgerEntry {
  /** What an attempt row says was done. */
  enum Action {
    SEND,
    RECONCILE,
    SKIP
  }

  private final PublicationRepository rows;
  private final String taskId;
  private final String targetKey;
  private final int attempt;
  private final String description;
  private final MeterRegistry meters;
  private final String targetType;

  LedgerEntry(
      PublicationRepository rows,
      String taskId,
      String targetKey,
      int attempt,
      String description,
      MeterRegistry meters,
      String targetType) {
    this.meters = meters;
    this.targetType = targetType;
    this.rows = rows;
    this.taskId = taskId;
    this.targetKey = targetKey;
    this.attempt = attempt;
    this.description = description;
  }

  /** The target as failures name it. */
  String description() {
    return description;
  }

  /** Adds the PENDING row unless there is one. */
  void open(String targetType, String idempotencyKey) {
    rows.insertIfAbsent(taskId, targetKey, targetType, idempotencyKey, Instant.now());
  }

  PublicationRecord read() {
    return rows.find(taskId, targetKey)
        .orElseThrow(
            () -> new IllegalStateException("the ledger row of " + description + " vanished"));
  }

  /** {@code seen -> SENDING} with what this call sends. */
  boolean claim(PublicationRecord seen, String contentHash, String commitSha) {
    return rows.claim(
            taskId,
            targetKey,
            seen.status(),
            seen.attempts(),
            contentHash,
            commitSha,
            Instant.now())
        == 1;
  }

  /** {@code (status, attempts) -> DELIVERED}; null hashes keep the recorded ones. */
  boolean delivered(
      String status,
      int attempts,
      String location,
      String contentHash,
      String commitSha,
      String detail) {
    return rows.markDelivered(
            taskId,
            targetKey,
            status,
            attempts,
            location,
            contentHash,
            commitSha,
            Redaction.text(detail),
            Instant.now())
        == 1;
  }

  /** {@code (status, attempts) -> FAILED | UNKNOWN}. */
  boolean undelivered(String status, int attempts, PublicationStatus outcome, String detail) {
    return rows.markUndelivered(
            taskId,
            targetKey,
            status,
            attempts,
            outcome.name(),
            Redaction.text(detail),
            Instant.now())
        == 1;
  }

  /** Writes one attempt row ending now. */
  void record(Action action, String outcome, Integer httpStatus, String error, Instant started) {
    Counter.builder("taskpilot.publish.steps")
        .description("Publication steps (send, reconcile, skip) by target type and outcome")
        .tags("type", targetType, "action", action.name(), "outcome", outcome)
        .register(meters)
        .increment();
    rows.recordAttempt(
        taskId,
        targetKey,
        attempt,
        action.name(),
        outcome,
        httpStatus,
        Redaction.text(error),
        started,
        Instant.now());
  }

  static Publication publication(PublicationRecord row) {
    return new Publication(row.targetKey(), row.location(), row.deliveredAt());
  }
}
