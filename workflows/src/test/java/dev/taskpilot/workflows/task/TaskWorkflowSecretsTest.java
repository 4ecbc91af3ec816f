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
import static org.mockito.Mockito.verify;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task's secrets are purged as its workflow's last step, whichever way it ends: after its final
 * notifications, which read them (an ntfy token, a stored webhook URL), have been sent, retries
 * included; never before the end.
 */
class TaskWorkflowSecretsTest extends TaskWorkflowTestSupport {
  /** What the activities saw, in order: {@code send <event>} per attempt, {@code purge <task>}. */
  private final List<String> calls = new CopyOnWriteArrayList<>();

  private final AtomicInteger failuresLeft = new AtomicInteger();

  @BeforeEach
  void recordCalls() {
    doAnswer(
            call -> {
              calls.add("send " + call.<ChannelNotification>getArgument(0).event());
              if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("ntfy answered 503");
              }
              return null;
            })
        .when(env.notifying)
        .send(any());
    doAnswer(
            call -> {
              calls.add("purge " + call.getArgument(0));
              return null;
            })
        .when(env.secrets)
        .purge(any());
  }

  /** Waits until both channels were told that the task awaits approval. */
  private void awaitApprovalNotified() {
    env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
    verify(env.notifying, timeout(5_000).times(2))
        .send(argThat(n -> n.event() == NotifyEvent.AWAITING_APPROVAL));
  }

  /** An authenticated ntfy channel and a webhook channel with a stored URL, on every event. */
  private static TestTasks.Builder taskWithSecretChannels() {
    List<NotifyEvent> every = List.of(NotifyEvent.values());
    return task()
        .channels(
            new NotifyTarget.Ntfy(TestTasks.NTFY_SERVER, TestTasks.NTFY_TOPIC, true, every),
            new NotifyTarget.Webhook("https://chat.example.org/***", every, true));
  }

  @Test
  void shouldPurgeSecretsAfterTheFinalNotificationsAndTheirRetriesWhenTheTaskSucceeds() {
    // given: the first two attempts fail (one per channel, or one channel twice)
    failuresLeft.set(2);

    // when
    TaskState end =
        env.run(
            taskWithSecretChannels()
                .publish(new PublishTarget.Webhook("https://hooks.example.org/release", true))
                .build());

    // then: four attempts, every one before the purge, which comes once and last
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(calls)
        .containsExactly(
            "send SUCCEEDED",
            "send SUCCEEDED",
            "send SUCCEEDED",
            "send SUCCEEDED",
            "purge " + TestTasks.TASK_ID);
  }

  @Test
  void shouldKeepSecretsWhileTheTaskWaitsAndPurgeThemWhenItIsRejected() {
    // given
    TaskWorkflow workflow = env.start(taskWithSecretChannels().approveBeforeRun(true).build());
    awaitApprovalNotified();

    // when
    workflow.reject("not now");
    env.result(TestTasks.TASK_ID);

    // then
    assertThat(calls)
        .containsExactly(
            "send AWAITING_APPROVAL",
            "send AWAITING_APPROVAL",
            "send REJECTED",
            "send REJECTED",
            "purge " + TestTasks.TASK_ID);
  }

  @Test
  void shouldPurgeSecretsAfterNotifyingWhenCancelledThroughTheApi() {
    // given
    TaskWorkflow workflow = env.start(taskWithSecretChannels().approveBeforeRun(true).build());
    awaitApprovalNotified();
    verify(env.secrets, never()).purge(any());

    // when
    workflow.cancel("superseded");
    env.result(TestTasks.TASK_ID);

    // then
    assertThat(calls.subList(2, calls.size()))
        .containsExactly("send CANCELLED", "send CANCELLED", "purge " + TestTasks.TASK_ID);
  }

  @Test
  void shouldPurgeSecretsAfterNotifyingWhenCancelledInTemporal() {
    // given
    env.start(taskWithSecretChannels().approveBeforeRun(true).build());
    awaitApprovalNotified();
    failuresLeft.set(1);

    // when
    env.untyped(TestTasks.TASK_ID).cancel();

    // then: the workflow ends Canceled, the purge after the retried notification all the same
    assertThatThrownBy(() -> env.result(TestTasks.TASK_ID))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(calls.subList(2, calls.size()))
        .containsExactly(
            "send CANCELLED", "send CANCELLED", "send CANCELLED", "purge " + TestTasks.TASK_ID);
  }

  @Test
  void shouldPurgeSecretsAfterNotifyingWhenTheAgentFails() {
    // given
    doThrow(ApplicationFailure.newNonRetryableFailure("exit 3", "AGENT_FAILED"))
        .when(env.agent)
        .run(any());

    // when
    TaskState end = env.run(taskWithSecretChannels().build());

    // then
    assertThat(end.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(calls).containsExactly("send FAILED", "send FAILED", "purge " + TestTasks.TASK_ID);
  }
}
