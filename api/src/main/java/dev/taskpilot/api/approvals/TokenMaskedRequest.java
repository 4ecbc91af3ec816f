package dev.taskpilot.api.approvals;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpRequestWrapper;
import java.net.URI;
import java.util.regex.Pattern;

/** A request whose path shows {@code ***} for the approval token, for error answers and logs. */
final class TokenMaskedRequest<B> extends HttpRequestWrapper<B> {
  private static final Pattern TOKEN = Pattern.compile("(/api/v1/approvals/)[^/?]*");

  TokenMaskedRequest(HttpRequest<B> delegate) {
    super(delegate);
  }

  @Override
  public String getPath() {
    return mask(super.getPath());
  }

  @Override
  public URI getUri() {
    return URI.create(mask(super.getPath()));
  }

  static String mask(String path) {
    return TOKEN.matcher(path).replaceFirst("$1***");
  }
}
