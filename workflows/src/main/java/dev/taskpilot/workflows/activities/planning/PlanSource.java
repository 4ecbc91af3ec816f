package dev.taskpilot.workflows.activities.planning;

/**
 * Who decided a plan: an LLM, the deterministic fallback planner, or the user's own fixed fields.
 */
public enum PlanSource {
  LLM,
  FALLBACK,
  USER
}
