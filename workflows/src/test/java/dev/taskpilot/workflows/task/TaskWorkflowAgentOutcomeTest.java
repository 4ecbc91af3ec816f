package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.agent.AgentOutcome;
import dev.taskpilot.workflows.activities.agent.AgentRunRequest;
import dev.taskpilot.workflows.activities.agent.AgentRunResult;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import io.temporal.client.WorkflowUpdateException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Parking on usage limits, budgets and questions: each pauses the run and resumes the session. */
class TaskWorkflowAgentOutcomeTest extends TaskWorkflowTestSupport {
  private final List<AgentRunRequest> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<Instant> startedAt = Collections.synchronizedList(new ArrayList<>());

  /** The agent answers the given first result, then completes. */
  private void agentAnswers(AgentRunResult first) {
    doAnswer(
            call -> {
              requests.add(call.getArgument(0));
              startedAt.add(env.now());
              return requests.size() == 1 ? first : TestTasks.agentResult(env.now());
            })
        .when(env.agent)
        .run(any());
  }

  private AgentRunResult stopped(
      AgentOutcome outcome, Instant parkedUntil, String question, String cost) {
    Instant now = env.now();
    return new AgentRunResult(
        1,
        0,
        now,
        now,
        3,
        "partial",
        cost == null ? null : new BigDecimal(cost),
        "session-9",
        outcome,
        parkedUntil,
        question,
        1);
  }

  @Nested
  class Parking {
    @Test
    void shouldParkUntilTheResetAndThenResumeTheSessionWhenTheLimitIsReached() {
      // given
      Instant reset = env.now().plus(Duration.ofHours(2));
      agentAnswers(stopped(AgentOutcome.PARKED, reset, null, null));
      // when
      TaskState end = env.run(task().build());
      // then
      assertThat(env.recordedStatuses())
          .containsSubsequence(
              TaskStatus.RUNNING, TaskStatus.PARKED, TaskStatus.RUNNING, TaskStatus.SUCCEEDED);
      assertThat(requests).hasSize(2);
      assertThat(startedAt.get(1)).isAfterOrEqualTo(reset);
      assertThat(requests.get(1).resumeSessionId()).isEqualTo("session-9");
      assertThat(requests.get(1).instructions()).isEqualTo(AgentRuns.CONTINUE_PROMPT);
      assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
      verify(env.notifying, timeout(5_000)).send(argThat(n -> n.event() == NotifyEvent.PARKED));
    }

    @Test
    void shouldCancelAParkedTaskWhenAsked() {
      // given
      agentAnswers(stopped(AgentOutcome.PARKED, env.now().plus(Duration.ofHours(5)), null, null));
      TaskWorkflow workflow = env.start(task().build());
      env.awaitStatus(TaskStatus.PARKED);
      // when
      TaskState cancelled = workflow.cancel("not today");
      // then
      assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(requests).hasSize(1);
    }
  }

  @Nested
  class Budget {
    @Test
    void shouldWaitForMoreBudgetAndResumeWhenApproved() {
      // given
      agentAnswers(stopped(AgentOutcome.BUDGET_EXCEEDED, null, null, "0.06"));
      TaskWorkflow workflow = env.start(task().budgetUsd("0.05").build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
      TaskState waiting = workflow.state();
      assertThat(waiting.statusReason()).isEqualTo(ApprovalGates.BUDGET_EXCEEDED);
      assertThat(waiting.gate()).isEqualTo(ApprovalGate.BUDGET);
      assertThat(requests.getFirst().budgetUsd()).isEqualByComparingTo("0.05");

      // when / then: approving without more budget is refused, and so is a one-tap link
      assertThatThrownBy(() -> workflow.approve("go", null))
          .isInstanceOf(WorkflowUpdateException.class);
      assertThatThrownBy(() -> workflow.approveGate(1, "go"))
          .isInstanceOf(WorkflowUpdateException.class);
      verify(env.notifying, timeout(5_000))
          .send(argThat(n -> n.event() == NotifyEvent.AWAITING_APPROVAL && n.gate() == null));
      assertThatThrownBy(() -> workflow.approve("go", new BigDecimal("0.06")))
          .isInstanceOf(WorkflowUpdateException.class);
      workflow.approve("go", new BigDecimal("0.20"));

      // then
      TaskState end = env.result(TestTasks.TASK_ID);
      assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
      AgentRunRequest resumed = requests.get(1);
      assertThat(resumed.budgetUsd()).isEqualByComparingTo("0.20");
      assertThat(resumed.spentUsd()).isEqualByComparingTo("0.06");
      assertThat(resumed.resumeSessionId()).isEqualTo("session-9");
      // Both runs' costs: 0.06 before the gate, the mock's 0.42 after it.
      assertThat(end.run().costUsd()).isEqualByComparingTo("0.48");
    }
  }

  @Nested
  class Questions {
    @Test
    void shouldWaitForTheAnswerAndResumeTheSessionWithIt() {
      // given
      agentAnswers(stopped(AgentOutcome.QUESTION, null, "Which branch should I use?", null));
      TaskWorkflow workflow = env.start(task().build());
      env.awaitStatus(TaskStatus.WAITING_FOR_INPUT);
      assertThat(workflow.state().statusReason()).isEqualTo("Which branch should I use?");
      // when
      TaskState answered = workflow.provideInput("Use main");
      // then
      assertThat(answered.status()).isNotEqualTo(TaskStatus.WAITING_FOR_INPUT);
      TaskState end = env.result(TestTasks.TASK_ID);
      assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(requests.get(1).instructions()).isEqualTo("Use main");
      assertThat(requests.get(1).resumeSessionId()).isEqualTo("session-9");
      verify(env.notifying, timeout(5_000))
          .send(argThat(n -> n.event() == NotifyEvent.WAITING_FOR_INPUT));
    }
  }
}
