package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.net.OutboundGuard;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Maps a request's notify channels: ntfy topics and chat webhooks, whose URL is a secret. */
final class ChannelMapper {
  private static final Pattern NTFY_TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final OutboundGuard guard;
  private final String defaultNtfyServer;

  ChannelMapper(OutboundGuard guard, String defaultNtfyServer) {
    this.guard = guard;
    this.defaultNtfyServer = RequestChecks.stripSlash(defaultNtfyServer);
  }

  List<NotifyTarget> map(List<CreateTaskRequest.Channel> channels, MappedSecrets secrets) {
    if (channels == null) {
      return List.of();
    }
    List<NotifyTarget> result = new ArrayList<>();
    for (CreateTaskRequest.Channel channel : channels) {
      List<NotifyEvent> events = events(channel.events());
      NotifyTarget mapped =
          switch (channel.type()) {
            case "ntfy" -> {
              RequestChecks.onlyFields("ntfy channel", channel.url(), "url", null, null);
              String topic = channel.topic();
              if (topic == null || !NTFY_TOPIC.matcher(topic).matches()) {
                throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    "an ntfy topic must be 1-64 letters, digits, '-' or '_': '" + topic + "'");
              }
              String server =
                  channel.server() == null
                      ? defaultNtfyServer
                      : RequestChecks.stripSlash(channel.server());
              RequestChecks.checkedUrl(guard, "ntfy server", server);
              NotifyTarget.Ntfy ntfy =
                  new NotifyTarget.Ntfy(server, topic, channel.token() != null, events);
              secrets.put(ntfy.key(), channel.token());
              yield ntfy;
            }
            case "webhook" -> {
              RequestChecks.onlyFields(
                  "webhook channel", channel.topic(), "topic", channel.server(), "server");
              RequestChecks.onlyFields("webhook channel", channel.token(), "token", null, null);
              String url = RequestChecks.checkedUrl(guard, "webhook url", channel.url());
              // Chat webhooks carry their credential in the path: the URL itself is a secret.
              NotifyTarget.Webhook webhook = new NotifyTarget.Webhook(shownUrl(url), events, true);
              secrets.put(webhook.key(), url);
              yield webhook;
            }
            default ->
                throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    "unknown notify channel type '" + channel.type() + "' (ntfy, webhook)");
          };
      result.add(mapped);
    }
    if (result.stream().map(NotifyTarget::key).distinct().count() != result.size()) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "notify channels must be distinct");
    }
    return result;
  }

  private static List<NotifyEvent> events(List<String> names) {
    if (names == null) {
      return NotifyEvent.DEFAULTS;
    }
    if (names.isEmpty()) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "events must name at least one of " + List.of(NotifyEvent.values()));
    }
    List<NotifyEvent> events = new ArrayList<>();
    for (String name : names) {
      try {
        NotifyEvent event = NotifyEvent.valueOf(name);
        if (!events.contains(event)) {
          events.add(event);
        }
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new ApiException(
            ErrorCode.VALIDATION_FAILED,
            "unknown event '" + name + "'; events are " + List.of(NotifyEvent.values()));
      }
    }
    return events;
  }

  /**
   * What the workflow and the audit may show of a URL that is a secret: scheme, host, port and the
   * first path segment, then a hash of the whole that tells two such URLs apart.
   */
  static String shownUrl(String url) {
    URI uri = URI.create(url);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int second = path.indexOf('/', 1);
    String first = second < 0 ? path : path.substring(0, second);
    return uri.getScheme()
        + "://"
        + uri.getRawAuthority()
        + first
        + (path.length() > first.length() || uri.getRawQuery() != null ? "/…" : "")
        + "#"
        + PublishTarget.shortHash(url);
  }
}
