package dev.taskpilot.activities.publish;

import dev.taskpilot.activities.Redaction;
import dev.taskpilot.store.PublicationRecord;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One target type's three steps, which {@link PublishLedger} runs in order and records: prepare
 * what to send, ask the target whether an earlier send arrived, send once.
 */
public sealed interface TargetPublisher<T extends PublishTarget>
    permits FilePublisher, WebhookPublisher, GitPublisher {

  /**
   * What this attempt sends, the same on every attempt for the same request: the exact bytes and
   * their hash, or the commit to push. Refuses a target that can never take it.
   */
  Payload prepare(PublishRequest request, T target, PublicationRecord row) throws DeliveryFailure;

  /** Asks the target whether the send recorded in {@code row} arrived. Never throws. */
  Reconciliation reconcile(PublishRequest request, T target, PublicationRecord row);

  /** Sends once, with the row's idempotency key. */
  Delivery send(PublishRequest request, T target, PublicationRecord row, Payload payload)
      throws DeliveryFailure;

  /** A target as failures and logs may name it: no query strings, no credentials. */
  String describe(T target);

  /**
   * What one attempt sends.
   *
   * @param content the exact bytes (file, webhook), or null (git)
   * @param contentHash the bytes' SHA-256, hex
   * @param commitSha the commit pushed (git)
   * @param note what the ledger's detail says about it, such as "no changes"
   */
  record Payload(byte[] content, String contentHash, String commitSha, String note) {}

  /**
   * A successful send.
   *
   * @param location where it landed: a file URI, a URL without query, {@code remote#branch@sha}
   * @param httpStatus the target's answer, when it was HTTP
   */
  record Delivery(String location, Integer httpStatus, String note) {}

  /** What a target said about an earlier send. */
  record Reconciliation(Verdict verdict, String location, String error) {
    /** The answer's kind. */
    public enum Verdict {
      /** The target has it, at {@code location}. */
      DELIVERED,
      /** The target does not have it. */
      NOT_DELIVERED,
      /** Asking failed; the send is repeated, which the target takes as the same delivery. */
      ASK_FAILED,
      /** The target cannot be asked (a webhook); it dedupes a repeated send by its key. */
      CANNOT_ASK
    }

    static Reconciliation delivered(String location) {
      return new Reconciliation(Verdict.DELIVERED, location, null);
    }

    static Reconciliation notDelivered() {
      return new Reconciliation(Verdict.NOT_DELIVERED, null, null);
    }

    static Reconciliation askFailed(String error) {
      return new Reconciliation(Verdict.ASK_FAILED, null, Redaction.text(error));
    }

    static Reconciliation cannotAsk() {
      return new Reconciliation(Verdict.CANNOT_ASK, null, null);
    }
  }

  /** Lower-case hex SHA-256 of the bytes. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
