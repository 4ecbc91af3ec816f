package dev.taskpilot.workflows.activities.slots;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Fleet-wide agent run slots: per agent profile, and per plain workspace. */
@ActivityInterface
public interface SlotActivities {

  /**
   * Queues the task's claim (or updates its priority) and answers at once whether the task holds
   * its slot now: fewer than the profile's limit of runs are running across the fleet, no other run
   * holds its workspace (unless the workspace is a git repository, where worktrees isolate runs),
   * and no better waiting claim goes first (priority, then age). A task that does not hold it is
   * sent the {@code SlotGranted} signal with the claim's number when it is granted. Short and
   * idempotent.
   */
  @ActivityMethod(name = "ClaimAgentSlot")
  boolean claim(SlotClaim claim);

  /**
   * The wait of workflows started before slots were granted by signal: claims, then asks again
   * until the slot is held or {@code maxWait} passed, heartbeating. Kept for those workflows only.
   */
  @ActivityMethod(name = "AcquireAgentSlot")
  boolean acquire(SlotRequest request);

  /** Gives the task's slot (or waiting claim) back, granting what that frees. Idempotent. */
  @ActivityMethod(name = "ReleaseAgentSlot")
  void release(String taskId);
}
