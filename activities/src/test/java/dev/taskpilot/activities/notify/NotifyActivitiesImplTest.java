package dev.taskpilot.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyActivities;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the activity tells the sender which attempt it makes, on Temporal's test server. */
@Timeout(120)
class NotifyActivitiesImplTest {
  private static final String QUEUE = "notify-test";
  private static final ChannelNotification NOTIFICATION =
      new ChannelNotification(
          "task-1",
          NotifyEvent.SUCCEEDED,
          "t",
          "m",
          new NotifyTarget.Ntfy("https://ntfy.example", "topic", false, null),
          null);

  private final TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance();

  /** Sends one notification with at most three attempts. */
  @WorkflowInterface
  public interface SendingWorkflow {
    @WorkflowMethod
    void send(ChannelNotification notification);
  }

  public static class SendingWorkflowImpl implements SendingWorkflow {
    private final NotifyActivities notify =
        Workflow.newActivityStub(
            NotifyActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(10))
                        .setMaximumAttempts(3)
                        .build())
                .build());

    @Override
    public void send(ChannelNotification notification) {
      notify.send(notification);
    }
  }

  @AfterEach
  void close() {
    environment.close();
  }

  @Test
  void shouldPassEachAttemptsNumberWhenTheSenderKeepsFailing() {
    // given
    List<String> calls = new CopyOnWriteArrayList<>();
    ChannelSender sender = mock(ChannelSender.class);
    doAnswer(
            invocation -> {
              calls.add(invocation.getArgument(1) + ":" + invocation.getArgument(2));
              throw ApplicationFailure.newFailure("down", ErrorType.NOTIFY_FAILED.name());
            })
        .when(sender)
        .send(any(), anyInt(), anyBoolean());
    Worker worker = environment.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(SendingWorkflowImpl.class);
    worker.registerActivitiesImplementations(new NotifyActivitiesImpl(List.of(), sender));
    environment.start();
    SendingWorkflow workflow =
        environment
            .getWorkflowClient()
            .newWorkflowStub(
                SendingWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
    // when
    assertThatThrownBy(() -> workflow.send(NOTIFICATION)).isNotNull();
    // then: attempt number : last attempt. The test server does not tell activities their retry
    // policy (a real server does), so the declared SendNotification policy (3 attempts) counts.
    assertThat(calls).containsExactly("1:false", "2:false", "3:true");
  }

  @Test
  void shouldCallAnAttemptTheLastOnlyWhenThePolicyLimitsAttempts() {
    // when / then
    assertThat(NotifyActivitiesImpl.isLastAttempt(2, RetryOptions.newBuilder().build())).isFalse();
    assertThat(NotifyActivitiesImpl.isLastAttempt(3, RetryOptions.newBuilder().build())).isTrue();
    assertThat(NotifyActivitiesImpl.isLastAttempt(1, null)).isFalse();
    assertThat(NotifyActivitiesImpl.isLastAttempt(3, null)).isTrue();
    assertThat(
            NotifyActivitiesImpl.isLastAttempt(
                2, RetryOptions.newBuilder().setMaximumAttempts(2).build()))
        .isTrue();
  }
}
