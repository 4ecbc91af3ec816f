package dev.taskpilot.workflows.activities.notify;

/** One notification about one task. */
public record TaskNotification(String taskId, NotifyEvent event, String title, String message) {}
