package dev.taskpilot.workflows.activities.notify;

/**
 * One notification about one task on one channel.
 *
 * @param gate the approval gate's number within the task when {@code event} is {@code
 *     AWAITING_APPROVAL} (its one-tap links are scoped to it), else null
 */
public record ChannelNotification(
    String taskId,
    NotifyEvent event,
    String title,
    String message,
    NotifyTarget channel,
    Integer gate) {}
