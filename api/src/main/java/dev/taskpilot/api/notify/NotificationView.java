package dev.taskpilot.api.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * One attempt to notify one channel: {@code outcome} is {@code SENT}, {@code FAILED} (another
 * attempt followed) or {@code GAVE_UP}; {@code channel} is the channel without anything secret.
 */
@Serdeable
public record NotificationView(
    String channel,
    String event,
    int attempt,
    String outcome,
    @Nullable Integer httpStatus,
    @Nullable String error,
    Instant at) {

  /** A task's attempts, oldest first. */
  @Serdeable
  public record Items(List<NotificationView> items) {}
}
