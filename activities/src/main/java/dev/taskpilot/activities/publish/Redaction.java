package dev.taskpilot.activities.publish;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Keeps what the ledger stores and failures say free of credentials: URLs lose their user info,
 * query and fragment, and long texts are cut.
 */
final class Redaction {
  private static final int MAX_LENGTH = 500;
  private static final Pattern URL =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)(?:[^\\s/?#@]*@)?([^\\s?#]*)(?:[?#]\\S*)?");

  private Redaction() {}

  /** A URL without user info, query or fragment; the text cleaned when it is not a URI. */
  static String url(String url) {
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
  static String text(String text) {
    if (text == null) {
      return null;
    }
    String clean = URL.matcher(text).replaceAll("$1$2");
    return clean.length() <= MAX_LENGTH ? clean : clean.substring(0, MAX_LENGTH) + "…";
  }
}
