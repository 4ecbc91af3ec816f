package dev.taskpilot.activities.notify;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;

/**
 * Notification settings: {@code taskpilot.public-url} (the base of links in notifications), {@code
 * taskpilot.notify.ntfy.server} and {@code .token} (the default ntfy server and the access token
 * used for it), {@code taskpilot.notify.timeout} (one HTTP attempt's limit).
 */
@Singleton
public record NotifySettings(
    URI publicUrl, URI ntfyServer, @Nullable String ntfyToken, Duration timeout) {

  @Inject
  public NotifySettings(
      @Value("${taskpilot.public-url:`http://localhost:8080`}") String publicUrl,
      @Value("${taskpilot.notify.ntfy.server:`https://ntfy.sh`}") String ntfyServer,
      @Nullable @Value("${taskpilot.notify.ntfy.token:}") String ntfyToken,
      @Value("${taskpilot.notify.timeout:PT10S}") Duration timeout) {
    this(
        URI.create(withoutTrailingSlash(publicUrl)),
        URI.create(withoutTrailingSlash(ntfyServer)),
        ntfyToken == null || ntfyToken.isBlank() ? null : ntfyToken,
        timeout);
  }

  /**
   * The task's page in the dashboard, the target of a notification's click: a person who taps it
   * (on a phone, mostly) gets the task with its buttons, not the API's JSON, which needs a token.
   */
  public URI taskLink(String taskId) {
    return URI.create(publicUrl + "/#/tasks/" + taskId);
  }

  /** Whether {@code server} is the configured default ntfy server, whose token applies to it. */
  public boolean isDefaultNtfyServer(URI server) {
    return sameServer(ntfyServer, server);
  }

  static String withoutTrailingSlash(String url) {
    String trimmed = url.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }

  private static boolean sameServer(URI a, URI b) {
    return a.getScheme() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b)
        && withoutTrailingSlash(String.valueOf(a.getRawPath()))
            .equals(withoutTrailingSlash(String.valueOf(b.getRawPath())));
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  @Override
  public String toString() {
    return "NotifySettings[publicUrl="
        + publicUrl
        + ", ntfyServer="
        + ntfyServer
        + ", ntfyToken="
        + (ntfyToken == null ? "none" : "***")
        + ", timeout="
        + timeout
        + "]";
  }
}
