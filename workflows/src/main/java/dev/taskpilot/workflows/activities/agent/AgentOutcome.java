package dev.taskpilot.workflows.activities.agent;

/** How an agent run that did not fail ended. */
public enum AgentOutcome {
  /** The agent finished its work. */
  COMPLETED,
  /** The provider's usage limit stopped it; it can go on after {@code parkedUntil}. */
  PARKED,
  /** The task's budget was crossed; a human may approve more. */
  BUDGET_EXCEEDED,
  /** The agent asked the human a question; the answer continues its session. */
  QUESTION,
  /**
   * Its worker stopped (a deploy, a scale-down) and its drain time ran out: the run goes on at once
   * on another worker, continuing the session where the profile can, without using a retry.
   */
  HANDED_OVER
}
