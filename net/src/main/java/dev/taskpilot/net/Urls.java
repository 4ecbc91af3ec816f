package dev.taskpilot.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Small checks of user-supplied URLs that come before the {@link OutboundGuard}. */
public final class Urls {

  private Urls() {}

  /**
   * Whether an http(s) URL carries user information (a user name, a password or a token); a URL
   * that does not parse carries it when an {@code @} comes before the end of its authority.
   */
  public static boolean hasCredentials(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getRawUserInfo() != null;
    } catch (URISyntaxException e) {
      return url.contains("@") && url.indexOf('@') < url.indexOf('/', url.indexOf("//") + 2);
    }
  }
}
