package dev.taskpilot.activities.slots;

/** Tells a workflow that its slot claim was granted. */
public interface SlotGrantNotice {

  /**
   * Sends the grant; false when the workflow is gone (finished, terminated), so the grant can go to
   * the next claim. An engine that cannot be reached counts as told: the grant's short lease and
   * the workflow's safety-net timer recover from a lost signal.
   */
  boolean tell(SlotGrant grant);
}
