package dev.taskpilot.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Tells people about a task. */
@ActivityInterface
public interface NotifyActivities {

  /**
   * Sends a notification through every configured channel. Not strictly idempotent: a retry may
   * repeat a message on a channel that already had it. Raises only transient failures; callers
   * never let a failed notification fail the task.
   */
  @ActivityMethod(name = "Notify")
  void notify(TaskNotification notification);
}
