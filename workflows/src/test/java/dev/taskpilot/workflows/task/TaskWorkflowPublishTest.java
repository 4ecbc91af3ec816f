package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskWorkflowPublishTest extends TaskWorkflowTestSupport {
  private static final PublishTarget.Webhook WEBHOOK =
      new PublishTarget.Webhook("https://hooks.example.org/results", true);
  private static final PublishTarget.Git GIT =
      new PublishTarget.Git("https://git.example.org/shop.git", "taskpilot/task-1");

  @Nested
  class RetrySchedule {
    /**
     * When each attempt ran, by the engine's (skipped) clock. Not the attempt's scheduled
     * timestamp: the test server reports the previous attempt's time there for a retry.
     */
    private List<Instant> failEveryAttempt(PublishTarget target) {
      List<Instant> attempts = new ArrayList<>();
      var failing =
          doAnswer(
              call -> {
                attempts.add(env.now());
                throw ApplicationFailure.newFailure("503 Service Unavailable", "PUBLISH_FAILED");
              });
      if (target instanceof PublishTarget.Webhook) {
        failing.when(env.publishing).publishWebhook(any());
      } else {
        failing.when(env.publishing).publishGit(any());
      }
      return attempts;
    }

    private static List<Duration> gaps(List<Instant> attempts) {
      List<Duration> gaps = new ArrayList<>();
      for (int i = 1; i < attempts.size(); i++) {
        // Each gap is the backoff plus the few milliseconds the failed attempt itself took.
        gaps.add(Duration.between(attempts.get(i - 1), attempts.get(i)).withNanos(0));
      }
      return gaps;
    }

    @Test
    void shouldRetryAWebhookAfter5Then15Then30Then30MinutesAndThenFail() {
      // given
      List<Instant> attempts = failEveryAttempt(WEBHOOK);

      // when
      TaskState state = env.run(task().publish(WEBHOOK).build());

      // then
      assertThat(state.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(state.error().code()).isEqualTo("PUBLISH_FAILED");
      assertThat(attempts).hasSize(5).doesNotContainNull();
      assertThat(gaps(attempts))
          .containsExactly(
              Duration.ofMinutes(5),
              Duration.ofMinutes(15),
              Duration.ofMinutes(30),
              Duration.ofMinutes(30));
    }

    @Test
    void shouldRetryAGitPushOnTheSameSchedule() {
      // given
      List<Instant> attempts = failEveryAttempt(GIT);

      // when
      env.run(task().publish(GIT).build());

      // then
      assertThat(gaps(attempts))
          .containsExactly(
              Duration.ofMinutes(5),
              Duration.ofMinutes(15),
              Duration.ofMinutes(30),
              Duration.ofMinutes(30));
    }

    @Test
    void shouldNotRetryWhenTheTargetRefusesForGood() {
      // given
      doThrow(ApplicationFailure.newNonRetryableFailure("400 Bad Request", "PUBLISH_FAILED"))
          .when(env.publishing)
          .publishWebhook(any());

      // when
      TaskState state = env.run(task().publish(WEBHOOK).build());

      // then
      assertThat(state.status()).isEqualTo(TaskStatus.FAILED);
      verify(env.publishing, times(1)).publishWebhook(any());
    }
  }

  @Nested
  class TargetTypes {
    @Test
    void shouldPublishEachTargetThroughTheActivityOfItsType() {
      // given
      PublishTarget.File file = TestTasks.file("notes.md");

      // when
      TaskState state = env.run(task().publish(file, WEBHOOK, GIT).build());

      // then
      assertThat(state.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(state.result().publications())
          .extracting(p -> p.target())
          .containsExactly(file.key(), WEBHOOK.key(), GIT.key());
      verify(env.publishing).publishFile(argThat(r -> r.target().equals(file)));
      verify(env.publishing).publishWebhook(argThat(r -> r.target().equals(WEBHOOK)));
      verify(env.publishing).publishGit(argThat(r -> r.target().equals(GIT)));
      verify(env.publishing, never()).publish(any());
    }
  }

  @Nested
  class Notifications {
    @Test
    void shouldSucceedWithoutWaitingForAChannelThatNeverAnswers() throws InterruptedException {
      // given
      Hold hold = new Hold();
      doAnswer(hold.then(call -> null))
          .when(env.notifying)
          .send(argThat(n -> n.event() == NotifyEvent.SUCCEEDED));
      env.start(task().build());

      // when
      hold.awaitEntered();

      // then the task's outcome is written while the notification is still being sent
      env.awaitStatus(TaskStatus.SUCCEEDED);
      assertThat(env.recordedStatuses()).endsWith(TaskStatus.PUBLISHING, TaskStatus.SUCCEEDED);
      hold.release();
      assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.SUCCEEDED);
    }

    @Test
    void shouldNameTheGateInAnApprovalNotificationSoItsLinksDieWithIt() {
      // given
      env.start(task().approveBeforeRun(true).build());

      // when
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

      // then
      verify(env.notifying, timeout(5_000))
          .send(
              argThat(
                  (ChannelNotification n) ->
                      n.event() == NotifyEvent.AWAITING_APPROVAL
                          && Integer.valueOf(1).equals(n.gate())
                          && n.channel().key().equals("ntfy:https://ntfy.example.org/tasks")));
    }

    @Test
    void shouldSendOnlyTheEventsAChannelAsksFor() {
      // when
      env.run(task().notifyOn(NotifyEvent.FAILED).build());

      // then
      verify(env.notifying, never()).send(any());
    }
  }

  @Nested
  class OneTapLinks {
    @Test
    void shouldApproveThroughTheOpenGatesNumber() {
      // given
      TaskWorkflow workflow = env.start(task().approveBeforeRun(true).build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

      // when
      workflow.approveGate(1, "from the phone");

      // then
      assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.SUCCEEDED);
    }

    @Test
    void shouldRefuseALinkOfAnotherGate() {
      // given
      TaskWorkflow workflow =
          env.start(task().approveBeforeRun(true).approveBeforePublish(true).build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
      workflow.approveGate(1, null);

      // when the task waits at gate 2, the link of gate 1 is dead
      awaitGate(workflow, 2);

      // then
      assertThatThrownBy(() -> workflow.approveGate(1, null))
          .isInstanceOf(WorkflowUpdateException.class);
      assertThatThrownBy(() -> workflow.rejectGate(1, null))
          .isInstanceOf(WorkflowUpdateException.class);
      assertThat(workflow.state().status()).isEqualTo(TaskStatus.AWAITING_APPROVAL);
      workflow.rejectGate(2, "not this one");
      assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.REJECTED);
    }

    @Test
    void shouldRefuseALinkOnceTheGateWasDecidedElsewhere() {
      // given
      TaskWorkflow workflow = env.start(task().approveBeforeRun(true).build());
      env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
      workflow.approve("in the UI", null);

      // then
      assertThatThrownBy(() -> workflow.approveGate(1, null))
          .isInstanceOf(WorkflowUpdateException.class);
    }

    private void awaitGate(TaskWorkflow workflow, int number) {
      env.awaitStatus(TaskStatus.RUNNING);
      for (int i = 0; i < 100; i++) {
        TaskState state = workflow.state();
        if (state.gate() == ApprovalGate.BEFORE_PUBLISH) {
          return;
        }
        env.sleep(Duration.ofSeconds(1));
      }
      throw new AssertionError("the task never reached gate " + number);
    }
  }
}
