package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.client.WorkflowUpdateStage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskWorkflowCancelTest extends TaskWorkflowTestSupport {

  private TaskWorkflow scheduleThreeHoursAhead() {
    TaskWorkflow workflow =
        env.start(task().notBefore(env.now().plus(Duration.ofHours(3))).build());
    env.awaitStatus(TaskStatus.SCHEDULED);
    return workflow;
  }

  private void assertCancelled(TaskState accepted, String reason) {
    assertThat(accepted.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(accepted.statusReason()).isEqualTo(reason);
    assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(env.recordedStatuses()).endsWith(TaskStatus.CANCELLED);
  }

  @Nested
  class WhileWaiting {
    @Test
    void shouldEndCancelledWhenCancelledWhileScheduled() {
      // given
      TaskWorkflow workflow = scheduleThreeHoursAhead();

      // when
      TaskState accepted = workflow.cancel("no longer needed");

      // then
      assertCancelled(accepted, "no longer needed");
      verifyNoInteractions(env.agent);
    }

    @Test
    void shouldEndCancelledWhenCancelledWhilePaused() {
      // given
      TaskWorkflow workflow = scheduleThreeHoursAhead();
      workflow.pause();

      // when
      TaskState accepted = workflow.cancel("dropped");

      // then
      assertCancelled(accepted, "dropped");
      verifyNoInteractions(env.agent);
    }

    @Test
    void shouldEndCancelledWhenCancelledWhileAwaitingApproval() {
      // given
      TaskWorkflow workflow = env.start(task().approveBeforeRun(true).build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

      // when
      TaskState accepted = workflow.cancel("duplicate");

      // then
      assertCancelled(accepted, "duplicate");
      assertThat(accepted.gate()).isNull();
      verifyNoInteractions(env.agent);
    }

    @Test
    void shouldUseADefaultReasonWhenNoneIsGiven() {
      // given
      TaskWorkflow workflow = scheduleThreeHoursAhead();

      // when
      TaskState accepted = workflow.cancel(" ");

      // then
      assertCancelled(accepted, "cancelled");
    }

    @Test
    void shouldEndCancelledOncePlannedWhenCancelledWhilePlanning() throws Exception {
      // given
      Hold planning = new Hold();
      doAnswer(planning.then(call -> TestTasks.plan(call.<PlanRequest>getArgument(0).now(), false)))
          .when(env.planning)
          .plan(any());
      env.start(task().build());
      planning.awaitEntered();

      // when
      WorkflowUpdateHandle<TaskState> cancel =
          env.untyped(TestTasks.TASK_ID)
              .startUpdate(
                  "cancel", WorkflowUpdateStage.ACCEPTED, TaskState.class, "changed my mind");
      planning.release();

      // then
      assertCancelled(cancel.getResultAsync().get(5, TimeUnit.SECONDS), "changed my mind");
      assertThat(env.recordedStatuses()).doesNotContain(TaskStatus.SCHEDULED);
      verifyNoInteractions(env.agent);
    }
  }

  @Nested
  class WhileRunning {
    private final HeartbeatingAgent agent = new HeartbeatingAgent();

    @Test
    void shouldCancelTheAgentAndEndCancelledWhenCancelledWhileRunning() throws Exception {
      // given
      env.useAgent(agent);
      TaskWorkflow workflow = env.start(task().build());
      assertThat(agent.awaitStarted()).isTrue();

      // when
      TaskState accepted = workflow.cancel("taking too long");

      // then
      assertThat(agent.wasCancelled()).isTrue();
      assertCancelled(accepted, "taking too long");
      assertThat(accepted.run().startedAt()).isNotNull();
      assertThat(accepted.run().endedAt()).isNotNull();
      assertThat(accepted.result()).isNull();
      verifyNoInteractions(env.publishing);
    }
  }
}
