package dev.taskpilot.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.output.structured.Description;
import dev.langchain4j.service.AiServices;
import dev.taskpilot.llm.testing.FakeAnthropicServer;
import dev.taskpilot.store.LlmCallRecord;
import dev.taskpilot.store.LlmCallRepository;
import dev.taskpilot.store.testing.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The anthropic provider as configured, against a local server speaking the Messages API. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlmClientAnthropicTest implements TestPropertyProvider {
  private final FakeAnthropicServer model = new FakeAnthropicServer();

  @Inject LlmClient llm;
  @Inject LlmCallRepository ledger;

  record Slot(
      @Description("When to start, an ISO-8601 date-time with offset") String start,
      @Description("Why") String reasoning) {}

  interface Scheduler {
    Slot slot(String task);
  }

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(TestDatabase.freshDatasourceProperties());
    properties.put("taskpilot.llm.provider", "anthropic");
    properties.put("taskpilot.llm.base-url", model.baseUrl());
    properties.put("taskpilot.llm.api-key", "sk-ant-secret");
    properties.put("taskpilot.llm.model", "claude-test");
    return properties;
  }

  @AfterAll
  void stop() {
    model.close();
  }

  @Test
  void shouldAnswerStructuredOutputAndLedgerTheCallWhenProviderIsAnthropic() {
    // given
    var chatModel = llm.forCaller("owner-a", "task-a", LlmPurpose.PLAN).orElseThrow();
    // when
    Slot slot = AiServices.create(Scheduler.class, chatModel).slot("Plan the release");
    // then
    assertThat(OffsetDateTime.parse(slot.start())).isNotNull();
    assertThat(
            model.lastRequest().body().path("output_config").path("format").path("type").asText())
        .isEqualTo("json_schema");
    assertThat(model.lastRequest().header("x-api-key")).isEqualTo("sk-ant-secret");
    List<LlmCallRecord> calls = ledger.findByTaskIdOrderById("task-a");
    assertThat(calls)
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.provider()).isEqualTo("anthropic");
              assertThat(call.purpose()).isEqualTo("plan");
              assertThat(call.inputTokens()).isPositive();
              assertThat(call.request() + call.response() + call.error())
                  .doesNotContain("sk-ant-secret");
            });
  }
}
