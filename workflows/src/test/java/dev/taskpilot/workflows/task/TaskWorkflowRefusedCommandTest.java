package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each command sent in a status where it does not apply is refused and changes nothing. */
class TaskWorkflowRefusedCommandTest extends TaskWorkflowTestSupport {
  private final Hold hold = new Hold();
  private TaskWorkflow workflow;

  @Override
  TaskTestEnvironment newEnvironment() {
    return TaskTestEnvironment.withValidatorFailuresUnwrapped();
  }

  @AfterEach
  void releaseHeldActivity() {
    hold.release();
  }

  private void assertRefusedWithoutChange(TaskUpdate update, TaskStatus status) {
    // given
    TaskState before = workflow.state();
    assertThat(before.status()).isEqualTo(status);
    int writes = env.recorded().size();

    // when / then
    assertRefused(() -> update.sendTo(workflow), ErrorType.INVALID_STATE, update.refusalIn(status));

    assertThat(workflow.state())
        .usingRecursiveComparison()
        .ignoringFields("updatedAt")
        .isEqualTo(before);
    assertThat(env.recorded()).hasSize(writes);
  }

  private void scheduleThreeHoursAhead() {
    workflow = env.start(task().notBefore(env.now().plus(Duration.ofHours(3))).build());
    env.awaitStatus(TaskStatus.SCHEDULED);
  }

  @Nested
  class WhenPlanning {
    @BeforeEach
    void given() throws InterruptedException {
      doAnswer(hold.then(call -> TestTasks.plan(call.<PlanRequest>getArgument(0).now(), false)))
          .when(env.planning)
          .plan(any());
      workflow = env.start(task().build());
      hold.awaitEntered();
    }

    @ParameterizedTest
    @EnumSource(
        value = TaskUpdate.class,
        names = {"APPROVE", "REJECT", "PAUSE", "RESUME", "RUN_NOW", "RESCHEDULE", "PROVIDE_INPUT"})
    void shouldRefuseCommandWhenTaskIsPlanning(TaskUpdate update) {
      assertRefusedWithoutChange(update, TaskStatus.PLANNING);
    }
  }

  @Nested
  class WhenScheduled {
    @BeforeEach
    void given() {
      scheduleThreeHoursAhead();
    }

    @ParameterizedTest
    @EnumSource(
        value = TaskUpdate.class,
        names = {"APPROVE", "REJECT", "RESUME", "PROVIDE_INPUT"})
    void shouldRefuseCommandWhenTaskIsScheduled(TaskUpdate update) {
      assertRefusedWithoutChange(update, TaskStatus.SCHEDULED);
    }

    @Test
    void shouldRefusePriorityAboveTenWhenTaskIsScheduled() {
      // when / then
      assertRefused(
          () -> workflow.setPriority(11),
          ErrorType.VALIDATION_FAILED,
          "priority must be between 0 and 10, not 11");
      assertThat(workflow.state().priority()).isEqualTo(TestTasks.PLAN_PRIORITY);
    }

    @Test
    void shouldRefuseNegativePriorityWhenTaskIsScheduled() {
      // when / then
      assertRefused(
          () -> workflow.setPriority(-1),
          ErrorType.VALIDATION_FAILED,
          "priority must be between 0 and 10, not -1");
      assertThat(workflow.state().priority()).isEqualTo(TestTasks.PLAN_PRIORITY);
    }

    @Test
    void shouldRefuseRescheduleWithoutSlotWhenTaskIsScheduled() {
      // given
      Instant slot = workflow.state().notBefore();

      // when / then
      assertRefused(
          () -> workflow.reschedule(null), ErrorType.VALIDATION_FAILED, "notBefore is required");
      assertThat(workflow.state().notBefore()).isEqualTo(slot);
    }
  }

  @Nested
  class WhenPaused {
    @BeforeEach
    void given() {
      scheduleThreeHoursAhead();
      workflow.pause();
    }

    @ParameterizedTest
    @EnumSource(
        value = TaskUpdate.class,
        names = {"APPROVE", "REJECT", "PAUSE", "PROVIDE_INPUT"})
    void shouldRefuseCommandWhenTaskIsPaused(TaskUpdate update) {
      assertRefusedWithoutChange(update, TaskStatus.PAUSED);
    }
  }

  @Nested
  class WhenAwaitingApproval {
    @BeforeEach
    void given() {
      workflow = env.start(task().approveBeforeRun(true).build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
    }

    @ParameterizedTest
    @EnumSource(
        value = TaskUpdate.class,
        names = {"PAUSE", "RESUME", "RUN_NOW", "RESCHEDULE", "PROVIDE_INPUT"})
    void shouldRefuseCommandWhenTaskIsAwaitingApproval(TaskUpdate update) {
      assertRefusedWithoutChange(update, TaskStatus.AWAITING_APPROVAL);
    }
  }

  @Nested
  class WhenRunning {
    @BeforeEach
    void given() throws InterruptedException {
      doAnswer(hold.then(call -> TestTasks.agentResult(env.now()))).when(env.agent).run(any());
      workflow = env.start(task().build());
      hold.awaitEntered();
    }

    @ParameterizedTest
    @EnumSource(
        value = TaskUpdate.class,
        names = {"APPROVE", "REJECT", "PAUSE", "RESUME", "RUN_NOW", "RESCHEDULE", "PROVIDE_INPUT"})
    void shouldRefuseCommandWhenTaskIsRunning(TaskUpdate update) {
      assertRefusedWithoutChange(update, TaskStatus.RUNNING);
    }
  }

  @Nested
  class WhenFinishedButNotifying {
    @BeforeEach
    void given() throws InterruptedException {
      doAnswer(hold.then(call -> null)).when(env.notifying).send(any());
      workflow = env.start(task().build());
      hold.awaitEntered();
    }

    @ParameterizedTest
    @EnumSource(TaskUpdate.class)
    void shouldRefuseEveryCommandWhenTaskHasSucceeded(TaskUpdate update) {
      assertRefusedWithoutChange(update, TaskStatus.SUCCEEDED);
    }
  }

  @Nested
  class WhenCompleted {
    @BeforeEach
    void given() {
      workflow = env.start(task().build());
      env.result(TestTasks.TASK_ID);
    }

    // The workflow has closed, so Temporal itself refuses the update before any validator runs.
    @ParameterizedTest
    @EnumSource(TaskUpdate.class)
    void shouldReportWorkflowNotFoundWhenTaskHasCompleted(TaskUpdate update) {
      // when / then
      assertThatThrownBy(() -> update.sendTo(workflow))
          .isInstanceOf(WorkflowNotFoundException.class);
      assertThat(workflow.state().status()).isEqualTo(TaskStatus.SUCCEEDED);
    }
  }
}
