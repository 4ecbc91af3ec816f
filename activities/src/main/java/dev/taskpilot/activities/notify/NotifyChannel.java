package dev.taskpilot.activities.notify;

import dev.taskpilot.workflows.activities.notify.TaskNotification;

/** One way of telling people about a task. */
public interface NotifyChannel {

  /** The channel's name in logs and the audit. */
  String name();

  /** Sends the notification; throws when it could not be delivered and should be retried. */
  void send(TaskNotification notification);
}
