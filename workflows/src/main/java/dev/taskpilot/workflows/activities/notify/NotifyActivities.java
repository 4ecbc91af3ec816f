package dev.taskpilot.workflows.activities.notify;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Tells people about a task. */
@ActivityInterface
public interface NotifyActivities {

  /**
   * Writes a notification to the server log and, for histories from before per-channel
   * notifications, is the only notification there is. Raises only transient failures; callers never
   * let a failed notification fail the task.
   */
  @ActivityMethod(name = "Notify")
  void notify(TaskNotification notification);

  /**
   * Sends one notification on one channel, one attempt per activity attempt, each recorded in the
   * notification audit. An {@code AWAITING_APPROVAL} notification carries one-tap approve and
   * reject links whose token is made here and stored hashed. Raises on a failed attempt so the
   * declared retries apply; the workflow never waits for it to finish or lets it fail the task.
   */
  @ActivityMethod(name = "SendNotification")
  void send(ChannelNotification notification);
}
