package dev.taskpilot.store;

import java.util.List;

/** A publish ledger row with its attempts, oldest first. */
public record PublicationWithAttempts(
    PublicationRecord publication, List<PublicationAttemptRecord> attempts) {
  public PublicationWithAttempts {
    attempts = List.copyOf(attempts);
  }
}
