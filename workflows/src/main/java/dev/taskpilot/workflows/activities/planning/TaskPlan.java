package dev.taskpilot.workflows.activities.planning;

import java.time.Instant;

/**
 * A task's plan.
 *
 * @param priority {@link dev.taskpilot.workflows.Priority#MIN} (lowest) to {@link
 *     dev.taskpilot.workflows.Priority#MAX} (most urgent)
 * @param start the slot the task should start in
 * @param estimateMinutes how long the agent run is expected to take
 * @param needsApproval whether a human must approve before the agent runs
 * @param approvalReason why approval is needed, or null
 * @param instructions the refined instructions handed to the agent
 * @param reasoning why the planner decided so
 * @param source who made the plan
 */
public record TaskPlan(
    int priority,
    Instant start,
    int estimateMinutes,
    boolean needsApproval,
    String approvalReason,
    String instructions,
    String reasoning,
    PlanSource source) {}
