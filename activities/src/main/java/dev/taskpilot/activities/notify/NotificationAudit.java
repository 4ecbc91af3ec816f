package dev.taskpilot.activities.notify;

import dev.taskpilot.store.NotificationRecord;
import dev.taskpilot.store.NotificationRepository;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Writes one audit row per attempt on one channel, with nothing secret in it. */
@Singleton
public class NotificationAudit {
  private static final int MAX_ERROR = 500;

  /** What became of an attempt. */
  public enum Outcome {
    SENT,
    /** Failed; another attempt follows. */
    FAILED,
    /** Failed, and no attempt follows: the last one, or a failure retrying cannot mend. */
    GAVE_UP
  }

  private final NotificationRepository rows;
  private final MeterRegistry meters;

  public NotificationAudit(NotificationRepository rows, MeterRegistry meters) {
    this.rows = rows;
    this.meters = meters;
  }

  public void record(
      String taskId,
      NotifyTarget channel,
      NotifyEvent event,
      int attempt,
      Outcome outcome,
      @Nullable Integer httpStatus,
      @Nullable String error) {
    Counter.builder("taskpilot.notify.attempts")
        .description("Notification attempts by channel type, event and outcome")
        .tags(
            "channel",
            channel.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT),
            "event",
            event.name(),
            "outcome",
            outcome.name())
        .register(meters)
        .increment();
    rows.save(
        new NotificationRecord(
            null,
            taskId,
            label(channel),
            event.name(),
            attempt,
            outcome.name(),
            httpStatus,
            error == null ? null : truncate(error),
            Instant.now().truncatedTo(ChronoUnit.MICROS)));
  }

  /**
   * The channel's key as the audit and logs show it: without credentials, query or fragment, and a
   * webhook without its path past the first segment (Slack-style URLs carry their secret there).
   */
  public static String label(NotifyTarget channel) {
    return switch (channel) {
      case NotifyTarget.Ntfy ntfy ->
          "ntfy:"
              + (ntfy.server() == null ? "(default server)" : redact(ntfy.server(), false))
              + "/"
              + ntfy.topic();
      case NotifyTarget.Webhook webhook -> "webhook:" + redact(webhook.url(), true);
    };
  }

  private static String redact(String url, boolean hidePath) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return "(invalid URL)";
    }
    if (uri.getScheme() == null || uri.getRawAuthority() == null) {
      return "(invalid URL)";
    }
    String host = uri.getHost() == null ? "?" : uri.getHost();
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (hidePath) {
      int second = path.indexOf('/', 1);
      path = second < 0 || second == path.length() - 1 ? path : path.substring(0, second) + "/***";
    }
    return uri.getScheme() + "://" + host + port + NotifySettings.withoutTrailingSlash(path);
  }

  private static String truncate(String error) {
    return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
  }
}
