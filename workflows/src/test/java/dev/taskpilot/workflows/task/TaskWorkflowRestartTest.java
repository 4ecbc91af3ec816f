package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.agent.AgentRunRequest;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * A task started again from what PostgreSQL recorded (dev's engine lost its memory) goes on from
 * the stage its carry names, with its plan, run and result, and never plans again.
 */
class TaskWorkflowRestartTest extends TaskWorkflowTestSupport {
  private static final PublishTarget.Webhook WEBHOOK =
      new PublishTarget.Webhook("https://hooks.example.org/results", true);
  private static final String KEPT_TEXT = "the whole result text of the run";
  private static final long PROJECTED = 41;

  private TaskCarry carry(TaskCarry.Stage stage, TaskStatus status, String reason, int gate) {
    Instant started = env.now().minusSeconds(600);
    RunInfo run = new RunInfo(1, started, null, null, new BigDecimal("1.50"), "session-7", 12);
    ResultInfo result = new ResultInfo("the summary", List.of(), KEPT_TEXT);
    return new TaskCarry(
        stage,
        status,
        reason,
        5,
        started,
        TestTasks.plan(started, false),
        new BigDecimal("1.00"),
        false,
        false,
        PROJECTED,
        gate,
        false,
        new TaskCarry.Resumed(run, stage == TaskCarry.Stage.RUN ? null : result));
  }

  @Test
  void shouldContinueTheAgentSessionWhenRestartedWhileRunning() {
    // when
    TaskInput input =
        task().build().carrying(carry(TaskCarry.Stage.RUN, TaskStatus.RUNNING, null, 0));
    TaskState end = env.run(input);

    // then
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    ArgumentCaptor<AgentRunRequest> request = ArgumentCaptor.forClass(AgentRunRequest.class);
    verify(env.agent).run(request.capture());
    assertThat(request.getValue().resumeSessionId()).isEqualTo("session-7");
    assertThat(request.getValue().instructions()).isEqualTo(AgentRuns.CONTINUE_PROMPT);
    assertThat(request.getValue().spentUsd()).isEqualByComparingTo("1.50");
    verify(env.planning, never()).plan(any());
    assertThat(env.recorded()).allMatch(state -> state.version() > PROJECTED);
  }

  @Test
  void shouldOpenTheSameBudgetGateAgainAndGoOnWithTheSessionWhenApproved() {
    // given
    TaskInput input =
        task()
            .build()
            .carrying(
                carry(
                    TaskCarry.Stage.BUDGET,
                    TaskStatus.AWAITING_APPROVAL,
                    ApprovalGates.BUDGET_EXCEEDED,
                    1));
    TaskWorkflow workflow = env.start(input);
    env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

    // when: approved with a larger budget (a budget gate is decided with an amount, not a link)
    workflow.approve("more", new BigDecimal("5.00"));
    TaskState end = env.result(TestTasks.TASK_ID);

    // then
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    ArgumentCaptor<AgentRunRequest> request = ArgumentCaptor.forClass(AgentRunRequest.class);
    verify(env.agent).run(request.capture());
    assertThat(request.getValue().resumeSessionId()).isEqualTo("session-7");
    assertThat(request.getValue().instructions()).isEqualTo(AgentRuns.CONTINUE_PROMPT);
    assertThat(request.getValue().budgetUsd()).isEqualByComparingTo("5.00");
  }

  @Test
  void shouldOpenTheGateBeforePublishingAgainAndPublishTheKeptResultWhenApproved() {
    // given
    TaskInput input =
        task()
            .approveBeforePublish(true)
            .publish(WEBHOOK)
            .build()
            .carrying(
                carry(
                    TaskCarry.Stage.BEFORE_PUBLISH,
                    TaskStatus.AWAITING_APPROVAL,
                    "approval before_publish",
                    2));
    TaskWorkflow workflow = env.start(input);
    env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

    // when
    workflow.approveGate(3, "ship it");
    TaskState end = env.result(TestTasks.TASK_ID);

    // then: the run is not repeated; the kept text is what gets published
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    verify(env.agent, never()).run(any());
    verify(env.planning, never()).plan(any());
    ArgumentCaptor<PublishRequest> published = ArgumentCaptor.forClass(PublishRequest.class);
    verify(env.publishing, times(1)).publishWebhook(published.capture());
    assertThat(published.getValue().resultText()).isEqualTo(KEPT_TEXT);
    assertThat(end.result().summary()).isEqualTo("the summary");
    assertThat(end.result().publications()).hasSize(1);
    assertThat(end.run().sessionId()).isEqualTo("session-7");
  }

  @Test
  void shouldPublishAgainWithoutRunningWhenRestartedWhilePublishing() {
    // when
    TaskInput input =
        task()
            .publish(WEBHOOK)
            .build()
            .carrying(carry(TaskCarry.Stage.PUBLISH, TaskStatus.PUBLISHING, null, 0));
    TaskState end = env.run(input);

    // then
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    verify(env.agent, never()).run(any());
    verify(env.publishing, times(1)).publishWebhook(any());
  }
}
