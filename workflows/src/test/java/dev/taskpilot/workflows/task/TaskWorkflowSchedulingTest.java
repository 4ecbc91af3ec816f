package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.taskpilot.workflows.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskWorkflowSchedulingTest extends TaskWorkflowTestSupport {
  private Instant slot;
  private TaskWorkflow workflow;

  /** Starts a task whose slot is three hours ahead and waits until it is SCHEDULED. */
  private void scheduleThreeHoursAhead() {
    slot = env.now().plus(Duration.ofHours(3));
    workflow = env.start(task().notBefore(slot).build());
    env.awaitStatus(TaskStatus.SCHEDULED);
  }

  private Instant agentStartedAt() {
    return env.firstRecorded(TaskStatus.RUNNING).run().startedAt();
  }

  @Nested
  class WaitingForTheSlot {
    @BeforeEach
    void given() {
      scheduleThreeHoursAhead();
    }

    @Test
    void shouldStayScheduledWhenTheSlotIsAhead() {
      // given
      env.sleep(Duration.ofHours(2));

      // when
      TaskState state = workflow.state();

      // then
      assertThat(state.status()).isEqualTo(TaskStatus.SCHEDULED);
      assertThat(state.notBefore()).isEqualTo(slot);
      verifyNoInteractions(env.agent);
    }

    @Test
    void shouldRunAtTheSlotWhenTimeReachesIt() {
      // given the scheduled task

      // when
      TaskState state = env.result(TestTasks.TASK_ID);

      // then
      assertThat(state.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(agentStartedAt()).isAfterOrEqualTo(slot);
    }
  }

  @Nested
  class RunNow {
    @BeforeEach
    void given() {
      scheduleThreeHoursAhead();
    }

    @Test
    void shouldStartAtOnceWhenRunNowIsSent() {
      // when
      TaskState accepted = workflow.runNow();

      // then
      assertThat(accepted.status().hasStartedRunning()).isTrue();
      assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(agentStartedAt()).isBefore(slot.minus(Duration.ofHours(2)));
    }

    @Test
    void shouldStartAPausedTaskWhenRunNowIsSent() {
      // given
      workflow.pause();

      // when
      TaskState accepted = workflow.runNow();

      // then
      assertThat(accepted.status().hasStartedRunning()).isTrue();
      assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(agentStartedAt()).isBefore(slot.minus(Duration.ofHours(2)));
    }
  }

  @Nested
  class Reschedule {
    @BeforeEach
    void given() {
      scheduleThreeHoursAhead();
    }

    @Test
    void shouldStartAtTheNewSlotWhenMovedEarlier() {
      // given
      Instant earlier = slot.minus(Duration.ofHours(2));

      // when
      TaskState accepted = workflow.reschedule(earlier);

      // then
      assertThat(accepted.status()).isEqualTo(TaskStatus.SCHEDULED);
      assertThat(accepted.notBefore()).isEqualTo(earlier);
      env.result(TestTasks.TASK_ID);
      assertThat(agentStartedAt()).isAfterOrEqualTo(earlier).isBefore(slot);
    }

    @Test
    void shouldWaitForTheNewSlotWhenMovedLater() {
      // given
      Instant later = slot.plus(Duration.ofHours(2));

      // when
      workflow.reschedule(later);
      env.sleep(Duration.ofHours(4));

      // then
      assertThat(workflow.state().status()).isEqualTo(TaskStatus.SCHEDULED);
      verifyNoInteractions(env.agent);
      env.result(TestTasks.TASK_ID);
      assertThat(agentStartedAt()).isAfterOrEqualTo(later);
    }
  }

  @Nested
  class PauseAndResume {
    @BeforeEach
    void given() {
      scheduleThreeHoursAhead();
    }

    @Test
    void shouldHoldPastTheSlotWhenPaused() {
      // when
      TaskState paused = workflow.pause();
      env.sleep(Duration.ofHours(4));

      // then
      assertThat(paused.status()).isEqualTo(TaskStatus.PAUSED);
      assertThat(workflow.state().status()).isEqualTo(TaskStatus.PAUSED);
      assertThat(env.recordedStatuses()).endsWith(TaskStatus.PAUSED);
      verifyNoInteractions(env.agent);
    }

    @Test
    void shouldRunAtOnceWhenResumedAfterTheSlot() {
      // given
      workflow.pause();
      env.sleep(Duration.ofHours(4));
      Instant resumedAt = env.now();

      // when
      TaskState resumed = workflow.resume();

      // then
      assertThat(resumed.status()).isNotEqualTo(TaskStatus.PAUSED);
      assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(agentStartedAt()).isAfterOrEqualTo(resumedAt);
    }

    @Test
    void shouldWaitForTheSlotAgainWhenResumedBeforeIt() {
      // given
      workflow.pause();

      // when
      TaskState resumed = workflow.resume();

      // then
      assertThat(resumed.status()).isEqualTo(TaskStatus.SCHEDULED);
      verifyNoInteractions(env.agent);
      env.result(TestTasks.TASK_ID);
      assertThat(agentStartedAt()).isAfterOrEqualTo(slot);
    }
  }
}
