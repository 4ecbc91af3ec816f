package dev.taskpilot.activities.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A message for a Slack-compatible incoming webhook: a POST of {@code {"text": "<title>: <message>
 * <link>"}}, followed by the approve and reject links of an approval.
 */
final class WebhookPost {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookPost() {}

  /** The JSON body; Slack, Mattermost, Rocket.Chat and Discord's Slack endpoint all read it. */
  record Body(String text) {}

  static HttpRequest request(
      URI url,
      ChannelNotification notification,
      URI click,
      @Nullable ApprovalLinks.Links links,
      Duration timeout) {
    String body;
    try {
      body = JSON.writeValueAsString(new Body(text(notification, click, links)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a record of one string is always JSON", e);
    }
    return HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
  }

  static String text(
      ChannelNotification notification, URI click, @Nullable ApprovalLinks.Links links) {
    String title = notification.title() == null ? "Taskpilot" : notification.title();
    String message = notification.message() == null ? "" : notification.message();
    String text = title + ": " + message + " " + click;
    if (links == null) {
      return text;
    }
    // POST links: a link preview fetching them (a GET) must not decide anything.
    return text + "\nApprove (POST): " + links.approve() + "\nReject (POST): " + links.reject();
  }
}
