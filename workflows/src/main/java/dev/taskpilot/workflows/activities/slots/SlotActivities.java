package dev.taskpilot.workflows.activities.slots;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Fleet-wide agent run slots: per agent profile, and per plain workspace. */
@ActivityInterface
public interface SlotActivities {

  /**
   * Claims the task's slot and waits, at most {@code maxWait}, until it may run its agent: fewer
   * than the profile's limit of runs are running across the fleet, no other run holds its workspace
   * (unless the workspace is a git repository, where worktrees isolate runs), and no waiting claim
   * goes first (priority, then submission). True when the slot is held; false when the caller
   * should ask again (the claim keeps its place). Idempotent: a task already holding its slot gets
   * it at once. Calls are short, so the workflow never has to cancel one.
   */
  @ActivityMethod(name = "AcquireAgentSlot")
  boolean acquire(SlotRequest request);

  /** Gives the task's slot back. Idempotent. */
  @ActivityMethod(name = "ReleaseAgentSlot")
  void release(String taskId);
}
