package dev.taskpilot.api.dashboard;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Browser protections on the dashboard's files: its scripts, styles and API calls come from this
 * origin only (no inline script, no other host: an injected string could not run or leak the token
 * anywhere), it cannot be framed, and it sends no referrer (a task link carries ids).
 */
@ServerFilter({"/", "/index.html", "/assets/**"})
public class DashboardHeadersFilter {
  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  @ResponseFilter
  public void protect(MutableHttpResponse<?> response) {
    response.header("Content-Security-Policy", POLICY);
    response.header("X-Content-Type-Options", "nosniff");
    response.header("X-Frame-Options", "DENY");
    response.header("Referrer-Policy", "no-referrer");
    // A new release's scripts are fetched again, never mixed with old ones from a cache.
    response.header("Cache-Control", "no-cache");
  }
}
