package dev.taskpilot.workflows.activities;

import java.time.Duration;

/**
 * One agent run.
 *
 * @param taskId the task the run belongs to
 * @param agent the agent profile name
 * @param workspace the workspace name under the workspaces root, or null for a per-task scratch
 *     directory
 * @param instructions the prompt handed to the agent
 * @param timeout the longest the process may run
 */
public record AgentRunRequest(
    String taskId, String agent, String workspace, String instructions, Duration timeout) {}
