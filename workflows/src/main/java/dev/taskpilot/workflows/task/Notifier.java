package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyActivities;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import dev.taskpilot.workflows.activities.notify.TaskNotification;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Tells people what happened to a task: one notification per channel that hears about the event,
 * started without waiting, so a slow or dead channel never holds up the task; the workflow waits
 * for them only before it closes. Workflow code only.
 */
final class Notifier {
  private static final Logger log = Workflow.getLogger(Notifier.class);
  private static final Logger notificationLog = Workflow.getLogger("taskpilot.notifications");

  private final NotifyActivities notifying =
      Workflow.newActivityStub(NotifyActivities.class, ActivityDefaults.NOTIFY);
  private final NotifyActivities channelNotifying =
      Workflow.newActivityStub(NotifyActivities.class, ActivityDefaults.SEND_NOTIFICATION);
  private final TaskInput input;
  private final TaskProgress progress;
  private final List<Promise<Void>> pending = new ArrayList<>();
  private boolean perChannel;

  Notifier(TaskInput input, TaskProgress progress) {
    this.input = input;
    this.progress = progress;
  }

  /** Histories from before per-channel notifications replay with the one blocking notify. */
  void choosePerChannel(boolean perChannel) {
    this.perChannel = perChannel;
  }

  void send(NotifyEvent event, String message) {
    if (perChannel) {
      sendPerChannel(event, message);
      return;
    }
    if (!input.notifyEvents().contains(event)) {
      return;
    }
    TaskContext.uncancelled(
        () -> {
          try {
            notifying.notify(new TaskNotification(input.taskId(), event, input.title(), message));
          } catch (ActivityFailure e) {
            // A notification never fails or holds up the task.
            log.warn(
                "notification {} for task {} failed: {}", event, input.taskId(), e.getMessage());
          }
        });
  }

  /**
   * Logs the event and starts one notification per channel that hears about it. An approval
   * notification names its gate, so its one-tap links die with the gate; the budget gate has none,
   * as approving it needs an amount.
   */
  private void sendPerChannel(NotifyEvent event, String message) {
    // The task by its id: its title is the user's text, which stays out of logs.
    notificationLog.info("[{}] task {}: {}", event, input.taskId(), message);
    ApprovalGate gate = progress.gate;
    Integer linkGate =
        event == NotifyEvent.AWAITING_APPROVAL && gate != null && gate != ApprovalGate.BUDGET
            ? progress.gateNumber
            : null;
    for (NotifyTarget channel : input.channels()) {
      if (channel.events().contains(event)) {
        ChannelNotification notification =
            new ChannelNotification(
                input.taskId(), event, input.title(), message, channel, linkGate);
        // Sent in full even when the task is cancelled meanwhile.
        TaskContext.uncancelled(
            () -> pending.add(Async.procedure(channelNotifying::send, notification)));
      }
    }
  }

  /** Lets the notifications still being sent (or retried) finish before the workflow closes. */
  void awaitPending() {
    for (Promise<Void> notification : pending) {
      try {
        notification.get();
      } catch (TemporalFailure e) {
        // ActivityFailure, or CanceledFailure when the workflow itself was cancelled.
        // Recorded in the notification audit; a notification never fails the task.
        log.warn("a notification for task {} failed: {}", input.taskId(), e.getMessage());
      }
    }
  }
}
