package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.file;
import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskWorkflowFailureTest extends TaskWorkflowTestSupport {

  private void verifyNotified(NotifyEvent event, int times) {
    verify(env.notifying, times(times))
        .send(argThat((ChannelNotification n) -> n.event() == event));
  }

  @Nested
  class AgentFailure {
    @Test
    void shouldEndFailedWithTheAgentErrorWhenTheAgentExitsNonZero() {
      // given
      doThrow(ApplicationFailure.newNonRetryableFailure("exit 3", "AGENT_FAILED"))
          .when(env.agent)
          .run(any());

      // when
      TaskState state = env.run(task().publish(file("notes.md")).build());

      // then
      assertThat(state.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(state.statusReason()).isEqualTo("AGENT_FAILED");
      assertThat(state.error()).isEqualTo(new ErrorInfo("AGENT_FAILED", "exit 3"));
      assertThat(state.run().startedAt()).isNotNull();
      assertThat(state.run().endedAt()).isNotNull();
      assertThat(state.result()).isNull();
      assertThat(env.recordedStatuses()).endsWith(TaskStatus.RUNNING, TaskStatus.FAILED);
      verify(env.agent, times(1)).run(any());
      verify(env.publishing, never()).publishFile(any());
      verifyNotified(NotifyEvent.FAILED, 1);
    }

    @Test
    void shouldKeepTheRunsCostAndSessionWhenALaterRunFails() {
      // given: the first run parks on a usage limit having spent 0.30 USD, the resumed one fails
      AtomicInteger runs = new AtomicInteger();
      doAnswer(
              call -> {
                if (runs.incrementAndGet() > 1) {
                  throw ApplicationFailure.newNonRetryableFailure("exit 3", "AGENT_FAILED");
                }
                return TestTasks.stopped(
                    env.now(),
                    dev.taskpilot.workflows.activities.agent.AgentOutcome.PARKED,
                    env.now().plusSeconds(60),
                    null);
              })
          .when(env.agent)
          .run(any());

      // when
      TaskState state = env.run(task().build());

      // then
      assertThat(state.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(state.run().costUsd()).isEqualByComparingTo("0.30");
      assertThat(state.run().sessionId()).isEqualTo("session-9");
      assertThat(state.run().endedAt()).isNotNull();
    }

    @Test
    void shouldReportInternalWhenTheFailureTypeIsNotOurs() {
      // given
      doThrow(ApplicationFailure.newNonRetryableFailure("disk full", "IOException"))
          .when(env.agent)
          .run(any());

      // when
      TaskState state = env.run(task().build());

      // then
      assertThat(state.error()).isEqualTo(new ErrorInfo("INTERNAL", "disk full"));
    }

    @Test
    void shouldRetryOnceWhenTheAgentCrashesTransiently() {
      // given
      AtomicInteger calls = new AtomicInteger();
      doAnswer(
              call -> {
                if (calls.incrementAndGet() == 1) {
                  throw new IllegalStateException("worker lost");
                }
                return TestTasks.agentResult(env.now());
              })
          .when(env.agent)
          .run(any());

      // when
      TaskState state = env.run(task().build());

      // then
      assertThat(state.status()).isEqualTo(TaskStatus.SUCCEEDED);
      verify(env.agent, times(2)).run(any());
    }
  }

  @Nested
  class PublishFailure {
    @Test
    void shouldEndFailedWhenATargetRefusesTheResult() {
      // given
      doThrow(ApplicationFailure.newNonRetryableFailure("outside file root", "PUBLISH_FAILED"))
          .when(env.publishing)
          .publishFile(any());

      // when
      TaskState state = env.run(task().publish(file("../etc/passwd")).build());

      // then
      assertThat(state.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(state.error()).isEqualTo(new ErrorInfo("PUBLISH_FAILED", "outside file root"));
      assertThat(env.recordedStatuses()).endsWith(TaskStatus.PUBLISHING, TaskStatus.FAILED);
      verifyNotified(NotifyEvent.FAILED, 1);
    }
  }

  @Nested
  class NotifyFailure {
    @Test
    void shouldStillSucceedWhenNotifyingAlwaysFails() {
      // given
      doThrow(new IllegalStateException("ntfy.sh unreachable")).when(env.notifying).send(any());

      // when
      TaskState state = env.run(task().build());

      // then
      assertThat(state.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(state.error()).isNull();
      verifyNotified(NotifyEvent.SUCCEEDED, 3);
    }

    @Test
    void shouldNotifyOnlyTheChosenEventsWhenTheTaskNamesThem() {
      // given
      TaskInput input = task().notifyOn(NotifyEvent.FAILED).build();

      // when
      env.run(input);

      // then
      verify(env.notifying, never()).send(any());
    }
  }
}
