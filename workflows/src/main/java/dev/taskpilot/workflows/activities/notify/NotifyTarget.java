package dev.taskpilot.workflows.activities.notify;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A notification channel a task names, with the events it hears about. Secrets (an ntfy access
 * token) never travel in here: the API stores them in PostgreSQL under the channel's {@link
 * #key()}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = NotifyTarget.Ntfy.class, name = "ntfy"),
  @JsonSubTypes.Type(value = NotifyTarget.Webhook.class, name = "webhook")
})
public sealed interface NotifyTarget {

  /** A stable key of this channel within its task: the audit's channel name, a secret's name. */
  String key();

  /** The events this channel hears about. */
  List<NotifyEvent> events();

  /**
   * An ntfy topic: a POST to {@code <server>/<topic>} following ntfy's publish protocol.
   *
   * @param server the ntfy server's base URL
   * @param topic the topic
   * @param authenticated whether an access token is stored for this channel
   */
  record Ntfy(String server, String topic, boolean authenticated, List<NotifyEvent> events)
      implements NotifyTarget {
    public Ntfy {
      events = events == null ? NotifyEvent.DEFAULTS : List.copyOf(events);
    }

    @Override
    public String key() {
      return "ntfy:" + server + "/" + topic;
    }
  }

  /**
   * A Slack-compatible incoming webhook: a POST of {@code {"text": …}}.
   *
   * @param url the URL, or, when {@code urlStored}, only its shown form (scheme, host, first path
   *     segment and a hash): such URLs carry their credential in the path, so the API stores the
   *     real one in PostgreSQL under {@link #key()} and the notifier reads it from there
   */
  record Webhook(String url, List<NotifyEvent> events, boolean urlStored) implements NotifyTarget {
    public Webhook {
      events = events == null ? NotifyEvent.DEFAULTS : List.copyOf(events);
    }

    /** A webhook whose URL travels as is. */
    public Webhook(String url, List<NotifyEvent> events) {
      this(url, events, false);
    }

    @Override
    public String key() {
      return "webhook:" + url;
    }
  }
}
