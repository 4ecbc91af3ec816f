package dev.taskpilot.store;

/**
 * Where one (task, target) stands in the publish ledger: {@code PENDING -> SENDING -> DELIVERED |
 * FAILED | UNKNOWN}; FAILED and UNKNOWN go back to SENDING on the next attempt.
 */
public enum PublicationStatus {
  /** Recorded, nothing sent yet. */
  PENDING,
  /** A worker is sending, or died while it was. */
  SENDING,
  /** The target has it; never sent again. */
  DELIVERED,
  /** Definitely not delivered. */
  FAILED,
  /** The last send may or may not have arrived; reconciled before anything is resent. */
  UNKNOWN
}
