package dev.taskpilot.workflows.activities;

/**
 * Who decided a plan: an LLM, the deterministic fallback planner, or the user's own fixed fields.
 */
public enum PlanSource {
  LLM,
  FALLBACK,
  USER
}
