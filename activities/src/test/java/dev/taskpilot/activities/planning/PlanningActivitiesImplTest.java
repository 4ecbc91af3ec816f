package dev.taskpilot.activities.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.exception.RetriableException;
import dev.taskpilot.llm.testing.Behaviour;
import dev.taskpilot.llm.testing.FakeOpenAiServer;
import dev.taskpilot.store.LlmCallRecord;
import dev.taskpilot.store.LlmCallRepository;
import dev.taskpilot.store.OwnerContextRecord;
import dev.taskpilot.store.OwnerContextRepository;
import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import dev.taskpilot.workflows.activities.planning.PlanSource;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The planning activity against a local server speaking the OpenAI protocol, on real PostgreSQL.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanningActivitiesImplTest implements TestPropertyProvider {
  private static final String OWNER = "planner-test";
  private final FakeOpenAiServer model = new FakeOpenAiServer();

  @Inject PlanningActivitiesImpl planning;
  @Inject LlmCallRepository ledger;
  @Inject OwnerContextRepository contexts;
  @Inject TaskRepository tasks;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(TestDatabase.freshDatasourceProperties());
    properties.put("taskpilot.llm.provider", "openai");
    properties.put("taskpilot.llm.base-url", model.baseUrl());
    properties.put("taskpilot.llm.api-key", "sk-test-secret");
    properties.put("taskpilot.llm.model", "gpt-test");
    properties.put("taskpilot.llm.timeout", "5s");
    properties.put("taskpilot.llm.prices[0].model", "gpt-test");
    properties.put("taskpilot.llm.prices[0].input-per-million", "2.50");
    properties.put("taskpilot.llm.prices[0].output-per-million", "10");
    return properties;
  }

  @AfterAll
  void stop() {
    model.close();
  }

  @BeforeEach
  void resetModel() {
    model.reset();
    model.clearFixes();
  }

  private static PlanRequest request(String taskId, Integer priority, Instant notBefore) {
    return new PlanRequest(
        taskId,
        OWNER,
        "Fix the flaky login test",
        "Fix the flaky login test in repo shop",
        null,
        priority,
        notBefore,
        null,
        Instant.now());
  }

  private List<LlmCallRecord> calls(String taskId) {
    return ledger.findByTaskIdOrderById(taskId);
  }

  @Test
  void shouldReturnTheModelsPlanAndLedgerTheCallWhenTheModelAnswers() {
    // given
    String taskId = "task-" + UUID.randomUUID();
    // when
    TaskPlan plan = planning.plan(request(taskId, null, null));
    // then
    assertThat(plan.source()).isEqualTo(PlanSource.LLM);
    assertThat(plan.start()).isAfter(Instant.now());
    assertThat(plan.instructions()).isNotBlank();
    assertThat(plan.reasoning()).isNotBlank();
    assertThat(model.lastRequest().body().path("response_format").path("type").asText())
        .isEqualTo("json_schema");
    List<LlmCallRecord> calls = calls(taskId);
    assertThat(calls).hasSize(1);
    LlmCallRecord call = calls.getFirst();
    assertThat(call.purpose()).isEqualTo("plan");
    assertThat(call.outcome()).isEqualTo("SUCCEEDED");
    assertThat(call.inputTokens()).isPositive();
    assertThat(call.outputTokens()).isPositive();
    assertThat(call.costUsd()).isPositive();
    assertThat(call.costUsd())
        .isEqualByComparingTo(
            new BigDecimal("2.50")
                .multiply(BigDecimal.valueOf(call.inputTokens()))
                .add(BigDecimal.TEN.multiply(BigDecimal.valueOf(call.outputTokens())))
                .divide(BigDecimal.valueOf(1_000_000), 6, java.math.RoundingMode.HALF_UP));
    assertThat(call.request()).contains("Fix the flaky login test in repo shop");
    assertThat(call.request() + call.response()).doesNotContain("sk-test-secret");
  }

  @Test
  void shouldKeepUserFixedFieldsWhenTheModelSaysOtherwise() {
    // given
    String taskId = "task-" + UUID.randomUUID();
    Instant fixed = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    model.fix("priority", 2);
    // when
    TaskPlan plan = planning.plan(request(taskId, 9, fixed));
    // then
    assertThat(plan.priority()).isEqualTo(9);
    assertThat(plan.start()).isEqualTo(fixed);
    assertThat(plan.source()).isEqualTo(PlanSource.LLM);
  }

  @Test
  void shouldRepairOnceWhenTheFirstAnswerIsMalformed() {
    // given
    String taskId = "task-" + UUID.randomUUID();
    model.enqueue(Behaviour.malformed());
    // when
    TaskPlan plan = planning.plan(request(taskId, null, null));
    // then
    assertThat(plan.source()).isEqualTo(PlanSource.LLM);
    assertThat(calls(taskId)).hasSize(2);
    assertThat(model.lastRequest().messages().toString()).contains("was rejected");
  }

  @Test
  void shouldFallBackWhenThePlanIsInvalidTwice() {
    // given: the model insists on a start in the past
    String taskId = "task-" + UUID.randomUUID();
    model.fix("start", "2020-01-01T09:00:00Z");
    // when
    TaskPlan plan = planning.plan(request(taskId, null, null));
    // then
    assertThat(plan.source()).isEqualTo(PlanSource.FALLBACK);
    assertThat(plan.reasoning()).contains("invalid twice").contains("in the past");
    assertThat(calls(taskId)).hasSize(2);
  }

  @Test
  void shouldFallBackWithoutRetryWhenTheKeyIsRefused() {
    // given
    String taskId = "task-" + UUID.randomUUID();
    model.enqueue(Behaviour.unauthorized());
    // when
    TaskPlan plan = planning.plan(request(taskId, null, null));
    // then
    assertThat(plan.source()).isEqualTo(PlanSource.FALLBACK);
    assertThat(plan.reasoning()).contains("AuthenticationException");
    assertThat(model.requestCount()).isEqualTo(1);
    assertThat(calls(taskId))
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.outcome()).isEqualTo("PERMANENT_ERROR");
              assertThat(call.error()).contains("AuthenticationException");
            });
  }

  @Test
  void shouldThrowForTemporalToRetryWhenRateLimited() {
    // given
    String taskId = "task-" + UUID.randomUUID();
    model.enqueue(Behaviour.rateLimited());
    // when / then
    assertThatThrownBy(() -> planning.plan(request(taskId, null, null)))
        .isInstanceOf(RetriableException.class);
    assertThat(calls(taskId))
        .singleElement()
        .satisfies(call -> assertThat(call.outcome()).isEqualTo("RETRIABLE_ERROR"));
  }

  @Test
  void shouldTellTheModelTheStandingContextAndTakenSlotsAndRepairADoubleBooking() {
    // given
    String taskId = "task-" + UUID.randomUUID();
    Instant taken = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    contexts.deleteAll();
    contexts.save(
        new OwnerContextRecord(
            OWNER,
            "Europe/Berlin",
            null,
            null,
            new String[0],
            false,
            "Never touch production on Fridays",
            Instant.now()));
    tasks.save(
        new TaskRecord(
            "task-taken-" + UUID.randomUUID(),
            OWNER,
            "Release notes",
            "p",
            "example",
            null,
            new String[0],
            "SCHEDULED",
            null,
            5,
            taken,
            null,
            null,
            null,
            null,
            null,
            "{}",
            null,
            "h",
            1,
            Instant.now(),
            Instant.now()));
    model.fix("start", taken.toString());
    // when
    TaskPlan plan = planning.plan(request(taskId, null, null));
    // then
    String firstAsk = model.requests().getFirst().messages().toString();
    assertThat(firstAsk)
        .contains("Europe/Berlin")
        .contains("Never touch production on Fridays")
        .contains(taken.toString())
        .contains("Release notes");
    assertThat(model.lastRequest().messages().toString()).contains("is taken by the task");
    assertThat(plan.source()).isEqualTo(PlanSource.FALLBACK);
    assertThat(Duration.between(Instant.now(), plan.start()).abs())
        .isLessThan(Duration.ofMinutes(1));
  }
}
