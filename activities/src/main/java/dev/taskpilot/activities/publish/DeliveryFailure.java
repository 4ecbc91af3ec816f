package dev.taskpilot.activities.publish;

import dev.taskpilot.activities.Redaction;
import dev.taskpilot.store.PublicationStatus;
import dev.taskpilot.workflows.ErrorType;
import io.temporal.failure.ApplicationFailure;

/**
 * A send that did not deliver: definitely not ({@link PublicationStatus#FAILED}) or maybe ({@link
 * PublicationStatus#UNKNOWN}), for good or worth retrying. Its message is safe to store and show:
 * no secrets, no query strings.
 */
public final class DeliveryFailure extends Exception {
  private final PublicationStatus outcome;
  private final boolean retryable;
  private final Integer httpStatus;

  private DeliveryFailure(
      PublicationStatus outcome, boolean retryable, Integer httpStatus, String message) {
    super(Redaction.text(message), null, false, false);
    this.outcome = outcome;
    this.retryable = retryable;
    this.httpStatus = httpStatus;
  }

  /** The target can never take it: not delivered, not retried. */
  public static DeliveryFailure refused(String message) {
    return new DeliveryFailure(PublicationStatus.FAILED, false, null, message);
  }

  /** Not delivered, and a later attempt may succeed. */
  public static DeliveryFailure failed(String message) {
    return new DeliveryFailure(PublicationStatus.FAILED, true, null, message);
  }

  /** Maybe delivered: the next attempt reconciles before it sends again. */
  public static DeliveryFailure unknown(String message) {
    return new DeliveryFailure(PublicationStatus.UNKNOWN, true, null, message);
  }

  /** A target's HTTP answer other than 2xx: 408, 429 and 5xx are retried, the rest refuse. */
  public static DeliveryFailure httpStatus(int status) {
    boolean retryable = status == 408 || status == 429 || status >= 500;
    return new DeliveryFailure(PublicationStatus.FAILED, retryable, status, "HTTP " + status);
  }

  public PublicationStatus outcome() {
    return outcome;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The target's HTTP status, or null when there was no answer. */
  public Integer httpStatus() {
    return httpStatus;
  }

  /** The {@code PUBLISH_FAILED} failure the activity raises, non-retryable unless retryable. */
  ApplicationFailure toApplicationFailure(String target) {
    String message = "publishing to " + target + " failed: " + getMessage();
    return retryable
        ? ApplicationFailure.newFailure(message, ErrorType.PUBLISH_FAILED.name())
        : ApplicationFailure.newNonRetryableFailure(message, ErrorType.PUBLISH_FAILED.name());
  }
}
