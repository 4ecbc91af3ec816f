package dev.taskpilot.workflows.task;

/** The points where a task can wait for a human decision. */
public enum ApprovalGate {
  BEFORE_RUN,
  BEFORE_PUBLISH,
  /** The task's budget was crossed; approving needs a larger one. */
  BUDGET
}
