package dev.taskpilot.activities.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.llm.testing.Behaviour;
import dev.taskpilot.llm.testing.FakeOpenAiServer;
import dev.taskpilot.store.LlmCallRepository;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.workflows.activities.summary.SummaryRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SummaryActivitiesImplTest implements TestPropertyProvider {
  private final FakeOpenAiServer model = new FakeOpenAiServer();

  @Inject SummaryActivitiesImpl summaries;
  @Inject LlmCallRepository ledger;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(TestDatabase.freshDatasourceProperties());
    properties.put("taskpilot.llm.provider", "openai");
    properties.put("taskpilot.llm.base-url", model.baseUrl());
    properties.put("taskpilot.llm.api-key", "sk-test");
    properties.put("taskpilot.llm.model", "gpt-test");
    return properties;
  }

  @AfterAll
  void stop() {
    model.close();
  }

  private static SummaryRequest request(String taskId) {
    return new SummaryRequest(
        taskId, "default", "Release notes", "Write the release notes", "\nWrote NOTES.md\n");
  }

  @Test
  void shouldAnswerTheModelsSummaryAndLedgerItWhenTheModelAnswers() {
    // given
    String taskId = "task-" + UUID.randomUUID();
    // when
    String summary = summaries.summarise(request(taskId));
    // then
    assertThat(summary).startsWith("OK:");
    assertThat(model.lastRequest().messages().toString()).contains("Wrote NOTES.md");
    assertThat(ledger.findByTaskIdOrderById(taskId))
        .singleElement()
        .satisfies(call -> assertThat(call.purpose()).isEqualTo("summarise"));
  }

  @Test
  void shouldAnswerTheTrimmedResultTextWhenTheModelRefuses() {
    // given
    String taskId = "task-" + UUID.randomUUID();
    model.enqueue(Behaviour.unauthorized());
    // when
    String summary = summaries.summarise(request(taskId));
    // then
    assertThat(summary).isEqualTo("Wrote NOTES.md");
  }
}
