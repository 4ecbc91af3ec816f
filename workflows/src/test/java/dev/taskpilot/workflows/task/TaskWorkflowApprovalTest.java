package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.file;
import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskWorkflowApprovalTest extends TaskWorkflowTestSupport {

  private void planNeedsApproval() {
    doAnswer(call -> TestTasks.plan(call.<PlanRequest>getArgument(0).now(), true))
        .when(env.planning)
        .plan(any());
  }

  private void verifyNotified(NotifyEvent event) {
    verify(env.notifying, timeout(5_000))
        .send(argThat((ChannelNotification n) -> n.event() == event));
  }

  @Nested
  class BeforeRun {
    @Test
    void shouldWaitForApprovalWhenTheInputAsksForIt() {
      // given
      TaskWorkflow workflow = env.start(task().approveBeforeRun(true).build());

      // when
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

      // then
      TaskState state = workflow.state();
      assertThat(state.status()).isEqualTo(TaskStatus.AWAITING_APPROVAL);
      assertThat(state.gate()).isEqualTo(ApprovalGate.BEFORE_RUN);
      verifyNotified(NotifyEvent.AWAITING_APPROVAL);
      verifyNoInteractions(env.agent);
    }

    @Test
    void shouldWaitForApprovalWhenThePlanNeedsIt() {
      // given
      planNeedsApproval();
      TaskWorkflow workflow = env.start(task().build());

      // when
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

      // then
      assertThat(workflow.state().gate()).isEqualTo(ApprovalGate.BEFORE_RUN);
      verifyNoInteractions(env.agent);
    }

    @Test
    void shouldSkipTheGateWhenTheInputTurnsOffWhatThePlanAsks() {
      // given
      planNeedsApproval();

      // when
      env.run(task().approveBeforeRun(false).build());

      // then
      assertThat(env.recordedStatuses()).doesNotContain(TaskStatus.AWAITING_APPROVAL);
      verify(env.agent).run(any());
    }

    @Test
    void shouldRunTheAgentWhenApproved() {
      // given
      TaskWorkflow workflow = env.start(task().approveBeforeRun(true).build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

      // when
      TaskState accepted = workflow.approve("looks fine", null);

      // then
      assertThat(accepted.status().hasStartedRunning()).isTrue();
      assertThat(accepted.gate()).isNull();
      assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.SUCCEEDED);
      verify(env.agent).run(any());
      assertThat(env.recordedStatuses())
          .containsSubsequence(
              TaskStatus.SCHEDULED, TaskStatus.AWAITING_APPROVAL, TaskStatus.RUNNING);
    }

    @Test
    void shouldEndRejectedWithoutRunningWhenRejected() {
      // given
      TaskWorkflow workflow = env.start(task().approveBeforeRun(true).build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

      // when
      TaskState rejected = workflow.reject("not this week");

      // then
      assertThat(rejected.status()).isEqualTo(TaskStatus.REJECTED);
      assertThat(rejected.statusReason()).isEqualTo("not this week");
      TaskState end = env.result(TestTasks.TASK_ID);
      assertThat(end.status()).isEqualTo(TaskStatus.REJECTED);
      assertThat(end.run()).isNull();
      verifyNoInteractions(env.agent, env.publishing);
    }
  }

  @Nested
  class BeforePublish {
    @Test
    void shouldWaitAfterTheRunWhenTheInputAsksForIt() {
      // given
      TaskWorkflow workflow =
          env.start(task().approveBeforePublish(true).publish(file("notes.md")).build());

      // when
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

      // then
      TaskState state = workflow.state();
      assertThat(state.gate()).isEqualTo(ApprovalGate.BEFORE_PUBLISH);
      assertThat(state.result().summary()).isEqualTo(TestTasks.RESULT_SUMMARY);
      verify(env.agent).run(any());
      verifyNoInteractions(env.publishing);
    }

    @Test
    void shouldPublishWhenApproved() {
      // given
      TaskWorkflow workflow =
          env.start(task().approveBeforePublish(true).publish(file("notes.md")).build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

      // when
      workflow.approve(null, null);

      // then
      TaskState end = env.result(TestTasks.TASK_ID);
      assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(end.result().publications()).hasSize(1);
      assertThat(env.recordedStatuses())
          .containsSubsequence(
              TaskStatus.RUNNING,
              TaskStatus.AWAITING_APPROVAL,
              TaskStatus.PUBLISHING,
              TaskStatus.SUCCEEDED);
    }

    @Test
    void shouldNotPublishWhenRejected() {
      // given
      TaskWorkflow workflow =
          env.start(task().approveBeforePublish(true).publish(file("notes.md")).build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

      // when
      workflow.reject("wrong tone");

      // then
      assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.REJECTED);
      verify(env.publishing, never()).publishFile(any());
    }
  }
}
