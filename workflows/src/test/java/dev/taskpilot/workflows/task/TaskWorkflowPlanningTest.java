package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import dev.taskpilot.workflows.activities.planning.PlanSource;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** Planning that fails, summaries, and re-planning. */
class TaskWorkflowPlanningTest extends TaskWorkflowTestSupport {

  @Nested
  class WhenThePlannerFails {
    @Test
    void shouldUseTheFallbackPlanAtOnceWhenThePlannerRefusesForGood() {
      // given: the LLM answers 401, which the activity reports as non-retryable
      doThrow(ApplicationFailure.newNonRetryableFailure("401 invalid key", "LLM_REFUSED"))
          .when(env.planning)
          .plan(any());
      Instant submitted = env.now();

      // when
      TaskState end = env.run(task().build());

      // then
      verify(env.planning, times(1)).plan(any());
      assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(end.plan().source()).isEqualTo(PlanSource.FALLBACK);
      assertThat(end.plan().reasoning()).contains("401 invalid key");
      assertThat(Duration.between(submitted, end.plan().start())).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void shouldRetryWithTheDeclaredBackoffThenFallBackWhenThePlannerStaysDown() {
      // given: every attempt fails as a 503 would
      List<Instant> attempts = Collections.synchronizedList(new ArrayList<>());
      doAnswer(
              call -> {
                attempts.add(env.now());
                throw new IllegalStateException("503 from the LLM");
              })
          .when(env.planning)
          .plan(any());

      // when
      TaskState end = env.run(task().build());

      // then: 5 attempts, 2 s, 4 s, 8 s, 16 s apart, then the fallback plan
      assertThat(attempts).hasSize(5);
      List<Long> gaps = new ArrayList<>();
      for (int i = 1; i < attempts.size(); i++) {
        gaps.add(Duration.between(attempts.get(i - 1), attempts.get(i)).toSeconds());
      }
      assertThat(gaps).containsExactly(2L, 4L, 8L, 16L);
      assertThat(end.plan().source()).isEqualTo(PlanSource.FALLBACK);
      // The fallback starts the task at once: no later than a second after the last attempt.
      assertThat(Duration.between(attempts.getLast(), end.plan().start()))
          .isLessThan(Duration.ofSeconds(1));
      assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    }
  }

  @Nested
  class Summaries {
    @Test
    void shouldCarryTheSummariesAnswerIntoResultAndPublishing() {
      // given
      doReturn("The agent wrote the release notes.").when(env.summaries).summarise(any());
      // when
      TaskState end = env.run(task().publish(TestTasks.file("notes.md")).build());
      // then
      assertThat(end.result().summary()).isEqualTo("The agent wrote the release notes.");
      ArgumentCaptor<PublishRequest> published = ArgumentCaptor.forClass(PublishRequest.class);
      verify(env.publishing).publishFile(published.capture());
      assertThat(published.getValue().summary()).isEqualTo("The agent wrote the release notes.");
      assertThat(published.getValue().resultText()).isEqualTo(TestTasks.RESULT_TEXT);
    }

    @Test
    void shouldKeepTheTrimmedResultWhenTheSummariserFails() {
      // given
      doThrow(ApplicationFailure.newNonRetryableFailure("no", "LLM_REFUSED"))
          .when(env.summaries)
          .summarise(any());
      // when
      TaskState end = env.run(task().build());
      // then
      assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(end.result().summary()).isEqualTo(TestTasks.RESULT_SUMMARY);
    }
  }

  @Nested
  class Replan {
    @Test
    void shouldApplyTheNewPlanWhenAWaitingTaskIsReplanned() {
      // given: first planned three hours ahead, then one hour ahead with priority 9
      List<TaskPlan> plans = new ArrayList<>();
      doAnswer(
              call -> {
                PlanRequest request = call.getArgument(0);
                TaskPlan plan =
                    plans.isEmpty()
                        ? planAt(request.now().plus(Duration.ofHours(3)), 3)
                        : planAt(request.now().plus(Duration.ofHours(1)), 9);
                plans.add(plan);
                return plan;
              })
          .when(env.planning)
          .plan(any());
      TaskWorkflow workflow = env.start(task().build());
      env.awaitStatus(TaskStatus.SCHEDULED);

      // when
      TaskState replanned = workflow.replan();

      // then
      assertThat(plans).hasSize(2);
      assertThat(replanned.status()).isEqualTo(TaskStatus.SCHEDULED);
      assertThat(replanned.priority()).isEqualTo(9);
      assertThat(replanned.notBefore()).isEqualTo(plans.get(1).start());
      verify(env.agent, times(0)).run(any());
      assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.SUCCEEDED);
    }

    @Test
    void shouldRefuseToReplanWhenTheTaskNoLongerWaits() {
      // given
      TaskWorkflow workflow = env.start(task().approveBeforeRun(true).build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
      // when / then
      assertThatThrownBy(workflow::replan).isInstanceOf(WorkflowUpdateException.class);
      assertThat(workflow.state().status()).isEqualTo(TaskStatus.AWAITING_APPROVAL);
    }

    private static TaskPlan planAt(Instant start, int priority) {
      return new TaskPlan(priority, start, 10, false, null, "do it", "because", PlanSource.LLM);
    }
  }
}
