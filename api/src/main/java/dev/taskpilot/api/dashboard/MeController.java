package dev.taskpilot.api.dashboard;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * {@code GET /api/v1/me}: who the token belongs to, and what the dashboard needs to know about this
 * installation. The dashboard calls it to check a token at sign-in. Made at start ({@link
 * Context}), so a bad {@code taskpilot.dashboard.temporal-ui-url} stops the start instead of
 * failing a sign-in.
 */
@Context
@Controller("/api/v1/me")
@Secured(Roles.VIEWER)
class MeController {
  private final @Nullable TemporalUiLink temporalUi;

  MeController(
      @Nullable @Value("${taskpilot.dashboard.temporal-ui-url:}") String temporalUiUrl,
      @Value("${temporal.namespace:default}") String namespace) {
    this.temporalUi =
        temporalUiUrl == null || temporalUiUrl.isBlank()
            ? null
            : new TemporalUiLink(checked(temporalUiUrl.strip()), namespace);
  }

  /** Only an http(s) URL becomes a link (a {@code javascript:} one would run in the dashboard). */
  private static String checked(String url) {
    try {
      URI uri = new URI(url);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new IllegalStateException(
        "taskpilot.dashboard.temporal-ui-url must be an http(s) URL such as"
            + " http://localhost:8088, not '"
            + url
            + "'");
  }

  @Get
  MeView me(Caller caller) {
    return new MeView(caller.owner(), caller.role().id(), temporalUi);
  }
}
