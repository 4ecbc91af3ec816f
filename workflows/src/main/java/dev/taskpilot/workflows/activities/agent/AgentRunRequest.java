package dev.taskpilot.workflows.activities.agent;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * One agent run.
 *
 * @param taskId the task the run belongs to
 * @param agent the agent profile name
 * @param workspace the workspace name under the workspaces root, or null for a per-task scratch
 *     directory
 * @param instructions the prompt handed to the agent: the task's instructions for a new session,
 *     the answer or a short "continue" for a resumed one
 * @param timeout the longest the process may run
 * @param resumeSessionId the agent session to continue, or null to start a new one
 * @param budgetUsd the task's whole budget (agent and LLM), or null for none
 * @param spentUsd what earlier runs of this task's agent already cost
 */
public record AgentRunRequest(
    String taskId,
    String agent,
    String workspace,
    String instructions,
    Duration timeout,
    String resumeSessionId,
    BigDecimal budgetUsd,
    BigDecimal spentUsd) {

  /** A run that starts a new session, without budget. */
  public AgentRunRequest(
      String taskId, String agent, String workspace, String instructions, Duration timeout) {
    this(taskId, agent, workspace, instructions, timeout, null, null, null);
  }
}
