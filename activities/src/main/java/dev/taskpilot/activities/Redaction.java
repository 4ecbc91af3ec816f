package dev.taskpilot.activities;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of what leaves an activity: the publish ledger, the notification audit,
 * failures and the log. Statically, by rule: URLs lose their user info, query and fragment, and
 * long texts are cut. As an instance, by name: the secrets one attempt handles (an access token, an
 * approval token, a URL that may carry one) are replaced by {@code ***}.
 */
public final class Redaction {
  private static final int MAX_LENGTH = 500;
  private static final Pattern URL =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)(?:[^\\s/?#@]*@)?([^\\s?#]*)(?:[?#]\\S*)?");

  private final List<String> secrets = new ArrayList<>();

  /** A URL without user info, query or fragment; the text cleaned when it is not a URI. */
  public static String url(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getRawAuthority() == null) {
        return text(url);
      }
      String host = uri.getHost() == null ? "" : uri.getHost();
      if (host.contains(":") && !host.startsWith("[")) {
        host = "[" + host + "]";
      }
      String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      return uri.getScheme() + "://" + host + port + path;
    } catch (URISyntaxException e) {
      return text(url);
    }
  }

  /** A message with every URL in it redacted, at most 500 characters. */
  public static String text(String text) {
    if (text == null) {
      return null;
    }
    String clean = URL.matcher(text).replaceAll("$1$2");
    return clean.length() <= MAX_LENGTH ? clean : clean.substring(0, MAX_LENGTH) + "…";
  }

  /** Adds a secret to replace; null and empty ones are ignored. */
  public void add(String secret) {
    if (secret != null && !secret.isEmpty()) {
      secrets.add(secret);
    }
  }

  /** The text with every secret added so far replaced by {@code ***}. */
  public String apply(String text) {
    String redacted = text;
    // Longest first, so a URL goes whole before a token inside it is looked for.
    List<String> ordered = new ArrayList<>(secrets);
    ordered.sort(Comparator.comparingInt(String::length).reversed());
    for (String secret : ordered) {
      redacted = redacted.replace(secret, "***");
    }
    return redacted;
  }
}
