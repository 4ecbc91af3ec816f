package dev.taskpilot.activities.slots;

/**
 * A waiting claim that was just granted: its workflow must be told.
 *
 * @param claim the workflow's number for the claim, which the grant signal carries back
 */
public record SlotGrant(String taskId, int claim) {}
