package dev.taskpilot.activities.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.llm.testing.FakeOpenAiServer;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import dev.taskpilot.workflows.activities.planning.PlanSource;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ollama provider: Ollama's OpenAI-compatible endpoint without JSON-schema output, so the plan
 * is asked for with LangChain4j's JSON instructions in the prompt and parsed from plain text.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OllamaPlanningTest implements TestPropertyProvider {
  private final FakeOpenAiServer model = new FakeOpenAiServer();

  @Inject PlanningActivitiesImpl planning;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(TestDatabase.freshDatasourceProperties());
    properties.put("taskpilot.llm.provider", "ollama");
    properties.put("taskpilot.llm.base-url", model.baseUrl());
    properties.put("taskpilot.llm.model", "llama-test");
    return properties;
  }

  @AfterAll
  void stop() {
    model.close();
  }

  @Test
  void shouldPlanFromJsonInstructionsWhenTheEndpointHasNoJsonSchemaOutput() {
    // given
    PlanRequest request =
        new PlanRequest(
            "task-ollama",
            "default",
            "Write the changelog",
            "Write the changelog",
            null,
            null,
            null,
            null,
            Instant.now());
    // when
    TaskPlan plan = planning.plan(request);
    // then
    assertThat(model.lastRequest().body().has("response_format")).isFalse();
    assertThat(model.lastRequest().messages().toString())
        .contains("You must answer strictly in the following JSON format");
    assertThat(model.lastRequest().header("authorization")).isEqualTo("Bearer ollama");
    assertThat(plan.source()).isEqualTo(PlanSource.LLM);
    assertThat(plan.start()).isAfter(Instant.now());
  }
}
