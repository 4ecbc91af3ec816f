package dev.taskpilot.workflows.activities.agent;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Runs agent CLI processes. */
@ActivityInterface
public interface AgentActivities {

  /**
   * Runs the task's agent as a subprocess in its workspace, storing its output lines in PostgreSQL
   * as they arrive and heartbeating meanwhile. Cancellation, the timeout and worker shutdown kill
   * the whole process tree. Not idempotent: a retry runs the agent again, continuing the output
   * line numbers. Raises non-retryable {@code UNKNOWN_AGENT}, {@code UNKNOWN_WORKSPACE}, {@code
   * AGENT_START_FAILED}, {@code AGENT_FAILED} (non-zero exit) and {@code AGENT_TIMEOUT}.
   */
  @ActivityMethod(name = "RunAgent")
  AgentRunResult run(AgentRunRequest request);
}
