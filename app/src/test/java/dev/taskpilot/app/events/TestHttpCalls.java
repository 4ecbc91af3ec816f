package dev.taskpilot.app.events;

import dev.taskpilot.app.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls with a token other than the admin's, for the tests of this package. */
final class TestHttpCalls {
  private TestHttpCalls() {}

  /** POSTs JSON with the token. */
  static HttpResponse<String> post(
      EventsTaskpilot taskpilot, String token, String path, String body) {
    return TestHttp.send(
        taskpilot.http(),
        TestHttp.request(taskpilot.uri(path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
