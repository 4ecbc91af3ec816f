package dev.taskpilot.activities.notify;

import dev.taskpilot.workflows.activities.NotifyActivities;
import dev.taskpilot.workflows.activities.TaskNotification;
import jakarta.inject.Singleton;
import java.util.List;

/** Sends each notification through every channel. */
@Singleton
public class NotifyActivitiesImpl implements NotifyActivities {
  private final List<NotifyChannel> channels;

  public NotifyActivitiesImpl(List<NotifyChannel> channels) {
    this.channels = List.copyOf(channels);
  }

  @Override
  public void notify(TaskNotification notification) {
    for (NotifyChannel channel : channels) {
      channel.send(notification);
    }
  }
}
