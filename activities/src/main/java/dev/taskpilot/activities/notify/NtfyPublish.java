package dev.taskpilot.activities.notify;

import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A message in ntfy's publish protocol: a POST to {@code <server>/<topic>} whose body is the
 * message and whose headers carry the title, priority, tags, click target and, for an approval, two
 * {@code http} actions (https://docs.ntfy.sh/publish/).
 */
final class NtfyPublish {
  private static final int HIGH = 4;
  private static final int DEFAULT = 3;
  // ntfy keeps a message of up to 4,096 bytes; a longer body would become an attachment.
  private static final int MAX_MESSAGE_BYTES = 4_096;
  private static final String ELLIPSIS = "…";

  private NtfyPublish() {}

  static URI topicUrl(URI server, String topic) {
    String encoded = URLEncoder.encode(topic, StandardCharsets.UTF_8).replace("+", "%20");
    return URI.create(NotifySettings.withoutTrailingSlash(server.toString()) + "/" + encoded);
  }

  static HttpRequest request(
      URI topicUrl,
      ChannelNotification notification,
      URI click,
      @Nullable ApprovalLinks.Links links,
      @Nullable String bearerToken,
      Duration timeout) {
    String title = notification.title() == null ? "Taskpilot" : notification.title();
    String message = notification.message() == null ? "" : notification.message();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(topicUrl)
            .timeout(timeout)
            .header("Content-Type", "text/plain; charset=utf-8")
            .header("Title", HeaderText.of(title))
            .header("Priority", Integer.toString(priority(notification.event())))
            .header("Tags", tag(notification.event()))
            .header("Click", click.toString())
            .POST(HttpRequest.BodyPublishers.ofString(fit(message), StandardCharsets.UTF_8));
    if (links != null) {
      request.header("Actions", actions(links));
    }
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    return request.build();
  }

  /** The message, cut at a character boundary to what ntfy shows as a message. */
  static String fit(String message) {
    if (message.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_BYTES) {
      return message;
    }
    int budget = MAX_MESSAGE_BYTES - ELLIPSIS.getBytes(StandardCharsets.UTF_8).length;
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i < message.length(); ) {
      int codePoint = message.codePointAt(i);
      String character = new String(Character.toChars(codePoint));
      budget -= character.getBytes(StandardCharsets.UTF_8).length;
      if (budget < 0) {
        break;
      }
      kept.append(character);
      i += Character.charCount(codePoint);
    }
    return kept + ELLIPSIS;
  }

  /** ntfy's 1..5: high (4) when somebody has to act, default (3) otherwise. */
  static int priority(NotifyEvent event) {
    return switch (event) {
      case AWAITING_APPROVAL, WAITING_FOR_INPUT, FAILED -> HIGH;
      case PARKED, SUCCEEDED, CANCELLED, REJECTED -> DEFAULT;
    };
  }

  /** The emoji short code ntfy shows in front of the title. */
  static String tag(NotifyEvent event) {
    return switch (event) {
      case AWAITING_APPROVAL -> "raised_hand";
      case WAITING_FOR_INPUT -> "question";
      case PARKED -> "parking";
      case SUCCEEDED -> "white_check_mark";
      case FAILED -> "x";
      case CANCELLED -> "stop_sign";
      case REJECTED -> "no_entry";
    };
  }

  /** The Approve and Reject buttons, in the simple format of ntfy's {@code Actions} header. */
  static String actions(ApprovalLinks.Links links) {
    return "http, Approve, "
        + links.approve()
        + ", method=POST, clear=true; http, Reject, "
        + links.reject()
        + ", method=POST, clear=true";
  }
}
