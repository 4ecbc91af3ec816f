package dev.taskpilot.workflows.activities.summary;

/**
 * What the summariser reads: the task and the bounded tail of the agent's output.
 *
 * @param resultText the last lines of the agent's output, at most a few kilobytes
 */
public record SummaryRequest(
    String taskId, String owner, String title, String prompt, String resultText) {}
