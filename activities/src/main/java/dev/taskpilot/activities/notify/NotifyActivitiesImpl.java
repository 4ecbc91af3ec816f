package dev.taskpilot.activities.notify;

import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyActivities;
import dev.taskpilot.workflows.activities.notify.TaskNotification;
import dev.taskpilot.workflows.task.ActivityDefaults;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.RetryOptions;
import jakarta.inject.Singleton;
import java.util.List;

/** Logs notifications and sends them on the task's channels, one attempt per activity attempt. */
@Singleton
public class NotifyActivitiesImpl implements NotifyActivities {
  private final List<NotifyChannel> channels;
  private final ChannelSender sender;

  public NotifyActivitiesImpl(List<NotifyChannel> channels, ChannelSender sender) {
    this.channels = List.copyOf(channels);
    this.sender = sender;
  }

  @Override
  public void notify(TaskNotification notification) {
    for (NotifyChannel channel : channels) {
      channel.send(notification);
    }
  }

  @Override
  public void send(ChannelNotification notification) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    int attempt = Math.max(1, info.getAttempt());
    sender.send(notification, attempt, isLastAttempt(attempt, info.getRetryOptions()));
  }

  /**
   * True when this is the last attempt the retry policy allows. An engine that does not tell the
   * limit (the embedded test server reports none) gets the declared policy's; so does an unlimited
   * policy, which the declared options never are.
   */
  static boolean isLastAttempt(int attempt, RetryOptions retry) {
    int maximum =
        retry != null && retry.getMaximumAttempts() > 0
            ? retry.getMaximumAttempts()
            : ActivityDefaults.SEND_NOTIFICATION.getRetryOptions().getMaximumAttempts();
    return attempt >= maximum;
  }
}
