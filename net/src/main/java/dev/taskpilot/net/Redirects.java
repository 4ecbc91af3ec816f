package dev.taskpilot.net;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** How {@link GuardedHttpClient} follows one redirect; the target is checked by the caller. */
final class Redirects {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /** Headers that must not travel to another origin. */
  private static final Set<String> CREDENTIALS =
      Set.of("authorization", "proxy-authorization", "cookie");

  /** Headers that describe a body, dropped with it. */
  private static final Set<String> BODY_HEADERS =
      Set.of("content-type", "content-encoding", "content-language");

  private Redirects() {}

  /**
   * The request that follows a response, or empty when the response is final: not a redirect, no
   * {@code Location}, or a downgrade from https to http (as {@code HttpClient.Redirect.NORMAL}).
   * 303, and 301/302 after POST, become GET without body; the others keep method and body. The
   * headers and the timeout are kept, except credentials when the origin changes.
   *
   * @throws IOException when the Location is not a URI
   */
  static Optional<HttpRequest> next(HttpRequest current, int status, Optional<String> location)
      throws IOException {
    if (!REDIRECTS.contains(status) || location.isEmpty()) {
      return Optional.empty();
    }
    URI target = resolve(current.uri(), location.get());
    if ("https".equalsIgnoreCase(current.uri().getScheme())
        && "http".equalsIgnoreCase(target.getScheme())) {
      return Optional.empty();
    }
    String method = current.method();
    boolean toGet =
        (status == 303 && !method.equals("HEAD"))
            || ((status == 301 || status == 302) && method.equals("POST"));
    boolean sameOrigin = origin(current.uri()).equals(origin(target));
    HttpRequest.Builder next =
        HttpRequest.newBuilder(
                current,
                (name, value) -> {
                  String lower = name.toLowerCase(Locale.ROOT);
                  return (sameOrigin || !CREDENTIALS.contains(lower))
                      && !(toGet && BODY_HEADERS.contains(lower));
                })
            .uri(target);
    if (toGet) {
      next.GET();
    }
    return Optional.of(next.build());
  }

  private static URI resolve(URI base, String location) throws IOException {
    try {
      // URI.resolve drops the slash between an empty path and a relative reference.
      URI from =
          base.getRawPath() == null || base.getRawPath().isEmpty() ? base.resolve("/") : base;
      return from.resolve(new URI(location));
    } catch (URISyntaxException e) {
      throw new IOException(
          "redirect from host " + base.getHost() + " has an invalid Location: " + e.getReason());
    }
  }

  private static String origin(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String host = uri.getHost() == null ? uri.getRawAuthority() : uri.getHost();
    return scheme + "://" + String.valueOf(host).toLowerCase(Locale.ROOT) + ":" + port;
  }
}
