package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;

/**
 * A task that ends before its last step: cancelled, or rejected at a gate. A step throws it; the
 * workflow catches it and records the end, so no step has to pass "did we stop?" back up.
 */
final class TaskEnded extends RuntimeException {
  private final transient TaskStatus status;
  private final transient String reason;
  private final transient NotifyEvent event;
  private final transient String notification;
  private final boolean recorded;

  private TaskEnded(
      TaskStatus status, String reason, NotifyEvent event, String notification, boolean recorded) {
    super(status + ": " + reason, null, false, false);
    this.status = status;
    this.reason = reason;
    this.event = event;
    this.notification = notification;
    this.recorded = recorded;
  }

  private TaskEnded(TaskStatus status, String reason, NotifyEvent event, String notification) {
    this(status, reason, event, notification, false);
  }

  /**
   * The same end, already recorded by the step that threw it: a step that must release something
   * after the end is recorded (an agent slot) records it first.
   */
  TaskEnded recorded() {
    return new TaskEnded(status, reason, event, notification, true);
  }

  boolean isRecorded() {
    return recorded;
  }

  static TaskEnded cancelled(String reason) {
    return new TaskEnded(TaskStatus.CANCELLED, reason, NotifyEvent.CANCELLED, "Task cancelled");
  }

  static TaskEnded rejected(String comment) {
    return new TaskEnded(TaskStatus.REJECTED, comment, NotifyEvent.REJECTED, "Rejected");
  }

  TaskStatus status() {
    return status;
  }

  String reason() {
    return reason;
  }

  NotifyEvent event() {
    return event;
  }

  String notification() {
    return notification;
  }
}
