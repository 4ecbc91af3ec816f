package dev.taskpilot.activities.notify;

import dev.taskpilot.activities.Redaction;
import dev.taskpilot.activities.notify.NotificationAudit.Outcome;
import dev.taskpilot.net.GuardedHttpClient;
import dev.taskpilot.net.TargetRefusedException;
import dev.taskpilot.store.TaskSecrets;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import io.micronaut.core.annotation.Nullable;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt to deliver one notification on one channel, audited; the Temporal-free core of {@link
 * NotifyActivitiesImpl#send}. Raises an {@link ApplicationFailure} of type {@link
 * ErrorType#NOTIFY_FAILED} when the attempt failed: non-retryable when retrying cannot help (a
 * refused address, a 4xx other than 408 and 429, a channel that cannot be used as configured).
 */
@Singleton
public class ChannelSender {
  private static final Logger log = LoggerFactory.getLogger(ChannelSender.class);
  private static final int MAX_BODY_IN_ERROR = 200;

  private final GuardedHttpClient http;
  private final NotifySettings settings;
  private final TaskSecrets secrets;
  private final ApprovalLinks approvalLinks;
  private final NotificationAudit audit;

  public ChannelSender(
      GuardedHttpClient http,
      NotifySettings settings,
      TaskSecrets secrets,
      ApprovalLinks approvalLinks,
      NotificationAudit audit) {
    this.http = http;
    this.settings = settings;
    this.secrets = secrets;
    this.approvalLinks = approvalLinks;
    this.audit = audit;
  }

  /** Why an attempt failed, and whether retrying can help. */
  private record Failure(boolean permanent, @Nullable Integer httpStatus, String error) {}

  /** A channel that cannot be used as it is configured; retrying does not help. */
  private static final class UnusableChannel extends RuntimeException {
    UnusableChannel(String message) {
      super(message);
    }
  }

  /**
   * Makes attempt number {@code attempt} and audits it.
   *
   * @param lastAttempt whether no attempt follows this one when it fails (audited GAVE_UP)
   */
  public void send(ChannelNotification notification, int attempt, boolean lastAttempt) {
    Redaction redaction = new Redaction();
    Failure failure;
    Integer httpStatus = null;
    try {
      HttpRequest request = request(notification, redaction);
      redaction.add(request.uri().toString());
      HttpResponse<String> response = http.send(request);
      httpStatus = response.statusCode();
      failure = judge(response, redaction);
    } catch (UnusableChannel e) {
      failure = new Failure(true, null, e.getMessage());
    } catch (TargetRefusedException e) {
      failure = new Failure(true, null, "address refused (" + e.reason() + ")");
    } catch (HttpTimeoutException e) {
      failure = new Failure(false, null, "no answer within " + settings.timeout());
    } catch (IOException | UncheckedIOException e) {
      failure = new Failure(false, null, describe(e, redaction));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = new Failure(false, null, "interrupted");
    } catch (RuntimeException e) {
      // The token store or the network layer failing: worth another attempt.
      failure = new Failure(false, null, describe(e, redaction));
    }
    String channel = NotificationAudit.label(notification.channel());
    NotifyEvent event = notification.event();
    if (failure == null) {
      audit.record(
          notification.taskId(),
          notification.channel(),
          event,
          attempt,
          Outcome.SENT,
          httpStatus,
          null);
      log.info("notified {} of task {} on {}", event, notification.taskId(), channel);
      return;
    }
    Outcome outcome = failure.permanent() || lastAttempt ? Outcome.GAVE_UP : Outcome.FAILED;
    audit.record(
        notification.taskId(),
        notification.channel(),
        event,
        attempt,
        outcome,
        failure.httpStatus(),
        failure.error());
    log.warn(
        "notifying {} of task {} on {} failed (attempt {}, {}): {}",
        event,
        notification.taskId(),
        channel,
        attempt,
        outcome,
        failure.error());
    String message = "notifying " + channel + " failed: " + failure.error();
    throw failure.permanent()
        ? ApplicationFailure.newNonRetryableFailure(message, ErrorType.NOTIFY_FAILED.name())
        : ApplicationFailure.newFailure(message, ErrorType.NOTIFY_FAILED.name());
  }

  private HttpRequest request(ChannelNotification notification, Redaction redaction) {
    URI click = settings.taskLink(notification.taskId());
    ApprovalLinks.Links links = null;
    if (notification.event() == NotifyEvent.AWAITING_APPROVAL && notification.gate() != null) {
      links = approvalLinks.issue(notification.taskId(), notification.gate());
      redaction.add(links.token());
    }
    return switch (notification.channel()) {
      case NotifyTarget.Ntfy ntfy -> {
        URI server = ntfy.server() == null ? settings.ntfyServer() : parse(ntfy.server());
        String token = bearerToken(notification.taskId(), ntfy, server);
        redaction.add(token);
        yield NtfyPublish.request(
            NtfyPublish.topicUrl(server, ntfy.topic()),
            notification,
            click,
            links,
            token,
            settings.timeout());
      }
      case NotifyTarget.Webhook webhook -> {
        String url =
            webhook.urlStored()
                ? secrets
                    .find(notification.taskId(), webhook.key())
                    .orElseThrow(() -> new UnusableChannel("no URL is stored for this channel"))
                : webhook.url();
        redaction.add(url);
        yield WebhookPost.request(parse(url), notification, click, links, settings.timeout());
      }
    };
  }

  /** The channel's own token when it has one, else the configured token of the default server. */
  private @Nullable String bearerToken(String taskId, NotifyTarget.Ntfy channel, URI server) {
    if (channel.authenticated()) {
      return secrets
          .find(taskId, channel.key())
          .orElseThrow(() -> new UnusableChannel("no access token is stored for this channel"));
    }
    return settings.isDefaultNtfyServer(server) ? settings.ntfyToken() : null;
  }

  private static URI parse(String url) {
    try {
      URI uri = URI.create(url);
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
          || uri.getHost() == null) {
        throw new UnusableChannel("the channel's URL is not an http(s) URL with a host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new UnusableChannel("the channel's URL is not a valid URL");
    }
  }

  private static @Nullable Failure judge(HttpResponse<String> response, Redaction redaction) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return null;
    }
    boolean permanent = status >= 400 && status < 500 && status != 408 && status != 429;
    String body = response.body() == null ? "" : response.body().strip().replaceAll("\\s+", " ");
    if (body.length() > MAX_BODY_IN_ERROR) {
      body = body.substring(0, MAX_BODY_IN_ERROR) + "…";
    }
    String error = "HTTP " + status + (body.isEmpty() ? "" : ": " + redaction.apply(body));
    return new Failure(permanent, status, error);
  }

  private static String describe(Exception e, Redaction redaction) {
    String message = e.getMessage();
    return e.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : ": " + redaction.apply(message));
  }
}
