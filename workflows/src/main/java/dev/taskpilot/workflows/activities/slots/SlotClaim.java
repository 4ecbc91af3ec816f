package dev.taskpilot.workflows.activities.slots;

/**
 * A claim on an agent run slot, queued until it is granted.
 *
 * @param workspace the task's workspace name, or null for its own scratch directory
 * @param priority the claim's place in the queue now; higher goes first
 * @param claim the workflow's number for this claim, unique to its run; the grant signal carries
 *     it, so a late signal for an earlier claim is told apart
 */
public record SlotClaim(String taskId, String agent, String workspace, int priority, int claim) {}
