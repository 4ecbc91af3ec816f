package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The standing context API, and the LLM endpoints without a provider. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StandingContextApiTest {
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() {
    taskpilot = RunningTaskpilot.dev(0);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  private static HttpResponse<String> put(String body) {
    URI uri = taskpilot.uri("/api/v1/context");
    return taskpilot.send(
        TestHttp.request(uri)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  @Test
  void shouldStoreAndAnswerTheStandingContext() {
    // given
    String body =
        """
        {"timeZone": "Europe/Berlin",
         "workingHours": {"start": "09:00", "end": "17:30", "days": ["monday", "TUESDAY"]},
         "withinWorkingHours": true,
         "preferences": "No deploys on Fridays"}
        """;
    // when
    HttpResponse<String> stored = put(body);
    JsonNode read = RunningTaskpilot.json(taskpilot.get("/api/v1/context"));
    // then
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(read.path("timeZone").asText()).isEqualTo("Europe/Berlin");
    assertThat(read.path("workingHours").path("end").asText()).isEqualTo("17:30");
    assertThat(read.path("workingHours").path("days"))
        .extracting(JsonNode::asText)
        .containsExactly("MONDAY", "TUESDAY");
    assertThat(read.path("withinWorkingHours").asBoolean()).isTrue();
    assertThat(read.path("preferences").asText()).isEqualTo("No deploys on Fridays");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"timeZone\": \"Mars/Olympus\"}",
        "{\"timeZone\": \"\"}",
        "{\"timeZone\": \"UTC\", \"workingHours\": {\"start\": \"17:00\", \"end\": \"09:00\"}}",
        "{\"timeZone\": \"UTC\", \"workingHours\": {\"start\": \"9am\", \"end\": \"17:00\"}}",
        "{\"timeZone\": \"UTC\", \"workingHours\": {\"start\": \"09:00\", \"end\": \"17:00\", \"days\": [\"FUNDAY\"]}}",
        "{\"timeZone\": \"UTC\", \"withinWorkingHours\": true}",
        "{\"timeZone\": \"UTC\", \"mood\": \"sunny\"}"
      })
  void shouldRefuseAContextThePlannerCouldNotUse(String body) {
    // when
    HttpResponse<String> response = put(body);
    // then
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(RunningTaskpilot.json(response).path("code").asText())
        .isEqualTo("VALIDATION_FAILED");
  }

  @Test
  void shouldRefusePreferencesOverTwentyThousandCharacters() {
    // when
    HttpResponse<String> response =
        put("{\"timeZone\": \"UTC\", \"preferences\": \"" + "p".repeat(20_001) + "\"}");
    // then
    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void shouldAnswerServiceUnavailableForChatWithoutAProvider() {
    // when
    HttpResponse<String> response = taskpilot.post("/api/v1/chat", "{\"message\": \"hello\"}");
    // then
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(RunningTaskpilot.json(response).path("code").asText())
        .isEqualTo("LLM_NOT_CONFIGURED");
  }
}
