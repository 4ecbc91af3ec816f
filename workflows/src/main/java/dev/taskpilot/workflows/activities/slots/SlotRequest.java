package dev.taskpilot.workflows.activities.slots;

/**
 * A claim on an agent run slot.
 *
 * @param workspace the task's workspace name, or null for its own scratch directory
 * @param priority the task's priority now; higher goes first
 * @param maxWait how long one call may wait before it answers that the slot is not free yet
 */
public record SlotRequest(
    String taskId, String agent, String workspace, int priority, java.time.Duration maxWait) {}
