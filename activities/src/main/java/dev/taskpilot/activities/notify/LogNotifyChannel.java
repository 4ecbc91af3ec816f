package dev.taskpilot.activities.notify;

import dev.taskpilot.workflows.activities.notify.TaskNotification;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every notification to the log: always on, so the server's log tells the whole story. It
 * names the task by its id only: its title is the user's text (the first line of the prompt), which
 * stays out of logs.
 */
@Singleton
public class LogNotifyChannel implements NotifyChannel {
  private static final Logger log = LoggerFactory.getLogger("taskpilot.notifications");

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void send(TaskNotification notification) {
    log.info(
        "[{}] task {}: {}", notification.event(), notification.taskId(), notification.message());
  }
}
