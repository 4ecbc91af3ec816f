package dev.taskpilot.workflows;

/** Task queue names: workflow tasks, heavy agent runs and light I/O activities scale separately. */
public final class TaskQueues {
  /** Workflow tasks of {@link TaskWorkflow}. */
  public static final String WORKFLOWS = "taskpilot-workflows";

  /** Agent runs: long, heavy, limited slots per worker. */
  public static final String AGENTS = "taskpilot-agents";

  /** Short I/O activities: planning, publishing, notifying, projection writes. */
  public static final String IO = "taskpilot-io";

  /**
   * Waiting for an agent slot: long, idle polls of PostgreSQL, kept apart so they never take the
   * I/O queue's slots.
   */
  public static final String SLOTS = "taskpilot-slots";

  private TaskQueues() {}
}
