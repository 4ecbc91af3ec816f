package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.llm.testing.Behaviour;
import dev.taskpilot.llm.testing.FakeOpenAiServer;
import dev.taskpilot.store.testing.TestDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tasks planned by an LLM: a local server speaking the OpenAI protocol stands in for it. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LlmPlanningEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static FakeOpenAiServer model;
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    model = new FakeOpenAiServer();
    taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-llm-"),
            TestDatabase.freshDatasourceProperties(),
            Map.of(
                "taskpilot.llm.provider", "openai",
                "taskpilot.llm.base-url", model.baseUrl(),
                "taskpilot.llm.api-key", "sk-e2e",
                "taskpilot.llm.model", "gpt-test",
                "taskpilot.llm.prices[0].model", "gpt-test",
                "taskpilot.llm.prices[0].input-per-million", "1",
                "taskpilot.llm.prices[0].output-per-million", "4",
                // Retries a hundred times faster than declared, so a dead LLM is quick to test.
                "taskpilot.activities.plan-task.initial-interval", "100ms",
                "taskpilot.activities.summarise-result.initial-interval", "100ms"));
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
    model.close();
  }

  @BeforeEach
  void resetModel() {
    model.reset();
    model.clearFixes();
  }

  @Test
  void shouldCarryTheLlmPlanAndLedgerRowsWhenAProviderIsConfigured() {
    // given: the model plans the task for a second from now
    model.fix("start", Instant.now().plusSeconds(1).toString());
    // when
    String id =
        taskpilot.create("{\"prompt\": \"Summarise yesterday's tickets\"}").path("id").asText();
    JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    // then
    assertThat(done.path("plan").path("source").asText()).isEqualTo("llm");
    assertThat(done.path("plan").path("reasoning").asText()).isNotBlank();
    assertThat(done.path("result").path("summary").asText()).startsWith("OK:");
    JsonNode calls = RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id + "/llm-calls"));
    assertThat(calls)
        .extracting(call -> call.path("purpose").asText())
        .containsExactly("plan", "summarise");
    for (JsonNode call : calls) {
      assertThat(call.path("inputTokens").asInt()).isPositive();
      assertThat(call.path("outputTokens").asInt()).isPositive();
      assertThat(call.path("costUsd").decimalValue()).isPositive();
      assertThat(call.path("durationMs").isNumber()).isTrue();
      assertThat(call.path("outcome").asText()).isEqualTo("SUCCEEDED");
    }
    // and the metrics count the calls, their tokens and cost by purpose and model
    String scrape = taskpilot.get("/prometheus").body();
    assertThat(
            MetricsEndToEndTest.value(
                scrape, "taskpilot_llm_calls_total", "outcome=\"SUCCEEDED\",purpose=\"plan\""))
        .isPositive();
    assertThat(
            MetricsEndToEndTest.value(
                scrape, "taskpilot_llm_cost_usd_total", "model=\"gpt-test\",purpose=\"plan\""))
        .isPositive();
    assertThat(
            MetricsEndToEndTest.value(
                scrape, "taskpilot_llm_tokens_total", "direction=\"output\",model=\"gpt-test\""))
        .isPositive();
  }

  @Test
  void shouldFinishOnTheFallbackPlanWhenTheLlmKeepsFailing() {
    // given
    model.fallback(Behaviour.serverError());
    try {
      // when
      String id = taskpilot.create("{\"prompt\": \"Tidy the README\"}").path("id").asText();
      JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
      // then
      assertThat(done.path("plan").path("source").asText()).isEqualTo("fallback");
      assertThat(done.path("plan").path("reasoning").asText()).contains("the planner failed");
      JsonNode calls = RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id + "/llm-calls"));
      assertThat(calls)
          .filteredOn(call -> call.path("purpose").asText().equals("plan"))
          .hasSize(5)
          .allSatisfy(
              call -> assertThat(call.path("outcome").asText()).isEqualTo("RETRIABLE_ERROR"));
    } finally {
      model.fallback(Behaviour.answer());
    }
  }

  @Test
  void shouldReplanAWaitingTaskAndRefuseOnceItEnded() {
    // given: planned an hour ahead
    String id = taskpilot.create("{\"prompt\": \"Draft the blog post\"}").path("id").asText();
    taskpilot.awaitStatus(id, "SCHEDULED", WAIT);
    model.fix("priority", 9);
    // when
    var replanned = taskpilot.post("/api/v1/tasks/" + id + "/replan", "");
    // then
    assertThat(replanned.statusCode()).as(replanned.body()).isEqualTo(200);
    assertThat(RunningTaskpilot.json(replanned).path("priority").asInt()).isEqualTo(9);
    assertThat(taskpilot.post("/api/v1/tasks/" + id + "/cancel", "").statusCode()).isEqualTo(200);
    assertThat(taskpilot.post("/api/v1/tasks/" + id + "/replan", "").statusCode()).isEqualTo(409);
  }
}
