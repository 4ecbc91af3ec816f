package dev.taskpilot.workflows.activities.publish;

/** One result going to one target. */
public record PublishRequest(
    String taskId, String title, String summary, String resultText, PublishTarget target) {}
