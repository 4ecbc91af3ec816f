package dev.taskpilot.activities.publish;

import dev.taskpilot.activities.publish.LedgerEntry.Action;
import dev.taskpilot.activities.publish.TargetPublisher.Delivery;
import dev.taskpilot.activities.publish.TargetPublisher.Payload;
import dev.taskpilot.activities.publish.TargetPublisher.Reconciliation;
import dev.taskpilot.store.PublicationRecord;
import dev.taskpilot.store.PublicationRepository;
import dev.taskpilot.store.PublicationStatus;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.activities.publish.Publication;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a result to one target at most once through the publish ledger: a DELIVERED row is never
 * sent again, a SENDING or UNKNOWN one is reconciled with the target before anything is resent, and
 * every attempt is recorded. Safe to call concurrently for the same (task, target) from any number
 * of workers: each transition is a compare-and-set on the row's status and attempts, and a call
 * that loses one reads the row again.
 */
@Singleton
public class PublishLedger {
  /** Rounds one call takes at most; every lost race means another call made progress. */
  private static final int MAX_ROUNDS = 32;

  private static final Logger log = LoggerFactory.getLogger(PublishLedger.class);

  private final PublicationRepository rows;
  private final MeterRegistry meters;

  public PublishLedger(PublicationRepository rows, MeterRegistry meters) {
    this.rows = rows;
    this.meters = meters;
  }

  /** The Idempotency-Key of a (task, target): the same on every retry and every worker. */
  public static String idempotencyKey(String taskId, String targetKey) {
    String name = "taskpilot-publication\n" + taskId + "\n" + targetKey;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * Delivers the request to its target unless the ledger says the target has it.
   *
   * @param attempt the activity attempt, recorded with every step
   * @throws ApplicationFailure {@code PUBLISH_FAILED}, non-retryable when the target can never take
   *     the result
   */
  public <T extends PublishTarget> Publication publish(
      PublishRequest request, T target, int attempt, TargetPublisher<T> publisher) {
    LedgerEntry entry =
        new LedgerEntry(
            rows,
            request.taskId(),
            target.key(),
            attempt,
            publisher.describe(target),
            meters,
            target.type());
    entry.open(target.type(), idempotencyKey(request.taskId(), target.key()));
    for (int round = 0; round < MAX_ROUNDS; round++) {
      PublicationRecord row = entry.read();
      Instant started = Instant.now();
      switch (row.publicationStatus()) {
        case DELIVERED -> {
          entry.record(Action.SKIP, "ALREADY_DELIVERED", null, null, started);
          return LedgerEntry.publication(row);
        }
        case SENDING, UNKNOWN -> {
          Reconciliation answer = reconcile(publisher, request, target, row);
          if (answer.verdict() != Reconciliation.Verdict.CANNOT_ASK) {
            entry.record(Action.RECONCILE, answer.verdict().name(), null, answer.error(), started);
          }
          if (answer.verdict() == Reconciliation.Verdict.DELIVERED) {
            if (entry.delivered(
                row.status(), row.attempts(), answer.location(), null, null, "reconciled")) {
              return LedgerEntry.publication(entry.read());
            }
            continue;
          }
        }
        case PENDING, FAILED -> {}
      }
      Payload payload = prepare(entry, publisher, request, target, row, started);
      if (entry.claim(row, payload.contentHash(), payload.commitSha())) {
        return send(entry, publisher, request, target, row, payload, started);
      }
    }
    throw ApplicationFailure.newFailure(
        "publishing to " + entry.description() + " kept losing to concurrent attempts",
        ErrorType.PUBLISH_FAILED.name());
  }

  /** What to send; a failure marks the row FAILED, is recorded and raised. */
  private <T extends PublishTarget> Payload prepare(
      LedgerEntry entry,
      TargetPublisher<T> publisher,
      PublishRequest request,
      T target,
      PublicationRecord row,
      Instant started) {
    DeliveryFailure failure;
    try {
      return publisher.prepare(request, target, row);
    } catch (DeliveryFailure refused) {
      failure = refused;
    } catch (RuntimeException e) {
      log.warn("preparing {} failed", entry.description(), e);
      failure = DeliveryFailure.failed("could not prepare: " + e);
    }
    entry.undelivered(row.status(), row.attempts(), PublicationStatus.FAILED, failure.getMessage());
    entry.record(Action.SEND, failure.outcome().name(), null, failure.getMessage(), started);
    throw failure.toApplicationFailure(entry.description());
  }

  /** Sends under the claim just won and records how it went. */
  private <T extends PublishTarget> Publication send(
      LedgerEntry entry,
      TargetPublisher<T> publisher,
      PublishRequest request,
      T target,
      PublicationRecord row,
      Payload payload,
      Instant started) {
    String sending = PublicationStatus.SENDING.name();
    int claim = row.attempts() + 1;
    Delivery delivery;
    try {
      delivery = publisher.send(request, target, row, payload);
    } catch (DeliveryFailure failure) {
      entry.undelivered(sending, claim, failure.outcome(), failure.getMessage());
      entry.record(
          Action.SEND,
          failure.outcome().name(),
          failure.httpStatus(),
          failure.getMessage(),
          started);
      throw failure.toApplicationFailure(entry.description());
    } catch (RuntimeException e) {
      // Something unforeseen while sending: the target may have it, so reconcile next time.
      log.warn("publishing to {} ended unexpectedly", entry.description(), e);
      DeliveryFailure failure = DeliveryFailure.unknown("unexpected: " + e);
      entry.undelivered(sending, claim, PublicationStatus.UNKNOWN, failure.getMessage());
      entry.record(Action.SEND, failure.outcome().name(), null, failure.getMessage(), started);
      throw failure.toApplicationFailure(entry.description());
    }
    entry.record(
        Action.SEND, PublicationStatus.DELIVERED.name(), delivery.httpStatus(), null, started);
    String detail = delivery.note() != null ? delivery.note() : payload.note();
    String status = sending;
    int attempts = claim;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      boolean won =
          entry.delivered(
              status,
              attempts,
              delivery.location(),
              payload.contentHash(),
              payload.commitSha(),
              detail);
      PublicationRecord now = entry.read();
      if (won || now.publicationStatus() == PublicationStatus.DELIVERED) {
        return LedgerEntry.publication(now);
      }
      // Another call took the row over meanwhile; what this one delivered stands all the same.
      status = now.status();
      attempts = now.attempts();
    }
    return new Publication(target.key(), delivery.location(), Instant.now());
  }

  private static <T extends PublishTarget> Reconciliation reconcile(
      TargetPublisher<T> publisher, PublishRequest request, T target, PublicationRecord row) {
    try {
      return publisher.reconcile(request, target, row);
    } catch (RuntimeException e) {
      return Reconciliation.askFailed(e.toString());
    }
  }
}
